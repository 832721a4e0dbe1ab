"""Reminders for checks and reviews at the frequency the school sets (FLT-03, FLT-04, FLT-11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from harbour.concerns.models import Notification
from harbour.core.scheduler import registered_jobs
from harbour.filtering import services, tasks
from harbour.filtering.models import Reminder
from harbour.filtering.tests.helpers import check

pytestmark = pytest.mark.django_db


def test_the_reminder_job_is_scheduled():
    assert "filtering.send_reminders" in {job.name for job in registered_jobs()}


def test_overdue_check_reminds_the_register_keepers_once(world, django_capture_on_commit_callbacks, settings):
    """FLT-03: sent to those who keep the register, with a link and no detail, once per due date."""
    settings.SITE_URL = "https://harbour.test"
    services.arrangement_record(actor=world.technician, check_frequency_days=7, review_frequency_days=365)
    check(world.technician, days_ago=10)
    with django_capture_on_commit_callbacks(execute=True):
        sent = tasks.reminders_send_due(school=world.school)
    assert ("alpha", "check") in sent
    told = set(Notification.objects.filter(text__startswith="A filtering").values_list("user__email", flat=True))
    assert told == {"dsl@alpha.test", "head@alpha.test", "slt@alpha.test", "technician@alpha.test"}
    assert any("/s/alpha/filtering/" in m.body for m in mail.outbox)
    assert tasks.reminders_send_due(school=world.school) == []  # not twice in a row


def test_overdue_reminder_is_chased_weekly(world):
    check(world.technician, days_ago=40)
    first = tasks.reminders_send_due(school=world.school)
    assert ("alpha", "check") in first
    assert tasks.reminders_send_due(school=world.school, now=timezone.now() + timedelta(days=3)) == []
    later = tasks.reminders_send_due(school=world.school, now=timezone.now() + timedelta(days=8))
    assert ("alpha", "check") in later
    assert Reminder.objects.get(school=world.school, kind="check").times_sent == 2


def test_nothing_due_sends_nothing(world):
    from datetime import date

    from harbour.filtering import services_checks, wording

    check(world.technician, days_ago=1)
    review = services_checks.review_start(actor=world.head, trigger="annual")
    answers = {i.key: {"status": "met"} for i in wording.REVIEW_CHECKLIST}
    services_checks.review_save(actor=world.head, review=review, answers=answers, findings="ok", complete=True)
    services.privacy_assessment_record(
        actor=world.dsl, lawful_basis="public_task", retention="30 days", summary="ok", reviewed_on=date.today()
    )
    assert tasks.reminders_send_due(school=world.school) == []


def test_reminders_for_another_school_reach_only_its_people(world):
    check(world.technician, days_ago=1)
    tasks.reminders_send_due()
    beta_told = set(Notification.objects.filter(school=world.other_school).values_list("user__email", flat=True))
    assert beta_told == {"dsl@beta.test"}, "beta's reminders reach beta's register keepers only"
