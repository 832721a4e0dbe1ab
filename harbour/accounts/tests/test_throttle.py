"""Sign-in throttling that an attacker cannot turn against the school (issue #12 point 7, ACC-10).

Per address and per account separately; an account is slowed down, never locked, its owner is
emailed once per window, and the address comes from the trusted proxy's header only.
"""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client, override_settings
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.core.tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"
PROXY = "10.0.0.1"
WRONG = "wrong-password-123"


def _attempt(email: str, password: str, *, remote: str = "127.0.0.1", forwarded: str | None = None) -> Client:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    client = Client(**extra)
    client.post(LOGIN, {"login": email, "password": password})
    return client


def _signed_in(client: Client) -> bool:
    return SESSION_KEY in client.session


def test_an_attacker_hammering_the_account_never_locks_its_owner_out(world):
    """The owner signs in from an address they used before, however many failures elsewhere."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert _signed_in(_attempt("teacher@alpha.test", TEST_PASSWORD, remote="192.0.2.10"))
        for n in range(40):
            _attempt("teacher@alpha.test", WRONG, remote=f"203.0.113.{n % 25 + 1}")
            traveller.shift(timedelta(seconds=61))
        assert _signed_in(_attempt("teacher@alpha.test", TEST_PASSWORD, remote="192.0.2.10"))


def test_from_a_new_address_the_account_is_slowed_not_locked(world):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(7):
            traveller.shift(timedelta(seconds=10))
            _attempt("teacher@alpha.test", WRONG, remote="203.0.113.9")
        refused = _attempt("teacher@alpha.test", TEST_PASSWORD, remote="198.51.100.3")
        assert not _signed_in(refused)
        traveller.shift(timedelta(seconds=60))
        assert _signed_in(_attempt("teacher@alpha.test", TEST_PASSWORD, remote="198.51.100.3"))


def test_the_delay_grows_with_failures_up_to_the_maximum(world, settings):
    from harbour.accounts.throttle import delay_after

    assert [delay_after(n) for n in range(4, 9)] == [0, 1, 2, 4, 8]
    assert delay_after(50) == settings.HARBOUR_SIGNIN_MAX_DELAY_SECONDS


def test_the_owner_is_emailed_once_per_window_with_a_link_only(world):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(12):
            _attempt("teacher@alpha.test", WRONG, remote="203.0.113.9")
            traveller.shift(timedelta(seconds=61))
    warnings = [m for m in mail.outbox if m.to == ["teacher@alpha.test"]]
    assert len(warnings) == 1
    body = warnings[0].body
    assert "/accounts/password/change/" in body
    assert "203.0.113.9" not in body
    assert AuditEvent.objects.filter(action="auth.login_slowed", actor=world.teacher.user).count() == 1


def test_unknown_accounts_get_no_email_and_the_same_answer(world):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(6):
            _attempt("nobody@alpha.test", WRONG, remote="203.0.113.9")
            traveller.shift(timedelta(seconds=61))
    assert mail.outbox == []


@override_settings(HARBOUR_TRUSTED_PROXIES=[PROXY])
def test_behind_the_proxy_one_address_failing_does_not_refuse_everyone(world, settings):
    """The per-address limit keys on the client behind the proxy, not on the proxy itself."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "3/15m/ip"}
    with time_machine.travel(timezone.now(), tick=False):
        for n in range(4):
            _attempt(f"nobody{n}@alpha.test", WRONG, remote=PROXY, forwarded="198.51.100.66")
        blocked = _attempt("teacher@alpha.test", TEST_PASSWORD, remote=PROXY, forwarded="198.51.100.66")
        assert not _signed_in(blocked)
        colleague = _attempt("teacher2@alpha.test", TEST_PASSWORD, remote=PROXY, forwarded="198.51.100.67")
        assert _signed_in(colleague)


@override_settings(HARBOUR_TRUSTED_PROXIES=[PROXY])
def test_a_spoofed_forwarded_header_cannot_borrow_the_owners_known_address(world):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # The owner signs in through the proxy from 192.0.2.10: that address is now known.
        assert _signed_in(_attempt("teacher@alpha.test", TEST_PASSWORD, remote=PROXY, forwarded="192.0.2.10"))
        for _ in range(8):
            _attempt("teacher@alpha.test", WRONG, remote="203.0.113.9")
            traveller.shift(timedelta(seconds=5))
        # An attacker connecting directly and claiming the owner's address is still slowed down.
        spoofed = _attempt("teacher@alpha.test", TEST_PASSWORD, remote="203.0.113.9", forwarded="192.0.2.10")
        assert not _signed_in(spoofed)
        event = AuditEvent.objects.filter(action="auth.login_failed").latest("id")
        assert event.ip_address == "203.0.113.9"


def test_a_failed_password_does_not_make_an_address_known(world):
    """Only a complete sign-in (after the second factor) teaches the throttle an address."""
    from harbour.accounts import throttle

    with time_machine.travel(timezone.now(), tick=False):
        _attempt("dsl@alpha.test", TEST_PASSWORD, remote="203.0.113.9")  # password right, no code yet
        for _ in range(6):
            _attempt("dsl@alpha.test", WRONG, remote="203.0.113.9")
        assert throttle.wait_seconds(login="dsl@alpha.test", address="203.0.113.9") > 0
