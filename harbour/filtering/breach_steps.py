"""Steps on a filtering breach: triage, provider, parents, illegal material, concern, notes, close.

INC-FILT-04..08. Each step checks the actor is a handler, appends a ``BreachEntry`` and an audit
event; steps that change the breach take the ``version`` the person saw and refuse a stale one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns import categories as concern_categories
from harbour.concerns import services as concern_services
from harbour.concerns.models import Concern
from harbour.filtering import config
from harbour.filtering.breaches import _lock, _require_handler, _save, log_entry
from harbour.filtering.models import Breach, BreachEntry

AGENCIES = {"iwf": "Internet Watch Foundation", "police": "Police", "ceop": "CEOP"}
# Material believed illegal is worked under these concern procedures (INC-FILT-08), and a breach
# believed illegal can become a concern in these categories only: both take no picture by any path
# (harbour.core.uploads.RULES), unlike "filtering breach", which takes screenshots.
ILLEGAL_CONCERN_CATEGORIES = ("indecent_images_of_children", "online_abuse_exploitation")


# --- working a breach --------------------------------------------------------------------------


def breach_triage(
    *, actor: Membership, breach: Breach, category: str, location: str, device_group: str, note: str, version: int
) -> Breach:
    """The DSL or technician confirms what kind of breach it is, where and on what (INC-FILT-03, -10)."""
    _require_handler(actor, breach)
    if category not in Breach.Category.values or location not in Breach.Location.values:
        raise ValidationError({"category": ["Choose a category and a location."]})
    if device_group not in Breach.DeviceGroup.values:
        raise ValidationError({"device_group": ["Choose a device group."]})
    with transaction.atomic():
        locked = _lock(breach, version)
        if locked.status == Breach.Status.CLOSED:
            raise ValidationError("This breach is closed.")
        before = {"category": locked.category, "location": locked.location, "device_group": locked.device_group}
        locked.category, locked.location, locked.device_group = category, location, device_group
        if locked.status == Breach.Status.NEW:
            locked.status = Breach.Status.TRIAGED
        _save(locked, ["category", "location", "device_group", "status"])
        after = {"category": category, "location": location, "device_group": device_group}
        log_entry(breach=locked, kind=BreachEntry.Kind.TRIAGED, author=actor.user, text=note.strip(), data=after)
        changes = {k: [before[k], v] for k, v in after.items() if before[k] != v}
        audit.record(action="filtering.breach_triage", actor=actor, obj=locked, changes=changes)
    return locked


def breach_pass_to_provider(
    *, actor: Membership, breach: Breach, provider_contact: str, ticket_reference: str, note: str, version: int
) -> Breach:
    """INC-FILT-05: passed to the internet or filtering provider, with who was contacted and the ticket."""
    _require_handler(actor, breach)
    errors: dict[str, list[str]] = {}
    if not provider_contact.strip():
        errors["provider_contact"] = ["Say which provider, and who or which service desk, was contacted."]
    if not ticket_reference.strip():
        errors["ticket_reference"] = ["Record the provider's ticket reference (ask them for one if none was given)."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(breach, version)
        if locked.status == Breach.Status.CLOSED:
            raise ValidationError("This breach is closed.")
        locked.provider_contact = provider_contact.strip()[:300]
        locked.provider_ticket = ticket_reference.strip()[:120]
        locked.passed_to_provider_at = timezone.now()
        locked.status = Breach.Status.WITH_PROVIDER
        _save(locked, ["provider_contact", "provider_ticket", "passed_to_provider_at", "status"])
        log_entry(
            breach=locked,
            kind=BreachEntry.Kind.PROVIDER,
            author=actor.user,
            text=note.strip(),
            data={"contact": locked.provider_contact, "ticket": locked.provider_ticket},
        )
        audit.record(
            action="filtering.breach_provider",
            actor=actor,
            obj=locked,
            changes={"ticket": [None, locked.provider_ticket]},
        )
    return locked


def breach_record_parents(
    *, actor: Membership, breach: Breach, told: bool, how: str = "", reason: str = "", version: int
) -> Breach:
    """INC-FILT-07: parents or carers told (when and how), or why not, following the school's rule."""
    _require_handler(actor, breach)
    rule_always = config.for_school(breach.school).parents_always_told
    if told and not how.strip():
        raise ValidationError({"how": ["Say who told them and how (phone call, meeting, letter)."]})
    if not told and not reason.strip():
        message = (
            "The school's policy says parents are always told: record why they were not."
            if rule_always
            else ("Record why the parents or carers were not told.")
        )
        raise ValidationError({"reason": [message]})
    with transaction.atomic():
        locked = _lock(breach, version)
        if told:
            locked.parents_told_at = timezone.now()
        else:
            locked.parents_not_told_reason = reason.strip()[:500]
        _save(locked, ["parents_told_at", "parents_not_told_reason"])
        log_entry(
            breach=locked,
            kind=BreachEntry.Kind.PARENTS,
            author=actor.user,
            text=how.strip() if told else reason.strip(),
            data={"told": told, "rule": "always" if rule_always else "as_appropriate"},
        )
        audit.record(action="filtering.breach_parents", actor=actor, obj=locked, changes={"told": [None, told]})
    return locked


