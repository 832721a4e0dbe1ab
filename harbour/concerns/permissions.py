"""Who may see and work on which concern (REP-07, INC-STAFF-05, INC-RAD-04). Predicates only.

- The safeguarding team (DSL, deputies, head) see the school's concerns.
- A concern naming members of staff (any category) is for the head only, never the whole DSL team;
  if the head is named, it goes to the chair of governors or the school's second route (``routing``).
- A parent or carer of a learner in the concern is left out unless the DSL shares it with them.
- Nobody ever sees a concern about themselves, whatever their role or share.
- Anyone else sees only concerns the team shared with them by name; a reporter gets a receipt.
- A trust safeguarding lead reads the school's concerns (not allegations) but changes nothing.
"""

from __future__ import annotations

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, Role, has_capability
from harbour.concerns import categories, routing
from harbour.concerns.models import Concern

TEAM_ROLES = frozenset(role for role in Role if has_capability(role, Capability.HANDLE_CONCERNS))


def is_team(actor: Membership) -> bool:
    return has_capability(actor.role, Capability.HANDLE_CONCERNS)


def reads_all_concerns(actor: Membership) -> bool:
    """The team, and a trust safeguarding lead (read-only), see the school's ordinary concerns."""
    return has_capability(actor.role, Capability.READ_CONCERNS)


def can_report(actor: Membership) -> bool:
    """REP-01: any member of staff can log a concern (governors use the public route)."""
    return actor.pk is not None and has_capability(actor.role, Capability.REPORT_CONCERN)


def handles_allegations(actor: Membership) -> bool:
    """The head, and whoever the school's route sends allegations about the head to (the chair)."""
    if actor.role == Role.HEADTEACHER or actor.is_chair_of_governors:
        return True
    # Only a trust lead can otherwise be on the route; asking costs queries, so only for them.
    return actor.role == Role.TRUST_SAFEGUARDING_LEAD and actor.user_id in routing.head_route(actor.school).user_ids


def can_manage(actor: Membership, concern: Concern) -> bool:
    """May change the concern: the team for ordinary concerns, the route for concerns about staff.

    Colleagues it is shared with can read and add notes but never manage it (INC-YPSI-01). Nobody
    named in it, and nobody with a conflict of interest the DSL has not cleared, ever may.
    """
    if actor.pk is None or concern.school_id != actor.school.pk:
        return False
    # A row that came through ``selectors.concern_list`` for this user already left out the people
    # named and the conflicted; re-asking would cost queries for every row of a chronology or queue.
    through_door = getattr(concern, "ntk_checked_for", None) == actor.user_id
    if not through_door and (is_subject(actor, concern) or is_conflicted(actor, concern)):
        return False
    has_subjects = concern.ntk_has_subjects if through_door else routing.has_subjects(concern)
    if has_subjects:
        return actor.user_id in routing.route_for(concern).user_ids
    return is_team(actor)


def is_subject(actor: Membership, concern: Concern) -> bool:
    """The actor is one of the members of staff the concern is about (INC-STAFF-05)."""
    if concern.pk is None or actor.user_id is None:
        return False
    return actor.user_id in routing.subject_user_ids(concern)


def is_conflicted(actor: Membership, concern: Concern) -> bool:
    """A parent or carer of a learner in the concern, not cleared by a share from the DSL (REP-20)."""
    return routing.is_conflicted(concern=concern, user=actor.user) and not routing.has_live_share(
        concern=concern, user=actor.user
    )


def category_refuses_images(concern: Concern) -> bool:
    return categories.get(concern.category).refuses_images
