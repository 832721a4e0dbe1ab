"""Telling people something needs them, with no detail: a reference or a due item, and a link (REP-20).

In-app notifications use the project's notification table; emails carry one sentence and a link
behind sign-in, never an address, a name or what was seen.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.urls import reverse

from harbour.accounts.models import Membership, User
from harbour.concerns.alerts import notify_users
from harbour.schools.models import School


def members_with_roles(school: School, roles: Iterable[str]) -> list[User]:
    members = Membership.objects.filter(school=school, role__in=list(roles), is_active=True, user__is_active=True)
    seen: dict[int, User] = {}
    for membership in members.select_related("user").order_by("user__email"):
        seen.setdefault(membership.user_id, membership.user)
    return list(seen.values())


def link(url_name: str, school: School, **kwargs: object) -> str:
    return f"{settings.SITE_URL}{reverse(url_name, kwargs={'school_slug': school.slug, **kwargs})}"


def notify(
    *, school: School, users: Sequence[User], text: str, email_subject: str, email_opening: str, url: str
) -> int:
    """An in-app notification for each user and an email after commit. Returns how many were told."""
    if not users:
        return 0
    return notify_users(
        school=school,
        users=users,
        text=text,
        link_path=url.removeprefix(settings.SITE_URL),
        email_subject=email_subject,
        email_opening=email_opening,
    )
