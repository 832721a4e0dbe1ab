"""A learner's safeguarding chronology: every concern about them and everything done about it.

The raw material is the append-only action log (``ConcernEntry``) of the concerns that involve the
learner, read through ``selectors.concern_list`` so the chronology can never show a concern its
reader may not open: an allegation about a member of staff stays with the head, a concern about
the reader is never shown (REP-07, INC-STAFF-05). Only the safeguarding team and a trust
safeguarding lead open chronologies; anyone else gets 404.

Whatever the number of events, building one costs a fixed handful of queries; each view and each
export writes one audit event naming the concerns it covered. Key events can be pinned by the
people who manage the concern they belong to.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns import addresses, categories, permissions
from harbour.concerns.models import (
    ChronologyPin,
    Concern,
    ConcernEntry,
    ConcernLearner,
    Consultation,
    Decision,
    ParentDecision,
    Referral,
)
from harbour.concerns.selectors import concern_list
from harbour.people import selectors as people
from harbour.people.models import Learner

VIEW_ACTION = "learner.chronology_view"
EXPORT_ACTION = "learner.chronology_export"

# The concern page's URL name, once the triage area provides it; the first that resolves is used.
CONCERN_DETAIL_URL_NAMES = ("concerns:concern_detail", "concerns:detail")

# Inert text is not enough for these categories: the address itself stays hidden until the DSL
# reveals it on the concern page (INC-IIOC-07, INC-FILT-09).
ADDRESS_PLACEHOLDER = "[web address hidden: open the concern to reveal it]"


@dataclass(frozen=True)
class ChronologyEvent:
    """One line of a chronology: plain values only, so templates and serializers never query."""

    entry_id: int
    when: datetime
    kind: str
    kind_label: str
    title: str
    text: str
    author: str
    concern_id: int
    concern_reference: str
    concern_category: str
    concern_url: str | None
    learner_part: str
    pinned: bool
    corrected: bool
    amends_entry_id: int | None
    occurred_at: datetime | None
    can_pin: bool


def can_view_chronology(actor: Membership) -> bool:
    """Roles that read all the school's concerns (the team, a trust lead); never shared by name.

    A colleague a concern is shared with sees that concern, not the learner's whole history.
    """
    return permissions.reads_all_concerns(actor)


def chronology_learner_get(*, actor: Membership, pk: int | str) -> Learner:
    """The learner whose chronology the actor asks for, or 404 (wrong role, school or learner)."""
    if not can_view_chronology(actor):
        raise Http404("No such learner")
    return people.learner_get(actor=actor, pk=pk)


def chronology_for_learner(
    *,
    actor: Membership,
    learner: Learner,
    kinds: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    pinned_only: bool = False,
) -> list[ChronologyEvent]:
    """The learner's events the actor may see, oldest first. Audited as a view (REP-07)."""
    return _audited(
        VIEW_ACTION,
        actor=actor,
        learner=learner,
        kinds=kinds,
        date_from=date_from,
        date_to=date_to,
        pinned_only=pinned_only,
    )


def chronology_for_export(
    *,
    actor: Membership,
    learner: Learner,
    kinds: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    pinned_only: bool = False,
) -> list[ChronologyEvent]:
    """The same events as ``chronology_for_learner``, audited as an export (a copy leaves Harbour)."""
    return _audited(
        EXPORT_ACTION,
        actor=actor,
        learner=learner,
        kinds=kinds,
        date_from=date_from,
        date_to=date_to,
        pinned_only=pinned_only,
    )


def _audited(action: str, *, actor: Membership, learner: Learner, **filters: Any) -> list[ChronologyEvent]:
    if not can_view_chronology(actor) or learner.school_id != actor.school.pk:
        raise Http404("No such learner")
    filters["kinds"] = [kind for kind in (filters.get("kinds") or []) if kind]
    concerns = _visible_concerns(actor, learner)
    events = _events(actor, learner, concerns, **filters)
    used = {
        name: value.isoformat() if isinstance(value, date) else value
        for name, value in filters.items()
        if value and name != "kinds"
    }
    if filters.get("kinds"):
        used["kinds"] = sorted(filters["kinds"])
    audit.record(
        action=action,
        actor=actor,
        obj=learner,
        changes={"concerns": sorted(c.reference for c in concerns.values()), "events": len(events), "filters": used},
    )
    return events


