"""The DSL's work queue (REP-26): what it lists, for whom, in what colour, at what cost."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns import queue, services
from harbour.concerns.models import Attachment, ChecklistStep, Concern, FollowUp, Referral
from harbour.concerns.tests.conftest import make_chair
from harbour.core.tests import factories as f


def url(slug="alpha"):
    return reverse("concerns:queue", kwargs={"school_slug": slug})


def report(world, actor="teacher", category="cyberbullying", **extra):
    return services.concern_report(
        actor=world.persona(actor),
        category=category,
        occurred_at=timezone.now() - timedelta(hours=1),
        summary="Unkind messages",
        description="Messages in a group chat.",
        involvements=[services.Involvement(world.learner.pk)],
        **extra,
    )


def age(concern, delta):
    Concern.objects.filter(pk=concern.pk).update(reported_at=timezone.now() - delta)


def test_dsl_sees_the_unacknowledged_concern(world, client_for):
    concern = report(world)
    response = client_for("dsl").get(url())
    assert response.status_code == 200
    body = response.content.decode()
    assert concern.reference in body
    assert reverse("concerns:detail", kwargs={"school_slug": "alpha", "pk": concern.pk}) in body


@pytest.mark.parametrize("persona", ["teacher", "teacher2", "technician", "slt", "governor", "office", "outsider"])
def test_others_get_404(world, client_for, persona):
    """REP-26: the queue is for the safeguarding team and the allegation route only; others get 404."""
    report(world)
    assert client_for(persona).get(url()).status_code == 404


def test_acknowledged_concern_leaves_the_queue(world):
    concern = report(world)
    services.concern_acknowledge(actor=world.dsl, concern=concern)
    work = queue.work_queue(actor=world.dsl)
    assert concern.pk not in [item.concern_id for item in work.sections[0].items]


def test_allegation_is_in_the_heads_queue_not_the_dsls(world):
    """INC-STAFF-05: the queue follows the access door; an allegation about the DSL never shows to them."""
    subject = f.StaffMemberFactory(school=world.school, user=world.dsl.user)
    concern = report(world, category="staff_misuse_allegation", subject_staff_id=subject.pk)

    def ids(actor):
        return {item.concern_id for section in queue.work_queue(actor=actor).sections for item in section.items}

    assert concern.pk in ids(world.head)
    assert concern.pk not in ids(world.dsl)
    assert concern.pk not in ids(world.deputy)


def test_chair_of_governors_sees_only_allegations_about_the_head(world, client_for):
    make_chair(world.governor)
    ordinary = report(world)
    subject = f.StaffMemberFactory(school=world.school, user=world.head.user)
    about_head = report(world, category="staff_misuse_allegation", subject_staff_id=subject.pk)
    response = client_for("governor").get(url())
    assert response.status_code == 200
    body = response.content.decode()
    assert about_head.reference in body
    assert ordinary.reference not in body


def test_due_time_colours(world, client_for):
    """REP-26: overdue in red, due within a day in amber, later in blue."""
    overdue = report(world)
    age(overdue, timedelta(hours=2))  # past the 60-minute acknowledgement time
    soon = report(world)
    services.concern_acknowledge(actor=world.dsl, concern=soon)
    referral = Referral.objects.create(
        concern=soon, agency=Referral.Agency.SOCIAL_CARE, made_at=timezone.now(), made_by=world.dsl.user
    )
    FollowUp.objects.create(
        concern=soon, kind=FollowUp.Kind.REFERRAL_CHASE, referral=referral, due_at=timezone.now() + timedelta(hours=3)
    )
    FollowUp.objects.create(concern=soon, kind=FollowUp.Kind.DEBRIEF, due_at=timezone.now() + timedelta(days=14))

    work = {section.key: section for section in queue.work_queue(actor=world.dsl).sections}
    assert [i.badge_class for i in work["unacknowledged"].items] == ["badge--danger"]
    assert [i.badge_class for i in work["referrals"].items] == ["badge--warn"]
    assert [i.badge_class for i in work["debriefs"].items] == ["badge--info"]

    body = client_for("dsl").get(url()).content.decode()
    for css in ("badge--danger", "badge--warn", "badge--info"):
        assert css in body


def test_open_steps_on_a_day_old_concern_are_overdue(world):
    concern = report(world)
    services.concern_acknowledge(actor=world.dsl, concern=concern)
    ChecklistStep.objects.create(concern=concern, procedure="test", key="talk", position=1, text="Talk to the child")
    assert not queue.work_queue(actor=world.dsl).sections[1].items
    age(concern, timedelta(hours=25))
    [item] = queue.work_queue(actor=world.dsl).sections[1].items
    assert item.concern_id == concern.pk
    assert item.badge_class == "badge--danger"


def test_referral_awaiting_acknowledgement_without_a_chase_still_shows(world):
    concern = report(world)
    Referral.objects.create(
        concern=concern,
        agency=Referral.Agency.LADO,
        made_at=timezone.now(),
        made_by=world.dsl.user,
        acknowledgement_due_at=timezone.now() - timedelta(hours=1),
    )
    # An unrelated chase with no referral must not hide it (NULL in NOT IN).
    FollowUp.objects.create(concern=concern, kind=FollowUp.Kind.REFERRAL_CHASE, due_at=timezone.now())
    work = {section.key: section for section in queue.work_queue(actor=world.dsl).sections}
    assert any("LADO" in item.task for item in work["referrals"].items)


def test_withheld_files_show_without_their_names(world, client_for):
    concern = report(world)
    Attachment.objects.create(
        concern=concern,
        original_name="secret-name.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        file="concerns/x.pdf",
        uploaded_by=world.dsl.user,
        withheld_at=timezone.now(),
    )
    body = client_for("dsl").get(url()).content.decode()
    assert "1 withheld file to destroy" in body
    assert "secret-name" not in body


def test_withheld_files_are_due_by_their_destruction_follow_up_and_listed_once(world):
    concern = report(world)
    for name in ("a.pdf", "b.pdf"):
        Attachment.objects.create(
            concern=concern,
            original_name=name,
            content_type="application/pdf",
            size=10,
            sha256="0" * 64,
            file=f"concerns/{name}",
            uploaded_by=world.dsl.user,
            withheld_at=timezone.now(),
        )
    FollowUp.objects.create(
        concern=concern, kind=FollowUp.Kind.FILE_DESTRUCTION, due_at=timezone.now() + timedelta(days=3)
    )
    work = {section.key: section for section in queue.work_queue(actor=world.dsl).sections}
    [item] = work["withheld"].items
    assert item.task == "2 withheld files to destroy"
    assert item.badge_class == "badge--info"
    assert not work["deletions"].items


def test_opening_the_queue_is_audited(world, client_for):
    client_for("dsl").get(url())
    assert AuditEvent.objects.filter(action="concern.queue_view", actor=world.dsl.user).exists()


def _fill(world, n):
    for i in range(n):
        concern = report(world)
        if i % 2:
            services.concern_acknowledge(actor=world.dsl, concern=concern)
        ChecklistStep.objects.create(concern=concern, procedure="test", key=f"k{i}", position=1, text="Step")
        referral = Referral.objects.create(
            concern=concern,
            agency=Referral.Agency.POLICE,
            made_at=timezone.now(),
            made_by=world.dsl.user,
            acknowledgement_due_at=timezone.now(),
        )
        FollowUp.objects.create(
            concern=concern, kind=FollowUp.Kind.REFERRAL_CHASE, referral=referral, due_at=timezone.now()
        )
        FollowUp.objects.create(concern=concern, kind=FollowUp.Kind.DEBRIEF, due_at=timezone.now())
        FollowUp.objects.create(concern=concern, kind=FollowUp.Kind.COPY_DELETION, due_at=timezone.now())
    Concern.objects.update(reported_at=timezone.now() - timedelta(days=2))


def _queries_for_page(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url())
    assert response.status_code == 200
    return len(captured)


def test_query_count_does_not_grow_with_the_data(world, client_for, django_assert_max_num_queries):
    """Performance: the queue costs the same number of queries for 5 concerns as for 50."""
    client = client_for("dsl")
    _fill(world, 5)
    small = _queries_for_page(client)
    _fill(world, 45)
    with django_assert_max_num_queries(small):
        response = client.get(url())
    assert response.content.decode().count("badge--danger") >= 50
    with django_assert_max_num_queries(20):
        client.get(url())
