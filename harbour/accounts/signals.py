"""Audit events for signing in and out, and for failed attempts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from harbour.audit import services as audit


@receiver(user_logged_in)
def _audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(action="auth.login", user=user)


@receiver(user_logged_out)
def _audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(action="auth.logout", user=user)


@receiver(user_login_failed)
def _audit_login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    audit.record(action="auth.login_failed", changes={"email": [None, str(credentials.get("email", ""))[:254]]})
