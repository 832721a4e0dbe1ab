"""Reminders for the register's checks and reviews at the frequency the school sets (FLT-03, FLT-04, FLT-11).

Once a day the scheduler looks at every active school: a check, the annual review or the privacy
review that is due (or overdue) is announced to the people who keep the register, once per due
date and then at most weekly while it stays overdue. The message names the task only and links to
the register behind sign-in.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from harbour.accounts.roles import Capability, Role, has_capability
from harbour.audit import services as audit
from harbour.core.scheduler import scheduled
from harbour.filtering import notify, selectors
from harbour.filtering.models import Reminder
from harbour.schools.models import School

logger = logging.getLogger("harbour.filtering.tasks")

CHASE_EVERY = timedelta(days=7)
MANAGER_ROLES = tuple(role for role in Role if has_capability(role, Capability.MANAGE_FILTERING_STANDARDS))
_WHAT = {
    "check": ("A filtering and monitoring check is due", "check that filtering and monitoring still work"),
    "review": ("The filtering and monitoring review is due", "review the filtering and monitoring provision"),
    "privacy": ("The monitoring privacy assessment is due for review", "review the monitoring privacy assessment"),
}


def _claim(school: School, kind: str, due_on: date, now: datetime) -> bool:
    """True if this run should send: first time for this due date, or a week since the last chase."""
    try:
        with transaction.atomic():
            Reminder.objects.create(school=school, kind=kind, due_on=due_on, last_sent_at=now)
        return True
    except IntegrityError:
        pass
    return (
        Reminder.objects.filter(school=school, kind=kind, due_on=due_on, last_sent_at__lte=now - CHASE_EVERY).update(
            last_sent_at=now, times_sent=F("times_sent") + 1
        )
        == 1
    )


def reminders_send_due(*, now: datetime | None = None, school: School | None = None) -> list[tuple[str, str]]:
    """Send every due reminder (of one school, or all active ones); returns (slug, kind) for each sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent: list[tuple[str, str]] = []
    schools = [school] if school is not None else School.objects.filter(is_active=True).order_by("pk")
    for school in schools:
        status = selectors.register_status(school=school, today=today)
        for kind, due in (("check", status.check), ("review", status.review), ("privacy", status.privacy)):
            if due.due_on is None or due.due_on > today:
                continue
            if not _claim(school, kind, due.due_on, now):
                continue
            subject, doing = _WHAT[kind]
            users = notify.members_with_roles(school, MANAGER_ROLES)
            overdue = " (overdue)" if due.due_on < today else ""
            with transaction.atomic():
                told = notify.notify(
                    school=school,
                    users=users,
                    text=f"{subject}{overdue}. Open the filtering register.",
                    email_subject=f"{subject} at {school.name}",
                    email_opening=f"It is time to {doing} at {school.name}.",
                    url=notify.link("filtering:register", school),
                )
                audit.record(
                    action="filtering.reminder",
                    school=school,
                    changes={"kind": [None, kind], "due_on": [None, due.due_on.isoformat()], "told": [None, told]},
                )
            if not told:
                logger.error(
                    "Nobody keeps the filtering register at %s: the %s reminder reached no one", school.slug, kind
                )
            sent.append((school.slug, kind))
    return sent


@scheduled(name="filtering.send_reminders", every=timedelta(hours=6))
@task()
def send_reminders() -> None:
    reminders_send_due()
