"""The published policy in a real browser (GOV-09, ROL-08, ROL-11): a parent opens the policy
without signing in, jumps through the contents, finds the parents' guide and its PDF, and the page
prints without the site's menus. No console errors (CSP) and no request leaves the server.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

# The browser fixtures live in core's e2e conftest; importing them makes them available here.
from harbour.core.tests.e2e.conftest import (  # noqa: F401
    PageWatch,
    artifacts_dir,
    base_url,
    browser_type_launch_args,
    watched_page,
)

pytestmark = pytest.mark.e2e


def test_parent_reads_the_published_policy(
    joy_lane_alpha,
    watched_page,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    page, watch = watched_page
    page.goto("/s/alpha/policy/")
    expect(page.get_by_role("heading", name="Online Safety Policy", level=1)).to_be_visible()
    expect(page.get_by_role("row", name="Named governor for online safety Mrs S Strudley")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "policy-document.png"), full_page=True)

    page.get_by_role("link", name="Roles and responsibilities").click()
    assert page.url.endswith("#s-roles")
    expect(page.locator("#s-roles")).to_be_in_viewport()

    pdf = page.request.get(page.get_by_role("link", name="Download PDF").get_attribute("href"))
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF-")

    page.get_by_role("link", name="All published pages").click()
    page.get_by_role("link", name="Online safety: a guide for parents and carers").click()
    expect(page.get_by_role("heading", name="What we ask of you")).to_be_visible()
    expect(page.get_by_text("ask the school office for the Executive Headteacher")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("link", name="Download PDF")).to_be_hidden()
    watch.assert_clean()
