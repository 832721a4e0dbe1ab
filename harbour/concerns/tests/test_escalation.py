"""Escalation of unacknowledged concerns and chasing of overdue follow-ups (REP-09, ROL-02, REP-14)."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns import services, tasks
from harbour.concerns.models import Concern, ConcernEntry, FollowUp, Notification
from harbour.core import scheduler
from harbour.core.tests import factories as f
from harbour.people.models import StaffMember

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def report(world, django_capture_on_commit_callbacks):
    def make(category="cyberbullying", **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return services.concern_report(
                actor=world.teacher,
                category=category,
                occurred_at=timezone.now() - timedelta(hours=1),
                summary="Unkind messages",
                description="Messages in a group chat.",
                involvements=[services.Involvement(world.learner.pk)],
                **extra,
            )

    return make


@pytest.fixture
def escalate(django_capture_on_commit_callbacks):
    """Run the scheduled job the way the worker does, emails included."""

    def run():
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            tasks.escalate_unacknowledged.enqueue()

    return run


def alerted_since(concern, moment):
    return set(
        Notification.objects.filter(concern=concern, created_at__gte=moment).values_list("user__email", flat=True)
    )


def test_escalates_to_deputies_then_the_head(world, clock, report, escalate):
    """REP-09, ROL-02: unacknowledged after the school's time → DSL and deputies again; after another → the head."""
    concern = report()

    clock.shift(timedelta(minutes=59))
    escalate()
    concern.refresh_from_db()
    assert concern.escalation_level == 0
    assert not mail.outbox

    clock.shift(timedelta(minutes=2))
    level_one_at = timezone.now()
    escalate()
    concern.refresh_from_db()
    assert concern.escalation_level == 1
    assert concern.escalated_at == level_one_at
    assert alerted_since(concern, level_one_at) == {"dsl@alpha.test", "deputy@alpha.test"}
    assert sorted(m.to[0] for m in mail.outbox) == ["deputy@alpha.test", "dsl@alpha.test"]

    clock.shift(timedelta(minutes=30))
    escalate()
    concern.refresh_from_db()
    assert concern.escalation_level == 1  # the second period runs from the first escalation

    clock.shift(timedelta(minutes=31))
    level_two_at = timezone.now()
    escalate()
    concern.refresh_from_db()
    assert concern.escalation_level == 2
    assert alerted_since(concern, level_two_at) == {"head@alpha.test"}
    assert [m.to for m in mail.outbox] == [["head@alpha.test"]]

    clock.shift(timedelta(hours=5))
    escalate()
    assert not mail.outbox
    assert Concern.objects.get(pk=concern.pk).escalation_level == 2


def test_each_escalation_is_logged_and_audited(world, clock, report, escalate):
    concern = report()
    clock.shift(timedelta(minutes=61))
    escalate()
    entry = concern.entries.get(kind=ConcernEntry.Kind.ESCALATION)
    assert entry.author is None
    assert entry.data["level"] == 1
    event = AuditEvent.objects.get(action="concern.escalate", object_id=str(concern.pk))
    assert event.changes["escalation_level"] == [0, 1]


def test_escalation_email_names_nobody(world, clock, report, escalate):
    concern = report()
    clock.shift(timedelta(minutes=61))
    escalate()
    assert mail.outbox
    for message in mail.outbox:
        text = f"{message.subject}\n{message.body}".lower()
        for word in (world.learner.first_name, world.learner.last_name, "unkind", "cyberbullying", concern.reference):
            assert word.lower() not in text


def test_acknowledging_stops_escalation(world, clock, report, escalate):
    """REP-09: once someone takes the concern on, nobody else is chased."""
    concern = report()
    clock.shift(timedelta(minutes=61))
    escalate()
    services.concern_acknowledge(actor=world.deputy, concern=concern)
    clock.shift(timedelta(hours=3))
    moment = timezone.now()
    escalate()
    concern.refresh_from_db()
    assert concern.escalation_level == 1
    assert not alerted_since(concern, moment)
    assert not mail.outbox


def test_acknowledged_concern_is_never_escalated(world, clock, report, escalate):
    concern = report()
    services.concern_acknowledge(actor=world.dsl, concern=concern)
    clock.shift(timedelta(hours=3))
    escalate()
    concern.refresh_from_db()
    assert concern.escalation_level == 0
    assert not concern.entries.filter(kind=ConcernEntry.Kind.ESCALATION).exists()


def test_the_schools_own_time_limit_is_used(world, clock, report, escalate):
    world.school.policy_settings = {"acknowledge_within_minutes": 15}
    world.school.save()
    concern = report()
    clock.shift(timedelta(minutes=16))
    escalate()
    concern.refresh_from_db()
    assert concern.escalation_level == 1


