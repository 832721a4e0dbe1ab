"""Writing audit events. Services call ``record`` on every write; selectors on every read or
export of a safeguarding record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from harbour.audit.models import AuditEvent
from harbour.core.request_context import current_request_meta
from harbour.core.text import clean_data, clean_text

if TYPE_CHECKING:
    from harbour.accounts.models import Membership, User
    from harbour.schools.models import School


def record(
    *,
    action: str,
    actor: Membership | None = None,
    user: User | None = None,
    school: School | None = None,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event.

    ``actor`` is the membership acting in a school; pass ``user`` and ``school`` instead for
    events outside a school (sign-in, token use). The request's IP address and user agent come
    from the request context, so callers never thread them through. Text is stored without
    control characters: a NUL from a file name, a log line or a user agent must not make the
    write (and the action it records) fail on PostgreSQL (issue #12 point 8).
    """
    if actor is not None:
        user = actor.user
        school = school or actor.school
    meta = current_request_meta()
    return AuditEvent.objects.create(
        school=school,
        actor=user if user is not None and user.pk else None,
        actor_email=clean_text(getattr(user, "email", "") or ""),
        actor_role=getattr(actor, "role", "") or "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=clean_text(str(obj))[:200] if obj is not None else "",
        changes=clean_data(changes or {}),
        ip_address=meta.ip_address,
        user_agent=clean_text(meta.user_agent)[:300],
    )


def changed_fields(before: models.Model, after_values: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for the fields whose value differs, as JSON-safe strings."""
    diff: dict[str, list[Any]] = {}
    for field, new in after_values.items():
        old = getattr(before, field)
        if old != new:
            diff[field] = [_plain(old), _plain(new)]
    return diff


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)
