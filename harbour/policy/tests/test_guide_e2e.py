"""The "Can I…?" guide in a real browser (GOV-23): a parent searches the public guide and htmx filters
the questions as they type, with no console errors (CSP) and no request leaving the server; the
learners' page reads in child-friendly words. Screenshots go to test-artifacts/ for people to look at.
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


def test_parent_searches_the_public_guide(
    joy_lane_alpha,
    watched_page,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    """GOV-23: searchable, grouped by topic, verdict badges and clauses; live filtering without a reload."""
    page, watch = watched_page
    page.goto("/s/alpha/policy/can-i/parents/")
    expect(page.get_by_role("heading", name="Can I…? A guide for parents and carers")).to_be_visible()
    expect(page.get_by_text("Can my child bring a phone or other device to school?")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "guide-parents.png"), full_page=True)

    page.get_by_label("Search the questions").fill("exam")
    expect(page.get_by_text("Can my child bring a phone or other device to school?")).to_have_count(0)
    expect(page.get_by_text("Can my child take a phone into an exam?")).to_be_visible()
    expect(page.locator("#results-status")).to_contain_text("1 question found")
    assert "q=exam" in page.url
    expect(page.get_by_text("Policy clauses: 9.3 p6, 9.3 p7")).to_be_visible()
    watch.assert_clean()


def test_learners_page_reads_for_children(
    joy_lane_alpha,
    watched_page,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    page, watch = watched_page
    page.goto("/s/alpha/policy/can-i/learners/")
    expect(page.get_by_role("heading", name="Can I bring my phone to school?")).to_be_visible()
    expect(page.get_by_text("No, you can't.").first).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "guide-learners.png"), full_page=True)
    page.emulate_media(media="print")
    expect(page.locator(".guide__search")).to_be_hidden()
    page.screenshot(path=str(artifacts_dir / "guide-learners-print.png"), full_page=True)
    watch.assert_clean()
