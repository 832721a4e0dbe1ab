"""The filtering-breach journey in a real browser against the live server.

A teacher reports a breach with the address typed in (INC-FILT-03) and sees only a receipt; the
technician opens it, sees the address as inert defanged text (INC-FILT-09) and records the
provider's ticket (INC-FILT-05); the DSL, behind two-step sign-in, turns it into a safeguarding
concern (INC-FILT-06) and teacher2 gets 404 on the breach.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from harbour.concerns.models import Concern

# The browser fixtures live in core's e2e conftest; importing them makes them available here.
from harbour.core.tests.e2e.conftest import (  # noqa: F401
    PageWatch,
    artifacts_dir,
    base_url,
    browser_type_launch_args,
    current_totp_code,
    sign_in,
    watched_page,
)
from harbour.core.tests.factories import TEST_PASSWORD
from harbour.filtering.models import Breach

pytestmark = pytest.mark.e2e

ADDRESS = "https://unsuitable-example.test/page"


def _new_page(new_context, live_server) -> tuple[Page, PageWatch]:
    page = new_context().new_page()
    page.set_default_timeout(10_000)
    watch = PageWatch(origin=live_server.url)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    page.on("request", watch.on_request)
    return page, watch


def _sign_in_with_code(page: Page, email: str, then: str) -> None:
    page.goto(then)
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", current_totp_code())
    page.press("input[name=code]", "Enter")
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


def test_teacher_reports_technician_records_ticket_dsl_makes_a_concern(
    transactional_db,
    world,
    settings,
    live_server,
    new_context,
    watched_page,  # noqa: F811
    sign_in,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    """INC-FILT-03, -05, -06, -09 end to end."""
    settings.SITE_URL = live_server.url

    # 1. The teacher reports the breach and lands on a receipt.
    page, watch = watched_page
    sign_in(page, world.teacher.user.email)
    page.goto("/s/alpha/filtering/breaches/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a filtering breach")
    expect(page.locator("input[type=file]")).to_have_count(0)
    page.get_by_label("What kind of thing it was").select_option("adult")
    page.get_by_label("What was seen or what happened").fill("An adult pop-up appeared over a spelling game.")
    page.get_by_label("Web address, if known").fill(ADDRESS)
    page.get_by_label("Device", exact=True).fill("Year 3 laptop 2")
    page.get_by_label("Kind of device").select_option("laptop")
    page.get_by_label("Where").select_option("classroom")
    page.get_by_label("What you have done so far").fill("Closed the lid.")
    page.screenshot(path=artifacts_dir / "e2e-filtering-1-report.png", full_page=True)
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your breach report B-")
    expect(page.locator("main")).not_to_contain_text("Open the full breach record")
    expect(page.locator("main a[href*='unsuitable-example']")).to_have_count(0)
    breach = Breach.objects.get()
    watch.assert_clean()

    # 2. The technician opens it: the address is inert, defanged text; records the provider ticket.
    tech, tech_watch = _new_page(new_context, live_server)
    sign_in(tech, world.technician.user.email)
    tech.goto(f"/s/alpha/filtering/breaches/{breach.pk}/")
    expect(tech.locator("code.inert-address")).to_have_text("hxxps[://]unsuitable-example[.]test/page")
    expect(tech.locator("main a[href*='unsuitable-example']")).to_have_count(0)
    panel = tech.locator("#panel-provider")
    panel.get_by_label("Provider and who was contacted").fill("LightSpeed service desk")
    panel.get_by_label("Provider's ticket reference").fill("LS-20261")
    panel.get_by_role("button", name="Record the ticket").click()
    expect(tech.locator(".messages")).to_contain_text("ticket reference is recorded")
    expect(tech.locator("[data-ticket]")).to_have_text("LS-20261")
    tech.screenshot(path=artifacts_dir / "e2e-filtering-2-technician.png", full_page=True)
    tech.goto("/s/alpha/filtering/")
    expect(tech.get_by_role("heading", level=1)).to_have_text("Filtering and monitoring")
    expect(tech.locator("[data-status=check]")).to_contain_text("Due now")
    tech.screenshot(path=artifacts_dir / "e2e-filtering-register.png", full_page=True)
    tech_watch.assert_clean()

    # 3. The DSL signs in with a second step and turns the breach into a concern.
    dsl, dsl_watch = _new_page(new_context, live_server)
    _sign_in_with_code(dsl, world.dsl.user.email, f"/s/alpha/filtering/breaches/{breach.pk}/")
    concern_panel = dsl.locator("#panel-concern")
    concern_panel.get_by_label("Kind of concern").select_option("filtering_breach")
    concern_panel.get_by_label("Short title for the concern").fill("Adult pop-up in Year 3")
    concern_panel.get_by_role("button", name="Turn into a concern").click()
    expect(dsl.locator(".messages")).to_contain_text("now a safeguarding concern")
    concern = Concern.objects.get()
    dsl.get_by_role("link", name=concern.reference).click()
    expect(dsl.get_by_role("heading", level=1)).to_contain_text(concern.reference)
    dsl.screenshot(path=artifacts_dir / "e2e-filtering-3-concern.png", full_page=True)
    dsl_watch.assert_clean()
    breach.refresh_from_db()
    assert breach.provider_ticket == "LS-20261"
    assert breach.concern_id == concern.pk

    # 4. Another teacher gets 404 on the breach.
    other, _ = _new_page(new_context, live_server)
    sign_in(other, world.teacher2.user.email)
    response = other.goto(f"/s/alpha/filtering/breaches/{breach.pk}/")
    assert response is not None
    assert response.status == 404
