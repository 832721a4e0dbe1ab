"""Sign-in slow-down per account, which an attacker cannot turn into a lock-out (ACC-10).

Two separate throttles guard the password form:

* per client address (allauth's ``login_failed`` rate, keyed by
  :func:`harbour.core.client_address.client_ip`): one address that keeps failing is refused for a
  while, whichever accounts it tries;
* per account (here): after ``HARBOUR_SIGNIN_FREE_FAILURES`` failures within the window, each
  further attempt waits 1, 2, 4… seconds after the last failure, up to
  ``HARBOUR_SIGNIN_MAX_DELAY_SECONDS``. The account is never locked: guessing becomes slow, while
  an address the owner has already signed in from is not slowed at all, so the real DSL can still
  sign in from school while somebody elsewhere hammers the account. The owner is emailed once per
  window (a link to Harbour, nothing else).

State lives in the cache (use ``HARBOUR_CACHE=database`` when several processes serve Harbour).
Keys are hashes of the sign-in name, so the cache never holds addresses in the clear.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

_KNOWN_ADDRESSES = 20
_KNOWN_SECONDS = 90 * 24 * 3600


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()[:32]


def _state_key(login: str) -> str:
    return f"harbour:signin:account:{_digest(login)}"


def _known_key(login: str) -> str:
    return f"harbour:signin:known:{_digest(login)}"


def _notice_key(login: str) -> str:
    return f"harbour:signin:notice:{_digest(login)}"


def _window_seconds() -> int:
    return int(settings.HARBOUR_SIGNIN_WINDOW.total_seconds())


@dataclass(frozen=True)
class AccountFailures:
    count: int
    last_failure: float
    window_start: float
    # True once per window, on the failure that starts the slow-down: time to tell the owner.
    notify_owner: bool = False


def delay_after(failures: int) -> int:
    """Seconds to wait after the last failure, before the next attempt from an unknown address."""
    free = settings.HARBOUR_SIGNIN_FREE_FAILURES
    if failures < free:
        return 0
    return min(2 ** (failures - free), settings.HARBOUR_SIGNIN_MAX_DELAY_SECONDS)


def _state(login: str, now: float) -> AccountFailures | None:
    raw = cache.get(_state_key(login))
    if not raw:
        return None
    state = AccountFailures(*raw)
    if now - state.window_start > _window_seconds():
        return None
    return state


def _address_known(login: str, address: str | None) -> bool:
    return bool(address) and address in (cache.get(_known_key(login)) or [])


def wait_seconds(*, login: str, address: str | None, now: float | None = None) -> int:
    """How long this attempt must wait; 0 means try the password now."""
    if not login or _address_known(login, address):
        return 0
    now = time.time() if now is None else now
    state = _state(login, now)
    if state is None:
        return 0
    remaining = state.last_failure + delay_after(state.count) - now
    return max(0, math.ceil(remaining))


def record_failure(*, login: str, now: float | None = None) -> AccountFailures:
    """Count one failed password for the account (from any address)."""
    now = time.time() if now is None else now
    state = _state(login, now)
    count = (state.count if state else 0) + 1
    window_start = state.window_start if state else now
    cache.set(_state_key(login), (count, now, window_start), timeout=_window_seconds())
    notify = count >= settings.HARBOUR_SIGNIN_FREE_FAILURES and cache.add(
        _notice_key(login), 1, timeout=_window_seconds()
    )
    return AccountFailures(count, now, window_start, notify_owner=bool(notify))


def record_success(*, login: str, address: str | None) -> None:
    """Remember the address the owner signed in from, so it is never slowed for them.

    The failure count is kept: clearing it on success would let an attacker who also knows a
    colleague's login reset the slow-down.
    """
    if not login or not address:
        return
    known = [a for a in (cache.get(_known_key(login)) or []) if a != address]
    cache.set(_known_key(login), [address, *known][:_KNOWN_ADDRESSES], timeout=_KNOWN_SECONDS)
