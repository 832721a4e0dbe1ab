"""Shared by the accounts tests: TOTP codes for the personas, and a check for what the
Content-Security-Policy (script-src 'self', style-src 'self') would block in a page."""

from __future__ import annotations

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from harbour.core.tests.factories import TEST_TOTP_SECRET

_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
_INLINE_STYLE = re.compile(r"<style|\sstyle\s*=", re.IGNORECASE)
_EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The code an authenticator app would show right now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def csp_violations(html: str) -> list[str]:
    """Inline scripts, style attributes or blocks and inline event handlers found in ``html``."""
    return [*_INLINE_SCRIPT.findall(html), *_INLINE_STYLE.findall(html), *_EVENT_HANDLER.findall(html)]


def open_enrolment_link(client, user) -> None:
    """Issue a one-time MFA set-up link for ``user`` and spend it in ``client``'s session (signed
    in as ``user``), as the owner of the mailbox would (issue #12 point 5)."""
    from harbour.accounts import mfa_enrolment

    url = mfa_enrolment.enrolment_link_issue(actor=None, user=user, reason="test").url
    path = url.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert response.status_code == 302, response.status_code
