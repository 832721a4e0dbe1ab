"""End-to-end journeys in a real browser: signing in (with the second step for the DSL), the
dashboard, and a teacher finding their own pupil.

Each journey also checks what a unit test cannot: that the page raised no console error (a
Content-Security-Policy violation shows up there) and fetched nothing from any other host.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harbour.core.tests.e2e.conftest import current_totp_code

pytestmark = pytest.mark.e2e


def test_dsl_signs_in_with_two_steps_and_sees_the_dashboard(
    transactional_db, world, watched_page, sign_in, artifacts_dir
):
    """The DSL, a role that must use two-step sign-in, passes password and TOTP code, then sees the
    school's dashboard naming the safeguarding contacts (ROL-03)."""
    page, watch = watched_page
    sign_in(page, world.dsl.user.email)

    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", current_totp_code())
    # Enter submits the field's own form; the page has other submit buttons (cancel, sign out).
    page.press("input[name=code]", "Enter")

    expect(page).to_have_url(re.compile(r"/s/alpha/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(world.school.name)
    expect(page.get_by_role("heading", name="Safeguarding contacts")).to_be_visible()
    expect(page.locator("main")).to_contain_text(world.dsl.user.display_name)
    page.screenshot(path=artifacts_dir / "e2e-dashboard.png", full_page=True)

    # WCAG 2.2 reflow (1.4.10): on a phone-sized screen nothing may need sideways scrolling.
    page.set_viewport_size({"width": 360, "height": 780})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    page.screenshot(path=artifacts_dir / "e2e-dashboard-phone.png", full_page=True)
    assert overflow <= 0, f"the dashboard scrolls sideways by {overflow}px on a 360px-wide screen"
    watch.assert_clean()


def test_teacher_finds_their_own_learner(transactional_db, world, watched_page, sign_in, artifacts_dir):
    """ROL-01 need-to-know: a teacher (no second step) searches the learner list and finds the pupil
    they teach; a pupil of another class is not offered."""
    # Surnames found nowhere else, so the search can only match the pupil it is meant to.
    for learner, surname in ((world.learner, "Quillfeather"), (world.learner2, "Marchbank")):
        learner.last_name = surname
        learner.save(update_fields=["last_name"])
    page, watch = watched_page
    sign_in(page, world.teacher.user.email)
    expect(page).to_have_url(re.compile(r"/s/alpha/$"))

    page.goto("/s/alpha/learners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Learners")
    results = page.locator("#learner-results")
    expect(results).not_to_contain_text("Marchbank")  # the other class's pupil, before any search
    page.fill("input[name=q]", "quill")
    expect(results).to_contain_text("Quillfeather, Ada")
    expect(results).to_contain_text("1 learner found")
    expect(page).to_have_url(re.compile(r"[?&]q=quill"))
    page.screenshot(path=artifacts_dir / "e2e-learner-search.png", full_page=True)
    watch.assert_clean()
