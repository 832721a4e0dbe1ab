"""Review cycle: next review (GOV-03), reminders, triggers (GOV-04), guidance flags (GOV-06, GOV-07),
risk review and governors' report (GOV-14, GOV-21), exceptions (GOV-22)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Notification
from harbour.policy import reviews, selectors, services, services_registers, tasks
from harbour.policy.models import GuidanceFlag, PeriodicReview, PolicyException, ReviewTask, ReviewTrigger
from harbour.policy.tests.helpers import base_config

pytestmark = pytest.mark.django_db


def _adopt(world, approved_on=date(2025, 9, 10), **config):
    return services.policy_version_adopt(
        school=world.school, config=base_config(**config), note="", approved_on=approved_on
    )


# --- GOV-03 ------------------------------------------------------------------------------------


def test_next_review_uses_the_entered_date(world):
    """GOV-03: an entered next review date (a month) falls due at the end of that month."""
    version = _adopt(world, next_review_date="2026-07")
    due = reviews.next_review(version, today=date(2026, 5, 1))
    assert due.due_on == date(2026, 7, 31)
    assert due.state == "ok"


def test_next_review_worked_out_from_last_approval(world):
    """GOV-03: with no date entered it is the last approval plus the maximum interval."""
    version = _adopt(world, next_review_date=None, review_interval_max="P12M")
    due = reviews.next_review(version, today=date(2026, 9, 1))
    assert due.due_on == date(2026, 9, 10)
    assert due.state == "due_soon"
    assert "Worked out" in due.basis


def test_next_review_never_later_than_the_interval(world):
    """GOV-03: "no later than 12 months after the last approval" caps a later date entered."""
    version = _adopt(world, next_review_date="2027-12")
    due = reviews.next_review(version, today=date(2026, 1, 1))
    assert due.due_on == date(2026, 9, 10)


def test_overdue_review_is_shown_and_reminded_once(world):
    """GOV-03: DSL, head and named governor are warned before, then told it is overdue, once each."""
    _adopt(world, next_review_date="2026-01")
    sent = reviews.send_due_reminders(school=world.school, today=date(2026, 3, 1))
    assert "routine_review" in sent
    assert reviews.review_status(school=world.school, today=date(2026, 3, 1)).routine.state == "overdue"
    told = set(Notification.objects.values_list("user__email", flat=True))
    assert {"dsl@alpha.test", "head@alpha.test", "governor@alpha.test"} <= told
    assert "teacher@alpha.test" not in told
    again = reviews.send_due_reminders(school=world.school, today=date(2026, 3, 2))
    assert "routine_review" not in again
    assert ReviewTask.objects.filter(kind=ReviewTask.Kind.ROUTINE).count() == 1


def test_no_reminder_while_on_track(world):
    """GOV-03: nothing is sent months before the review."""
    _adopt(world, next_review_date="2026-09")
    PeriodicReview.objects.create(school=world.school, kind="risk", held_on=date(2026, 1, 10), summary="x")
    PeriodicReview.objects.create(school=world.school, kind="governors_report", held_on=date(2026, 1, 10), summary="x")
    assert reviews.send_due_reminders(school=world.school, today=date(2026, 2, 1)) == []


# --- GOV-14, GOV-21 ----------------------------------------------------------------------------


def test_risk_review_due_from_last_one_and_reminded(world):
    """GOV-21: next risk review = last one + the school's interval (default six months); leadership reminded."""
    _adopt(world)
    services_registers.periodic_review_record(
        actor=world.dsl, kind="risk", held_on=date(2025, 1, 15), summary="Apps and games reviewed"
    )
    status = reviews.review_status(school=world.school, today=date(2025, 7, 1))
    assert status.risk.due_on == date(2025, 7, 15)
    assert status.risk.state == "due_soon"
    assert "risk_review" in reviews.send_due_reminders(school=world.school, today=date(2025, 7, 1))
    assert Notification.objects.filter(user=world.slt.user).exists()


