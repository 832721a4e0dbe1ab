"""A few invented concerns per demo school, so the DSL's queue, a concern page and a chronology
have something to show on first start. Written through the real services, so they carry the same
action log, checklists and audit events as concerns logged by hand."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.concerns import services, triage
from harbour.concerns.models import Concern, Decision, Referral
from harbour.people.models import Learner
from harbour.schools.models import School


def _member(school: School, role: str) -> Membership:
    return Membership.objects.select_related("user", "school").filter(school=school, role=role).order_by("pk").first()


def load_demo_concerns(*, school: School) -> list[Concern]:
    """Three concerns: one new (waiting in the queue), one being handled with a referral, one closed."""
    teacher, dsl = _member(school, Role.TEACHER), _member(school, Role.DSL)
    learners = list(
        Learner.objects.filter(school=school, school_class__teachers__user=teacher.user).order_by("last_name")[:4]
    )
    if teacher is None or dsl is None or len(learners) < 4:
        return []
    now = timezone.now()
    new = services.concern_report(
        actor=teacher,
        category="cyberbullying",
        occurred_at=now - timedelta(hours=3),
        summary="Unkind messages in a class group chat",
        description="Two pupils told me a group chat has been used to mock a classmate after school.",
        involvements=[
            services.Involvement(learners[0].pk, "affected"),
            services.Involvement(learners[1].pk, "alleged"),
        ],
        location=Concern.Location.OFF_SITE,
        equipment=Concern.Equipment.PERSONAL,
        childs_own_words="They keep sending pictures of me with horrible words on them.",
    )
    handled = services.concern_report(
        actor=teacher,
        category="online_abuse_exploitation",
        occurred_at=now - timedelta(days=2),
        summary="Adult stranger asking a pupil to keep their chats secret",
        description="A pupil said someone they met in an online game asked them to move to a private app.",
        involvements=[services.Involvement(learners[2].pk, "affected")],
        location=Concern.Location.OFF_SITE,
        equipment=Concern.Equipment.PERSONAL,
    )
    services.concern_acknowledge(actor=dsl, concern=handled)
    triage.decision_record(
        actor=dsl,
        concern=handled,
        kind=Decision.Kind.POLICE,
        reasons="An unknown adult is trying to move a child to a private channel: police informed the same day.",
    )
    triage.referral_record(
        actor=dsl,
        concern=handled,
        agency=Referral.Agency.POLICE,
        made_at=now - timedelta(days=2),
        police_call=Referral.PoliceCall.NON_EMERGENCY,
        reference="DEMO-101-0001",
    )
    closed = services.concern_report(
        actor=teacher,
        category="filtering_breach",
        occurred_at=now - timedelta(days=9),
        summary="Unsuitable pop-up during a research lesson",
        description="An advert with adult content appeared on a classroom laptop; the pupil turned the screen off.",
        involvements=[services.Involvement(learners[3].pk, "witness")],
        location=Concern.Location.ON_SITE,
        equipment=Concern.Equipment.SCHOOL,
    )
    services.concern_acknowledge(actor=dsl, concern=closed)
    closed.refresh_from_db()
    services.concern_close(
        actor=dsl,
        concern=closed,
        version=closed.version,
        outcome="Reported to the filtering provider, who blocked the advertiser; pupil reassured.",
    )
    return [new, handled, closed]
