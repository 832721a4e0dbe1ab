"""Who may do what with the filtering register and breaches. Predicates only, read from roles.py.

- MANAGE_FILTERING_STANDARDS (technician, DSL, head, SLT) keep the register and the checks.
- VIEW_FILTERING_STANDARDS (all staff, governors) read the register.
- Any member of staff who may report a concern reports a breach (INC-FILT-03) and sees a receipt.
- The safeguarding team (DSL, deputies, head) and the technician see and work breaches.
"""

from __future__ import annotations

from harbour.accounts.models import Membership
from harbour.accounts.roles import READ_ONLY_ROLES, Capability, Role, has_capability

BREACH_HANDLER_ROLES = frozenset(
    role for role in Role if has_capability(role, Capability.HANDLE_FILTERING_BREACHES) and role not in READ_ONLY_ROLES
)


def _real(actor: Membership) -> bool:
    return actor.pk is not None


def can_view_register(actor: Membership) -> bool:
    return has_capability(actor.role, Capability.VIEW_FILTERING_STANDARDS)


def can_manage_register(actor: Membership) -> bool:
    return _real(actor) and has_capability(actor.role, Capability.MANAGE_FILTERING_STANDARDS)


def can_report_breach(actor: Membership) -> bool:
    return _real(actor) and has_capability(actor.role, Capability.REPORT_CONCERN)


def can_handle_breaches(actor: Membership) -> bool:
    """INC-FILT-03, INC-FILT-05: the DSL team, the head and the technician."""
    return _real(actor) and actor.role in BREACH_HANDLER_ROLES


def can_acknowledge_notice(actor: Membership) -> bool:
    """FLT-07: everyone with a login of their own acknowledges the monitoring notice in the app."""
    return _real(actor)
