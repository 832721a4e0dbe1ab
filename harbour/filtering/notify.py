"""Telling people something needs them, with no detail: a reference or a due item, and a link (REP-20).

In-app notifications use the project's notification table; emails carry one sentence and a link
behind sign-in, never an address, a name or what was seen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from harbour.accounts.models import Membership, User
from harbour.concerns.models import Notification
from harbour.schools.models import School

logger = logging.getLogger("harbour.filtering.notify")


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
    path = url.removeprefix(settings.SITE_URL)
    Notification.objects.bulk_create([Notification(user=u, school=school, text=text[:200], link=path) for u in users])
    body = f"{email_opening}\n\nSign in to Harbour to see it:\n{url}\n"
    messages = [EmailMessage(subject=email_subject, body=body, to=[u.email]) for u in users if u.email]
    transaction.on_commit(lambda: _send(messages))
    return len(users)


def _send(messages: list[EmailMessage]) -> None:
    # A mail outage must not lose the in-app notification or stop the next reminder: log it instead.
    try:
        get_connection().send_messages(messages)
    except OSError:
        logger.exception("Filtering emails could not be sent")
