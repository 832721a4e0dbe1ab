"""Journey in a real browser (issue #13 "done when"; INC-YPSI-12, INC-YPSI-13, REP-08).

A DSL adds a screenshot to a cyberbullying concern, then learns the messages included a nude image
and re-categorises the concern as youth-produced sexual imagery. At once the screenshot is
unreachable for everyone — the DSL's own browser gets 404 on its old link, and so do the deputy and
the head — the files panel says files are switched off, and the DSL destroys the screenshot: its
bytes and its name go, the record that it existed stays.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from harbour.audit.models import AuditEvent
from harbour.concerns import services
from harbour.concerns.models import Attachment, FollowUp

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


def _screenshot() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 24), (240, 240, 250)).save(buffer, "PNG")
    return buffer.getvalue()


def test_dsl_recategorises_a_bullying_concern_and_destroys_the_screenshot(
    transactional_db,
    world,
    settings,
    tmp_path,
    watched_page,  # noqa: F811
    sign_in,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    media = Path(settings.MEDIA_ROOT)
    concern = services.concern_report(
        actor=world.teacher,
        category="cyberbullying",
        occurred_at=timezone.now() - timedelta(hours=3),
        summary="Messages in a class group chat",
        description="A learner showed me messages in a group chat calling her names.",
        involvements=[services.Involvement(learner_id=world.learner.pk, part="affected")],
    )
    concern_path = f"/s/alpha/concerns/{concern.pk}/"
    page, watch = watched_page
    sign_in(page, world.dsl.user.email)
    page.fill("input[name=code]", current_totp_code())
    page.locator("input[name=code]").press("Enter")
    expect(page).to_have_url(re.compile(r"/s/alpha/$"))

    # 1. On a bullying concern, a screenshot of the messages is accepted.
    page.goto(concern_path)
    files = page.locator("#files")
    files.get_by_label("Document or screenshot").set_input_files(
        {"name": "group-chat.png", "mimeType": "image/png", "buffer": _screenshot()}
    )
    files.get_by_role("button", name="Add the file").click()
    expect(page.locator(".messages")).to_contain_text("was added to the concern")
    screenshot = Attachment.objects.get()
    download = f"{concern_path}attachments/{screenshot.pk}/download/"
    expect(page.locator(f"a[href='{download}']")).to_have_text("group-chat.png")
    assert page.request.get(download).status == 200
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1

    # 2. The DSL learns a nude image was among the messages and re-categorises the concern.
    page.goto(concern_path)
    page.get_by_label("New category").select_option("youth_produced_sexual_imagery")
    page.get_by_label("Why the category is changing").fill("The messages included a nude image of a learner.")
    page.get_by_role("button", name="Change category").click()
    expect(page.locator(".messages")).to_contain_text("ategor")

    # 3. The screenshot is unreachable at once, for the DSL too; the panel offers no upload.
    files = page.locator("#files")
    expect(files).to_contain_text("Files are switched off on this concern")
    expect(files).to_contain_text("Withheld")
    expect(files).not_to_contain_text("group-chat.png")
    expect(page.locator(f"a[href='{download}']")).to_have_count(0)
    expect(files.locator("input[type=file]")).to_have_count(0)
    page.screenshot(path=str(artifacts_dir / "e2e-withheld-screenshot.png"), full_page=True)
    assert page.request.get(download).status == 404
    for persona in ("deputy", "head"):
        client = Client()
        client.force_login(world.persona(persona).user)
        assert client.get(download).status_code == 404, persona
    assert (
        not AuditEvent.objects.filter(action="concern.attachment_download")
        .exclude(created_at__lt=Attachment.objects.get().withheld_at)
        .exists()
    )
    assert FollowUp.objects.filter(concern=concern, kind=FollowUp.Kind.FILE_DESTRUCTION, done_at=None).exists()

    # 4. The DSL destroys it; only the record that it existed is kept.
    files.get_by_role("link", name=re.compile(r"^Destroy")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Destroy a withheld file")
    page.get_by_label(re.compile("I understand that the file will be deleted for good")).check()
    page.get_by_role("button", name="Destroy the file for good").click()
    expect(page.locator(".messages")).to_contain_text("The file was destroyed")
    expect(page.locator("#files")).to_contain_text("Destroyed")
    expect(page.locator("main")).not_to_contain_text("group-chat.png")
    page.screenshot(path=str(artifacts_dir / "e2e-destroyed-screenshot.png"), full_page=True)
    destroyed = Attachment.objects.get()
    assert destroyed.destroyed_by == world.dsl.user
    assert destroyed.original_name == ""
    assert destroyed.sha256
    assert destroyed.name_sha256
    assert [p for p in media.rglob("*") if p.is_file()] == []
    assert page.request.get(download).status == 404
    assert FollowUp.objects.get(concern=concern, kind=FollowUp.Kind.FILE_DESTRUCTION).done_at is not None
    watch.assert_clean()
