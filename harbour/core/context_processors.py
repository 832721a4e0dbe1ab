"""Template context every page needs: the acting school and role, and the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from harbour.accounts.roles import Capability, has_capability
from harbour.core.navigation import navigation_for


def harbour(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    unread = 0
    if membership is not None:
        from harbour.concerns.alerts import unread_count

        unread = unread_count(user=request.user, school=membership.school)
    return {
        "unread_notifications": unread,
        "current_school": getattr(request, "school", None),
        "current_membership": membership,
        "nav_items": navigation_for(request, membership) if membership is not None else [],
        # What the acting role may do, for links that should show only to those who can use them
        # ({% if "manage_policy" in capabilities %}); the views still check on every request.
        "capabilities": frozenset(
            cap.value for cap in Capability if membership is not None and has_capability(membership.role, cap)
        ),
    }
