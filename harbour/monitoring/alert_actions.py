"""What the DSL does with an alert: turn it into a concern, call it a false positive, or dismiss it.

Each decision is final for that alert (later hits open a new one), records who, when and why, and
is audited. Turning an alert into a concern goes through the concerns app's own ``concern_report``,
so the concern gets its reference, checklists, alerts and its place in the learner's chronology
exactly as if it had been reported by hand (FLT-08, INC-FILT-06). A false positive on a web
category puts the host on the school's allow list, so the same site stops raising alerts.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns import categories
from harbour.concerns import services as concerns
from harbour.concerns.models import Concern, ConcernLearner
from harbour.people.models import Learner

from . import permissions
from .models import Alert, ListEntry
from .services import list_entry_add
from .severity import Severity

# The concern category offered first for each kind of finding; the DSL can choose another.
# Self-harm and suicide have no category of their own, so they go to "something else" (the DSL's
# safeguarding route), never to "filtering breach": the worry is the child, not the filter.
SUGGESTED_CATEGORY = {
    "self_harm": "other",
    "suicide": "other",
    "abuse": "online_abuse_exploitation",
    "extremism": "radicalisation_extremism",
    "school_block": "filtering_breach",
}
STAFF_CATEGORY = "staff_misuse_allegation"
# What a critical finding with no entry above is offered: a safeguarding category, never the filter.
CRITICAL_FALLBACK = "other"


def suggested_category(alert: Alert) -> str:
    if alert.staff_id and not alert.learner_id:
        return STAFF_CATEGORY
    if alert.category in SUGGESTED_CATEGORY:
        return SUGGESTED_CATEGORY[alert.category]
    return CRITICAL_FALLBACK if alert.severity == Severity.CRITICAL else "filtering_breach"


def evidence_text(alert: Alert) -> str:
    """What the concern records of the alert: plain text; addresses stay inert (INC-FILT-09)."""
    lines = [
        f"Raised from monitoring alert {alert.pk}: {alert.count} request(s) in '{alert.category_label}' "
        f"between {alert.first_seen:%d %b %Y %H:%M} and {alert.last_seen:%d %b %Y %H:%M} UTC, "
        f"logged as {alert.person_label}.",
    ]
    if alert.hosts:
        lines.append("Sites: " + ", ".join(alert.hosts))
    if alert.terms:
        lines.append("Searches: " + "; ".join(alert.terms))
    if alert.phrases:
        lines.append("Matched words: " + ", ".join(alert.phrases))
    return "\n".join(lines)


def _require(actor: Membership, alert: Alert) -> None:
    if not permissions.can_handle_alerts(actor) or alert.school_id != actor.school.pk:
        raise PermissionDenied


def _lock_open(actor: Membership, alert: Alert) -> Alert:
    _require(actor, alert)
    locked = Alert.objects.select_for_update().get(pk=alert.pk)
    if locked.status != Alert.Status.OPEN:
        raise ValidationError(f"This alert was already dealt with: {locked.get_status_display().lower()}.")
    return locked


def _close(locked: Alert, actor: Membership, status: str, reason: str) -> None:
    old = locked.status
    locked.status, locked.status_reason = status, reason
    locked.status_by, locked.status_at = actor.user, timezone.now()
    locked.save(update_fields=["status", "status_reason", "status_by", "status_at", "concern", "updated_at"])
    audit.record(
        action=f"monitoring.alert_{status}",
        actor=actor,
        obj=locked,
        changes={"status": [old, status], **({"reason": [None, reason]} if reason else {})},
    )


def alert_convert(
    *,
    actor: Membership,
    alert: Alert,
    category: str,
    summary: str,
    description: str,
    learner_id: int | None = None,
) -> Concern:
    """Open a concern from the alert, linked to the learner so it shows in their chronology."""
    _require(actor, alert)
    if category not in categories.BY_ID:
        raise ValidationError({"category": ["Choose a concern category."]})
    if not summary.strip():
        raise ValidationError({"summary": ["Give the concern a short title."]})
    learner_id = learner_id or alert.learner_id
    if learner_id and not Learner.objects.filter(school=actor.school, pk=learner_id).exists():
        raise ValidationError({"learner": ["That learner is not on this school's roll."]})
    with transaction.atomic():
        locked = _lock_open(actor, alert)
        text = description.strip() or evidence_text(locked)
        concern = concerns.concern_report(
            actor=actor,
            category=category,
            occurred_at=locked.first_seen,
            summary=summary.strip(),
            description=text,
            involvements=[concerns.Involvement(learner_id, ConcernLearner.Part.AFFECTED)] if learner_id else [],
            location=Concern.Location.UNKNOWN,
            equipment=Concern.Equipment.SCHOOL,
            # The member of staff the alert is about stays named whatever the category, so the concern
            # goes to the head and is closed to them (INC-STAFF-05).
            subject_staff_id=locked.staff_id or None,
        )
        locked.concern = concern
        _close(locked, actor, Alert.Status.CONVERTED, "")
        audit.record(
            action="monitoring.alert_to_concern",
            actor=actor,
            obj=locked,
            changes={"concern": [None, concern.reference]},
        )
    return concern


def alert_mark_false_positive(*, actor: Membership, alert: Alert, reason: str, host: str = "") -> ListEntry | None:
    """Not a worry after all. For a web category, the host goes on the school's allow list.

    Keyword alerts add nothing to the allow list: the host is a search engine, and allowing it
    would silence every search. The reason is kept for whoever reviews the keyword list.
    """
    _require(actor, alert)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this is a false positive."]})
    with transaction.atomic():
        locked = _lock_open(actor, alert)
        entry = None
        if locked.kind == Alert.Kind.CATEGORY:
            host = (host or (locked.hosts[0] if locked.hosts else "")).strip().lower()
            if host not in locked.hosts:
                raise ValidationError({"host": ["Choose one of the sites in this alert."]})
            already = ListEntry.objects.filter(
                school=actor.school, kind=ListEntry.Kind.ALLOW, entry=host, removed_at__isnull=True
            ).first()
            entry = already or list_entry_add(
                actor=actor,
                kind=ListEntry.Kind.ALLOW,
                entry=host,
                reason=reason.strip(),
                source=ListEntry.Source.FALSE_POSITIVE,
                alert=locked,
            )
        _close(locked, actor, Alert.Status.FALSE_POSITIVE, reason.strip())
    return entry


def alert_dismiss(*, actor: Membership, alert: Alert, reason: str) -> Alert:
    """Seen and nothing to do (e.g. a lesson on the topic), with the reason on record."""
    _require(actor, alert)
    if not reason.strip():
        raise ValidationError({"reason": ["Say why this needs no action."]})
    with transaction.atomic():
        locked = _lock_open(actor, alert)
        _close(locked, actor, Alert.Status.DISMISSED, reason.strip())
    return locked
