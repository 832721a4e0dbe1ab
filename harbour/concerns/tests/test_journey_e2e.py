"""The journey issue 4 is "done" on, in a real browser against the live server and a real SMTP server.

A teacher logs a concern about nude images shared between two learners; the DSL hears about it by
email (a link and nothing else), opens it behind a two-step sign-in, is stopped from attaching a
picture, works the checklist, records a decision and a referral, and finds the referral in the
learner's chronology. A teacher without need-to-know gets 404 on both pages, and the audit trail
holds a view event for every time the concern and the chronology were opened.

REP-01, REP-05, REP-07, REP-16, REP-20, REP-21, INC-YPSI-02, INC-YPSI-03, INC-YPSI-12, ROL-03.
"""

from __future__ import annotations

import io
import re
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from PIL import Image
from playwright.sync_api import Page, Response, expect

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Attachment, Concern, ConcernLearner, Decision, Referral

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
from harbour.core.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.e2e

CATEGORY_LABEL = "Nude or sexual images shared by children"
SUMMARY = "Picture passed round a year 3 group chat"
DESCRIPTION = "At lunch a pupil told me a picture of her had been passed round a group chat by another pupil."
OWN_WORDS = "He said he would send it to the whole class if I told anyone."
MAIL_WAIT_SECONDS = 10


# --- a real SMTP server --------------------------------------------------------------------------


class Inbox:
    """An aiosmtpd handler that keeps every envelope it is handed."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # the name aiosmtpd calls
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def wait_for(self, address: str, *, timeout: float = MAIL_WAIT_SECONDS) -> tuple[EmailMessage, bytes]:
        """The first message sent to ``address``; mail goes out after commit, so allow a moment."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for envelope in list(self.envelopes):
                if address in envelope.rcpt_tos:
                    return message_from_bytes(envelope.content, policy=policy.default), envelope.content
            time.sleep(0.05)
        raise AssertionError(f"no mail reached {address}; envelopes: {[e.rcpt_tos for e in self.envelopes]}")

    def recipients(self) -> set[str]:
        return {address for envelope in self.envelopes for address in envelope.rcpt_tos}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_inbox(settings, live_server, tmp_path) -> Iterator[Inbox]:
    """aiosmtpd on a free local port, with Django sending real SMTP to it and links pointing at the live server.

    Uploads would land under ``tmp_path``, so the test can prove a refused file left nothing behind.
    """
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = controller.hostname
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = live_server.url
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path
    try:
        yield inbox
    finally:
        controller.stop()


# --- browser helpers -----------------------------------------------------------------------------


@dataclass
class ConcernHits:
    """Every answer the live server gave to a page under one concern's address, as seen by the browser."""

    prefix: str
    hits: list[tuple[str, str, int, str]] = field(default_factory=list)

    def on_response(self, response: Response) -> None:
        path = urlsplit(response.url).path
        if path.startswith(self.prefix):
            location = response.headers.get("location", "")
            self.hits.append((response.request.method, path, response.status, location))

    def reached_the_concern(self) -> list[tuple[str, str, int, str]]:
        """Requests that got past sign-in: a redirect to the login page never touched the concern."""
        return [hit for hit in self.hits if "/accounts/login/" not in hit[3]]

    def page_opens(self) -> int:
        return sum(
            1 for method, path, status, _ in self.hits if method == "GET" and path == self.prefix and status == 200
        )


def _watch(page: Page, origin: str) -> PageWatch:
    page.set_default_timeout(10_000)
    watch = PageWatch(origin=origin)
    page.on("console", watch.on_console)
    page.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    page.on("request", watch.on_request)
    return watch


def _assert_clean(watch: PageWatch, *, expected: set[tuple[int, str]] = frozenset()) -> None:
    """``PageWatch.assert_clean``, except that Chromium logs every error status it is shown, even an
    expected one (a refused upload's 400, a 404): those ``(status, path)`` pairs alone are let through."""
    shown = re.compile(r"^Failed to load resource: the server responded with a status of (\d{3}) .* @ (\S+)$")
    unexpected = []
    for error in watch.console_errors:
        match = shown.match(error)
        if not (match and (int(match[1]), urlsplit(match[2]).path) in expected):
            unexpected.append(error)
    assert not unexpected, f"console errors: {unexpected}"
    assert not watch.foreign_requests(), f"requests to other hosts: {watch.foreign_requests()}"


