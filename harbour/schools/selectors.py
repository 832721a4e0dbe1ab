"""Reads of schools, always through the user's memberships."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from harbour.accounts.models import Membership, TrustRole, User
from harbour.schools.models import School


def school_list_for_user(*, user: User) -> QuerySet[School]:
    """Schools the user may open: active memberships plus every school of a trust they oversee."""
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    direct = Membership.objects.filter(user=user, is_active=True).values("school_id")
    trusts = TrustRole.objects.filter(user=user, is_active=True).values("organisation_id")
    return (
        School.objects.filter(is_active=True)
        .filter(Q(pk__in=direct) | Q(organisation_id__in=trusts))
        .select_related("organisation")
        .order_by("name")
    )
