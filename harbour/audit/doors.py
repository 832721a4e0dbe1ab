"""Which audit events an actor may read: each app names, per model, its own access door.

An audit event about a record tells whoever reads it that the record exists, who opened it and
when. So it may be read only by someone who may open the record itself (issue 12 point 3,
INC-STAFF-05, REP-07). The audit app knows nothing of concerns or learners: each app declares, in
a module ``<app>/audit_doors.py`` found at start-up, a function per model that returns the rows
the actor may open, using that app's own selector::

    from harbour.audit.doors import register

    @register("concerns.concern")
    def visible_concerns(actor):
        return concern_list(actor=actor)

The function returns a queryset of the model (or of its primary keys); the audit selectors turn
it into a sub-query, so no id list is ever pulled into Python. Events about a model with no door
are shown only to the roles that read the whole trail (``Capability.VIEW_AUDIT``).

An event may also name other records inside ``changes`` (a chronology view lists the concerns it
showed). An app registers a *scrubber* for those (``register_scrubber``): the readers who may see
the event itself then see only the mentions of records they may open.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.http import Http404
from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from harbour.accounts.models import Membership
    from harbour.audit.models import AuditEvent

VisibleRows = Callable[["Membership"], QuerySet[Any]]
Scrubber = Callable[["Membership", "list[AuditEvent]"], None]

DOOR_MODULE = "audit_doors"

_doors: dict[str, VisibleRows] = {}
_scrubbers: list[Scrubber] = []


class DoorError(Exception):
    """A door names a model that does not exist, or a model already has one."""


def register(model_label: str) -> Callable[[VisibleRows], VisibleRows]:
    """Declare the access door of ``model_label`` (``app_label.modelname``, as audit events store it)."""
    label = model_label.lower()

    def decorate(func: VisibleRows) -> VisibleRows:
        try:
            apps.get_model(label)
        except (LookupError, ValueError) as exc:
            raise DoorError(f"No model {model_label!r} for an audit door") from exc
        if label in _doors and _doors[label] is not func:
            raise DoorError(f"{model_label} already has an audit door")
        _doors[label] = func
        return func

    return decorate


def register_scrubber(func: Scrubber) -> Scrubber:
    """Declare a function that hides, in events about to be shown, mentions of the app's records
    that the reader may not open (for example concern references listed in a chronology view's
    ``changes``). It edits ``event.changes`` in memory only; nothing is saved."""
    if func not in _scrubbers:
        _scrubbers.append(func)
    return func


def scrub(actor: Membership, events: list[AuditEvent]) -> list[AuditEvent]:
    """Run every app's scrubber over events already chosen by ``audit_event_list``."""
    if events:
        for func in _scrubbers:
            func(actor, events)
    return events


def discover() -> None:
    """Import every installed app's ``audit_doors`` module (called from ``AuditConfig.ready``)."""
    autodiscover_modules(DOOR_MODULE)


def doors() -> Mapping[str, VisibleRows]:
    return MappingProxyType(_doors)


def visible_object_ids(label: str, actor: Membership) -> QuerySet[Any]:
    """The rows behind ``label``'s door as a sub-query of primary keys in text, as
    ``AuditEvent.object_id`` holds them (PostgreSQL will not compare ``varchar`` with ``bigint``).

    A door that refuses the actor outright (404 or 403, as some selectors do) opens onto nothing.
    """
    try:
        rows = _doors[label](actor)
    except (Http404, PermissionDenied):
        rows = apps.get_model(label)._default_manager.none()
    return rows.order_by().values(audit_object_id=Cast("pk", output_field=CharField(max_length=64)))
