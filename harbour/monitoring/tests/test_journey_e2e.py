"""Issue 6 "Done when", in a real browser against the live server and the database-backed task queue.

A technician uploads a filter log and watches it being scanned (htmx polling while a db_worker
takes the queued split and chunk tasks); the DSL signs in with a second step, sees one grouped alert
for the learner, turns it into a concern and finds that concern in the learner's chronology. A
teacher without need-to-know gets 404 on the alert.

FLT-08, INC-FILT-06, INC-FILT-09.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Concern

# The browser fixtures live in core's e2e conftest; importing them makes them available here.
from harbour.core.tests.e2e.conftest import (  # noqa: F401
    PageWatch,
    artifacts_dir,
    base_url,
    browser_type_launch_args,
    current_totp_code,
    sign_in,
    watched_page,
)
from harbour.monitoring.models import Alert, LogUpload
from harbour.monitoring.tests.logs import grouped_log

pytestmark = pytest.mark.e2e

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def queue_and_media(settings, tmp_path, live_server) -> Path:
    """Tasks wait in the database until a worker takes them, as in production; uploads go to tmp."""
    settings.TASKS = DATABASE_QUEUE
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = live_server.url
    settings.HARBOUR_MONITORING_ENGINE = "reference"
    return tmp_path


def _second_step(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", current_totp_code())
    page.press("input[name=code]", "Enter")


def _run_worker() -> None:
    """One db_worker pass, as any worker on any machine would: split first, then every chunk."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_technician_upload_to_concern_in_the_chronology(
    transactional_db,
    world,
    queue_and_media,
    live_server,
    new_context,
    watched_page,  # noqa: F811
    sign_in,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    """Issue 6: upload → progress (htmx) → grouped alert → concern → learner's chronology; 404 for teacher2."""
    learner = world.learner
    learner.mis_id, learner.last_name = "ada.q", "Quillfeather"
    learner.save(update_fields=["mis_id", "last_name"])
    log = grouped_log(queue_and_media / "access.log")

    # 1. The technician uploads the log; nothing is scanned until a worker takes the queued tasks.
    page, watch = watched_page
    sign_in(page, world.technician.user.email)
    page.goto("/s/alpha/monitoring/uploads/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Filter log uploads")
    page.get_by_label("Log file").set_input_files(str(log))
    page.get_by_label("Format").select_option("auto")
    page.screenshot(path=artifacts_dir / "e2e-monitoring-1-upload.png", full_page=True)
    page.get_by_role("button", name="Upload and scan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload: access.log")
    expect(page.locator("#upload-status")).to_have_text("Received")
    expect(page.locator("#upload-progress")).to_have_attribute("hx-trigger", "every 2s")
    upload = LogUpload.objects.get()
    assert upload.status == "received"

    # 2. A worker takes the split task and the chunk; the page, polling, shows the result without a reload.
    _run_worker()
    expect(page.locator("#upload-status")).to_have_text("Done", timeout=15_000)
    expect(page.locator("#alerts-created")).to_have_text("2")
    expect(page.locator("#upload-progress")).not_to_have_attribute("hx-trigger", "every 2s")
    expect(page.locator("main")).not_to_contain_text("Quillfeather")  # counts only for the technician
    page.screenshot(path=artifacts_dir / "e2e-monitoring-2-scanned.png", full_page=True)
    watch.assert_clean()

    # 3. The DSL, behind a second step, sees one grouped alert for the learner.
    dsl_page = new_context().new_page()
    dsl_page.set_default_timeout(10_000)
    sign_in(dsl_page, world.dsl.user.email)
    _second_step(dsl_page)
    dsl_page.goto("/s/alpha/monitoring/alerts/")
    expect(dsl_page.get_by_role("heading", level=1)).to_have_text("Monitoring alerts")
    row = dsl_page.locator("#alert-results tr").filter(has_text="gambling")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(learner.full_name)
    expect(row.locator("td").nth(2)).to_have_text("3")
    dsl_page.screenshot(path=artifacts_dir / "e2e-monitoring-3-alert-queue.png", full_page=True)

    # 4. The alert page shows the addresses as inert text, and turns the alert into a concern.
    row.get_by_role("link").click()
    expect(dsl_page.get_by_role("heading", level=1)).to_contain_text("gambling")
    expect(dsl_page.locator("main")).to_contain_text("example-casino.test")
    expect(dsl_page.locator("main a[href*='example-casino']")).to_have_count(0)
    convert = dsl_page.locator("section[aria-labelledby=convert-h]")
    expect(convert.get_by_label("Learner")).to_have_value(str(learner.pk))
    convert.get_by_label("Concern category").select_option("filtering_breach")
    convert.get_by_label("Short title").fill("Gambling sites during lessons")
    dsl_page.screenshot(path=artifacts_dir / "e2e-monitoring-4-alert.png", full_page=True)
    convert.get_by_role("button", name="Open a concern").click()
    concern = Concern.objects.get()
    expect(dsl_page).to_have_url(re.compile(rf"/s/alpha/concerns/{concern.pk}/$"))
    expect(dsl_page.locator(".messages")).to_contain_text(f"Concern {concern.reference} opened from this alert.")
    alert = Alert.objects.get(category="gambling")
    assert (alert.status, alert.concern_id) == ("converted", concern.pk)

    # 5. The concern is in the learner's chronology.
    dsl_page.goto(f"/s/alpha/learners/{learner.pk}/chronology/")
    expect(dsl_page.get_by_role("heading", level=1)).to_have_text(f"Chronology: {learner.full_name}")
    expect(dsl_page.locator("#chronology-results")).to_contain_text(concern.reference)
    dsl_page.screenshot(path=artifacts_dir / "e2e-monitoring-5-chronology.png", full_page=True)

    # 6. A teacher without need-to-know gets 404 on the alert, and learns nothing from the page.
    teacher_page = new_context().new_page()
    sign_in(teacher_page, world.teacher2.user.email)
    response = teacher_page.goto(f"/s/alpha/monitoring/alerts/{alert.pk}/")
    assert response is not None
    assert response.status == 404
    expect(teacher_page.locator("body")).not_to_contain_text("Quillfeather")
    expect(teacher_page.locator("body")).not_to_contain_text("example-casino")

    assert AuditEvent.objects.filter(action="monitoring.alert_view", actor=world.dsl.user).count() >= 1
    assert AuditEvent.objects.filter(action="monitoring.alert_to_concern", object_id=str(alert.pk)).count() == 1
    assert not AuditEvent.objects.filter(actor=world.teacher2.user, action="monitoring.alert_view").exists()
