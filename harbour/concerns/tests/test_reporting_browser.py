"""The report form in a real browser: the htmx learner picker, the category-driven sections and no
Content-Security-Policy violation, on a phone-sized screen (REP-01, REP-05, INC-YPSI-12)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harbour.concerns.models import Concern

# The browser fixtures live in core's e2e conftest; importing them makes them available here.
from harbour.core.tests.e2e.conftest import (  # noqa: F401
    artifacts_dir,
    base_url,
    browser_type_launch_args,
    sign_in,
    watched_page,
)

pytestmark = pytest.mark.e2e


def test_teacher_reports_from_a_phone_with_the_live_learner_picker(
    transactional_db,
    world,
    watched_page,  # noqa: F811
    sign_in,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    for learner, surname in ((world.learner, "Quillfeather"), (world.learner2, "Marchbanks")):
        learner.last_name = surname
        learner.save(update_fields=["last_name"])
    page, watch = watched_page
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, world.teacher.user.email)
    expect(page).to_have_url(re.compile(r"/s/alpha/$"))

    page.goto("/s/alpha/concerns/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a concern")
    guidance = page.locator("#image-guidance")
    # Issue 12: any kind of concern can name the staff it is about, so the picker is always there.
    staff_picker = page.get_by_label("Which members of staff is it about?")
    expect(guidance).to_be_hidden()
    expect(staff_picker).to_be_visible()

    # The picker: typing searches (htmx), "Add" fills the chosen list without leaving the page.
    page.get_by_label("Find a learner by name or UPN").fill("Marchbanks")
    page.get_by_role("button", name="Add Ben Marchbanks").click()
    expect(page.locator("#chosen-learners")).to_contain_text("Ben Marchbanks")
    page.get_by_label("Part played by Ben Marchbanks").select_option("witness")

    page.get_by_label("Nude or sexual images shared by children").check()
    expect(guidance).to_be_visible()
    expect(page.locator("input[type=file]")).to_have_count(0)
    page.get_by_label("Concern about a member of staff").check()
    expect(staff_picker).to_be_visible()
    expect(guidance).to_be_hidden()
    page.get_by_label("Cyberbullying").check()

    page.get_by_label("Short title").fill("Unkind messages")
    page.get_by_label("What happened").fill("A learner showed me messages in a group chat.")
    page.screenshot(path=artifacts_dir / "e2e-report-form-phone.png", full_page=True)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the report form scrolls sideways by {overflow}px on a 360px-wide screen"

    page.get_by_role("button", name="Send to the safeguarding team").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your report C-")
    page.screenshot(path=artifacts_dir / "e2e-report-receipt-phone.png", full_page=True)
    concern = Concern.objects.get()
    assert [(i.learner_id, i.part) for i in concern.involvements.all()] == [(world.learner2.pk, "witness")]
    watch.assert_clean()
