"""In-app notifications and emails about the policy. They carry no detail, only a link behind sign-in.

Uses the shared ``Notification`` table of the concerns app (with no concern attached), so the bell
in the page header counts policy reminders too.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

from harbour.accounts.models import User
from harbour.concerns.models import Notification
from harbour.schools.models import School

logger = logging.getLogger("harbour.policy.notify")


def policy_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def notify_users(
    *, school: School, users: Sequence[User], text: str, email_subject: str = "", link_path: str = ""
) -> int:
    """One in-app notification per user and, when a subject is given, an email sent after commit."""
    unique: dict[int, User] = {user.pk: user for user in users if user.is_active}
    if not unique:
        return 0
    Notification.objects.bulk_create(
        [
            Notification(user=user, school=school, concern=None, text=text[:200], link=link_path)
            for user in unique.values()
        ]
    )
    if email_subject:
        body = f"{text}\n\nSign in to Harbour to see it:\n{policy_link(link_path)}\n"
        messages = [EmailMessage(subject=email_subject, body=body, to=[u.email]) for u in unique.values() if u.email]
        slug = school.slug
        transaction.on_commit(lambda: _send(messages, slug))
    return len(unique)


def _send(messages: list[EmailMessage], slug: str) -> None:
    # A mail outage must not undo the in-app notifications: log it instead.
    try:
        get_connection().send_messages(messages)
    except OSError:
        logger.exception("Policy emails for %s could not be sent", slug)
