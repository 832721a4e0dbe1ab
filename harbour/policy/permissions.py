"""Who may see and change the policy's versions and registers. Predicates only, read from roles.py.

- VIEW_POLICY_RECORDS (every staff role, governors, the trust lead) sees versions, reviews,
  registers and the acknowledgement report (GOV-05, ROL-09).
- MANAGE_POLICY (DSL, head, SLT, school admin) edits drafts, moves versions through approval,
  keeps the registers and chases acknowledgements. Read-only roles never change anything.
- The exceptions list (GOV-22) names people and the permissions they hold: the head and the DSL
  team (HANDLE_CONCERNS) only.
- Review triggers (GOV-04) can also come from the technical side (MANAGE_FILTERING_STANDARDS) and
  from the DSL team when a concern shows a gap.
"""

from __future__ import annotations

from harbour.accounts.models import Membership
from harbour.accounts.roles import READ_ONLY_ROLES, Capability, has_capability


def _can(actor: Membership | None, capability: Capability) -> bool:
    return actor is not None and has_capability(actor.role, capability)


def _writes(actor: Membership | None) -> bool:
    # A trust lead's membership is built unsaved and read-only: it never writes.
    return actor is not None and actor.pk is not None and actor.role not in READ_ONLY_ROLES


def can_view_records(actor: Membership | None) -> bool:
    return _can(actor, Capability.VIEW_POLICY_RECORDS)


def can_manage(actor: Membership | None) -> bool:
    return _writes(actor) and _can(actor, Capability.MANAGE_POLICY)


def can_view_exceptions(actor: Membership | None) -> bool:
    """GOV-22: the head and the DSL team."""
    return _can(actor, Capability.HANDLE_CONCERNS)


def can_manage_exceptions(actor: Membership | None) -> bool:
    return _writes(actor) and _can(actor, Capability.HANDLE_CONCERNS)


def can_record_trigger(actor: Membership | None) -> bool:
    """GOV-04: DSL team, leadership and technical staff may record a review trigger."""
    return _writes(actor) and (
        _can(actor, Capability.MANAGE_POLICY)
        or _can(actor, Capability.HANDLE_CONCERNS)
        or _can(actor, Capability.MANAGE_FILTERING_STANDARDS)
    )


def can_acknowledge(actor: Membership | None) -> bool:
    """Anyone with a real membership can answer their own acknowledgement requests (ROL-09)."""
    return actor is not None and actor.pk is not None