def breach_set_illegal(*, actor: Membership, breach: Breach, believed: bool, reason: str, version: int) -> Breach:
    """INC-FILT-08: the "believed illegal" switch. Switching it off needs a reason; both are logged."""
    _require_handler(actor, breach)
    if not reason.strip():
        raise ValidationError({"reason": ["Say briefly why."]})
    with transaction.atomic():
        locked = _lock(breach, version)
        if locked.believed_illegal == believed:
            return locked
        locked.believed_illegal = believed
        _save(locked, ["believed_illegal"])
        log_entry(
            breach=locked, kind=BreachEntry.Kind.ILLEGAL, author=actor.user, text=reason.strip(), data={"on": believed}
        )
        audit.record(
            action="filtering.breach_illegal",
            actor=actor,
            obj=locked,
            changes={"believed_illegal": [not believed, believed]},
        )
    return locked


def breach_record_agency_report(
    *, actor: Membership, breach: Breach, agency: str, reference: str, note: str = ""
) -> BreachEntry:
    """INC-FILT-08: a report made to the IWF, the police or CEOP, with its reference."""
    _require_handler(actor, breach)
    if agency not in AGENCIES:
        raise ValidationError({"agency": ["Choose the IWF, the police or CEOP."]})
    if not reference.strip():
        raise ValidationError({"reference": ["Record the report's reference, or the name of who took the call."]})
    with transaction.atomic():
        entry = log_entry(
            breach=breach,
            kind=BreachEntry.Kind.AGENCY,
            author=actor.user,
            text=note.strip(),
            data={"agency": agency, "reference": reference.strip()[:120]},
        )
        audit.record(action="filtering.breach_agency", actor=actor, obj=breach, changes={"agency": [None, agency]})
    return entry


def breach_set_external_reference(
    *, actor: Membership, breach: Breach, system: str, reference: str, version: int
) -> Breach:
    """INC-FILT-04: where the breach is also kept in another record system, and its reference there."""
    _require_handler(actor, breach)
    if not system.strip() or not reference.strip():
        raise ValidationError({"reference": ["Give the name of the system and the reference in it."]})
    with transaction.atomic():
        locked = _lock(breach, version)
        old = f"{locked.external_system} {locked.external_reference}".strip()
        locked.external_system, locked.external_reference = system.strip()[:120], reference.strip()[:120]
        _save(locked, ["external_system", "external_reference"])
        log_entry(
            breach=locked,
            kind=BreachEntry.Kind.EXTERNAL,
            author=actor.user,
            data={"system": locked.external_system, "reference": locked.external_reference},
        )
        audit.record(
            action="filtering.breach_external",
            actor=actor,
            obj=locked,
            changes={"external": [old or None, f"{locked.external_system} {locked.external_reference}"]},
        )
    return locked


