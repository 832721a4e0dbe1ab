"""Browser tests: Playwright drives Debian's Chromium against Django's live server.

Playwright's sync API keeps an asyncio event loop in the test thread, which trips Django's
"no database access from async code" guard although every call here is synchronous. The guard
is lifted for the whole test process as soon as this folder is collected, which is harmless:
tests never run coroutines of their own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from playwright.sync_api import ConsoleMessage, Page, Request

from harbour.core.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
TOTP_PERIOD = 30


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Everything in this folder is an e2e test, so ``-m "not e2e"`` leaves the browser out."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """Debian's Chromium, headless, with nothing that phones home (so the host check below holds).

    Without Chromium the tests are skipped on a laptop, but fail on CI (``CI`` set), where a
    silently skipped browser suite would hide every front-end regression.
    """
    if not Path(CHROMIUM).exists():
        message = f"End-to-end tests need Chromium at {CHROMIUM} (run `make browser`, or apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    """Relative ``page.goto("/...")`` goes to the live server. Defining it here also replaces
    pytest-playwright's fallback fixture, which pytest 9 warns about (defined on a class instance)."""
    return live_server.url


@pytest.fixture
def artifacts_dir(pytestconfig: pytest.Config) -> Path:
    """test-artifacts/ at the repository root (git-ignored), kept for people to look at after a run."""
    path = pytestconfig.rootpath / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@dataclass
class PageWatch:
    """What a page did behind the scenes: console errors (CSP violations land here) and every request."""

    origin: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    def on_request(self, request: Request) -> None:
        self.requests.append(request.url)

    def foreign_requests(self) -> list[str]:
        """Requests that left the live server: Harbour vendors every asset, so there should be none."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme in {"http", "https", "ws", "wss"}
            and f"{urlsplit(url).scheme}://{urlsplit(url).netloc}" != self.origin
        ]

    def assert_clean(self) -> None:
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.foreign_requests(), f"requests to other hosts: {self.foreign_requests()}"


@pytest.fixture
def watched_page(page: Page, live_server) -> tuple[Page, PageWatch]:
    page.set_default_timeout(10_000)
    watch = PageWatch(origin=live_server.url)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    page.on("request", watch.on_request)
    return page, watch


def current_totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The code an authenticator app would show now. Near the end of a 30-second step it waits for the
    next one, because Harbour accepts only the current step (allauth's default tolerance of 0)."""
    if TOTP_PERIOD - time.time() % TOTP_PERIOD < 3:
        time.sleep(TOTP_PERIOD - time.time() % TOTP_PERIOD + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


@pytest.fixture
def sign_in() -> Callable[[Page, str], None]:
    """Fills allauth's sign-in form; the password is the one every persona got from the factories.

    The cache is emptied first: allauth remembers used TOTP codes there by user id for 30 seconds,
    and ids come round again after rolled-back tests, so a code used by an earlier test could be
    refused here. It also forgets the sign-in rate-limit counters of earlier tests.
    """
    cache.clear()

    def submit(page: Page, email: str) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=login]", email)
        page.fill("input[name=password]", TEST_PASSWORD)
        with page.expect_navigation():
            page.press("input[name=password]", "Enter")

    return submit
