"""Scheduled policy jobs: review reminders (GOV-03, GOV-14, GOV-21) and acknowledgement chases (ROL-09).

Both run daily; each reminder and each chase is claimed by a row (``ReminderSent``, or the
acknowledgement's ``last_chased_at``) so a second worker or a restart never sends twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from harbour.core.scheduler import scheduled
from harbour.policy import acknowledgements, reviews
from harbour.policy.models import PolicyVersion
from harbour.schools.models import School

logger = logging.getLogger("harbour.policy.tasks")


def policy_send_review_reminders() -> dict[str, list[str]]:
    """GOV-03, GOV-14, GOV-21 for every active school. Returns school slug → reminders sent."""
    sent: dict[str, list[str]] = {}
    for school in School.objects.filter(is_active=True):
        try:
            done = reviews.send_due_reminders(school=school)
        except Exception:  # one school's bad data must not stop the others' reminders
            logger.exception("Policy review reminders failed for %s", school.slug)
            continue
        if done:
            sent[school.slug] = done
    return sent


def policy_chase_acknowledgements(*, now: datetime | None = None) -> dict[str, int]:
    """ROL-09: ask newcomers (and everyone again each year), then remind weekly whoever has not confirmed."""
    now = now or timezone.now()
    chased: dict[str, int] = {}
    versions = PolicyVersion.objects.filter(status=PolicyVersion.Status.PUBLISHED, school__is_active=True)
    for version in versions.select_related("school"):
        acknowledgements.acknowledgement_request_all(actor=None, version=version, now=now)
        count = acknowledgements.acknowledgement_chase(actor=None, version=version, now=now)
        if count:
            chased[version.school.slug] = count
    return chased


@scheduled(name="policy.review_reminders", every=timedelta(hours=24))
@task()
def review_reminders() -> None:
    policy_send_review_reminders()


@scheduled(name="policy.chase_acknowledgements", every=timedelta(hours=24))
@task()
def chase_acknowledgements() -> None:
    policy_chase_acknowledgements()
