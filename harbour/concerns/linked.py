"""How records linked to a concern (a filtering breach, a monitoring alert, a usage review) obey
that concern's door (issue 12, finding 6, INC-STAFF-05).

A breach or alert about a member of staff, once it becomes a concern naming them, must not stay
readable by that person: the record and its count disappear for whoever may not open the concern.
A concern's reference is shown next to a linked record only to those who may open it.
``concern_list`` alone decides who may open a concern.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from harbour.accounts.models import Membership
from harbour.concerns.models import Concern, ConcernStaffSubject
from harbour.concerns.selectors import concern_list


def openable_concerns(actor: Membership) -> QuerySet[Concern]:
    """The concerns the actor may open; none when the concern door refuses them outright."""
    try:
        return concern_list(actor=actor)
    except (Http404, PermissionDenied):
        return Concern.objects.none()


def closed_named_concerns(actor: Membership) -> QuerySet[Concern]:
    """Concerns of the actor's school that name staff and that the actor may not open."""
    return (
        Concern.objects.filter(school=actor.school)
        .filter(Exists(ConcernStaffSubject.objects.filter(concern=OuterRef("pk"))))
        .exclude(pk__in=openable_concerns(actor).values("pk"))
        .values("pk")
    )


def within_concern_door(rows: QuerySet, *, actor: Membership, field: str = "concern") -> QuerySet:
    """``rows`` without those linked to a concern naming staff the actor may not open, each row
    annotated ``concern_openable`` (may the actor open its concern, so see its reference)."""
    openable = openable_concerns(actor).filter(pk=OuterRef(f"{field}_id")).values("pk")
    return rows.exclude(Q(**{f"{field}__in": closed_named_concerns(actor)})).annotate(concern_openable=Exists(openable))
