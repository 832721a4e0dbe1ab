"""Who may do what with monitoring logs: predicates over the role → capability map only.

Technicians upload logs and device mappings (UPLOAD_FILTER_LOGS); the DSL, deputies and the head
work the alerts (HANDLE_FILTER_ALERTS). Everyone else gets 404 on alerts (FLT-08).
"""

from __future__ import annotations

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, has_capability


def _can(actor: Membership | None, capability: Capability) -> bool:
    # A trust lead's door builds an unsaved, read-only membership: it never writes here.
    return actor is not None and bool(getattr(actor, "role", "")) and has_capability(actor.role, capability)


def can_upload(actor: Membership | None) -> bool:
    return _can(actor, Capability.UPLOAD_FILTER_LOGS)


def can_handle_alerts(actor: Membership | None) -> bool:
    return _can(actor, Capability.HANDLE_FILTER_ALERTS)


def can_manage_lists(actor: Membership | None) -> bool:
    """Allow and block lists: the technician keeps them, the DSL adds false positives."""
    return can_upload(actor) or can_handle_alerts(actor)


def can_change_settings(actor: Membership | None) -> bool:
    """Severities, grouping and retention are a safeguarding decision: the DSL team's."""
    return can_handle_alerts(actor)
