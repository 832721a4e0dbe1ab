"""allauth hooks: no open sign-up (people join by invitation), one client address for every
throttle, and a per-account sign-in slow-down that never locks the owner out (ACC-10)."""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest
from django.urls import reverse

from harbour.accounts import throttle
from harbour.audit import services as audit
from harbour.core.client_address import client_ip

logger = logging.getLogger(__name__)


def _login_name(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()[:254]


class HarbourAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """allauth's rate limits key on the same address as the audit trail (trusted proxies only)."""
        address = client_ip(request)
        if not address:
            raise PermissionDenied("Unable to determine client IP address")
        return address

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        login = _login_name(credentials)
        wait = throttle.wait_seconds(login=login, address=client_ip(request))
        if wait:
            raise ValidationError(
                "There have been several failed attempts to sign in to this account, so it is slowed "
                f"down for its protection. Wait {wait} second{'s' if wait != 1 else ''} and try again."
            )
        super().pre_authenticate(request, **credentials)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login = _login_name(credentials)
        if not login:
            return
        failures = throttle.record_failure(login=login)
        if failures.notify_owner:
            _tell_owner(login, failures.count)


def _tell_owner(login: str, count: int) -> None:
    """Email the account's owner, once per window, that their sign-in is being slowed down.

    Only a link to Harbour: no address, no time, nothing a reader of the mailbox could misuse.
    """
    from harbour.accounts.models import User

    user = User.objects.filter(email__iexact=login, is_active=True).first()
    if user is None:  # unknown addresses get no email (and the page answers the same way)
        return
    audit.record(action="auth.login_slowed", user=user, changes={"failures": [None, count]})
    link = settings.SITE_URL + reverse("account_change_password")
    try:
        send_mail(
            subject="Failed attempts to sign in to your Harbour account",
            message=(
                "Someone has tried several times, without the right password, to sign in to your "
                "Harbour account. Harbour is slowing further attempts down; you can still sign in "
                "as usual.\n\nIf it was not you, sign in and change your password here:\n"
                f"{link}\n\nThen tell your school's Harbour administrator."
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except Exception:  # a mail outage must not turn a wrong password into a 500
        logger.exception("Could not send the sign-in warning email")


class HarbourSocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: object) -> bool:
        # Microsoft or Google sign-in only connects to a login the school already created.
        return False
