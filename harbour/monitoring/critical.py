"""A critical monitoring alert reaches the DSL at once, like a new concern (FLT-08, INC-FILT-06).

Searches about self-harm, suicide or abuse cannot wait for the next morning's digest. When an
alert is created critical (or an open alert becomes critical), the DSL and deputies get an in-app
notification and a link-only e-mail through the concerns app's one sender
(``concerns.alerts.notify_users``). Like every message Harbour sends, it names nobody and carries
no search term, site or category: only that a critical alert is waiting, and a link behind sign-in.

The alert is told about once: the audit event written when the team is told marks it. The
notice goes out after the scan's transaction commits, so a rolled-back merge tells nobody.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse

from harbour.accounts.models import Membership, User
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.audit.models import AuditEvent
from harbour.concerns.alerts import notify_users
from harbour.people.models import Parent

from .models import Alert
from .severity import Severity

logger = logging.getLogger("harbour.monitoring")

NOTIFIED_ACTION = "monitoring.alert_critical_notified"
RECIPIENT_ROLES = (Role.DSL, Role.DEPUTY_DSL)


def _members(alert: Alert, roles: tuple[str, ...]) -> list[User]:
    members = Membership.objects.filter(
        school_id=alert.school_id, role__in=roles, is_active=True, user__is_active=True
    ).select_related("user")
    # Nobody whose own browsing raised the alert, and no parent of the learner it is about, is ever
    # told about it automatically, even if they also hold a safeguarding role (REP-20).
    subject = alert.staff.user_id if alert.staff_id and alert.staff else None
    parents = set()
    if alert.learner_id:
        parents = {
            email.strip().lower()
            for email in Parent.objects.filter(links__learner_id=alert.learner_id).values_list("email", flat=True)
            if email
        }
    return [
        m.user for m in members.order_by("user__email") if m.user_id != subject and m.user.email.lower() not in parents
    ]


def critical_recipients(alert: Alert) -> list[User]:
    """The DSL and deputies; the head when neither is in post (ROL-02)."""
    return _members(alert, RECIPIENT_ROLES) or _members(alert, (Role.HEADTEACHER,))


def alert_path(alert: Alert) -> str:
    return reverse("monitoring:alert_detail", kwargs={"school_slug": alert.school.slug, "pk": alert.pk})


def _already_told(alert: Alert) -> bool:
    """Told about this alert, or about one that was later folded into it (chunks merged out of
    order): one episode, one notice."""
    ids = [str(alert.pk), *(str(pk) for pk in Alert.objects.filter(merged_into=alert).values_list("pk", flat=True))]
    return AuditEvent.objects.filter(
        action=NOTIFIED_ACTION, object_type=Alert._meta.label_lower, object_id__in=ids
    ).exists()


def notify_critical_alert(alert_id: int) -> int:
    """Tell the DSL team about one critical open alert, once. Returns how many were told."""
    with transaction.atomic():
        alert = (
            Alert.objects.select_for_update(of=("self",)).select_related("school", "staff").filter(pk=alert_id).first()
        )
        if alert is None or alert.severity != Severity.CRITICAL or alert.status != Alert.Status.OPEN:
            return 0
        if _already_told(alert):
            return 0
        users = critical_recipients(alert)
        audit.record(
            action=NOTIFIED_ACTION,
            school=alert.school,
            obj=alert,
            changes={"told": [None, [user.email for user in users]]},
        )
        if not users:
            logger.error("Nobody could be told about critical monitoring alert %s at %s", alert.pk, alert.school.slug)
            return 0
        return notify_users(
            school=alert.school,
            users=users,
            text=f"Critical monitoring alert {alert.pk} needs your attention now.",
            link_path=alert_path(alert),
            email_subject=f"Critical monitoring alert at {alert.school.name}",
            email_opening=f"A critical filtering and monitoring alert has been raised at {alert.school.name}.",
        )


@receiver(post_save, sender=Alert, dispatch_uid="monitoring.critical.notify_on_save")
def notify_on_save(sender: type, instance: Alert, **kwargs: Any) -> None:
    if instance.severity != Severity.CRITICAL or instance.status != Alert.Status.OPEN:
        return
    alert_id = instance.pk
    transaction.on_commit(lambda: notify_critical_alert(alert_id))


def open_critical_count(*, school_id: int) -> int:
    """How many critical alerts wait for a decision (a number only, for the DSL's dashboard)."""
    return Alert.objects.filter(school_id=school_id, severity=Severity.CRITICAL, status=Alert.Status.OPEN).count()
