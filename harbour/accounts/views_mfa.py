"""Setting up two-step sign-in through the emailed one-time link (issue #12 point 5).

``/mfa/set-up/`` explains what to do and can email a fresh link; ``/mfa/enrol/<token>/`` is the
link itself: signed in as its owner, one press spends it and opens the authenticator set-up.
Opening the link (GET) spends nothing, so a mail scanner that follows links cannot use it up.
"""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from harbour.accounts import mfa_enrolment


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/mfa_enrol_invalid.html", {"hours": settings.HARBOUR_MFA_ENROL_HOURS}, status=404)


@never_cache
@require_http_methods(["GET", "POST"])
def mfa_enrol(request: HttpRequest, token: str) -> HttpResponse:
    if not request.user.is_authenticated:
        # The link alone is not enough: its holder must also know the password.
        return redirect_to_login(request.get_full_path())
    try:
        link = mfa_enrolment.enrolment_link_open_by_token(raw_token=token)
    except Http404:
        return _invalid(request)
    if link.user_id != request.user.pk:
        # Someone else's link: the same answer as a used one, so it tells nothing.
        return _invalid(request)
    if is_mfa_enabled(request.user):
        messages.info(request, "Two-step sign-in is already set up for your account.")
        return redirect("mfa_index")
    if request.method == "POST":
        try:
            mfa_enrolment.enrolment_link_use(request=request, link=link)
        except ValidationError:
            return _invalid(request)
        return redirect("mfa_activate_totp")
    return render(request, "accounts/mfa_enrol.html", {"minutes": mfa_enrolment.GRANT_MINUTES})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup_needed(request: HttpRequest) -> HttpResponse:
    """Where a password-only session is sent instead of the authenticator set-up."""
    if is_mfa_enabled(request.user):
        return redirect("home")
    if mfa_enrolment.grant_valid(request):
        return redirect("mfa_activate_totp")
    if request.method == "POST":
        if mfa_enrolment.enrolment_link_request(user=request.user):
            messages.success(request, f"A new set-up link is on its way to {request.user.email}.")
        else:
            messages.info(request, "A link was sent a few minutes ago; check your inbox (and junk folder).")
        return redirect(reverse("accounts:mfa_setup_needed"))
    context = {"hours": settings.HARBOUR_MFA_ENROL_HOURS, "email": request.user.email}
    return render(request, "accounts/mfa_setup_needed.html", context)


@never_cache
@login_required
def email_managed_by_school(request: HttpRequest) -> HttpResponse:
    """Replaces allauth's "manage email addresses" page: the sign-in address is not changeable here.

    With email verification off (people join by invitation), that page let anyone who knew a
    password add their own address and make it primary, and then receive the MFA set-up link and
    password resets meant for the owner (issue #12 point 5). The school changes an address by
    inviting the new one.
    """
    status = 403 if request.method == "POST" else 200
    return render(request, "accounts/email_managed.html", {"email": request.user.email}, status=status)
