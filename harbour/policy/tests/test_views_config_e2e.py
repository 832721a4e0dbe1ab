"""Importing a policy configuration in a real browser (GOV-24, GOV-05): the DSL downloads the settings,
uploads an edited file, sees every error with its path, fixes it, checks the preview of what changes and
saves a draft — with no console errors (CSP) and no request leaving the server. Screenshots go to
test-artifacts/.
"""

from __future__ import annotations

import copy
import re

import pytest
from playwright.sync_api import expect

# The browser fixtures live in core's e2e conftest; importing them makes them available here.
from harbour.core.tests.e2e.conftest import (  # noqa: F401
    PageWatch,
    artifacts_dir,
    base_url,
    browser_type_launch_args,
    current_totp_code,
    watched_page,
)
from harbour.core.tests.factories import TEST_PASSWORD
from harbour.policy import selectors, services
from harbour.policy.rules.config_io import dump_yaml, exportable
from harbour.schools import policy_defaults

pytestmark = pytest.mark.e2e


def test_dsl_imports_an_edited_configuration(world, watched_page, artifacts_dir, tmp_path):  # noqa: F811
    services.policy_version_adopt(
        school=world.school, config=copy.deepcopy(policy_defaults.JOY_LANE), note="", approved_on=None
    )
    text = dump_yaml(exportable(selectors.working_config(school=world.school), school_name=world.school.name))
    page, watch = watched_page
    page.goto("/accounts/login/")
    page.fill("input[name=login]", world.dsl.user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", current_totp_code())
    page.press("input[name=code]", "Enter")
    expect(page).to_have_url(re.compile(r"/s/alpha/"))

    page.goto("/s/alpha/policy/manage/configuration/")
    expect(page.get_by_role("heading", name="Policy configuration: import and export")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the settings").click()
    assert download.value.suggested_filename == "alpha-policy.yaml"
    assert download.value.path().read_text(encoding="utf-8") == text

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        text.replace("phone_rule: hand_in_at_office", "phone_rule: banned").replace("debrief_rule:", "debreif_rule:")
    )
    page.get_by_label("Policy configuration file (YAML)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    errors = page.locator("#config-errors")
    expect(errors).to_contain_text("2 problems found")
    expect(errors).to_contain_text("devices.learners.phone_rule: expected one of")
    expect(errors).to_contain_text('did you mean "debrief_rule"?')
    page.screenshot(path=str(artifacts_dir / "policy-config-errors.png"), full_page=True)

    good = tmp_path / "good.yaml"
    good.write_text(text.replace("phone_rule: hand_in_at_office", "phone_rule: switched_off_out_of_sight"))
    page.get_by_label("Policy configuration file (YAML)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("devices.learners.phone_rule")
    expect(table).to_contain_text("hand_in_at_office")
    expect(table).to_contain_text("switched_off_out_of_sight")
    page.screenshot(path=str(artifacts_dir / "policy-config-preview.png"), full_page=True)
    page.get_by_label("What changed and why").fill("Phones stay with pupils, switched off")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("main")).to_contain_text("Saved as draft version 2.")
    assert selectors.working_config(school=world.school)["learner_phone_rule"] == "switched_off_out_of_sight"

    page.goto("/s/alpha/policy/manage/configuration/schema/")
    expect(page.get_by_role("heading", name="6. Devices and mobile phones")).to_be_visible()
    page.screenshot(path=str(artifacts_dir / "policy-config-schema.png"))
    watch.assert_clean()