def test_governors_report_frequency_from_config(world):
    """GOV-14: the school sets the frequency; "regular" falls back to once a term."""
    _adopt(world, governor_report_frequency="P6M")
    services_registers.periodic_review_record(
        actor=world.dsl, kind="governors_report", held_on=date(2025, 2, 1), summary="Termly report"
    )
    assert reviews.review_status(school=world.school, today=date(2025, 3, 1)).governors_report.due_on == date(
        2025, 8, 1
    )


def test_periodic_review_refuses_future_dates_and_teachers(world):
    """GOV-21: a review is recorded after it is held, by those who manage the policy."""
    with pytest.raises(ValidationError):
        services_registers.periodic_review_record(
            actor=world.dsl, kind="risk", held_on=date.today() + timedelta(days=2), summary="x"
        )
    with pytest.raises(PermissionDenied):
        services_registers.periodic_review_record(actor=world.teacher, kind="risk", held_on=date.today(), summary="x")


# --- GOV-04 ------------------------------------------------------------------------------------


def test_trigger_opens_an_out_of_cycle_review_task(world):
    """GOV-04: recording a trigger opens a review task, audited; technicians may record one."""
    trigger = services_registers.review_trigger_record(
        actor=world.technician, kind=ReviewTrigger.Kind.INFRASTRUCTURE, description="New firewall"
    )
    task = trigger.tasks.get()
    assert task.kind == ReviewTask.Kind.OUT_OF_CYCLE
    assert task.is_open
    assert AuditEvent.objects.filter(action="policy_trigger.record", object_id=str(trigger.pk)).exists()
    with pytest.raises(PermissionDenied):
        services_registers.review_trigger_record(actor=world.teacher, kind="other", description="x")
    with pytest.raises(ValidationError):
        services_registers.review_trigger_record(actor=world.dsl, kind="nonsense", description="x")


def test_closing_a_review_task_needs_an_outcome(world):
    """GOV-04: a review is closed with what it concluded."""
    trigger = services_registers.review_trigger_record(actor=world.dsl, kind="policy_gap", description="Gap")
    task = trigger.tasks.get()
    with pytest.raises(ValidationError):
        services_registers.review_task_update(actor=world.dsl, task=task, status="no_change", outcome="")
    services_registers.review_task_update(actor=world.dsl, task=task, status="no_change", outcome="Covered by 6.2")
    task.refresh_from_db()
    assert not task.is_open
    assert task.closed_by == world.dsl.user


# --- GOV-06, GOV-07 ----------------------------------------------------------------------------


def test_newer_edition_flags_versions_citing_an_older_one(world):
    """GOV-07: entering KCSIE 2025 flags the version citing 2024 and opens a review task."""
    version = _adopt(world, kcsie_edition=2024)
    services_registers.guidance_edition_add(actor=world.dsl, key="kcsie", title="KCSIE", edition_year=2024)
    assert not GuidanceFlag.objects.exists()
    services_registers.guidance_edition_add(actor=world.dsl, key="kcsie", title="KCSIE", edition_year=2025)
    flag = GuidanceFlag.objects.get()
    assert flag.version == version
    assert flag.cited_year == 2024
    assert ReviewTask.objects.filter(kind=ReviewTask.Kind.GUIDANCE).exists()
    assert AuditEvent.objects.filter(action="policy_guidance.flag").exists()


def test_superseded_versions_are_not_flagged(world):
    """GOV-07: only versions still in force or in progress are due for review."""
    old = _adopt(world, kcsie_edition=2020)
    current = _adopt(world, kcsie_edition=2024)
    services_registers.guidance_edition_add(actor=world.dsl, key="kcsie", title="KCSIE", edition_year=2025)
    assert list(GuidanceFlag.objects.values_list("version", flat=True)) == [current.pk]
    assert old.guidance_flags.count() == 0


def test_draft_citing_old_edition_is_flagged_when_saved(world):
    """GOV-07: a draft saved with an old edition is flagged against the register."""
    services_registers.guidance_edition_add(actor=world.dsl, key="eyfs", title="EYFS", edition_year=2024)
    draft = services.policy_version_save_draft(
        actor=world.dsl, school=world.school, config=base_config(eyfs_edition=2017), note=""
    )
    assert draft.guidance_flags.get().edition.edition_year == 2024


