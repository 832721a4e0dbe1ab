"""The access door for breaches: handlers see the school's breaches, a reporter sees their receipts.

Everyone else, and every other school, gets 404 (INC-FILT-03). Opening a breach is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.http import Http404

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns.linked import within_concern_door
from harbour.filtering import permissions
from harbour.filtering.models import Breach, BreachEntry
from harbour.schools.models import School


def breach_list(*, actor: Membership) -> QuerySet[Breach]:
    if not permissions.can_handle_breaches(actor):
        raise Http404
    breaches = Breach.objects.filter(school=actor.school).select_related("reported_by", "learner", "concern")
    # A breach that became a concern naming staff closes to whoever may not open it (finding 6).
    return within_concern_door(breaches, actor=actor)


def breach_search(
    *,
    actor: Membership,
    query: str = "",
    status: str = "",
    category: str = "",
    location: str = "",
    device_group: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[Breach]:
    qs = breach_list(actor=actor)
    if query:
        qs = qs.filter(
            Q(reference__icontains=query)
            | Q(what_seen__icontains=query)
            | Q(device__icontains=query)
            | Q(user_label__icontains=query)
            | Q(provider_ticket__icontains=query)
            | Q(external_reference__icontains=query)
        )
    for field, value in (
        ("status", status),
        ("category", category),
        ("location", location),
        ("device_group", device_group),
    ):
        if value:
            qs = qs.filter(**{field: value})
    if date_from:
        qs = qs.filter(occurred_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(occurred_at__date__lte=date_to)
    return qs


def breach_get(*, actor: Membership, pk: int | str) -> Breach:
    """One breach for a handler, audited; 404 for anyone else."""
    try:
        breach = breach_list(actor=actor).get(pk=pk)
    except (Breach.DoesNotExist, ValueError) as exc:
        raise Http404("No such breach") from exc
    audit.record(action="filtering.breach_view", actor=actor, obj=breach)
    return breach


def breach_entries(*, breach: Breach) -> QuerySet[BreachEntry]:
    return breach.entries.select_related("author", "amends").order_by("created_at", "id")


def breach_entry_get(*, breach: Breach, pk: int | str) -> BreachEntry:
    try:
        return breach.entries.get(pk=pk)
    except (BreachEntry.DoesNotExist, ValueError) as exc:
        raise Http404("No such entry") from exc


def breach_count_since(*, school: School, since: datetime) -> int:
    """How many breaches happened since ``since``: a number only, for the governors' PDF (INC-FILT-10)."""
    return Breach.objects.filter(school=school, occurred_at__gte=since).count()


# --- the reporter's receipts ---------------------------------------------------------------------


@dataclass(frozen=True)
class BreachReceipt:
    """What the reporter sent and where it is up to; never what the handlers recorded."""

    id: int
    reference: str
    status: str
    reported_at: datetime
    occurred_at: datetime
    address: str
    device: str
    device_group: str
    location: str
    user_label: str
    category: str
    what_seen: str
    immediate_action: str


def _receipt_status(breach: Breach) -> str:
    if breach.status == Breach.Status.CLOSED:
        return "Closed"
    return "Received" if breach.status == Breach.Status.NEW else "Being handled"


def receipt_from(breach: Breach) -> BreachReceipt:
    return BreachReceipt(
        id=breach.pk,
        reference=breach.reference,
        status=_receipt_status(breach),
        reported_at=breach.reported_at,
        occurred_at=breach.occurred_at,
        address=breach.address,
        device=breach.device,
        device_group=breach.get_device_group_display(),
        location=breach.get_location_display(),
        user_label=breach.user_label,
        category=breach.get_category_display(),
        what_seen=breach.what_seen,
        immediate_action=breach.immediate_action,
    )


def receipt_rows(*, actor: Membership) -> QuerySet[Breach]:
    return Breach.objects.filter(school=actor.school, reported_by=actor.user).order_by("-reported_at", "-id")


def receipt_get(*, actor: Membership, pk: int | str) -> BreachReceipt:
    try:
        breach = receipt_rows(actor=actor).get(pk=pk)
    except (Breach.DoesNotExist, ValueError) as exc:
        raise Http404("No such report") from exc
    return receipt_from(breach)
