"""Who may see and work on which concern (REP-07, INC-STAFF-05, INC-RAD-04). Predicates only.

- The safeguarding team (DSL, deputies, head) see the school's concerns.
- An allegation about a member of staff is for the head only, never the whole DSL team; if it is
  about the head, it goes to the chair of governors instead.
- Nobody ever sees a concern about themselves, whatever their role or share.
- Anyone else sees only concerns the team shared with them by name; a reporter gets a receipt.
- A trust safeguarding lead reads the school's concerns (not allegations) but changes nothing.
"""

from __future__ import annotations

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, Role, has_capability
from harbour.concerns import categories
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
    return actor.role == Role.HEADTEACHER or actor.is_chair_of_governors


def can_manage(actor: Membership, concern: Concern) -> bool:
    """May change the concern: the team for ordinary concerns, the allegation route for allegations.

    Colleagues it is shared with can read and add notes but never manage it (INC-YPSI-01).
    """
    if actor.pk is None or concern.school_id != actor.school.pk or is_subject(actor, concern):
        return False
    if concern.subject_staff_id is not None:
        return _on_allegation_route(actor, concern)
    return is_team(actor)


def is_subject(actor: Membership, concern: Concern) -> bool:
    subject = concern.subject_staff
    return subject is not None and subject.user_id is not None and subject.user_id == actor.user_id


def _on_allegation_route(actor: Membership, concern: Concern) -> bool:
    subject_user_id = concern.subject_staff.user_id if concern.subject_staff else None
    subject_is_head = (
        subject_user_id is not None
        and Membership.objects.filter(
            user_id=subject_user_id, school_id=concern.school_id, role=Role.HEADTEACHER, is_active=True
        ).exists()
    )
    if subject_is_head:
        return actor.is_chair_of_governors
    return actor.role == Role.HEADTEACHER


def category_refuses_images(concern: Concern) -> bool:
    return categories.get(concern.category).refuses_images
