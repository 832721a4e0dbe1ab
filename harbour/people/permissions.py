"""Who may see which people records: predicates only, no hidden queries."""

from __future__ import annotations

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, has_capability


def sees_all_learners(actor: Membership) -> bool:
    return has_capability(actor.role, Capability.VIEW_ALL_LEARNERS)


def sees_class_learners(actor: Membership) -> bool:
    return has_capability(actor.role, Capability.VIEW_CLASS_LEARNERS)


def sees_vulnerability(actor: Membership) -> bool:
    return has_capability(actor.role, Capability.VIEW_VULNERABILITY)


def sees_parents(actor: Membership) -> bool:
    return has_capability(actor.role, Capability.VIEW_PARENTS)


def sees_staff(actor: Membership) -> bool:
    return has_capability(actor.role, Capability.VIEW_STAFF)


def sees_classes(actor: Membership) -> bool:
    return has_capability(actor.role, Capability.VIEW_CLASSES)


def can_import(actor: Membership) -> bool:
    return actor.pk is not None and has_capability(actor.role, Capability.IMPORT_PEOPLE)
