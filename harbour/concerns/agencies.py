"""The school's directory of outside agencies and contacts, each with a last-verified date (REP-23).

Every member of the school reads it (a teacher needs the police number as much as the DSL does);
the safeguarding team adds, corrects, retires and re-checks entries. An entry nobody has checked
for twelve months is flagged, because a wrong number found in a crisis costs minutes (gap G14).
Entries are never deleted: one that is no longer used is marked inactive. ``agency_seed`` fills
an empty directory from the school's policy.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns import permissions
from harbour.concerns.models import Agency
from harbour.schools.models import School

STALE_AFTER_MONTHS = 12
# Emergency and statutory routes first, in the order the kinds are declared; helplines after.
_KIND_ORDER = Case(
    *(When(kind=kind, then=Value(position)) for position, kind in enumerate(Agency.Kind.values)),
    default=Value(len(Agency.Kind.values)),
    output_field=IntegerField(),
)


# --- reads --------------------------------------------------------------------------------------


def can_manage_agencies(actor: Membership) -> bool:
    """The safeguarding team keeps the directory; a trust lead's unsaved membership only reads."""
    return actor.pk is not None and permissions.is_team(actor)


def agency_list(*, actor: Membership, include_inactive: bool = False) -> QuerySet[Agency]:
    """The actor's school's directory. Every member may read it: it holds no personal data about children."""
    qs = Agency.objects.filter(school=actor.school).order_by(_KIND_ORDER, "name")
    return qs if include_inactive else qs.filter(is_active=True)


def agency_get(*, actor: Membership, pk: int | str) -> Agency:
    try:
        return agency_list(actor=actor, include_inactive=True).get(pk=pk)
    except (Agency.DoesNotExist, ValueError) as exc:
        raise Http404("No such agency") from exc


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):  # 29 February a year back is 28 February
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def verification_due(agency: Agency, *, today: date | None = None) -> bool:
    """True when nobody has confirmed the entry's details in the last twelve months (REP-23)."""
    today = today or timezone.localdate()
    return agency.last_verified_on is None or agency.last_verified_on < _months_before(today, STALE_AFTER_MONTHS)


def agencies_for_audiences(*, actor: Membership) -> dict[str, list[Agency]]:
    """Active entries for the reporting-routes page, split by who they help (REP-24). One query."""
    audiences: dict[str, list[Agency]] = {"staff": [], "learners": [], "parents": []}
    for agency in agency_list(actor=actor):
        if agency.for_staff:
            audiences["staff"].append(agency)
        if agency.for_learners:
            audiences["learners"].append(agency)
        if agency.for_parents:
            audiences["parents"].append(agency)
    return audiences


# --- writes -------------------------------------------------------------------------------------


def _require_manager(actor: Membership) -> None:
    if not can_manage_agencies(actor):
        raise PermissionDenied


def normalise_website(raw: str) -> str:
    """People type "www.example.org": treat an address without a scheme as https."""
    website = raw.strip()
    if website and "://" not in website:
        website = f"https://{website}"
    return website


def _validate(fields: dict[str, Any]) -> dict[str, Any]:
    """Tidy and check an entry's fields; every problem is reported at once, against its field."""
    cleaned = dict(fields)
    errors: dict[str, list[str]] = {}
    cleaned["name"] = (fields.get("name") or "").strip()
    if not cleaned["name"]:
        errors["name"] = ["Give the agency or contact a name."]
    elif len(cleaned["name"]) > 200:
        errors["name"] = ["Keep the name under 200 characters."]
    if fields.get("kind") not in Agency.Kind.values:
        errors["kind"] = ["Choose what kind of agency this is."]
    cleaned["phone"] = (fields.get("phone") or "").strip()
    if cleaned["phone"] and not re.search(r"\d", cleaned["phone"]):
        errors["phone"] = ["A phone number needs digits, for example 0300 123 4567."]
    elif len(cleaned["phone"]) > 60:
        errors["phone"] = ["Keep the phone number under 60 characters."]
    cleaned["email"] = (fields.get("email") or "").strip()
    if cleaned["email"]:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = ["Enter an email address like name@example.org."]
    cleaned["website"] = normalise_website(fields.get("website") or "")
    if cleaned["website"]:
        try:
            # Only web links: a javascript: or file: address must never become a clickable link.
            URLValidator(schemes=["http", "https"])(cleaned["website"])
        except ValidationError:
            errors["website"] = ["Enter a web address like https://www.example.org."]
        if len(cleaned["website"]) > 300:
            errors["website"] = ["Keep the web address under 300 characters."]
    cleaned["notes"] = (fields.get("notes") or "").strip()
    if not (fields.get("for_staff") or fields.get("for_learners") or fields.get("for_parents")):
        errors["for_staff"] = ["Say who this contact is for: staff, learners, parents and carers, or several."]
    if errors:
        raise ValidationError(errors)
    return cleaned


