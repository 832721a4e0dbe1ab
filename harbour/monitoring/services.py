"""Writes to the school's monitoring settings and its own allow and block lists (FLT-08).

Keyword-only functions starting with ``actor``; each checks the capability, runs in one
transaction and writes an audit event. List entries are never deleted: removing one stamps it
with who, when and why, so the history of what the school chose to filter stays readable.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.schools.models import School

from . import permissions
from .engine.hosts import split_url
from .models import ListEntry, MonitoringSettings
from .severity import Severity


def settings_for(school: School) -> MonitoringSettings:
    """The school's settings row, created with the defaults the first time it is needed."""
    config, _ = MonitoringSettings.objects.get_or_create(school=school)
    return config


def settings_locked(school: School) -> MonitoringSettings:
    """The settings row under a row lock: the per-school lock that serialises alert merging."""
    settings_for(school)
    return MonitoringSettings.objects.select_for_update().get(school=school)


def _clean_severities(values: dict[str, Any], field: str) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for name, value in values.items():
        name = str(name).strip()
        if not name:
            continue
        if value not in Severity.values:
            raise ValidationError({field: [f"'{value}' is not a severity for {name}."]})
        cleaned[name] = value
    return cleaned


def settings_update(
    *,
    actor: Membership,
    retention_days: int,
    grouping_minutes: int,
    alert_threshold: str,
    category_severity: dict[str, str],
    keyword_severity: dict[str, str],
    digest_enabled: bool,
) -> MonitoringSettings:
    """The DSL team decides retention, grouping and what is worth an alert (FLT-08, FLT-11)."""
    if not permissions.can_change_settings(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not 1 <= retention_days <= 365:
        errors["retention_days"] = ["Keep raw logs between 1 and 365 days."]
    if not 1 <= grouping_minutes <= 7 * 24 * 60:
        errors["grouping_minutes"] = ["The grouping window is between 1 minute and 7 days."]
    if alert_threshold not in Severity.values or alert_threshold == Severity.NONE:
        errors["alert_threshold"] = ["Choose low, medium, high or critical."]
    if errors:
        raise ValidationError(errors)
    categories = _clean_severities(category_severity, "category_severity")
    keywords = _clean_severities(keyword_severity, "keyword_severity")
    with transaction.atomic():
        config = settings_locked(actor.school)
        new = {
            "retention_days": retention_days,
            "grouping_minutes": grouping_minutes,
            "alert_threshold": alert_threshold,
            "category_severity": categories,
            "keyword_severity": keywords,
            "digest_enabled": digest_enabled,
        }
        changes = audit.changed_fields(config, new)
        for name, value in new.items():
            setattr(config, name, value)
        config.updated_by = actor.user
        config.save()
        audit.record(action="monitoring.settings_update", actor=actor, obj=config, changes=changes)
    return config


# --- allow and block lists ---------------------------------------------------------------------


def normalise_entry(raw: str) -> str:
    """A list entry as the engine compares it: lower-case host, path kept as typed.

    ``https://www.Example.org:443/Page`` becomes ``www.example.org/Page``; ``Example.org`` becomes
    ``example.org``. Raises ValidationError for text that holds no host.
    """
    text = raw.strip()
    split = split_url(text) if text else None
    if split is None:
        raise ValidationError({"entry": ["Give a domain such as example.org, or an address such as example.org/page."]})
    host, path = split
    has_path = "/" in text.split("://", 1)[-1]
    return f"{host}{path}" if has_path and path != "/" else host


def list_entry_add(
    *,
    actor: Membership,
    kind: str,
    entry: str,
    reason: str,
    source: str = ListEntry.Source.MANUAL,
    alert: Any = None,
) -> ListEntry:
    """Add a domain or address prefix to the school's allow or block list. Audited."""
    if not permissions.can_manage_lists(actor):
        raise PermissionDenied
    if kind not in ListEntry.Kind.values:
        raise ValidationError({"kind": ["Choose the allow list or the block list."]})
    if not reason.strip():
        raise ValidationError({"reason": ["Say why, so whoever reviews the lists understands the choice."]})
    value = normalise_entry(entry)
    with transaction.atomic():
        if ListEntry.objects.filter(school=actor.school, kind=kind, entry=value, removed_at__isnull=True).exists():
            raise ValidationError({"entry": [f"{value} is already on the {kind} list."]})
        row = ListEntry.objects.create(
            school=actor.school,
            kind=kind,
            entry=value,
            reason=reason.strip(),
            source=source,
            alert=alert,
            added_by=actor.user,
        )
        audit.record(action="monitoring.list_add", actor=actor, obj=row, changes={kind: [None, value]})
    return row


def list_entry_remove(*, actor: Membership, entry: ListEntry, reason: str) -> ListEntry:
    """Take an entry off its list; the row stays with who removed it and why."""
    if not permissions.can_manage_lists(actor) or entry.school_id != actor.school.pk:
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": ["Say why the entry is being removed."]})
    with transaction.atomic():
        locked = ListEntry.objects.select_for_update().get(pk=entry.pk)
        if locked.removed_at is not None:
            raise ValidationError("That entry was already removed.")
        locked.removed_at, locked.removed_by, locked.removed_reason = timezone.now(), actor.user, reason.strip()
        locked.save(update_fields=["removed_at", "removed_by", "removed_reason"])
        audit.record(
            action="monitoring.list_remove", actor=actor, obj=locked, changes={locked.kind: [locked.entry, None]}
        )
    return locked


def live_entries(school: School, kind: str) -> list[str]:
    return list(
        ListEntry.objects.filter(school=school, kind=kind, removed_at__isnull=True).values_list("entry", flat=True)
    )
