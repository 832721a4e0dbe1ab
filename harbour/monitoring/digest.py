"""The daily digest to the DSL and deputies: how many alerts, and a link — nothing else (FLT-08).

Email leaves the school's control, so it carries counts by severity and a link behind sign-in,
never a name, a web address or a search term. One digest per school per day, after 07:00 school
time, and only when there is something to say. Claimed with a conditional UPDATE, so two
schedulers never send it twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.schools.models import School

from .models import Alert, MonitoringSettings
from .severity import Severity

logger = logging.getLogger("harbour.monitoring")

SEND_FROM = time(7, 0)
DIGEST_ROLES = (Role.DSL, Role.DEPUTY_DSL)


@dataclass(frozen=True)
class DigestCounts:
    new_by_severity: dict[str, int]
    open_total: int

    @property
    def new_total(self) -> int:
        return sum(self.new_by_severity.values())


def digest_counts(school: School, *, since: datetime) -> DigestCounts:
    by_severity = dict(
        Alert.objects.filter(school=school, created_at__gte=since)
        .values_list("severity")
        .annotate(n=Count("id"))
        .values_list("severity", "n")
    )
    open_total = Alert.objects.filter(school=school, status=Alert.Status.OPEN).count()
    return DigestCounts(new_by_severity=by_severity, open_total=open_total)


def digest_body(school: School, counts: DigestCounts) -> str:
    link = settings.SITE_URL + reverse("monitoring:alert_list", kwargs={"school_slug": school.slug})
    lines = [f"Filtering and monitoring alerts at {school.name} since yesterday's digest:", ""]
    for severity in reversed(Severity.values):
        n = counts.new_by_severity.get(severity, 0)
        if n:
            lines.append(f"  {Severity(severity).label}: {n} new")
    lines += [
        "",
        f"Alerts waiting for a decision: {counts.open_total}",
        "",
        "Sign in to Harbour to see them:",
        link,
        "",
    ]
    return "\n".join(lines)


def _recipients(school: School) -> list[str]:
    members = Membership.objects.filter(
        school=school, role__in=DIGEST_ROLES, is_active=True, user__is_active=True
    ).select_related("user")
    return sorted({m.user.email for m in members if m.user.email})


def digest_send(school: School, *, today: date, since: datetime) -> bool:
    """Send today's digest of one school if it has not gone yet and there is news. True if sent."""
    counts = digest_counts(school, since=since)
    with transaction.atomic():
        claimed = (
            MonitoringSettings.objects.filter(school=school, digest_enabled=True)
            .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today))
            .update(last_digest_on=today)
        )
        if not claimed or not counts.new_total:
            return False
        recipients = _recipients(school)
        audit.record(
            action="monitoring.digest",
            school=school,
            changes={"new_alerts": [None, counts.new_total], "sent_to": [None, recipients]},
        )
    if not recipients:
        logger.error("No DSL or deputy at %s to send the monitoring digest to", school.slug)
        return False
    subject = f"Monitoring alerts digest for {school.name}"
    body = digest_body(school, counts)
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in recipients]
    try:
        get_connection().send_messages(messages)
    except OSError:
        logger.exception("The monitoring digest of %s could not be sent", school.slug)
    return True


def digest_send_due(*, now: datetime | None = None) -> list[School]:
    """Every school whose digest is due now (after 07:00 local time, once a day)."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.time() < SEND_FROM:
        return []
    today = local.date()
    sent = []
    due = MonitoringSettings.objects.filter(digest_enabled=True, school__is_active=True).filter(
        Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today)
    )
    for config in due.select_related("school"):
        since = now - timedelta(days=1)
        if config.last_digest_on:
            start = datetime.combine(config.last_digest_on, SEND_FROM, tzinfo=timezone.get_current_timezone())
            since = min(since, start)
        if digest_send(config.school, today=today, since=since):
            sent.append(config.school)
    return sent
