"""Reads of the audit trail: the actor's school only, for roles allowed to browse it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, has_capability
from harbour.audit.models import AuditEvent
from harbour.audit.services import record


def audit_event_list(*, actor: Membership) -> QuerySet[AuditEvent]:
    if not has_capability(actor.role, Capability.VIEW_AUDIT):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(school=actor.school).select_related("actor")


def audit_event_search(
    *,
    actor: Membership,
    action: str = "",
    actor_email: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    query: str = "",
) -> QuerySet[AuditEvent]:
    qs = audit_event_list(actor=actor)
    if action:
        qs = qs.filter(Q(action=action) | Q(action__startswith=action.rstrip(".") + "."))
    if actor_email:
        qs = qs.filter(actor_email__icontains=actor_email)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    if query:
        qs = qs.filter(Q(object_repr__icontains=query) | Q(action__icontains=query))
    return qs


def audit_filter_choices(*, actor: Membership, window: int = 5000) -> tuple[list[str], list[str]]:
    """Record types and actions seen in the school's latest ``window`` events, offered as filter choices.

    Bounded on purpose: a distinct over years of events would cost a full scan on every page load.
    """
    recent = list(audit_event_list(actor=actor).values_list("object_type", "action")[:window])
    object_types = {object_type for object_type, _ in recent if object_type}
    actions = {action for _, action in recent}
    return sorted(object_types), sorted(actions)


def audit_event_export(*, actor: Membership, **filters: Any) -> tuple[QuerySet[AuditEvent], int]:
    """The events an export will contain and how many, after auditing the export itself (REP-07).

    The rows are pinned to those that exist now, so the recorded count is exactly what the file
    holds, and the ``audit.export`` event written here never appears in its own file.
    """
    if not has_capability(actor.role, Capability.VIEW_AUDIT):
        raise Http404("No audit trail here")
    events = audit_event_search(actor=actor, **filters)
    snapshot = events.order_by().aggregate(rows=Count("pk"), last=Max("pk"))
    events = events.filter(pk__lte=snapshot["last"] or 0)
    used = {name: value.isoformat() if isinstance(value, date) else value for name, value in filters.items() if value}
    record(action="audit.export", actor=actor, changes={"filters": used, "rows": snapshot["rows"]})
    return events, snapshot["rows"]
