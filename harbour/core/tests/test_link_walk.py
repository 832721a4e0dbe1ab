"""No dead links (issue 20): every demo login follows every link it is shown and none is a dead end.

The real demo trust is loaded once for the module (``harbour/schools/demo.py``, the same data
``make run`` serves). Then, for each demo login, a test client signs in (the MFA roles as if they had
passed their second step, like every other test) and walks the site from the home page: every
``<a href>`` on every page it reaches, GET only, inside its own school (a trust lead: its trust's
schools), following redirects. Any link that answers 404, 403 or a server error fails the test, with the
page it was found on. A link a role is shown must be a page that role can open (NAV, ROL-08).

The demo logins come from the demo plan, so a login added there (a chair of governors, say) is
walked without touching this file. The walk is bounded so it stays quick: addresses that differ
only by an id (one learner's page and the next) count as one shape, and only a few of each shape
are opened.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from harbour.accounts.models import User
from harbour.core.tests import factories as f
from harbour.schools import demo

# Per login: how many addresses of one shape to open, and a ceiling on pages in all.
PER_SHAPE = 2
MAX_PAGES = 600
# Not opened: signing out ends the walk, and the document downloads are rendered by WeasyPrint or
# python-docx (seconds each; their own tests cover them).
SKIP_PATHS = (re.compile(r"^/accounts/logout/"), re.compile(r"\.(pdf|docx)$"))
_ID_SEGMENT = re.compile(r"^(\d+|[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{16,}|[A-Za-z0-9_-]{32,})$")


# What a browser's date pickers accept as a value: anything else opens the field empty (issue 20.4).
ISO_VALUE = {
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "datetime-local": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"),
}


class _Page(HTMLParser):
    """The links on a page, and any date input whose value a browser would not understand."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.bad_dates: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(str(found["href"]))
        kind = found.get("type") or ""
        value = found.get("value") or ""
        if tag == "input" and kind in ISO_VALUE and value and not ISO_VALUE[kind].match(value):
            self.bad_dates.append(f"{found.get('name')}={value!r}")


def read_page(html: str) -> _Page:
    parser = _Page()
    parser.feed(html)
    return parser


def shape(url: str) -> str:
    """The address with ids replaced and query values dropped: /s/x/learners/<id>/?page."""
    parts = urlsplit(url)
    path = "/".join("<id>" if _ID_SEGMENT.match(seg) else seg for seg in parts.path.split("/"))
    keys = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return path + ("?" + "&".join(keys) if keys else "")


@dataclass
class Walk:
    """One login's walk: where it went and the dead ends it met."""

    allowed_prefixes: tuple[str, ...]
    seen: set[str] = field(default_factory=set)
    shapes: dict[str, int] = field(default_factory=dict)
    dead: list[str] = field(default_factory=list)
    opened: int = 0

    def wants(self, url: str) -> bool:
        path = urlsplit(url).path
        if url in self.seen or any(p.search(path) for p in SKIP_PATHS):
            return False
        if not path.startswith(self.allowed_prefixes):
            return False
        key = shape(url)
        if self.shapes.get(key, 0) >= PER_SHAPE:
            return False
        self.shapes[key] = self.shapes.get(key, 0) + 1
        return True


def _local(base: str, href: str) -> str | None:
    """The site-local address an href points to, or None for mail, phone, anchors and other hosts."""
    if href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    absolute = urljoin("http://testserver" + base, href)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def walk(client: Client, starts: list[str], allowed_prefixes: tuple[str, ...]) -> Walk:
    state = Walk(allowed_prefixes=allowed_prefixes)
    queue: deque[tuple[str, str]] = deque((start, "(start)") for start in starts)
    state.seen.update(starts)
    while queue and state.opened < MAX_PAGES:
        url, found_on = queue.popleft()
        response = client.get(url)
        state.opened += 1
        if response.status_code in (403, 404) or response.status_code >= 500:
            state.dead.append(f"{response.status_code} {url}  (linked from {found_on})")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            target = _local(url, response["Location"])
            if target and target not in state.seen and state.wants(target):
                state.seen.add(target)
                queue.append((target, f"redirect from {url}"))
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = read_page(response.content.decode("utf-8", errors="replace"))
        state.dead += [f"date input {bad} is not ISO on {url}" for bad in page.bad_dates]
        for href in page.hrefs:
            target = _local(url, href)
            if target and state.wants(target):
                state.seen.add(target)
                queue.append((target, url))
    return state


def _logins() -> list[tuple[str, tuple[str, ...]]]:
    """Every demo login and the schools it belongs to (the trust lead: all of the trust's)."""
    plan = demo.build_plan()
    logins = [(login.email, (school.slug,)) for school in plan.schools for login in school.logins]
    return [*logins, (plan.trust_login.email, tuple(school.slug for school in plan.schools))]


LOGINS = _logins()
# Not a demo login, but a role of its own: appointed by the server operator, it reads every school's
# audit trail. The walk checks its menus too.
AUDITOR_EMAIL = "auditor@harbour-demo.example"


@pytest.fixture(scope="module")
def demo_trust(django_db_setup, django_db_blocker):
    """The demo trust, loaded once and rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("harbour_demo", verbosity=0)
        f.UserFactory(email=AUDITOR_EMAIL, mfa=True)
        call_command("audit_auditor", "appoint", AUDITOR_EMAIL, "--trust", demo.ORGANISATION_SLUG, stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _prefixes(schools: tuple[str, ...]) -> tuple[str, ...]:
    # The account pages and the API docs are everyone's; everything else belongs to a school.
    school_pages = [f"/s/{slug}/" for slug in schools] + [f"/report/{slug}/" for slug in schools]
    return ("/accounts/", "/api/v1/docs/", "/api/v1/schema/", *school_pages)


def test_every_link_each_demo_login_is_shown_opens(demo_trust, db):
    """Issue 20: no 404 and no server error behind any link or menu entry, for every demo login.

    One test for all the logins rather than one per login: the demo is loaded once, whichever
    worker runs it. The failure message names every login that met a dead link.
    """
    failures = []
    for email, schools in [*LOGINS, (AUDITOR_EMAIL, demo.SCHOOL_SLUGS)]:
        client = Client()
        client.force_login(User.objects.get(email=email))
        result = walk(client, ["/"], _prefixes(schools))
        if result.opened <= 5:
            failures.append(f"{email} reached only {result.opened} pages")
        failures += [f"{email}: {dead}" for dead in result.dead]
    assert len(LOGINS) >= 23
    assert not failures, "dead links:\n" + "\n".join(failures)


# The addresses README.md gives newcomers, on the address `make run` serves by default.
_README_ADDRESS = re.compile(r"http://127\.0\.0\.1:8000(/[^\s|)`*]*)")


def readme_addresses() -> list[str]:
    return sorted(set(_README_ADDRESS.findall((settings.BASE_DIR / "README.md").read_text(encoding="utf-8"))))


def test_every_public_address_in_the_readme_opens_without_sign_in(demo_trust, db):
    """README's public pages (report form, help, policy, "Can I…?" guides, API docs) answer 200,
    and nothing they link to is dead for a visitor who is not signed in."""
    addresses = readme_addresses()
    assert "/report/st-james/" in addresses
    client = Client()
    for address in addresses:
        assert client.get(address).status_code == 200, address
    result = walk(client, addresses, _prefixes(demo.SCHOOL_SLUGS))
    assert not result.dead, "dead links on the public pages:\n" + "\n".join(result.dead)
