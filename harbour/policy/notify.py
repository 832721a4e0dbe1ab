"""In-app notifications and emails about the policy. They carry no detail, only a link behind sign-in.

They go through the concerns app's ``notify_users`` (the shared ``Notification`` table, with no
concern attached), so the bell in the page header counts policy reminders too.
"""

from __future__ import annotations

from collections.abc import Sequence

from harbour.accounts.models import User
from harbour.concerns.alerts import notify_users as _notify_users
from harbour.schools.models import School


def notify_users(
    *, school: School, users: Sequence[User], text: str, email_subject: str = "", link_path: str = ""
) -> int:
    """One in-app notification per active user and, when a subject is given, an email sent after commit."""
    unique = list({user.pk: user for user in users if user.is_active}.values())
    if not unique:
        return 0
    return _notify_users(school=school, users=unique, text=text, link_path=link_path, email_subject=email_subject)