def breach_to_concern(*, actor: Membership, breach: Breach, category: str, summary: str, version: int) -> Concern:
    """INC-FILT-06: the breach reveals a safeguarding issue, so it becomes a concern for the DSL.

    Goes through the concerns app's own service, so the concern is alerted, escalated and given its
    checklist like any other; the learner, if known, is linked as affected.
    """
    _require_handler(actor, breach)
    if category not in concern_categories.BY_ID:
        raise ValidationError({"category": [f"'{category}' is not a concern category."]})
    if not summary.strip():
        raise ValidationError({"summary": ["Give the concern a short factual title."]})
    with transaction.atomic():
        locked = _lock(breach, version)
        if locked.concern_id is not None:
            raise ValidationError("This breach is already a safeguarding concern.")
        if locked.believed_illegal and category not in ILLEGAL_CONCERN_CATEGORIES:
            labels = " or ".join(f"'{concern_categories.get(c).label}'" for c in ILLEGAL_CONCERN_CATEGORIES)
            raise ValidationError(
                {
                    "category": [
                        f"The material is believed illegal, so the concern must be {labels}: no file is kept there."
                    ]
                }
            )
        lines = [f"Raised from filtering breach {locked.reference}.", "", locked.what_seen]
        if locked.address:
            lines += ["", f"Web address (do not open it): {locked.address}"]
        if locked.device:
            lines.append(f"Device: {locked.device}")
        if locked.user_label:
            lines.append(f"User: {locked.user_label}")
        involvements = (
            [concern_services.Involvement(learner_id=locked.learner_id)] if locked.learner_id is not None else []
        )
        concern = concern_services.concern_report(
            actor=actor,
            category=category,
            occurred_at=locked.occurred_at,
            summary=summary.strip()[:200],
            description="\n".join(lines),
            involvements=involvements,
            location=Concern.Location.OFF_SITE
            if locked.location == Breach.Location.REMOTE
            else Concern.Location.ON_SITE,
            equipment=Concern.Equipment.PERSONAL
            if locked.device_group == Breach.DeviceGroup.PERSONAL
            else Concern.Equipment.SCHOOL,
            immediate_actions=locked.immediate_action,
        )
        locked.concern = concern
        _save(locked, ["concern"])
        log_entry(
            breach=locked,
            kind=BreachEntry.Kind.CONCERN,
            author=actor.user,
            data={"concern": concern.pk, "reference": concern.reference, "category": category},
        )
        audit.record(
            action="filtering.breach_concern", actor=actor, obj=locked, changes={"concern": [None, concern.pk]}
        )
    return concern


def breach_add_note(*, actor: Membership, breach: Breach, text: str) -> BreachEntry:
    _require_handler(actor, breach)
    if not text.strip():
        raise ValidationError({"text": ["Write the note before saving it."]})
    with transaction.atomic():
        entry = log_entry(breach=breach, kind=BreachEntry.Kind.NOTE, author=actor.user, text=text.strip())
        audit.record(action="filtering.breach_note", actor=actor, obj=breach)
    return entry


def breach_amend_entry(*, actor: Membership, entry: BreachEntry, text: str, reason: str) -> BreachEntry:
    """A correction is a new entry pointing at the one it corrects, with a reason."""
    _require_handler(actor, entry.breach)
    if not text.strip() or not reason.strip():
        raise ValidationError({"reason": ["Give the corrected text and the reason for the correction."]})
    with transaction.atomic():
        amendment = log_entry(
            breach=entry.breach,
            kind=BreachEntry.Kind.AMENDMENT,
            author=actor.user,
            text=text.strip(),
            data={"reason": reason.strip()},
            amends=entry,
        )
        audit.record(
            action="filtering.breach_amend", actor=actor, obj=entry.breach, changes={"entry": [entry.pk, amendment.pk]}
        )
    return amendment


def close_blockers(breach: Breach) -> list[str]:
    """What must be recorded before a breach can be closed: the school's parent rule and INC-FILT-08."""
    blockers = []
    if (
        breach.learner_id is not None
        and breach.parents_told_at is None
        and not breach.parents_not_told_reason
        and config.for_school(breach.school).parents_always_told
    ):
        blockers.append("The school's policy says parents are always told: record that they were, or why not.")
    if breach.believed_illegal and not breach.entries.filter(kind=BreachEntry.Kind.AGENCY).exists():
        blockers.append("The material is believed illegal: record the report to the IWF, the police or CEOP first.")
    return blockers


def breach_close(*, actor: Membership, breach: Breach, outcome: str, version: int) -> Breach:
    _require_handler(actor, breach)
    if not outcome.strip():
        raise ValidationError({"outcome": ["Record the outcome before closing the breach."]})
    with transaction.atomic():
        locked = _lock(breach, version)
        if locked.status == Breach.Status.CLOSED:
            raise ValidationError("This breach is already closed.")
        blockers = close_blockers(locked)
        if blockers:
            raise ValidationError({"outcome": blockers})
        old = locked.status
        locked.status, locked.closed_at, locked.outcome = Breach.Status.CLOSED, timezone.now(), outcome.strip()
        _save(locked, ["status", "closed_at", "outcome"])
        log_entry(breach=locked, kind=BreachEntry.Kind.CLOSED, author=actor.user, text=locked.outcome)
        audit.record(action="filtering.breach_close", actor=actor, obj=locked, changes={"status": [old, "closed"]})
    return locked
