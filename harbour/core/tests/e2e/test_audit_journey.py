"""End-to-end: the DSL narrows the audit trail with live filters and finds the export link
(REP-06, REP-07)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from harbour.audit.services import record
from harbour.core.tests.e2e.conftest import current_totp_code

pytestmark = pytest.mark.e2e


def test_dsl_filters_the_audit_trail_live(transactional_db, world, watched_page, sign_in, artifacts_dir):
    record(action="learner.view", actor=world.teacher, obj=world.learner)
    record(action="membership.role_change", actor=world.head, obj=world.teacher, changes={"role": ["teacher", "slt"]})
    page, watch = watched_page
    sign_in(page, world.dsl.user.email)
    page.fill("input[name=code]", current_totp_code())
    page.locator("input[name=code]").press("Enter")
    expect(page).to_have_url(re.compile(r"/s/alpha/$"))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    results = page.locator("#audit-results")
    expect(results).to_contain_text("head@alpha.test")

    page.get_by_label("Action").fill("learner")
    expect(results).not_to_contain_text("head@alpha.test")
    expect(results).to_contain_text("teacher@alpha.test")
    expect(page).to_have_url(re.compile(r"action=learner"))
    expect(page.locator("#results-status")).to_have_text("1 event found")
    expect(results.get_by_role("link", name=re.compile("spreadsheet"))).to_have_attribute(
        "href", re.compile(r"export\.csv\?action=learner$")
    )
    page.screenshot(path=artifacts_dir / "e2e-audit-trail.png", full_page=True)
    watch.assert_clean()