def _concerns_about(actor: Membership, learner: Learner) -> QuerySet[Concern]:
    """Concerns involving the learner, through the access door, so the rules are never restated here."""
    return concern_list(actor=actor).filter(pk__in=ConcernLearner.objects.filter(learner=learner).values("concern_id"))


def _visible_concerns(actor: Membership, learner: Learner) -> dict[int, Concern]:
    involvement = ConcernLearner.objects.filter(concern=OuterRef("pk"), learner=learner)
    concerns = _concerns_about(actor, learner).annotate(learner_part=Subquery(involvement.values("part")[:1]))
    return {concern.pk: concern for concern in concerns}


def _entries(
    actor: Membership,
    learner: Learner,
    *,
    kinds: list[str],
    date_from: date | None,
    date_to: date | None,
    pinned_only: bool,
) -> QuerySet[ConcernEntry]:
    entries = (
        ConcernEntry.objects.filter(concern__in=_concerns_about(actor, learner).values("pk"))
        .select_related("author")
        .annotate(corrected=Exists(ConcernEntry.objects.filter(amends=OuterRef("pk"))))
        .order_by("created_at", "id")
    )
    if kinds:
        entries = entries.filter(kind__in=kinds)
    if date_from:
        entries = entries.filter(created_at__date__gte=date_from)
    if date_to:
        entries = entries.filter(created_at__date__lte=date_to)
    if pinned_only:
        entries = entries.filter(pk__in=_live_pins(learner).values("entry_id"))
    return entries


def _live_pins(learner: Learner) -> QuerySet[ChronologyPin]:
    return ChronologyPin.objects.filter(learner=learner, unpinned_at__isnull=True)


def _events(actor: Membership, learner: Learner, concerns: dict[int, Concern], **filters: Any) -> list[ChronologyEvent]:
    if not concerns:
        return []
    pinned = set(_live_pins(learner).values_list("entry_id", flat=True))
    # Per concern, not per event: the allegation route may cost a query, so ask once per concern.
    manageable = {pk: permissions.can_manage(actor, concern) for pk, concern in concerns.items()}
    urls = {pk: _concern_url(actor.school.slug, pk) for pk in concerns}
    events = []
    for entry in _entries(actor, learner, **filters):
        concern = concerns.get(entry.concern_id)
        if concern is None:  # reported between the two reads: it appears on the next load
            continue
        events.append(
            _event(entry, concern, pinned=entry.pk in pinned, can_pin=manageable[concern.pk], url=urls[concern.pk])
        )
    return events


def _event(entry: ConcernEntry, concern: Concern, *, pinned: bool, can_pin: bool, url: str | None) -> ChronologyEvent:
    category = categories.BY_ID.get(concern.category)
    hide = category is not None and category.hides_addresses
    text = _text(entry, concern)
    title = _title(entry, concern)
    return ChronologyEvent(
        entry_id=entry.pk,
        when=entry.created_at,
        kind=entry.kind,
        kind_label=ConcernEntry.Kind(entry.kind).label if entry.kind in ConcernEntry.Kind.values else entry.kind,
        title=_hide_addresses(title) if hide else title,
        text=_hide_addresses(text) if hide else text,
        author=_author(entry, concern),
        concern_id=concern.pk,
        concern_reference=concern.reference,
        concern_category=category.label if category else concern.category,
        concern_url=url,
        learner_part=ConcernLearner.Part(concern.learner_part).label if concern.learner_part else "",
        pinned=pinned,
        corrected=bool(getattr(entry, "corrected", False)),
        amends_entry_id=entry.amends_id,
        occurred_at=concern.occurred_at if entry.kind == ConcernEntry.Kind.REPORTED else None,
        can_pin=can_pin,
    )


