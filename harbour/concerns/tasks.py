"""Background work for concerns: the first alert, escalation of unacknowledged concerns, follow-up chases.

REP-09 and ROL-02: a concern nobody has acknowledged within the school's time goes to the DSL and
deputies again (level 1), then, after another period, to the head (level 2). REP-14: overdue
follow-ups (debriefs, referral chases, copy deletion) are chased once a day until done.

Each job claims its row with a conditional UPDATE before acting, so two workers running the same
job, or an acknowledgement landing at the same moment, can never send an alert twice or escalate
an acknowledged concern.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from harbour.audit import services as audit
from harbour.concerns import alerts, routing
from harbour.concerns.models import Concern, ConcernEntry, FollowUp
from harbour.concerns.services import log_entry
from harbour.core.scheduler import scheduled

logger = logging.getLogger("harbour.concerns.tasks")

TOP_ESCALATION_LEVEL = 2
CHASE_EVERY = timedelta(days=1)

_ESCALATION_WORDING = {
    1: "Not acknowledged in time: the DSL and deputies were alerted again.",
    2: "Still not acknowledged: the head was alerted.",
}
_ALLEGATION_ESCALATION_WORDING = "Not acknowledged in time: whoever handles allegations was alerted again."


@task()
def notify_new_concern(concern_id: int) -> None:
    """Alert the DSL team (or the allegation route) about a concern just logged (REP-01, INC-YPSI-03)."""
    concern = Concern.objects.select_related("school").filter(pk=concern_id).first()
    if concern is None:
        logger.error("Concern %s vanished before its alert was sent", concern_id)
        return
    alerts.alert_new_concern(concern)


# --- escalation --------------------------------------------------------------------------------


def _is_due(concern: Concern, now: datetime) -> bool:
    since = concern.escalated_at or concern.reported_at
    return now - since >= alerts.acknowledge_limit(concern.school)


def _escalate(concern: Concern, now: datetime) -> bool:
    """Raise one concern one level and alert the next people. False if someone got there first."""
    level = concern.escalation_level + 1
    with transaction.atomic():
        claimed = Concern.objects.filter(
            pk=concern.pk,
            escalation_level=concern.escalation_level,
            status=Concern.Status.NEW,
            acknowledged_at__isnull=True,
        ).update(escalation_level=level, escalated_at=now)
        if not claimed:
            return False
        concern.escalation_level, concern.escalated_at = level, now
        users = alerts.escalation_recipients(concern, level)
        log_entry(
            concern=concern,
            kind=ConcernEntry.Kind.ESCALATION,
            author=None,
            text=_ALLEGATION_ESCALATION_WORDING if routing.has_subjects(concern) else _ESCALATION_WORDING[level],
            data={"level": level, "alerted": len(users)},
        )
        audit.record(
            action="concern.escalate",
            school=concern.school,
            obj=concern,
            changes={"escalation_level": [level - 1, level], "alerted": [None, [u.email for u in users]]},
        )
        alerts.notify(
            concern=concern,
            users=users,
            text=f"Concern {concern.reference} has not been acknowledged yet. Please check someone is on it.",
            email_subject=f"Safeguarding concern not yet acknowledged at {concern.school.name}",
            email_opening=f"A safeguarding concern logged at {concern.school.name} has not been acknowledged yet.",
        )
    if not users:
        logger.error("Concern %s escalated to level %s but nobody could be alerted", concern.pk, level)
    return True


def concern_escalate_unacknowledged(*, now: datetime | None = None) -> list[Concern]:
    """Escalate every concern whose acknowledgement is overdue by one level (REP-09, ROL-02)."""
    now = now or timezone.now()
    waiting = Concern.objects.filter(
        status=Concern.Status.NEW,
        acknowledged_at__isnull=True,
        escalation_level__lt=TOP_ESCALATION_LEVEL,
        school__is_active=True,
    ).select_related("school")
    return [concern for concern in waiting if _is_due(concern, now) and _escalate(concern, now)]


@scheduled(name="concerns.escalate_unacknowledged", every=timedelta(minutes=5))
@task()
def escalate_unacknowledged() -> None:
    concern_escalate_unacknowledged()


# --- follow-up chases --------------------------------------------------------------------------


def _chase(follow_up: FollowUp, now: datetime) -> bool:
    with transaction.atomic():
        claimed = (
            FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True)
            .filter(Q(last_chased_at__isnull=True) | Q(last_chased_at__lte=now - CHASE_EVERY))
            .update(last_chased_at=now)
        )
        if not claimed:
            return False
        concern = follow_up.concern
        alerts.notify(
            concern=concern,
            users=alerts.manager_recipients(concern),
            text=f"Overdue: {follow_up.get_kind_display().lower()} for concern {concern.reference}.",
        )
        audit.record(action="concern.follow_up_chase", school=concern.school, obj=follow_up)
    return True


def follow_up_chase_overdue(*, now: datetime | None = None) -> list[FollowUp]:
    """Remind the people working on a concern of each overdue follow-up, at most once a day (REP-14)."""
    now = now or timezone.now()
    overdue = (
        FollowUp.objects.filter(
            due_at__lt=now, done_at__isnull=True, not_needed_reason="", concern__school__is_active=True
        )
        .filter(Q(last_chased_at__isnull=True) | Q(last_chased_at__lte=now - CHASE_EVERY))
        .select_related("concern__school")
    )
    return [follow_up for follow_up in overdue if _chase(follow_up, now)]


@scheduled(name="concerns.chase_follow_ups", every=timedelta(hours=1))
@task()
def chase_follow_ups() -> None:
    follow_up_chase_overdue()
