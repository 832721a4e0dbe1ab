"""Sign-in guards: MFA before anything for the safeguarding roles, and an idle timeout."""

from __future__ import annotations

import time
from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from harbour.accounts import mfa_enrolment
from harbour.accounts.selectors import user_requires_mfa

# Pages a user still needs before MFA is set up: signing in and out, the MFA pages themselves.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/invitations/", "/mfa/")
# allauth's "manage email addresses" page, replaced by one that explains the school manages them.
_EMAIL_MANAGEMENT_PATH = "/accounts/email/"
# allauth pages that add a first authenticator: only a session holding an enrolment grant (from
# the emailed link or an invitation) may use them (issue #12 point 5).
_FIRST_AUTHENTICATOR_PATHS = (
    "/accounts/2fa/totp/activate/",
    "/accounts/2fa/webauthn/add/",
    "/accounts/2fa/recovery-codes/generate/",  # allauth refuses it without another factor; so do we
)
_SESSION_REQUIRES_MFA = "harbour_requires_mfa"
_SESSION_LAST_ACTIVITY = "harbour_last_activity"


# How long the answer is cached in the session. Short, so that a teacher promoted to DSL in the
# middle of a session is asked for MFA within a minute rather than at their next sign-in.
_MFA_CHECK_SECONDS = 60


def _requires_mfa(request: HttpRequest) -> bool:
    """Cached briefly per session, so the check costs one query a minute, not one per request."""
    cached = request.session.get(_SESSION_REQUIRES_MFA)
    now = time.time()
    if not cached or len(cached) != 3 or cached[0] != request.user.pk or now - cached[2] > _MFA_CHECK_SECONDS:
        needed = user_requires_mfa(user=request.user, mfa_roles=settings.HARBOUR_MFA_REQUIRED_ROLES)
        request.session[_SESSION_REQUIRES_MFA] = [request.user.pk, needed, now]
        return needed
    return bool(cached[1])


class MFARequiredMiddleware:
    """DSLs, deputies, heads, admins and trust leads must have MFA on before any other page.

    allauth then asks for the second factor at every sign-in, so "MFA enabled" here means the
    session passed it (or set it up just now, which proves the same possession).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and request.path.startswith(_EMAIL_MANAGEMENT_PATH):
            # allauth's own page would let a password alone redirect the account's email.
            from harbour.accounts.views_mfa import email_managed_by_school

            return email_managed_by_school(request)
        if (
            request.user.is_authenticated
            and request.path.startswith(_FIRST_AUTHENTICATOR_PATHS)
            and not is_mfa_enabled(request.user)
            and not mfa_enrolment.grant_valid(request)
        ):
            # A password alone must not set up a second factor: whoever knows a newly promoted
            # DSL's password could otherwise enrol their own phone.
            return redirect(reverse("accounts:mfa_setup_needed"))
        if (
            request.user.is_authenticated
            and not request.path.startswith(_MFA_EXEMPT_PREFIXES)
            and _requires_mfa(request)
            and not is_mfa_enabled(request.user)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "type": "about:blank",
                        "title": "Multi-factor authentication required",
                        "status": 403,
                        "detail": "Set up multi-factor authentication in Harbour before using the API.",
                    },
                    status=403,
                    content_type="application/problem+json",
                )
            if mfa_enrolment.grant_valid(request):
                messages.warning(
                    request,
                    "Your role gives you access to safeguarding information, so you need to set up "
                    "two-step sign-in before you continue.",
                )
                return redirect(reverse("mfa_activate_totp"))
            return redirect(reverse("accounts:mfa_setup_needed"))
        return self.get_response(request)


class IdleTimeoutMiddleware:
    """Signs out an MFA-role user whose session has been idle longer than HARBOUR_IDLE_TIMEOUT."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        watched = (
            request.user.is_authenticated
            and not request.path.startswith(("/static/", "/healthz"))
            and _requires_mfa(request)
        )
        if watched:
            now = time.time()
            last = request.session.get(_SESSION_LAST_ACTIVITY)
            if last is not None and now - last > settings.HARBOUR_IDLE_TIMEOUT.total_seconds():
                return self._sign_out(request)
            request.session[_SESSION_LAST_ACTIVITY] = now
        return self.get_response(request)

    @staticmethod
    def _sign_out(request: HttpRequest) -> HttpResponse:
        path = request.path
        logout(request)
        messages.info(request, "You were signed out after a period of inactivity.")
        login_url = reverse("account_login")
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = login_url
            return response
        if path.startswith("/api/"):
            return JsonResponse(
                {"type": "about:blank", "title": "Session expired", "status": 401},
                status=401,
                content_type="application/problem+json",
            )
        return redirect(f"{login_url}?next={path}")
