"""Reads of the audit trail: the actor's school only, for roles allowed to browse it."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, has_capability
from harbour.audit.models import AuditEvent


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
