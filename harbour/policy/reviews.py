"""When the policy is next due for review, and the reminders that follow (GOV-03, GOV-14, GOV-21).

GOV-03: the routine review falls on the next review date entered in the version in force, but no
later than the last approval plus the school's maximum interval (``review_interval_max``, 12 months
in both seed schools); with no date entered it is worked out from the last approval. The DSL, the
head and the named governor(s) are warned ``WARN_BEFORE`` ahead and again once it is overdue.

GOV-21 (risk review) and GOV-14 (report to governors) run from the last recorded
``PeriodicReview`` of their kind plus an interval the school sets; policies that only say
"regularly" get a default.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Membership, User
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.policy import config_support, notify
from harbour.policy.models import PeriodicReview, PolicyVersion, ReminderSent, ReviewTask
from harbour.schools.models import School

WARN_BEFORE = timedelta(days=30)
DEFAULT_REVIEW_INTERVAL = "P12M"
DEFAULT_RISK_REVIEW_INTERVAL = "P6M"  # GOV-21: "at a set interval"; neither seed fixes one
DEFAULT_GOVERNOR_REPORT_INTERVAL = "P4M"  # GOV-14: "regular" read as once a term


@dataclass(frozen=True)
class Due:
    """One thing falling due: its date, how it was worked out, and its state on ``today``."""

    label: str
    due_on: date | None
    basis: str
    today: date

    @property
    def state(self) -> str:
        if self.due_on is None:
            return "unknown"
        if self.due_on < self.today:
            return "overdue"
        if self.due_on - self.today <= WARN_BEFORE:
            return "due_soon"
        return "ok"

    @property
    def days(self) -> int | None:
        return None if self.due_on is None else (self.due_on - self.today).days

    @property
    def days_late(self) -> int:
        return max(0, -(self.days or 0))


def last_approval(version: PolicyVersion | None) -> date | None:
    if version is None:
        return None
    return version.approved_on or config_support.parse_month_or_date(version.config.get("date_agreed"))


def next_review(version: PolicyVersion | None, *, today: date | None = None) -> Due:
    """GOV-03: the routine review date of the version in force."""
    today = today or timezone.localdate()
    if version is None:
        return Due("Routine policy review", None, "No policy version is in force yet.", today)
    config = version.config
    approved = last_approval(version)
    entered = config_support.parse_month_or_date(config.get("next_review_date"), end_of_month=True)
    interval = config.get("review_interval_max") or DEFAULT_REVIEW_INTERVAL
    latest = config_support.add_duration(approved, interval, default=DEFAULT_REVIEW_INTERVAL) if approved else None
    # Month precision: "September 2021" is within "12 months after September 2020".
    if entered and latest and (entered.year, entered.month) > (latest.year, latest.month):
        return Due(
            "Routine policy review", latest, f"Capped at {interval} after approval on {approved:%d %b %Y}.", today
        )
    if entered:
        return Due("Routine policy review", entered, "Next review date in the policy.", today)
    if latest:
        return Due(
            "Routine policy review", latest, f"Worked out: approval on {approved:%d %b %Y} plus {interval}.", today
        )
    return Due("Routine policy review", None, "No approval date or review date recorded.", today)


def _periodic(school: School, config: dict[str, Any], kind: str, *, today: date) -> Due:
    if kind == PeriodicReview.Kind.RISK:
        label, variable, default = "Online risk review", "risk_review_interval", DEFAULT_RISK_REVIEW_INTERVAL
    else:
        label, variable, default = "Report to governors", "governor_report_frequency", DEFAULT_GOVERNOR_REPORT_INTERVAL
    interval = config.get(variable)
    interval_text = interval if isinstance(interval, str) and interval.startswith("P") else f"{default} (default)"
    last = PeriodicReview.objects.filter(school=school, kind=kind).order_by("-held_on").first()
    if last is None:
        return Due(label, today, "None recorded yet: due now.", today)
    due = config_support.add_duration(last.held_on, interval, default=default)
    return Due(label, due, f"Last held {last.held_on:%d %b %Y}, every {interval_text}.", today)


@dataclass(frozen=True)
class ReviewStatus:
    version: PolicyVersion | None
    routine: Due
    risk: Due
    governors_report: Due
    open_tasks: int


def review_status(*, school: School, today: date | None = None) -> ReviewStatus:
    """Everything due for the policy home page (GOV-03, GOV-14, GOV-21)."""
    today = today or timezone.localdate()
    version = PolicyVersion.objects.filter(school=school, status=PolicyVersion.Status.PUBLISHED).first()
    config = version.config if version is not None else dict(school.policy_settings or {})
    return ReviewStatus(
        version=version,
        routine=next_review(version, today=today),
        risk=_periodic(school, config, PeriodicReview.Kind.RISK, today=today),
        governors_report=_periodic(school, config, PeriodicReview.Kind.GOVERNORS_REPORT, today=today),
        open_tasks=ReviewTask.objects.filter(school=school).exclude(status__in=ReviewTask.CLOSED_STATUSES).count(),
    )


# --- reminders ---------------------------------------------------------------------------------


def _recipients(school: School, *, roles: tuple[str, ...], governors: bool) -> list[User]:
    members = Membership.objects.filter(school=school, is_active=True, user__is_active=True).select_related("user")
    users = [m.user for m in members if m.role in roles]
    if governors:
        users += [m.user for m in members if m.role == Role.GOVERNOR and m.is_named_online_safety_governor]
    return users


def _once(school: School, key: str) -> bool:
    """True the first time ``key`` is claimed for this school; the row makes every reminder go once."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(school=school, key=key)
    except IntegrityError:
        return False
    return True


def _remind(school: School, due: Due, key: str, users: list[User]) -> bool:
    if due.due_on is None or due.state == "ok" or not _once(school, f"{key}:{due.due_on}:{due.state}"):
        return False
    when = "is overdue" if due.state == "overdue" else "falls due"
    text = f"{due.label} {when} on {due.due_on:%d %b %Y}."
    notify.notify_users(
        school=school,
        users=users,
        text=text,
        email_subject=f"{due.label} at {school.name}",
        link_path=reverse("policy:home", kwargs={"school_slug": school.slug}),
    )
    audit.record(action=f"policy_reminder.{key}", school=school, changes={"due_on": [None, str(due.due_on)]})
    return True


def send_due_reminders(*, school: School, today: date | None = None) -> list[str]:
    """Warn before and after each due date, once per date and state. Returns what was sent."""
    status = review_status(school=school, today=today)
    sent = []
    leads = (Role.DSL, Role.HEADTEACHER)
    if _remind(school, status.routine, "routine_review", _recipients(school, roles=leads, governors=True)):
        sent.append("routine_review")
        if (
            status.routine.due_on
            and not ReviewTask.objects.filter(
                school=school, kind=ReviewTask.Kind.ROUTINE, due_on=status.routine.due_on
            ).exists()
        ):
            ReviewTask.objects.create(
                school=school,
                kind=ReviewTask.Kind.ROUTINE,
                title=f"Routine review due {status.routine.due_on:%d %b %Y}",
                due_on=status.routine.due_on,
            )
    leadership = (Role.DSL, Role.HEADTEACHER, Role.SLT)
    if _remind(school, status.risk, "risk_review", _recipients(school, roles=leadership, governors=False)):
        sent.append("risk_review")
    if _remind(
        school, status.governors_report, "governors_report", _recipients(school, roles=(Role.DSL,), governors=True)
    ):
        sent.append("governors_report")
    return sent
