"""Audit events for signing in and out, failed attempts, and the second factor.

Failed second-factor codes and new authenticators are recorded against every school the user
holds a role in, so each school's audit trail shows them (issue #12 point 5).
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.signals import authentication_failed as mfa_authentication_failed
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from harbour.accounts import throttle
from harbour.audit import services as audit
from harbour.core.client_address import client_ip


@receiver(user_logged_in)
def _audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(action="auth.login", user=user)
    if request is not None:
        # Only a complete sign-in (after the second factor) makes an address "known" to the throttle.
        throttle.record_success(login=user.email, address=client_ip(request))


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action="auth.logout", user=user)


@receiver(user_login_failed)
def _audit_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    audit.record(action="auth.login_failed", changes={"email": [None, str(credentials.get("email", ""))[:254]]})


def _record_for_each_school(*, action: str, user: Any, changes: dict | None = None) -> None:
    from harbour.accounts.models import Membership

    school_ids = set()
    for membership in Membership.objects.filter(user=user, is_active=True).select_related("school"):
        if membership.school_id not in school_ids:
            school_ids.add(membership.school_id)
            audit.record(action=action, user=user, school=membership.school, changes=changes)
    if not school_ids:  # a trust lead, or a login with no school: still on the trail
        audit.record(action=action, user=user, changes=changes)


@receiver(mfa_authentication_failed)
def _audit_mfa_failed(sender: Any, request: Any = None, user: Any = None, authenticator: Any = None, **kw: Any) -> None:
    kind = getattr(authenticator, "type", "") or ""
    _record_for_each_school(
        action="auth.mfa_failed",
        user=user,
        changes={"authenticator": [None, str(kind)], "reauthentication": [None, bool(kw.get("reauthentication"))]},
    )


@receiver(authenticator_added)
def _audit_mfa_added(sender: Any, request: Any = None, user: Any = None, authenticator: Any = None, **kw: Any) -> None:
    from harbour.accounts import mfa_enrolment

    if request is not None:
        mfa_enrolment.grant_clear(request)
    _record_for_each_school(
        action="auth.mfa_enrolled", user=user, changes={"authenticator": [None, str(authenticator.type)]}
    )


@receiver(authenticator_removed)
def _audit_mfa_removed(
    sender: Any, request: Any = None, user: Any = None, authenticator: Any = None, **kw: Any
) -> None:
    _record_for_each_school(
        action="auth.mfa_removed", user=user, changes={"authenticator": [None, str(authenticator.type)]}
    )
