"""Issue 12 "Done when", in a real browser: an allegation about the head reaches the chair only.

A teacher reports that the head has been sharing extremist videos (radicalisation category, naming
the head). The head gets 404 on it; the chair of governors is alerted, signs in with a second step
and opens it; the DSL and the deputy see nothing of it: not in the list, the queue or the dashboard
counts. INC-STAFF-05, INC-RAD-04, issue 12 points 1 and 2.
"""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from harbour.concerns.models import Concern, Notification
from harbour.concerns.tests.conftest import make_chair
from harbour.core.tests import factories as f

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

SUMMARY = "Extremist videos shown in the staff room"
DESCRIPTION = "The headteacher has been sharing videos praising a banned group with staff on a group chat."


def _second_step(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", current_totp_code())
    with page.expect_navigation():
        page.press("input[name=code]", "Enter")


def _fresh_page(new_context, live_server) -> Page:
    page = new_context().new_page()
    page.set_default_timeout(10_000)
    return page


def test_allegation_about_the_head_reaches_the_chair_and_nobody_else(
    transactional_db,
    world,
    settings,
    live_server,
    new_context,
    watched_page,  # noqa: F811
    sign_in,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = live_server.url
    head_staff = f.StaffMemberFactory(
        school=world.school, user=world.head.user, first_name="Harriet", last_name="Headley"
    )
    make_chair(world.governor)

    # 1. The teacher names the head on a radicalisation report; the receipt says where it went.
    page, watch = watched_page
    sign_in(page, world.teacher.user.email)
    page.goto("/s/alpha/concerns/report/")
    page.get_by_label("Radicalisation or extremism", exact=True).check()
    page.get_by_label("Which members of staff is it about?").select_option(str(head_staff.pk))
    page.get_by_label("Short title").fill(SUMMARY)
    page.get_by_role("textbox", name=re.compile(r"^What happened\b")).fill(DESCRIPTION)
    page.get_by_role("button", name="Send to the safeguarding team").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your report C-")
    expect(page.locator(".messages")).to_contain_text("has been sent to the chair of governors")
    expect(page.locator("main")).to_contain_text("Your report went to the chair of governors")
    expect(page.locator("main")).not_to_contain_text(world.governor.user.full_name)
    page.screenshot(path=artifacts_dir / "e2e-staff-allegation-1-receipt.png", full_page=True)
    watch.assert_clean()

    concern = Concern.objects.get()
    assert concern.category == "radicalisation_extremism"
    assert list(concern.subject_staff.all()) == [head_staff]
    concern_path = f"/s/alpha/concerns/{concern.pk}/"

    # 2. Only the chair was told; the head, the DSL and the deputy got nothing.
    told = set(Notification.objects.filter(concern=concern).values_list("user__email", flat=True))
    assert told == {world.governor.user.email}
    mailed = {address for message in mail.outbox for address in message.to}
    assert world.governor.user.email in mailed
    assert not mailed & {world.head.user.email, world.dsl.user.email, world.deputy.user.email}

    # 3. The head, signed in with a second step, gets 404 and no trace in the list.
    head = _fresh_page(new_context, live_server)
    sign_in(head, world.head.user.email)
    _second_step(head)
    assert head.goto(concern_path).status == 404
    head.goto("/s/alpha/concerns/")
    expect(head.locator("main")).not_to_contain_text(concern.reference)
    # ...and nothing in the audit trail says it exists, who made it or who looked (issue 12 point 3).
    head.goto("/s/alpha/audit/?q=" + concern.reference)
    expect(head.locator("main")).not_to_contain_text(concern.reference)
    head.goto("/s/alpha/audit/")
    expect(head.locator("main")).not_to_contain_text(concern.reference)
    expect(head.locator("main")).not_to_contain_text("concern.create")

    # 4. The chair signs in (a second step is required of a chair) and opens it.
    chair = _fresh_page(new_context, live_server)
    sign_in(chair, world.governor.user.email)
    _second_step(chair)
    chair.goto("/s/alpha/notifications/")
    expect(chair.locator("main")).to_contain_text(concern.reference)
    response = chair.goto(concern_path)
    assert response.status == 200
    expect(chair.get_by_role("heading", level=1)).to_contain_text(concern.reference)
    expect(chair.locator("main")).to_contain_text(DESCRIPTION)
    chair.screenshot(path=artifacts_dir / "e2e-staff-allegation-2-chair-opens.png", full_page=True)
    # The chair, who may open it, finds its events in the audit trail: the head's and the team's
    # empty view below is the door at work, not an empty trail.
    chair.goto("/s/alpha/audit/")
    expect(chair.locator("main")).to_contain_text(concern.reference)

    # 5. The DSL and the deputy see nothing of it: page, list, queue, dashboard counts.
    for persona in (world.dsl, world.deputy):
        team = _fresh_page(new_context, live_server)
        sign_in(team, persona.user.email)
        _second_step(team)
        assert team.goto(concern_path).status == 404
        for path in ("/s/alpha/concerns/", "/s/alpha/concerns/queue/", "/s/alpha/notifications/"):
            team.goto(path)
            expect(team.locator("main")).not_to_contain_text(concern.reference)
        team.goto("/s/alpha/")
        expect(team.locator("dt:has-text('Waiting for acknowledgement') + dd")).to_have_text("0")
        team.goto("/s/alpha/audit/")
        expect(team.locator("main")).not_to_contain_text(concern.reference)
