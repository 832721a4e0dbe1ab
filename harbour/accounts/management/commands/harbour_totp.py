"""``manage.py harbour_totp EMAIL``: print a login's current two-step sign-in code.

For demo and development machines, where the demo logins have fixed TOTP secrets
(``make totp EMAIL=dsl@st-james.example``). It reads the secret that allauth stored, so it refuses
to run when ``HARBOUR_ENV=production``: there it would let anyone with shell access pass MFA as anyone.
"""

from __future__ import annotations

import os
import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.accounts import selectors


def current_totp_code(secret: str, *, now: float | None = None) -> tuple[str, int]:
    """The code an authenticator app shows now for ``secret``, and the seconds until it changes."""
    moment = int(time.time() if now is None else now)
    period = app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, moment // period)), period - moment % period


def _which_database() -> str:
    # `make totp` reads DATABASE_URL when it is set, but `make run` always serves the SQLite file:
    # say so, or a PostgreSQL URL left in the shell makes every demo login look missing.
    if os.environ.get("DATABASE_URL"):
        return (
            " in the database DATABASE_URL points at (`make run` uses var/harbour.sqlite3: unset DATABASE_URL for it)"
        )
    return ""


class Command(BaseCommand):
    help = "Print the current 6-digit two-step sign-in code of a login (demo and development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The login's email address, e.g. dsl@st-james.example.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError("harbour_totp only runs on demo and development installations, not in production.")
        email = options["email"]
        user = selectors.user_by_email(email=email)
        if user is None:
            raise CommandError(f"No login with the email address {email}{_which_database()}.")
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            raise CommandError(f"{user.email} has no authenticator app (TOTP) set up, so there is no code to show.")
        code, remaining = current_totp_code(decrypt(authenticator.data["secret"]))
        self.stdout.write(code)
        # On stderr, so `CODE=$(make totp ...)` captures the code alone.
        self.stderr.write(f"Valid for about {remaining} more seconds; each code signs in once.")
