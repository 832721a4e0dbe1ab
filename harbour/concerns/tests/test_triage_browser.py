"""The concern list and page in a real browser, phone-sized: live filtering with htmx, grading the
risk, revealing hidden addresses as inert text, and no Content-Security-Policy violation (REP-07,
INC-IIOC-07, INC-FILT-09)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from harbour.concerns import services
from harbour.concerns.models import Concern

# The browser fixtures live in core's e2e conftest; importing them makes them available here.
from harbour.core.tests.e2e.conftest import (  # noqa: F401
    artifacts_dir,
    base_url,
    browser_type_launch_args,
    current_totp_code,
    sign_in,
    watched_page,
)

pytestmark = pytest.mark.e2e


def _report(world, category: str, summary: str, description: str) -> Concern:
    return services.concern_report(
        actor=world.teacher,
        category=category,
        occurred_at=timezone.now() - timedelta(hours=1),
        summary=summary,
        description=description,
        involvements=[services.Involvement(learner_id=world.learner.pk, part="affected")],
    )


def test_dsl_filters_the_list_and_works_a_concern_on_a_phone(
    transactional_db,
    world,
    watched_page,  # noqa: F811
    sign_in,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    breach = _report(
        world, "filtering_breach", "Game site reached in ICT", "The filter let http://bad.example.com/x in."
    )
    bullying = _report(world, "cyberbullying", "Group chat names", "Names were called in a chat.")
    page, watch = watched_page
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, world.dsl.user.email)
    page.fill("input[name=code]", current_totp_code())
    page.locator("input[name=code]").press("Enter")
    expect(page).to_have_url(re.compile(r"/s/alpha/$"))

    page.goto("/s/alpha/concerns/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Concerns")
    page.get_by_label("Category").select_option("filtering_breach")
    results = page.locator("#concern-results")
    expect(results).not_to_contain_text(bullying.reference)
    expect(results).to_contain_text(breach.reference)
    expect(page).to_have_url(re.compile(r"category=filtering_breach"))

    page.get_by_role("link", name=breach.reference).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(breach.reference)
    expect(page.locator("main")).not_to_contain_text("bad.example.com")
    page.get_by_role("link", name="Show the web addresses").click()
    address = page.locator("code.inert-address").first
    expect(address).to_have_text("http://bad.example.com/x")
    expect(page.locator("a[href*='bad.example.com']")).to_have_count(0)

    page.get_by_label("Risk", exact=True).select_option("high")
    page.get_by_label("Why this level").fill("Repeated attempts to get round the filter")
    page.get_by_role("button", name="Save risk").click()
    expect(page.locator(".messages")).to_contain_text("Risk graded.")
    expect(page.locator(".lead")).to_contain_text("Risk: High")
    page.screenshot(path=str(artifacts_dir / "e2e-concern-detail-phone.png"), full_page=True)
    watch.assert_clean()
