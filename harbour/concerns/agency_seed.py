"""Filling a school's agency directory from its policy settings and the national services (REP-23, REP-24).

The policy variables (see ``harbour.schools.policy_defaults``) name the local police, children's
social care, the LADO, the advice service and lists of contacts; Harbour adds the national
services every school needs, described in its own words. Phone numbers are given only where they
are certain; the school adds the rest when it checks each entry, and every seeded entry starts
unverified so the directory flags it until someone has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns.agencies import can_manage_agencies, normalise_website
from harbour.concerns.models import Agency
from harbour.schools.models import School


@dataclass(frozen=True)
class _National:
    aliases: frozenset[str]
    kind: str
    name: str
    website: str
    notes: str
    phone: str = ""
    for_learners: bool = False
    for_parents: bool = False


# Phone numbers only where they are certain; the DSL adds the rest when checking each entry.
NATIONAL_SERVICES: tuple[_National, ...] = (
    _National(
        frozenset({"ceop"}),
        Agency.Kind.CEOP,
        "CEOP",
        "https://www.ceop.police.uk",
        "The police's child protection command. Report online sexual abuse or grooming: an adult, or an "
        "older child, pressuring a child to talk about sex, share pictures or meet up. Children can report "
        "to it themselves. Call 999 first if a child is in danger now.",
        for_learners=True,
        for_parents=True,
    ),
    _National(
        frozenset({"iwf", "internetwatchfoundation", "internetwatchfoundationiwf"}),
        Agency.Kind.IWF,
        "Internet Watch Foundation (IWF)",
        "https://www.iwf.org.uk",
        "Gets sexual images and videos of children removed from the internet. Report the web address only, "
        "anonymously if you like. Never download, copy, save or pass on the image itself.",
        for_parents=True,
    ),
    _National(
        frozenset({"childline"}),
        Agency.Kind.HELPLINE,
        "Childline",
        "https://www.childline.org.uk",
        "Free and confidential support for children and young people about anything that worries them, "
        "by phone or online, day and night.",
        phone="0800 1111",
        for_learners=True,
    ),
    _National(
        frozenset({"nspcc", "nspcchelpline"}),
        Agency.Kind.HELPLINE,
        "NSPCC helpline",
        "https://www.nspcc.org.uk",
        "For adults worried about a child: child protection specialists give advice and can pass a concern "
        "on to the right agency.",
        for_parents=True,
    ),
    _National(
        frozenset({"professionalonlinesafetyhelpline", "professionalsonlinesafetyhelpline", "posh"}),
        Agency.Kind.HELPLINE,
        "Professionals Online Safety Helpline",
        "https://saferinternet.org.uk",
        "Advice for anyone who works with children on online safety problems, for example getting harmful "
        "posts about pupils or staff taken down.",
    ),
    _National(
        frozenset({"actionfraud"}),
        Agency.Kind.HELPLINE,
        "Action Fraud",
        "https://www.actionfraud.police.uk",
        "The national place to report fraud and cyber crime: scams, hacked accounts, or someone demanding "
        "money online.",
        for_parents=True,
    ),
)

_POLICE_NOTES = (
    "Call 999 if anyone is in immediate danger. Call 101 to report a crime or pass on information when it "
    "is not an emergency, and write the reference number on the concern."
)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _parse_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


class _Seed:
    """Collects the entries to create, merging duplicates: the first mention wins, later ones fill gaps."""

    def __init__(self, existing: set[str]) -> None:
        self.existing = existing
        self.entries: dict[str, Agency] = {}
        self.aliases: dict[str, str] = {}

    def add(self, *, aliases: frozenset[str] = frozenset(), **fields: Any) -> None:
        name = _text(fields.get("name"))[:200]
        if not name:
            return
        key = _key(name)
        key = self.aliases.get(key, key)
        for alias in aliases:
            self.aliases[alias] = key
        if key in self.existing:
            return
        fields["name"] = name
        fields["phone"] = _text(fields.get("phone"))[:60]
        fields["email"] = self._email(fields.get("email"))
        fields["website"] = self._website(fields.get("website"))
        if key in self.entries:
            current = self.entries[key]
            for field in ("phone", "email", "website", "notes"):
                if not getattr(current, field) and fields.get(field):
                    setattr(current, field, fields[field])
            return
        self.entries[key] = Agency(**fields)

    @staticmethod
    def _email(value: Any) -> str:
        email = _text(value)
        try:
            validate_email(email)
        except ValidationError:
            return ""
        return email

    @staticmethod
    def _website(value: Any) -> str:
        website = normalise_website(_text(value))
        try:
            URLValidator(schemes=["http", "https"])(website)
        except ValidationError:
            return ""
        return website[:300]


def _police_name(text: str) -> str:
    name = text.split("(")[0].strip() or "Police"
    return "Police" if name.lower() in {"police", "the police"} else name[0].upper() + name[1:]


def _local_kind(contact: dict[str, Any]) -> str:
    words = f"{contact.get('name', '')} {contact.get('role', '')}".lower()
    if "police" in words:
        return Agency.Kind.POLICE
    if "lado" in words:
        return Agency.Kind.LADO
    # Only a person whose role is safeguarding advice; a website about safeguarding is just a link.
    if "safeguarding" in _text(contact.get("role")).lower():
        return Agency.Kind.ADVICE_SERVICE
    return Agency.Kind.OTHER


def _policy_contacts(seed: _Seed, school: School, settings: dict[str, Any]) -> None:
    def contacts(name: str) -> list[dict[str, Any]]:
        value = settings.get(name)
        return [c for c in value if isinstance(c, dict)] if isinstance(value, list) else []

    check = "Taken from the school's policy: check these details are still right."
    for contact in contacts("local_online_safety_contacts"):
        role = _text(contact.get("role"))
        seed.add(
            school=school,
            kind=_local_kind(contact),
            name=contact.get("name"),
            phone=contact.get("phone"),
            email=contact.get("email"),
            website=contact.get("url"),
            notes=f"{role}. {check}" if role else check,
            last_verified_on=_parse_day(contact.get("last_verified")),
        )
    for contact in contacts("technical_support_contacts"):
        seed.add(
            school=school,
            kind=Agency.Kind.FILTERING,
            name=contact.get("name"),
            phone=contact.get("phone"),
            email=contact.get("email"),
            website=contact.get("url"),
            notes=f"Technical support named in the school's policy. {check}",
            last_verified_on=_parse_day(contact.get("last_verified")),
        )
    for contact in contacts("national_support_links"):
        seed.add(
            school=school,
            kind=Agency.Kind.HELPLINE,
            name=contact.get("name"),
            phone=contact.get("phone"),
            email=contact.get("email"),
            website=contact.get("url"),
            notes="Listed in the school's policy.",
            last_verified_on=_parse_day(contact.get("last_verified")),
        )


def _local_agencies(seed: _Seed, school: School, settings: dict[str, Any]) -> None:
    police = _text(settings.get("police_service"))
    seed.add(
        school=school,
        kind=Agency.Kind.POLICE,
        name=_police_name(police),
        phone="999 in an emergency; 101 otherwise",
        notes=_POLICE_NOTES,
        for_learners=True,
        for_parents=True,
    )
    seed.add(
        school=school,
        kind=Agency.Kind.SOCIAL_CARE,
        name=_text(settings.get("childrens_social_care_name")) or "Children's social care",
        notes="Where a child may be at risk of significant harm or needs support, the DSL refers through the "
        "local authority's front door. Add its daytime and out-of-hours numbers and its email.",
    )
    seed.add(
        school=school,
        kind=Agency.Kind.LADO,
        name=_text(settings.get("lado")) or "LADO (Local Authority Designated Officer)",
        notes="For a worry that an adult working with children may have harmed a child or may be unsafe "
        "around children. The head contacts them (the chair of governors, if it is about the head). Add the "
        "local authority's LADO number and email.",
    )
    advice = _text(settings.get("advice_service"))
    if advice:
        seed.add(
            school=school,
            kind=Agency.Kind.ADVICE_SERVICE,
            name=advice,
            notes="Advice for the safeguarding team when it is not clear what to do next. Record the advice "
            "given on the concern.",
        )
    cse = _text(settings.get("cse_intelligence_recipient"))
    if cse:
        seed.add(
            school=school,
            kind=Agency.Kind.CSE_TEAM,
            name=cse,
            notes="Pass on information that suggests a child is being sexually exploited.",
        )
    filtering = _text(settings.get("filtering_provider"))
    if filtering:
        seed.add(
            school=school,
            kind=Agency.Kind.FILTERING,
            name=filtering,
            notes="The school's web filtering provider: ask it to block a site that got through, or to "
            "unblock one blocked by mistake.",
        )


def agency_seed_from_policy(*, school: School, actor: Membership | None = None) -> list[Agency]:
    """Fill the directory from the school's policy settings and the national services (REP-23, REP-24).

    Safe to run again: an entry whose name is already in the directory is left alone, so nothing a
    school has corrected is overwritten. Seeded entries start unverified, so each is flagged until
    someone checks it. ``actor`` is None only for system loads (the demo); a person must be on the team.
    """
    if actor is not None:
        if not can_manage_agencies(actor):
            raise PermissionDenied
        school = actor.school
    settings = school.policy_settings if isinstance(school.policy_settings, dict) else {}
    with transaction.atomic():
        existing = {_key(name) for name in Agency.objects.filter(school=school).values_list("name", flat=True)}
        seed = _Seed(existing)
        _local_agencies(seed, school, settings)
        for service in NATIONAL_SERVICES:
            seed.add(
                aliases=service.aliases,
                school=school,
                kind=service.kind,
                name=service.name,
                phone=service.phone,
                website=service.website,
                notes=service.notes,
                for_learners=service.for_learners,
                for_parents=service.for_parents,
            )
        _policy_contacts(seed, school, settings)
        created = Agency.objects.bulk_create(list(seed.entries.values()))
        if created:
            audit.record(
                action="agency.seed",
                actor=actor,
                school=school,
                obj=school,
                changes={"created": [0, len(created)]},
            )
    return created