def agency_create(
    *,
    actor: Membership,
    kind: str,
    name: str,
    phone: str = "",
    email: str = "",
    website: str = "",
    notes: str = "",
    for_staff: bool = True,
    for_learners: bool = False,
    for_parents: bool = False,
    verified_today: bool = False,
) -> Agency:
    """Add an entry. ``verified_today`` records that the details were just checked at the source."""
    _require_manager(actor)
    fields = _validate(
        {
            "kind": kind,
            "name": name,
            "phone": phone,
            "email": email,
            "website": website,
            "notes": notes,
            "for_staff": for_staff,
            "for_learners": for_learners,
            "for_parents": for_parents,
        }
    )
    with transaction.atomic():
        agency = Agency.objects.create(
            school=actor.school, last_verified_on=timezone.localdate() if verified_today else None, **fields
        )
        audit.record(action="agency.create", actor=actor, obj=agency, changes={"name": [None, agency.name]})
    return agency


def agency_update(
    *,
    actor: Membership,
    agency: Agency,
    kind: str,
    name: str,
    phone: str = "",
    email: str = "",
    website: str = "",
    notes: str = "",
    for_staff: bool = True,
    for_learners: bool = False,
    for_parents: bool = False,
    is_active: bool = True,
    verified_today: bool = False,
) -> Agency:
    """Correct an entry, or retire it (``is_active=False``); the audit event keeps the old values."""
    _require_manager(actor)
    if agency.school_id != actor.school.pk:
        raise Http404("No such agency")
    fields = _validate(
        {
            "kind": kind,
            "name": name,
            "phone": phone,
            "email": email,
            "website": website,
            "notes": notes,
            "for_staff": for_staff,
            "for_learners": for_learners,
            "for_parents": for_parents,
        }
    )
    fields["is_active"] = is_active
    if verified_today:
        fields["last_verified_on"] = timezone.localdate()
    with transaction.atomic():
        changes = audit.changed_fields(agency, fields)
        if not changes:
            return agency
        for field, value in fields.items():
            setattr(agency, field, value)
        agency.save(update_fields=list(fields))
        audit.record(action="agency.update", actor=actor, obj=agency, changes=changes)
    return agency


def agency_verify(*, actor: Membership, agency: Agency) -> Agency:
    """Record that someone checked the entry's details today (REP-23)."""
    _require_manager(actor)
    if agency.school_id != actor.school.pk:
        raise Http404("No such agency")
    today = timezone.localdate()
    with transaction.atomic():
        old = agency.last_verified_on
        agency.last_verified_on = today
        agency.save(update_fields=["last_verified_on"])
        audit.record(
            action="agency.verify",
            actor=actor,
            obj=agency,
            changes={"last_verified_on": [old.isoformat() if old else None, today.isoformat()]},
        )
    return agency


def public_agencies(*, school: School) -> dict[str, list[Agency]]:
    """Help for learners and for parents, for the public reporting-routes page (REP-24). These
    entries are meant for the whole community, so no sign-in is needed to see them."""
    audiences: dict[str, list[Agency]] = {"learners": [], "parents": []}
    for agency in Agency.objects.filter(school=school, is_active=True).filter(
        Q(for_learners=True) | Q(for_parents=True)
    ):
        if agency.for_learners:
            audiences["learners"].append(agency)
        if agency.for_parents:
            audiences["parents"].append(agency)
    return audiences
