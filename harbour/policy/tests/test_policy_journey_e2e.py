"""The versions journey of issue 5 in a real browser: a new version goes from draft to published,
a teacher acknowledges it, and the DSL reads the acknowledgement report and the diff.

GOV-05 (workflow), GOV-19 (key details checked at publication), ROL-09 (acknowledgement), GOV-05 diff.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from harbour.audit.models import AuditEvent
from harbour.core.tests.e2e.conftest import (  # noqa: F401
    PageWatch,
    artifacts_dir,
    base_url,
    browser_type_launch_args,
    current_totp_code,
    sign_in,
    watched_page,
)
from harbour.policy import services
from harbour.policy.models import Acknowledgement, PolicyVersion
from harbour.policy.tests.helpers import base_config

pytestmark = pytest.mark.e2e


def _second_step(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", current_totp_code())
    page.press("input[name=code]", "Enter")
    expect(page).not_to_have_url(re.compile(r"/accounts/2fa/"))


def test_new_version_published_acknowledged_and_compared(
    transactional_db,
    world,
    live_server,
    new_context,
    watched_page,  # noqa: F811
    sign_in,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    """GOV-05, GOV-19, ROL-09: DSL drafts v2 → consultation → advice → governors → approved → published;
    the teacher acknowledges; the DSL sees who has confirmed and the side-by-side diff."""
    services.policy_version_adopt(school=world.school, config=base_config(), note="", approved_on=date(2025, 9, 1))
    page, watch = watched_page
    sign_in(page, world.dsl.user.email)
    _second_step(page)

    # 1. Policy home → a new draft, copied from version 1.
    page.goto("/s/alpha/policy/manage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Online safety policy")
    page.get_by_role("button", name="Start a new version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Version 2")
    draft = PolicyVersion.objects.get(school=world.school, number=2)
    # The settings themselves are edited through the configuration import (another page); do what it does.
    services.policy_version_save_draft(
        actor=world.dsl,
        school=world.school,
        config=base_config(kcsie_edition=2025, dsl_name="Nova Lead"),
        note="KCSIE 2025; new DSL",
    )

    # 2. Through the workflow, one button at a time.
    page.reload()
    page.get_by_label("Who is consulted").fill("Staff, learners and parents and carers")
    page.get_by_role("button", name="Start consultation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("In consultation")
    page.get_by_label("Consultation summary and who is asked for advice").fill("Education safeguarding service")
    page.get_by_role("button", name="Take specialist advice (optional)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Taking specialist advice")
    page.get_by_role("button", name="Send to the governing body for approval").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("awaiting governors")
    page.get_by_label("Date the governing body approved it").fill(
        (timezone.localdate() - timedelta(days=1)).isoformat()
    )
    page.get_by_label("Minute reference").fill("FGB autumn item 7")
    page.get_by_role("button", name="Record approval").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Approved by governors")
    page.screenshot(path=artifacts_dir / "e2e-policy-1-approved.png", full_page=True)
    page.get_by_role("button", name="Publish version 2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published")
    expect(page.locator("main")).to_contain_text("FGB autumn item 7")
    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.PUBLISHED
    assert Acknowledgement.objects.filter(version=draft, user=world.teacher.user).exists()

    # 3. The teacher reads and acknowledges.
    teacher_page = new_context().new_page()
    sign_in(teacher_page, world.teacher.user.email)
    teacher_page.goto("/s/alpha/policy/manage/acknowledge/")
    expect(teacher_page.get_by_role("heading", level=2, name="Version 2")).to_be_visible()
    teacher_page.get_by_label("I have read the policy and will follow it").check()
    teacher_page.get_by_role("button", name="Confirm version 2").click()
    expect(teacher_page.locator(".messages")).to_contain_text("confirmation for version 2 is recorded")
    teacher_page.screenshot(path=artifacts_dir / "e2e-policy-2-acknowledged.png", full_page=True)
    # The teacher cannot see the head's exceptions list: 404, as if it did not exist.
    response = teacher_page.goto("/s/alpha/policy/manage/exceptions/")
    assert response is not None
    assert response.status == 404

    # 4. The DSL reads the report and the diff.
    page.goto(f"/s/alpha/policy/manage/versions/{draft.pk}/acknowledgements/")
    expect(page.locator("main")).to_contain_text("1 of 10")
    confirmed = page.get_by_role("heading", name=re.compile(r"^Confirmed")).locator("xpath=following-sibling::ul[1]")
    expect(confirmed).to_contain_text(world.teacher.user.display_name)
    page.screenshot(path=artifacts_dir / "e2e-policy-3-report.png", full_page=True)
    page.goto("/s/alpha/policy/manage/versions/diff/?a=1&b=2")
    expect(page.locator("ins").filter(has_text="Nova Lead").first).to_be_visible()
    expect(page.locator("del").filter(has_text="Dee Lead").first).to_be_visible()
    page.screenshot(path=artifacts_dir / "e2e-policy-4-diff.png", full_page=True)

    page.goto("/s/alpha/policy/manage/")
    expect(page.locator("main")).to_contain_text("Version 2")
    page.screenshot(path=artifacts_dir / "e2e-policy-5-home.png", full_page=True)
    page.goto("/s/alpha/policy/manage/reviews/")
    page.get_by_label("What happened").select_option("infrastructure")
    page.get_by_label("Describe it").fill("New wireless network over the holiday")
    page.get_by_role("button", name="Record trigger").click()
    expect(page.locator(".messages")).to_contain_text("out-of-cycle review task is open")
    page.screenshot(path=artifacts_dir / "e2e-policy-6-reviews.png", full_page=True)

    assert AuditEvent.objects.filter(action="policy_version.publish", object_id=str(draft.pk)).exists()
    assert AuditEvent.objects.filter(action="policy_ack.acknowledge", actor=world.teacher.user).exists()
    watch.assert_clean()
