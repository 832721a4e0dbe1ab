"""Opening filtering breaches: the staff report and the door for monitoring alerts (INC-FILT-03).

Every write appends a ``BreachEntry`` and an audit event; nothing is deleted or overwritten. The
steps that follow (triage, provider, parents, illegal material, concern, close) are in
``breach_steps``. ``breach_create_from_alert`` is the door the monitoring app uses: plain data in,
a breach out, no knowledge of this app's models needed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, Role, has_capability
from harbour.audit import services as audit
from harbour.filtering import config, notify, permissions
from harbour.filtering.models import Breach, BreachEntry
from harbour.people.models import Learner
from harbour.schools.models import School

FUTURE_SLACK = timedelta(minutes=5)
_ALERT_CATEGORIES = {
    "adult": Breach.Category.ADULT,
    "porn": Breach.Category.ADULT,
    "violence": Breach.Category.VIOLENCE,
    "self_harm": Breach.Category.SELF_HARM,
    "selfharm": Breach.Category.SELF_HARM,
    "suicide": Breach.Category.SELF_HARM,
    "extremism": Breach.Category.EXTREMISM,
    "radicalisation": Breach.Category.EXTREMISM,
    "hate": Breach.Category.HATE,
    "drugs": Breach.Category.DRUGS,
    "gambling": Breach.Category.GAMBLING,
    "weapons": Breach.Category.WEAPONS,
    "proxy": Breach.Category.BYPASS,
    "vpn": Breach.Category.BYPASS,
    "social_networks": Breach.Category.SOCIAL_MEDIA,
    "chat": Breach.Category.SOCIAL_MEDIA,
    "games": Breach.Category.GAMES,
}


def log_entry(
    *, breach: Breach, kind: str, author: Any, text: str = "", data: dict[str, Any] | None = None, amends: Any = None
) -> BreachEntry:
    return BreachEntry.objects.create(
        breach=breach, kind=kind, author=author, text=text, data=data or {}, amends=amends
    )


def _lock(breach: Breach, version: int | None) -> Breach:
    locked = Breach.objects.select_for_update().get(pk=breach.pk)
    if version is not None and locked.version != version:
        raise ValidationError("Someone else changed this breach while you were looking at it. Reload and try again.")
    return locked


def _save(breach: Breach, fields: list[str]) -> None:
    breach.version += 1
    breach.save(update_fields=[*fields, "version", "updated_at"])


def _require_handler(actor: Membership, breach: Breach) -> None:
    if not permissions.can_handle_breaches(actor) or breach.school_id != actor.school.pk:
        raise PermissionDenied


def _next_reference(school: School, now: datetime) -> str:
    School.objects.select_for_update().filter(pk=school.pk).first()  # serialise numbering per school
    prefix = f"B-{now:%Y}-"
    count = Breach.objects.filter(school=school, reference__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def first_recipient_roles(school: School) -> list[str]:
    """INC-FILT-03: who hears first, from ``filtering_breach_first_recipients`` (DSL means the DSL team)."""
    roles: list[str] = []
    for role in config.for_school(school).first_recipients:
        roles.extend([Role.DSL, Role.DEPUTY_DSL] if role == Role.DSL else [role])
    return list(dict.fromkeys(roles))


def _alert_first_recipients(breach: Breach, reporter_id: int | None) -> int:
    users = notify.members_with_roles(breach.school, first_recipient_roles(breach.school))
    users = [u for u in users if u.pk != reporter_id]
    if not users:
        users = [u for u in notify.members_with_roles(breach.school, [Role.HEADTEACHER]) if u.pk != reporter_id]
    return notify.notify(
        school=breach.school,
        users=users,
        text=f"New filtering breach {breach.reference} is waiting to be looked at.",
        email_subject=f"Filtering breach reported at {breach.school.name}",
        email_opening=f"A filtering breach has been reported at {breach.school.name}.",
        url=notify.link("filtering:breach_detail", breach.school, pk=breach.pk),
    )


def _validate(school: School, values: dict[str, Any]) -> Learner | None:
    errors: dict[str, list[str]] = {}
    if not str(values.get("what_seen", "")).strip():
        errors["what_seen"] = ["Describe what was seen or what happened, in words. Never attach a picture of it."]
    if values["occurred_at"] > timezone.now() + FUTURE_SLACK:
        errors["occurred_at"] = ["This is in the future. Give the date and time it happened."]
    for field, choices in (
        ("category", Breach.Category.values),
        ("location", Breach.Location.values),
        ("device_group", Breach.DeviceGroup.values),
    ):
        if values.get(field) not in choices:
            errors[field] = ["Choose one of the options."]
    learner = None
    if values.get("learner_id") is not None:
        learner = Learner.objects.filter(school=school, pk=values["learner_id"]).first()
        if learner is None:
            errors["learner"] = ["That learner is not on this school's roll."]
    if errors:
        raise ValidationError(errors)
    return learner


def _create(*, school: School, actor: Membership | None, source: str, **values: Any) -> Breach:
    learner = _validate(school, values)
    with transaction.atomic():
        now = timezone.now()
        breach = Breach.objects.create(
            school=school,
            reference=_next_reference(school, now),
            source=source,
            reported_by=actor.user if actor is not None else None,
            occurred_at=values["occurred_at"],
            address=str(values.get("address", "")).strip()[:1000],
            device=str(values.get("device", "")).strip()[:200],
            device_group=values["device_group"],
            location=values["location"],
            user_label=str(values.get("user_label", "")).strip()[:200],
            learner=learner,
            category=values["category"],
            what_seen=str(values["what_seen"]).strip(),
            immediate_action=str(values.get("immediate_action", "")).strip(),
            alert_id=values.get("alert_id"),
        )
        log_entry(
            breach=breach,
            kind=BreachEntry.Kind.REPORTED,
            author=breach.reported_by,
            data={"source": source, "category": breach.category},
        )
        audit.record(
            action="filtering.breach_create", actor=actor, school=school, obj=breach, changes={"source": [None, source]}
        )
        _alert_first_recipients(breach, breach.reported_by_id)
    return breach


def breach_report(
    *,
    actor: Membership,
    occurred_at: datetime,
    what_seen: str,
    address: str = "",
    device: str = "",
    device_group: str = Breach.DeviceGroup.OTHER,
    location: str = Breach.Location.UNKNOWN,
    user_label: str = "",
    learner_id: int | None = None,
    category: str = Breach.Category.OTHER,
    immediate_action: str = "",
) -> Breach:
    """A member of staff logs a breach; the first recipients are told, with a link only (INC-FILT-03)."""
    if not permissions.can_report_breach(actor):
        raise PermissionDenied
    return _create(
        school=actor.school,
        actor=actor,
        source=Breach.Source.STAFF,
        occurred_at=occurred_at,
        what_seen=what_seen,
        address=address,
        device=device,
        device_group=device_group,
        location=location,
        user_label=user_label,
        learner_id=learner_id,
        category=category,
        immediate_action=immediate_action,
    )


def breach_create_from_alert(*, actor: Membership | None, school: School, alert_summary: dict) -> Breach:
    """Open a breach from a monitoring alert, given plain data (INC-FILT-03, INC-FILT-06).

    ``alert_summary`` keys: ``category`` (the list's category name), ``person_label`` (username or
    IP address as logged), ``first_seen`` (datetime or ISO text), ``host``; optional ``alert_id``,
    ``count`` and ``learner_id``. ``actor`` is whoever works the alert (None for an automatic rule).
    """
    if actor is not None:
        may = permissions.can_handle_breaches(actor) or has_capability(actor.role, Capability.HANDLE_FILTER_ALERTS)
        if not may or actor.school.pk != school.pk:
            raise PermissionDenied
    first_seen = alert_summary.get("first_seen")
    if isinstance(first_seen, str):
        first_seen = parse_datetime(first_seen)
    if not isinstance(first_seen, datetime):
        raise ValidationError({"first_seen": ["The alert needs the time it was first seen."]})
    if timezone.is_naive(first_seen):
        first_seen = timezone.make_aware(first_seen)
    raw_category = str(alert_summary.get("category") or "").strip()
    category = _ALERT_CATEGORIES.get(raw_category.lower().replace("-", "_"), Breach.Category.OTHER)
    count = alert_summary.get("count")
    label = str(alert_summary.get("person_label") or "").strip()
    what = f"Monitoring alert: requests in the '{raw_category or 'unknown'}' category"
    what += f" ({count} in all)." if count else "."
    return _create(
        school=school,
        actor=actor,
        source=Breach.Source.ALERT,
        occurred_at=first_seen,
        what_seen=what,
        address=str(alert_summary.get("host") or ""),
        user_label=label,
        learner_id=alert_summary.get("learner_id"),
        category=category,
        location=Breach.Location.UNKNOWN,
        device_group=Breach.DeviceGroup.OTHER,
        alert_id=alert_summary.get("alert_id"),
    )