def test_duplicate_edition_is_refused(world):
    """GOV-06: one entry per guidance edition."""
    services_registers.guidance_edition_add(actor=world.dsl, key="kcsie", title="KCSIE", edition_year=2025)
    with pytest.raises(ValidationError):
        services_registers.guidance_edition_add(actor=world.dsl, key="kcsie", title="KCSIE", edition_year=2025)


# --- GOV-08 ------------------------------------------------------------------------------------


def test_linked_policy_register(world):
    """GOV-08: linked policies with owner, version and review date; updates audited."""
    linked = services_registers.linked_policy_save(
        actor=world.dsl, values={"name": "Anti-bullying", "owner": "Head", "review_date": date(2027, 9, 1)}
    )
    services_registers.linked_policy_save(actor=world.head, linked=linked, values={"version": "2026"})
    linked.refresh_from_db()
    assert linked.version == "2026"
    assert AuditEvent.objects.filter(action="policy_linked.update").get().changes["version"] == ["", "2026"]
    assert list(selectors.linked_policy_list(actor=world.teacher)) == [linked]


# --- GOV-22 ------------------------------------------------------------------------------------


def _exception(world, kind, ends_on, person="Someone", starts_on=None):
    return services_registers.policy_exception_record(
        actor=world.head,
        kind=kind,
        person=person,
        granted_by="Head",
        conditions="",
        starts_on=starts_on or date.today() - timedelta(days=10),
        ends_on=ends_on,
    )


def test_exceptions_list_ending_soonest_first(world):
    """GOV-22: live exceptions with end dates, expiring ones first; ended and withdrawn hidden."""
    today = date.today()
    later = _exception(world, PolicyException.Kind.RELATIONSHIP, today + timedelta(days=200), "Later")
    soon = _exception(world, PolicyException.Kind.LEARNER_DEVICE, today + timedelta(days=5), "Soon")
    open_ended = _exception(world, PolicyException.Kind.PARENT_CONTACT, None, "Open")
    ended = _exception(world, PolicyException.Kind.SOCIAL_MEDIA_CONTACT, today - timedelta(days=1), "Ended")
    withdrawn = _exception(world, PolicyException.Kind.STAFF_DEVICE_IN_LESSONS, today + timedelta(days=50), "W")
    services_registers.policy_exception_withdraw(actor=world.dsl, exception=withdrawn, reason="No longer needed")
    rows = selectors.exception_list(actor=world.head)
    assert [r.exception for r in rows] == [soon, later, open_ended]
    assert rows[0].state == "expiring"
    everything = selectors.exception_list(actor=world.head, include_ended=True)
    assert {r.exception for r in everything} == {soon, later, open_ended, ended, withdrawn}


def test_exceptions_are_for_the_head_and_dsl_team_only(world):
    """GOV-22: teachers, governors and other schools never see the list."""
    from django.http import Http404

    _exception(world, PolicyException.Kind.LEARNER_DEVICE, None, "Alpha learner")
    assert selectors.exception_list(actor=world.outsider) == []  # their own school's list, empty
    for persona in ("teacher", "governor", "slt"):
        with pytest.raises(Http404):
            selectors.exception_list(actor=world.persona(persona))
    with pytest.raises(PermissionDenied):
        services_registers.policy_exception_record(
            actor=world.teacher,
            kind="parent_contact",
            person="x",
            granted_by="y",
            conditions="",
            starts_on=date.today(),
            ends_on=None,
        )


def test_exception_end_before_start_is_refused(world):
    """GOV-22: clear error, nothing written."""
    with pytest.raises(ValidationError):
        _exception(world, "parent_contact", date.today() - timedelta(days=30))
    assert not PolicyException.objects.exists()


# --- scheduled jobs ----------------------------------------------------------------------------


def test_scheduled_reminder_job_runs_for_every_school(world):
    """GOV-03: the daily job covers each active school and survives one school's bad data."""
    _adopt(world, next_review_date="2020-01")
    sent = tasks.policy_send_review_reminders()
    assert "routine_review" in sent["alpha"]