def test_escalating_twice_at_once_alerts_once(world, clock, report):
    """A second worker holding a stale copy cannot escalate the same level again."""
    concern = report()
    stale = Concern.objects.select_related("school").get(pk=concern.pk)
    clock.shift(timedelta(minutes=61))
    assert tasks.concern_escalate_unacknowledged() == [concern]
    assert tasks._escalate(stale, timezone.now()) is False
    assert concern.entries.filter(kind=ConcernEntry.Kind.ESCALATION).count() == 1


def test_allegation_escalation_stays_with_the_head(world, clock, report, escalate):
    """INC-STAFF-05: escalating an allegation never tells the DSL team or the person it is about."""
    subject = StaffMember.objects.get(school=world.school, user=world.teacher2.user)
    concern = report(category="staff_misuse_allegation", subject_staff_id=subject.pk)
    for _ in range(2):
        clock.shift(timedelta(minutes=61))
        escalate()
    concern.refresh_from_db()
    assert concern.escalation_level == 2
    assert set(Notification.objects.filter(concern=concern).values_list("user__email", flat=True)) == {
        "head@alpha.test"
    }


def test_escalation_never_reaches_a_parent_on_the_staff(world, clock, report, escalate):
    """REP-20 applies to escalations too: a deputy who is the learner's parent is left out."""
    parent = f.ParentFactory(school=world.school, email="deputy@alpha.test")
    f.ParentLinkFactory(parent=parent, learner=world.learner)
    concern = report()
    clock.shift(timedelta(minutes=61))
    escalate()
    assert not Notification.objects.filter(concern=concern, user=world.deputy.user).exists()
    assert all(m.to != ["deputy@alpha.test"] for m in mail.outbox)


def test_jobs_are_registered_with_the_scheduler():
    jobs = {job.name: job for job in scheduler.registered_jobs()}
    assert jobs["concerns.escalate_unacknowledged"].every == timedelta(minutes=5)
    assert jobs["concerns.chase_follow_ups"].every == timedelta(hours=1)
    assert jobs["concerns.escalate_unacknowledged"].is_task


# --- REP-14: follow-up chases ----------------------------------------------------------------


@pytest.fixture
def debrief(world, clock, report):
    concern = report()
    services.concern_close(actor=world.dsl, concern=concern, outcome="Resolved with both families.", version=1)
    return FollowUp.objects.get(concern=concern, kind=FollowUp.Kind.DEBRIEF)


def chased(follow_up, since):
    return set(
        Notification.objects.filter(concern=follow_up.concern, created_at__gte=since).values_list(
            "user__email", flat=True
        )
    )


def test_overdue_debrief_is_chased_once_a_day(world, clock, debrief):
    """REP-14: open debriefs are chased until done, at most once a day, in the app."""
    clock.move_to(debrief.due_at - timedelta(hours=1))
    early = timezone.now()
    tasks.chase_follow_ups.enqueue()
    assert not chased(debrief, early)

    clock.move_to(debrief.due_at + timedelta(hours=1))
    first = timezone.now()
    tasks.chase_follow_ups.enqueue()
    assert chased(debrief, first) == {"dsl@alpha.test", "deputy@alpha.test", "head@alpha.test"}
    text = Notification.objects.filter(created_at__gte=first).values_list("text", flat=True).first()
    assert debrief.concern.reference in text

    clock.shift(timedelta(hours=3))
    again = timezone.now()
    tasks.chase_follow_ups.enqueue()
    assert not chased(debrief, again)

    clock.shift(timedelta(days=1))
    next_day = timezone.now()
    tasks.chase_follow_ups.enqueue()
    assert chased(debrief, next_day)


def test_done_follow_up_is_not_chased(world, clock, debrief):
    debrief.done_at = timezone.now()
    debrief.save()
    clock.move_to(debrief.due_at + timedelta(days=2))
    assert tasks.follow_up_chase_overdue() == []
    assert not Notification.objects.filter(created_at__gte=debrief.due_at).exists()


def test_chase_on_an_allegation_goes_to_the_head_only(world, clock, report):
    subject = StaffMember.objects.get(school=world.school, user=world.teacher2.user)
    concern = report(category="staff_misuse_allegation", subject_staff_id=subject.pk)
    follow_up = FollowUp.objects.create(
        concern=concern, kind=FollowUp.Kind.DEBRIEF, due_at=timezone.now() - timedelta(hours=1)
    )
    moment = timezone.now()
    tasks.follow_up_chase_overdue()
    assert chased(follow_up, moment) == {"head@alpha.test"}


def test_acknowledgement_landing_mid_run_wins(world, clock, report):
    """The job read the concern before the DSL acknowledged it: it must not escalate it now."""
    concern = report()
    seen_by_job = Concern.objects.select_related("school").get(pk=concern.pk)
    services.concern_acknowledge(actor=world.dsl, concern=concern)
    clock.shift(timedelta(minutes=61))
    assert tasks._escalate(seen_by_job, timezone.now()) is False
    assert not concern.entries.filter(kind=ConcernEntry.Kind.ESCALATION).exists()