def _label(choices: type, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _category_label(category_id: Any) -> str:
    category = categories.BY_ID.get(str(category_id))
    return category.label if category else str(category_id or "none")


def _title(entry: ConcernEntry, concern: Concern) -> str:
    data = entry.data if isinstance(entry.data, dict) else {}
    kind = entry.kind
    K = ConcernEntry.Kind
    if kind == K.REPORTED:
        return f"Concern reported: {concern.summary}"
    if kind == K.CATEGORY:
        return f"Category changed from {_category_label(data.get('from'))} to {_category_label(data.get('to'))}"
    if kind == K.RISK and data.get("to"):
        return f"Risk graded: {_label(Concern.Risk, data['to'])}"
    if kind == K.DECISION and data.get("kind"):
        return f"Decision: {_label(Decision.Kind, data['kind'])}"
    if kind == K.REFERRAL and data.get("agency"):
        title = f"Referral: {_label(Referral.Agency, data['agency'])}"
        return f"{title} (reference {data['reference']})" if data.get("reference") else title
    if kind == K.CONSULTATION and data.get("consulted"):
        return f"Advice sought: {_label(Consultation.With, data['consulted'])}"
    if kind == K.PARENTS and data.get("choice"):
        return f"Parents and carers: {_label(ParentDecision.Choice, data['choice'])}"
    if kind == K.SHARE and "shared" in data:
        who = data.get("user", "a colleague")
        return f"Shared with {who}" if data["shared"] else f"No longer shared with {who}"
    if kind == K.AMENDMENT:
        return "Correction to an earlier entry"
    return _label(K, kind)


def _text(entry: ConcernEntry, concern: Concern) -> str:
    if entry.kind == ConcernEntry.Kind.REPORTED and not entry.amends_id:
        return concern.description
    reason = entry.data.get("reason") if isinstance(entry.data, dict) else None
    if entry.kind == ConcernEntry.Kind.AMENDMENT and reason:
        return f"{entry.text}\nReason for the correction: {reason}"
    return entry.text


def _author(entry: ConcernEntry, concern: Concern) -> str:
    if entry.author is not None:
        return entry.author.display_name
    if entry.kind == ConcernEntry.Kind.REPORTED:
        return concern.get_reporter_kind_display()
    return "Harbour (automatic)"


def _hide_addresses(text: str) -> str:
    return addresses.hide_addresses(text, placeholder=ADDRESS_PLACEHOLDER)


def _concern_url(school_slug: str, pk: int) -> str | None:
    for name in CONCERN_DETAIL_URL_NAMES:
        try:
            return reverse(name, kwargs={"school_slug": school_slug, "pk": pk})
        except NoReverseMatch:
            continue
    return None


# --- pins ---------------------------------------------------------------------------------------


def _entry_for_pin(*, actor: Membership, learner: Learner, entry_id: int | str) -> ConcernEntry:
    """An entry of a concern that involves the learner and that the actor may see, or 404."""
    if not can_view_chronology(actor) or learner.school_id != actor.school.pk:
        raise Http404("No such event")
    try:
        return ConcernEntry.objects.select_related("concern").get(
            pk=entry_id, concern__in=_concerns_about(actor, learner).values("pk")
        )
    except (ConcernEntry.DoesNotExist, ValueError) as exc:
        raise Http404("No such event") from exc


def chronology_pin(*, actor: Membership, learner: Learner, entry_id: int | str) -> ChronologyPin:
    """Mark an event as a key event on the learner's chronology. Only the concern's managers may.

    Pinning twice is harmless: the pin that is already there is returned and nothing is recorded.
    """
    entry = _entry_for_pin(actor=actor, learner=learner, entry_id=entry_id)
    if not permissions.can_manage(actor, entry.concern):
        raise PermissionDenied
    with transaction.atomic():
        existing = _live_pins(learner).select_for_update().filter(entry=entry).first()
        if existing is not None:
            return existing
        pin = ChronologyPin.objects.create(learner=learner, entry=entry, pinned_by=actor.user)
        audit.record(
            action="learner.chronology_pin",
            actor=actor,
            obj=learner,
            changes={"entry": [None, entry.pk], "concern": entry.concern.reference},
        )
    return pin


def chronology_unpin(*, actor: Membership, learner: Learner, entry_id: int | str) -> ChronologyPin | None:
    """Take the key-event mark off. The pin row stays, dated, so the history of pins is kept."""
    entry = _entry_for_pin(actor=actor, learner=learner, entry_id=entry_id)
    if not permissions.can_manage(actor, entry.concern):
        raise PermissionDenied
    with transaction.atomic():
        pin = _live_pins(learner).select_for_update().filter(entry=entry).first()
        if pin is None:
            return None
        pin.unpinned_at = timezone.now()
        pin.save(update_fields=["unpinned_at"])
        audit.record(
            action="learner.chronology_unpin",
            actor=actor,
            obj=learner,
            changes={"entry": [entry.pk, None], "concern": entry.concern.reference},
        )
    return pin