def _png_bytes() -> bytes:
    """A small, genuine PNG: the guard must judge the content, whatever the name claims."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def _add_learner(page: Page, search: str, name: str) -> None:
    page.get_by_label("Find a learner by name or UPN").fill(search)
    page.get_by_role("button", name=f"Add {name}").click()
    expect(page.locator("#chosen-learners")).to_contain_text(name)


def _teacher_reports(page: Page, learner: str, learner2: str, artifacts: Path) -> None:
    page.goto("/s/alpha/concerns/report/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a concern")
    page.get_by_label(CATEGORY_LABEL, exact=True).check()
    expect(page.locator("#image-guidance")).to_be_visible()
    expect(page.locator("input[type=file]")).to_have_count(0)
    _add_learner(page, "Quillfeather", learner)
    _add_learner(page, "Marchbanks", learner2)
    expect(page.get_by_label(f"Part played by {learner}", exact=True)).to_have_value("affected")
    page.get_by_label(f"Part played by {learner2}", exact=True).select_option("alleged")
    page.get_by_label("Short title").fill(SUMMARY)
    page.get_by_role("textbox", name=re.compile(r"^What happened\b")).fill(DESCRIPTION)
    page.get_by_label("What the child said, in their own words").fill(OWN_WORDS)
    page.get_by_label("I am recording this for a learner who came to me").check()
    page.get_by_label("What you have done so far").fill("Reassured her and told the DSL in person straight away.")
    page.screenshot(path=artifacts / "e2e-journey-1-report-form.png", full_page=True)
    page.get_by_role("button", name="Send to the safeguarding team").click()


def _dsl_signs_in_from_the_link(page: Page, link: str, email: str) -> None:
    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", current_totp_code())
    # Enter submits the code's own form; the page has other buttons (cancel, sign out).
    page.press("input[name=code]", "Enter")
    expect(page).to_have_url(link)


def _step(page: Page, text: str):
    return page.locator("li.checklist__step").filter(has_text=text)


def _htmx_post(page: Page, path_part: str):
    return page.expect_response(
        lambda r: path_part in r.url and r.request.method == "POST" and r.request.headers.get("hx-request") == "true"
    )


# --- the journey ---------------------------------------------------------------------------------


def test_sexual_imagery_concern_from_report_to_referral_in_the_chronology(
    transactional_db,
    world,
    smtp_inbox,
    tmp_path,
    live_server,
    new_context,
    watched_page,  # noqa: F811
    sign_in,  # noqa: F811
    artifacts_dir,  # noqa: F811
):
    """Issue 4 "Done when": report, alert email with only a link, MFA, image refused and not stored,
    checklist (htmx), decision and referral, chronology, 404 for teacher2, every view audited."""
    for learner, surname in ((world.learner, "Quillfeather"), (world.learner2, "Marchbanks")):
        learner.last_name = surname
        learner.save(update_fields=["last_name"])
    ada, ben = world.learner.full_name, world.learner2.full_name
    assert (ada, ben) == ("Ada Quillfeather", "Ben Marchbanks")
    parent_emails = {link.parent.email for link in world.learner.parent_links.all()}

    # 1. The teacher (no second step) logs the concern with the learner picker and gets a receipt.
    page, watch = watched_page
    sign_in(page, world.teacher.user.email)
    expect(page).to_have_url(re.compile(r"/s/alpha/$"))
    _teacher_reports(page, ada, ben, artifacts_dir)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your report C-")
    expect(page.locator(".messages")).to_contain_text("has been sent to the safeguarding team")
    expect(page.locator(".lead")).to_contain_text("Received")
    expect(page.locator("main")).to_contain_text(f"{ada} (3 Oak) — Affected or at risk")
    expect(page.locator("main")).to_contain_text(f"{ben} (4 Ash) — Alleged to have caused harm")
    watch.assert_clean()

    concern = Concern.objects.get()
    assert concern.category == "youth_produced_sexual_imagery"
    assert sorted(concern.involvements.values_list("learner_id", "part")) == sorted(
        [(world.learner.pk, ConcernLearner.Part.AFFECTED), (world.learner2.pk, ConcernLearner.Part.ALLEGED)]
    )
    concern_path = f"/s/alpha/concerns/{concern.pk}/"
    link = f"{live_server.url}{concern_path}"

    # 2. The alert reached the SMTP server: a sentence and a link, no names or details (REP-20).
    message, raw = smtp_inbox.wait_for(world.dsl.user.email)
    assert not mail.outbox, "the alert should have gone through SMTP, not the test outbox"
    body = message.get_content()
    # What a reader sees, decoded, and the raw bytes too in case a transfer encoding hid something.
    readable = "\n".join([message["Subject"], message["From"], message["To"], body])
    for secret in (
        "Ada",
        "Quillfeather",
        "Ben",
        "Marchbanks",
        SUMMARY,
        DESCRIPTION,
        OWN_WORDS,
        CATEGORY_LABEL,
        concern.reference,
        world.teacher.user.display_name,
    ):
        assert secret not in readable, f"the alert email gives away {secret!r}"
    for secret in ("Quillfeather", "Marchbanks", SUMMARY, concern.reference):
        assert secret.encode() not in raw, f"the raw alert email gives away {secret!r}"
    assert re.findall(r"https?://\S+", body) == [link]
    assert smtp_inbox.recipients() == {world.dsl.user.email, world.deputy.user.email}
    assert not smtp_inbox.recipients() & (parent_emails | {world.teacher.user.email, world.teacher2.user.email})

    # 3. A fresh browser: the link leads through sign-in and the second step to the concern.
    dsl_page = new_context().new_page()
    dsl_watch = _watch(dsl_page, live_server.url)
    hits = ConcernHits(prefix=concern_path)
    dsl_page.on("response", hits.on_response)
    _dsl_signs_in_from_the_link(dsl_page, link, world.dsl.user.email)
    expect(dsl_page.get_by_role("heading", level=1)).to_contain_text(concern.reference)
    expect(dsl_page.locator("main")).to_contain_text(DESCRIPTION)

    # 4. Files are switched off on this concern (INC-YPSI-12, issue #13): no file input is offered,
    # and a picture dressed up as a PDF, posted anyway, is refused with the reason and nothing is kept.
    files = dsl_page.locator("#files")
    expect(files).to_contain_text("Files are switched off on this concern")
    expect(files.locator("input[type=file]")).to_have_count(0)
    token = next(c["value"] for c in dsl_page.context.cookies() if c["name"] == "csrftoken")
    refused = dsl_page.request.post(
        f"{concern_path}attachments/",
        headers={"X-CSRFToken": token, "Referer": live_server.url + concern_path},
        multipart={"file": {"name": "evidence.pdf", "mimeType": "application/pdf", "buffer": _png_bytes()}},
    )
    assert refused.status == 400
    hits.hits.append(("POST", f"{concern_path}attachments/", 400, ""))  # not a page event, but it opened the concern
    assert "Files are switched off" in refused.text()
    assert "write down in a note" in refused.text()
    expect(dsl_page.locator("a[href*='/download/']")).to_have_count(0)
    dsl_page.screenshot(path=artifacts_dir / "e2e-journey-2-image-refused.png", full_page=True)
    assert Attachment.objects.count() == 0
    assert list(tmp_path.rglob("*")) == [], "a refused upload left something under MEDIA_ROOT"
    assert AuditEvent.objects.filter(action="concern.attachment_refused", object_id=str(concern.pk)).count() == 1

    # 5. Still on the concern: acknowledge, work the checklist (htmx), decide and refer.
    expect(dsl_page).to_have_url(link)
    dsl_page.get_by_role("button", name="Acknowledge: I am dealing with this").click()
    expect(dsl_page.locator(".messages")).to_contain_text("You have acknowledged this concern.")

    question = _step(dsl_page, "Is any child in immediate danger?")
    with _htmx_post(dsl_page, "/answer/"):
        question.get_by_role("button", name="No", exact=True).click()
    expect(question).to_contain_text("Answer: No")
    expect(question).to_contain_text(f"Answered by {world.dsl.user.display_name}")
    told = _step(dsl_page, "The DSL has been told and is leading the response")
    with _htmx_post(dsl_page, "/done/"):
        told.get_by_role("button", name="Mark as done").click()
    expect(told.locator(".badge")).to_have_text("Done")
    expect(told).to_contain_text(f"Done by {world.dsl.user.display_name}")
    expect(dsl_page).to_have_url(re.compile(re.escape(link) + r"(#main)?$"))  # swapped in place, no page load
    told.scroll_into_view_if_needed()
    dsl_page.screenshot(path=artifacts_dir / "e2e-journey-3-checklist-ticked.png", full_page=True)

    decision = dsl_page.locator("section[aria-labelledby=decision-h]")
    decision.get_by_label("Decision", exact=True).select_option(Decision.Kind.SOCIAL_CARE)
    decision.get_by_label("Reasons", exact=True).fill(
        "An image of a year 3 pupil was shared under threat: the threshold for a social care referral is met."
    )
    decision.get_by_role("button", name="Record decision").click()
    expect(dsl_page.locator(".messages")).to_contain_text("Decision recorded.")

    referral = dsl_page.locator("section[aria-labelledby=referral-h]")
    referral.get_by_label("Agency", exact=True).select_option(Referral.Agency.SOCIAL_CARE)
    referral.get_by_label("Who you spoke to").fill("Duty social worker")
    referral.get_by_label("Their reference", exact=True).fill("CSC-4471")
    referral.get_by_label("Notes", exact=True).fill("Referral made by phone to the front door team.")
    referral.get_by_label("Decision it follows").select_option(index=1)
    referral.get_by_role("button", name="Record referral").click()
    expect(dsl_page.locator(".messages")).to_contain_text("Referral recorded. If they have not acknowledged it by")
    expect(dsl_page.locator("section[aria-labelledby=referrals-h]")).to_contain_text("CSC-4471")
    saved = Referral.objects.get(concern=concern)
    assert (saved.agency, saved.reference, saved.decision.kind) == ("social_care", "CSC-4471", "social_care")

    # 6. The learner's chronology shows the referral.
    dsl_page.get_by_role("link", name=f"Chronology of {ada}").click()
    expect(dsl_page.get_by_role("heading", level=1)).to_have_text(f"Chronology: {ada}")
    results = dsl_page.locator("#chronology-results")
    referral_row = results.locator("tr").filter(has_text="Referral: Children's social care")
    expect(referral_row).to_be_visible()
    expect(referral_row).to_contain_text("Referral made by phone to the front door team.")
    expect(referral_row).to_contain_text(concern.reference)
    expect(results).to_contain_text("Decision: Refer to children's social care")
    # The checklist work is part of the record too, signed by the DSL (INC-YPSI-02).
    expect(results).to_contain_text("Is any child in immediate danger? No")
    expect(results).to_contain_text("Done: The DSL has been told")
    dsl_page.screenshot(path=artifacts_dir / "e2e-journey-4-chronology.png", full_page=True)
    _assert_clean(dsl_watch, expected={(400, f"{concern_path}attachments/")})
    chronology_path = f"/s/alpha/learners/{world.learner.pk}/chronology/"

    # 7. A teacher without need-to-know gets 404 on both, and learns nothing from the page.
    teacher2_page = new_context().new_page()
    teacher2_watch = _watch(teacher2_page, live_server.url)
    sign_in(teacher2_page, world.teacher2.user.email)
    expect(teacher2_page).to_have_url(re.compile(r"/s/alpha/$"))
    for path in (concern_path, chronology_path):
        response = teacher2_page.goto(path)
        assert response is not None
        assert response.status == 404, f"{path} answered {response.status}"
        shown = teacher2_page.locator("body")
        for secret in (concern.reference, "Quillfeather", SUMMARY):
            expect(shown).not_to_contain_text(secret)
    _assert_clean(teacher2_watch, expected={(404, concern_path), (404, chronology_path)})

    # 8. The audit trail has a view for every request that opened the concern, and the chronology view.
    dsl_views = AuditEvent.objects.filter(
        action="concern.view", actor=world.dsl.user, object_type="concerns.concern", object_id=str(concern.pk)
    )
    assert hits.page_opens() >= 4  # after sign-in, acknowledge, decision and referral (no files page: uploads off)
    assert dsl_views.count() == len(hits.reached_the_concern()), hits.hits
    assert dsl_views.count() >= hits.page_opens()
    chronology_views = AuditEvent.objects.filter(
        action="learner.chronology_view", actor=world.dsl.user, object_id=str(world.learner.pk)
    )
    assert chronology_views.count() == 1
    assert chronology_views.get().changes["concerns"] == [concern.reference]
    assert not AuditEvent.objects.filter(
        actor=world.teacher2.user, action__in=["concern.view", "learner.chronology_view"]
    ).exists()
