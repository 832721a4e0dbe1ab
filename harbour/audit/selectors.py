"""Reads of the audit trail: the actor's school only, for roles allowed to browse it, and of those
events only the ones about records the actor may open (issue 12 point 3, harbour.audit.doors).

Who reads what:
- the trust auditor (``AUDIT_EVERY_RECORD``): every event of the school;
- roles with ``VIEW_AUDIT`` (DSL, head, trust safeguarding lead): events about records with no
  door, and events about records whose door lets them in — never one about an allegation they
  may not open, such as one about themselves;
- the chair of governors: only events about records they may open (the allegations about the
  head that reach them), so they can see who else opened those;
- everyone else: nothing (the pages answer 404).

Reads of concern work that name no record (``concern.queue_view``, ``concern.list``, a chronology
view) are shown only to their own actor and the trust auditor: their counts would otherwise tell
a head that the chair holds an allegation about them (issue 12, finding 7).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.http import Http404

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, has_capability
from harbour.audit import doors
from harbour.audit.models import AuditEvent
from harbour.audit.services import record


def reads_whole_trail(actor: Membership) -> bool:
    """Events about records with no door (settings, roles, imports) are for these roles only."""
    return has_capability(actor.role, Capability.VIEW_AUDIT)


def may_read_audit(actor: Membership) -> bool:
    """May open the audit browser, its CSV and API at all (what they then see is filtered)."""
    # The chair is a flag on a governor's membership, not a role: read it without assuming it exists.
    return reads_whole_trail(actor) or bool(getattr(actor, "is_chair_of_governors", False))


def _openable_records(actor: Membership) -> Q:
    """Events about a record behind a door the actor may pass, each door asked as a sub-query."""
    readable = Q(pk__in=[])
    for label in doors.doors():
        readable |= Q(object_type=label, object_id__in=doors.visible_object_ids(label, actor))
    return readable


# Reads of safeguarding work that name no single record (a queue view, a list, a chronology) still
# carry counts or ids in ``changes``: the chair's queue count told the head an allegation about
# them existed (issue 12, finding 7). Such events are shown only to whoever made them and to the
# trust auditor.
PRIVATE_ACTION_PREFIXES = ("concern.",)
PRIVATE_ACTIONS = ("learner.chronology_view",)


def _private_reads() -> Q:
    """Events with no object whose action is a read of someone's own safeguarding work."""
    actions = Q(action__in=PRIVATE_ACTIONS)
    for prefix in PRIVATE_ACTION_PREFIXES:
        actions |= Q(action__startswith=prefix)
    return Q(object_type="") & actions


def audit_event_list(*, actor: Membership) -> QuerySet[AuditEvent]:
    """The door to the trail: every read of it (browser, CSV, API, dashboard, counts) starts here."""
    if not may_read_audit(actor):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.filter(school=actor.school).select_related("actor")
    if has_capability(actor.role, Capability.AUDIT_EVERY_RECORD):
        return events
    private = _private_reads()
    own_private = private & Q(actor_id=actor.user_id)
    visible = _openable_records(actor) | own_private
    if reads_whole_trail(actor):
        visible |= ~Q(object_type__in=list(doors.doors())) & (~private | own_private)
    return events.filter(visible)


def audit_events_shown(*, actor: Membership, events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Events about to be shown (a page, a CSV chunk), with mentions of records the actor may not
    open taken out of their ``changes`` by each app's scrubber (in memory only)."""
    shown = list(events)
    if not has_capability(actor.role, Capability.AUDIT_EVERY_RECORD):
        doors.scrub(actor, shown)
    return shown


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
    if not may_read_audit(actor):
        raise Http404("No audit trail here")
    events = audit_event_search(actor=actor, **filters)
    snapshot = events.order_by().aggregate(rows=Count("pk"), last=Max("pk"))
    events = events.filter(pk__lte=snapshot["last"] or 0)
    used = {name: value.isoformat() if isinstance(value, date) else value for name, value in filters.items() if value}
    record(action="audit.export", actor=actor, changes={"filters": used, "rows": snapshot["rows"]})
    return events, snapshot["rows"]
