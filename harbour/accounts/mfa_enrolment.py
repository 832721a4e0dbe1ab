"""Setting up the first second factor only through a one-time emailed link (issue #12 point 5).

Rule: a session may add a first authenticator (TOTP app or security key) only while it holds an
*enrolment grant*. A grant comes from proving the mailbox as well as the password:

* opening a set-up link emailed to the user (sent when they are given a role that needs MFA, or
  on request from the "set up two-step sign-in" page), while signed in as that user; or
* accepting an invitation in this session (the invitation link was emailed to them too).

A password sign-in alone never gets a grant, so someone who only knows a newly promoted DSL's
password cannot enrol their own authenticator. The grant lasts ``GRANT_MINUTES`` and ends when
an authenticator is added.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone

from harbour.accounts.models import Membership, MfaEnrolmentLink, User
from harbour.audit import services as audit
from harbour.schools.models import School

GRANT_MINUTES = 30
# A user may ask for a fresh link at most this often (each request emails their own address).
RESEND_SECONDS = 300
_SESSION_GRANT = "harbour_mfa_enrol_grant"


# --- The session grant ---------------------------------------------------------------------------


def grant_set(request: HttpRequest, user: User) -> None:
    request.session[_SESSION_GRANT] = [user.pk, time.time() + GRANT_MINUTES * 60]


def grant_valid(request: HttpRequest) -> bool:
    grant = request.session.get(_SESSION_GRANT)
    return (
        isinstance(grant, list)
        and len(grant) == 2
        and grant[0] == getattr(request.user, "pk", None)
        and time.time() < float(grant[1])
    )


def grant_clear(request: HttpRequest) -> None:
    if hasattr(request, "session"):
        request.session.pop(_SESSION_GRANT, None)


# --- Links ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedEnrolmentLink:
    link: MfaEnrolmentLink
    url: str


def needs_enrolment(user: User) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    return user.is_active and not is_mfa_enabled(user)


def enrolment_link_issue(
    *, actor: Membership | None, user: User, reason: str, school: School | None = None
) -> IssuedEnrolmentLink:
    """Email ``user`` a new one-time set-up link; any older open link stops working.

    ``actor`` is who caused it (the head who appointed them), or None when the user asked for it
    themselves. The email carries the link only: no school detail beyond its name, no role.
    """
    raw, token_hash = MfaEnrolmentLink.new_token()
    school = school or (actor.school if actor is not None else None)
    with transaction.atomic():
        now = timezone.now()
        MfaEnrolmentLink.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        link = MfaEnrolmentLink.objects.create(
            user=user,
            school=school,
            token_hash=token_hash,
            reason=reason[:40],
            expires_at=now + timedelta(hours=settings.HARBOUR_MFA_ENROL_HOURS),
        )
        audit.record(
            action="mfa.enrolment_link_sent",
            actor=actor,
            user=None if actor else user,
            school=school,
            obj=link,
            changes={"for": [None, user.email], "reason": [None, link.reason]},
        )
    url = settings.SITE_URL + reverse("accounts:mfa_enrol", kwargs={"token": raw})
    hours = settings.HARBOUR_MFA_ENROL_HOURS
    transaction.on_commit(
        lambda: send_mail(
            subject="Set up two-step sign-in for Harbour",
            message=(
                "Your Harbour account now needs two-step sign-in (a code from an app on your phone, "
                "or a security key) before you can continue.\n\nSign in, then open this link to set "
                f"it up:\n{url}\n\nThe link works once and expires in {hours} hours. If you did not "
                "expect this email, tell your school's Harbour administrator."
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    )
    return IssuedEnrolmentLink(link=link, url=url)


def enrolment_link_issue_if_needed(*, actor: Membership | None, user: User, school: School, reason: str) -> None:
    """After someone gains a role that needs MFA: send the link unless they already have MFA."""
    if needs_enrolment(user):
        enrolment_link_issue(actor=actor, user=user, school=school, reason=reason)


def enrolment_link_request(*, user: User) -> bool:
    """The user asks for a (new) link to their own address. False when asked too recently."""
    if not cache.add(f"harbour:mfa-enrol-resend:{user.pk}", 1, timeout=RESEND_SECONDS):
        return False
    school = Membership.objects.filter(user=user, is_active=True).select_related("school").order_by("pk").first()
    enrolment_link_issue(actor=None, user=user, school=school.school if school else None, reason="requested")
    return True


def enrolment_link_open_by_token(*, raw_token: str) -> MfaEnrolmentLink:
    """A link that can still be used, or 404 (unknown, used, replaced or expired look alike)."""
    link = (
        MfaEnrolmentLink.objects.select_related("user")
        .filter(token_hash=MfaEnrolmentLink.hash_token(raw_token))
        .first()
    )
    if link is None or not link.is_open:
        raise Http404("This set-up link is not valid")
    return link


def enrolment_link_use(*, request: HttpRequest, link: MfaEnrolmentLink) -> None:
    """Spend the link for the signed-in user and give this session an enrolment grant."""
    with transaction.atomic():
        locked = MfaEnrolmentLink.objects.select_for_update().get(pk=link.pk)
        if not locked.is_open or locked.user_id != request.user.pk:
            raise ValidationError("This set-up link is not valid any more.")
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        audit.record(action="mfa.enrolment_link_used", user=request.user, school=locked.school, obj=locked)
    grant_set(request, request.user)
