"""Files on a concern through the web pages: the one upload guard, private downloads, withholding,
hiding, superseding and destruction (INC-YPSI-12..15, INC-CSAE-12, INC-IIOC-06, REP-08).

Issue #13 changed what some of these tests used to assert: uploads are now switched off on the
sexual-imagery and indecent-images categories (a text PDF used to be accepted there), the abuse and
exploitation category takes files only once the DSL switches text documents on, refusal reasons
are the allow-list's codes, and a file that is not withheld can no longer be destroyed.
"""

import io
import types
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from harbour.audit.models import AuditEvent
from harbour.concerns import attachments, services
from harbour.concerns.models import Attachment, ConcernEntry, DocumentPermit, FollowUp
from harbour.concerns.tests import attachment_samples as s
from harbour.core.tests import crafted_files as cf

YPSI = "youth_produced_sexual_imagery"
IIOC = "indecent_images_of_children"
CSAE = "online_abuse_exploitation"


@pytest.fixture
def media(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def report(world, category="cyberbullying", actor="teacher"):
    return services.concern_report(
        actor=world.persona(actor),
        category=category,
        occurred_at=timezone.now() - timedelta(hours=2),
        summary="Worrying messages",
        description="Told by a learner at break.",
        involvements=[services.Involvement(world.learner.pk, "affected")],
    )


def csae_with_documents(world):
    concern = report(world, CSAE)
    attachments.documents_switch_on(actor=world.dsl, concern=concern, reason="The police asked for the referral form.")
    return concern


def files_url(concern) -> str:
    return reverse("concerns:attachment_list", kwargs={"school_slug": "alpha", "pk": concern.pk})


def download_url(attachment) -> str:
    kwargs = {"school_slug": "alpha", "pk": attachment.concern_id, "attachment_pk": attachment.pk}
    return reverse("concerns:attachment_download", kwargs=kwargs)


def destroy_url(attachment) -> str:
    kwargs = {"school_slug": "alpha", "pk": attachment.concern_id, "attachment_pk": attachment.pk}
    return reverse("concerns:attachment_destroy", kwargs=kwargs)


def manage_url(attachment) -> str:
    kwargs = {"school_slug": "alpha", "pk": attachment.concern_id, "attachment_pk": attachment.pk}
    return reverse("concerns:attachment_manage", kwargs=kwargs)


def upload(client, concern, data: bytes, name="report.pdf", content_type="application/pdf", **extra):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(files_url(concern), {"return_to": "files", "file": file, **extra})


def add(world, concern, data: bytes, name="evidence.pdf", actor="dsl") -> Attachment:
    return attachments.attachment_add(actor=world.persona(actor), concern=concern, name=name, data=data)


# --- uploads switched off (INC-YPSI-12) --------------------------------------------------------


@pytest.mark.parametrize("category", [YPSI, IIOC, CSAE])
@pytest.mark.parametrize("make", [s.png, s.jpeg, s.mp4, cf.clean_pdf, cf.clean_text])
def test_every_file_is_refused_where_uploads_are_off_and_nothing_is_written(world, client_for, media, category, make):
    """INC-YPSI-12: switched off means off, for a picture and a text letter alike; nothing is kept."""
    concern = report(world, category)
    response = upload(client_for("dsl"), concern, make(), name="report.pdf", content_type="application/pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Files are switched off" in page
    assert "Do not open it again" in page
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    entry = concern.entries.get(kind=ConcernEntry.Kind.ATTACHMENT)
    assert entry.data == {"refused": True, "reason": "uploads_off"}
    assert "report" not in entry.text
    event = AuditEvent.objects.get(action="concern.attachment_refused")
    assert event.changes == {"reason": [None, "uploads_off"]}


def test_no_upload_form_where_uploads_are_off(world, client_for, media):
    """The account is typed text: the page offers no file input at all (INC-YPSI-15)."""
    concern = report(world, YPSI)
    page = client_for("dsl").get(files_url(concern)).content.decode()
    assert "Files are switched off on this concern" in page
    assert 'type="file"' not in page


def test_a_file_sent_where_uploads_are_off_is_never_read_into_memory(world, client_for, media, monkeypatch):
    """The guard skips the bytes unread: no buffer is ever written to."""
    written = []

    class Recording(io.BytesIO):
        def write(self, data):
            written.append(data)
            return super().write(data)

    monkeypatch.setattr("harbour.core.uploads.io", types.SimpleNamespace(BytesIO=Recording))
    concern = report(world, YPSI)
    assert upload(client_for("dsl"), concern, s.jpeg()).status_code == 400
    assert written == []
    assert upload(client_for("dsl"), report(world), s.jpeg()).status_code == 302
    assert written  # the same recorder does see a file that is accepted


# --- documents switched on for one abuse or exploitation concern (INC-CSAE-12) -----------------


def test_csae_takes_nothing_until_the_dsl_switches_documents_on_with_a_reason(world, client_for, media):
    concern = report(world, CSAE)
    client = client_for("dsl")
    assert upload(client, concern, cf.clean_pdf()).status_code == 400
    refused = client.post(reverse("concerns:attachment_documents", args=["alpha", concern.pk]), {"switch": "on"})
    assert refused.status_code == 400
    assert not DocumentPermit.objects.exists()
    switched = client.post(
        reverse("concerns:attachment_documents", args=["alpha", concern.pk]),
        {"switch": "on", "reason": "The police asked for the referral form to be kept here."},
    )
    assert switched.status_code == 302
    permit = DocumentPermit.objects.get()
    assert permit.granted_by == world.dsl.user
    assert AuditEvent.objects.filter(action="concern.documents_switch_on", object_id=str(concern.pk)).exists()
    assert upload(client, concern, cf.clean_pdf(), name="LA referral.pdf").status_code == 302
    assert upload(client, concern, cf.clean_text(), name="notes.txt", content_type="text/plain").status_code == 302
    assert [a.content_type for a in Attachment.objects.all()] == ["application/pdf", "text/plain"]
    assert len(stored_files(media)) == 2


@pytest.mark.parametrize("persona", ["head", "teacher"])
def test_only_the_dsl_team_may_switch_documents_on(world, client_for, media, persona):
    concern = report(world, CSAE)
    response = client_for(persona).post(
        reverse("concerns:attachment_documents", args=["alpha", concern.pk]), {"switch": "on", "reason": "x"}
    )
    assert response.status_code == 404
    assert not DocumentPermit.objects.exists()


def test_documents_cannot_be_switched_on_where_uploads_are_off(world, client_for, media):
    concern = report(world, YPSI)
    response = client_for("dsl").post(
        reverse("concerns:attachment_documents", args=["alpha", concern.pk]), {"switch": "on", "reason": "x"}
    )
    assert response.status_code == 404
    assert upload(client_for("dsl"), concern, cf.clean_text()).status_code == 400


@pytest.mark.parametrize("make", [s.picture_pdf, lambda: s.word(with_picture=True), s.word, s.png, s.excel])
def test_only_text_and_text_only_pdfs_pass_on_csae(world, client_for, media, make):
    concern = csae_with_documents(world)
    response = upload(client_for("dsl"), concern, make(), name="notes.pdf")
    assert response.status_code == 400
    assert "Pictures and videos are never kept" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_switching_documents_off_again_is_recorded_and_keeps_the_files(world, client_for, media):
    concern = csae_with_documents(world)
    letter = add(world, concern, cf.clean_pdf())
    attachments.documents_switch_off(actor=world.dsl, concern=concern, reason="Enough kept here.")
    assert DocumentPermit.objects.get().withdrawn_at is not None
    assert upload(client_for("dsl"), concern, cf.clean_pdf()).status_code == 400
    assert client_for("dsl").get(download_url(letter)).status_code == 200


# --- ordinary concerns -------------------------------------------------------------------------


def test_png_screenshot_is_accepted_on_cyberbullying(world, client_for, media):
    concern = report(world)
    response = upload(client_for("dsl"), concern, s.png(), name="screenshot.png", content_type="image/png")
    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "image/png"
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize("make", [s.mp4, s.mov, s.webm, s.heic, s.zip_archive, s.word_with_macros])
def test_video_archive_and_unknown_kinds_are_refused_on_cyberbullying(world, client_for, media, make):
    concern = report(world)
    response = upload(client_for("dsl"), concern, make(), name="clip.png", content_type="image/png")
    assert response.status_code == 400
    assert "Videos, sound recordings, archives" in response.content.decode()
    assert concern.entries.get(kind=ConcernEntry.Kind.ATTACHMENT).data["reason"] == "not_allowed"
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_file_over_ten_megabytes_is_refused_and_not_stored(world, client_for, media):
    concern = report(world)
    data = s.pdf() + b"%" * (10 * 1024 * 1024)
    response = upload(client_for("dsl"), concern, data)
    assert response.status_code == 400
    assert "bigger than 10 MB" in response.content.decode()
    assert concern.entries.get(kind=ConcernEntry.Kind.ATTACHMENT).data["reason"] == "too_large"
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_no_file_chosen_is_a_clear_error_and_logs_nothing(world, client_for, media):
    concern = report(world)
    response = client_for("dsl").post(files_url(concern), {"return_to": "files"})
    assert response.status_code == 400
    assert "Choose a file to add." in response.content.decode()
    assert not concern.entries.filter(kind=ConcernEntry.Kind.ATTACHMENT).exists()


def test_uploads_never_spill_into_a_temporary_file(world, client_for, media, settings, monkeypatch):
    """Django's default handlers write anything over FILE_UPLOAD_MAX_MEMORY_SIZE to a temporary file;
    the upload view replaces them, so a refused picture never reaches the disk, even for a moment."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0

    def no_disk(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr("django.core.files.uploadhandler.TemporaryUploadedFile", no_disk)
    client = client_for("dsl")
    assert upload(client, report(world, YPSI), s.jpeg()).status_code == 400
    concern = csae_with_documents(world)
    assert upload(client, concern, s.jpeg()).status_code == 400
    assert upload(client, concern, s.pdf()).status_code == 302


def test_upload_works_with_the_csrf_check_and_is_refused_without_a_token(world, media):
    """The view sets its memory-only handler before the CSRF check reads the body."""
    concern = report(world)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.dsl.user)
    token = "a" * 32
    client.cookies["csrftoken"] = token
    file = SimpleUploadedFile("letter.pdf", s.pdf(), content_type="application/pdf")
    accepted = client.post(files_url(concern), {"csrfmiddlewaretoken": token, "file": file})
    assert accepted.status_code == 302
    file = SimpleUploadedFile("letter.pdf", s.pdf(), content_type="application/pdf")
    forged = client.post(files_url(concern), {"file": file})
    assert forged.status_code == 403
    assert Attachment.objects.count() == 1
    forged_off = Client(enforce_csrf_checks=True)
    forged_off.force_login(world.dsl.user)
    ypsi = report(world, YPSI)
    file = SimpleUploadedFile("x.jpg", s.jpeg(), content_type="image/jpeg")
    assert forged_off.post(files_url(ypsi), {"file": file}).status_code == 403
    assert not ypsi.entries.filter(kind=ConcernEntry.Kind.ATTACHMENT).exists()  # a forged post logs nothing


# --- files at rest (issue #13, point 9) --------------------------------------------------------


def test_stored_files_are_0600_in_0700_folders(world, media):
    concern = report(world)
    attachment = add(world, concern, s.png(), name="chat.png")
    path = Path(media, attachment.file.name)
    assert path.stat().st_mode & 0o777 == 0o600
    folder = path.parent
    while folder != media.parent:
        assert folder.stat().st_mode & 0o777 == 0o700, folder
        folder = folder.parent


# --- who may add, see and download -------------------------------------------------------------


def test_reporter_cannot_add_files_or_see_the_list(world, client_for, media):
    concern = report(world, actor="teacher")
    client = client_for("teacher")
    assert upload(client, concern, s.pdf()).status_code == 404
    assert client.get(files_url(concern)).status_code == 404
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_colleague_it_is_shared_with_can_add_but_not_manage(world, client_for, media):
    concern = report(world)
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Form tutor")
    client = client_for("teacher2")
    assert upload(client, concern, s.pdf()).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.uploaded_by == world.teacher2.user
    assert client.get(manage_url(attachment)).status_code == 404
    assert client.post(manage_url(attachment), {"action": "hide", "reason": "x"}).status_code == 404
    assert client.post(destroy_url(attachment), {"confirm": "on"}).status_code == 404
    assert Attachment.objects.get().state == "available"


@pytest.mark.parametrize("persona", ["outsider", "teacher2", "teacher", "governor"])
def test_people_without_need_to_know_get_404_on_download(world, client_for, media, persona):
    concern = report(world)
    attachment = add(world, concern, s.pdf())
    assert client_for(persona).get(download_url(attachment)).status_code == 404
    assert not AuditEvent.objects.filter(action="concern.attachment_download").exists()


def test_download_is_a_sandboxed_attachment_with_the_checked_type(world, client_for, media):
    concern = report(world)
    data = s.pdf()
    attachment = add(world, concern, data, name="notes.html")
    response = client_for("dsl").get(download_url(attachment))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="notes.html.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == data
    assert AuditEvent.objects.filter(
        action="concern.attachment_download", object_id=str(attachment.pk), actor=world.dsl.user
    ).exists()


def test_files_are_never_shown_as_pictures(world, client_for, media):
    """No thumbnail or preview of any file, not even an allowed screenshot (INC-YPSI-12)."""
    concern = report(world)
    add(world, concern, s.png(), name="screenshot.png")
    response = client_for("dsl").get(files_url(concern))
    assert response.status_code == 200
    panel = response.content.decode().split('id="files"', 1)[1]
    assert "<img" not in panel
    assert "screenshot.png" in panel
    assert "PNG picture" in panel
    assert escape(world.dsl.user.display_name) in panel


def test_csae_form_offers_text_documents_only_and_is_closed_by_default(world, client_for, media):
    """INC-CSAE-12, INC-YPSI-15: no prompt for evidence; the picker offers text documents only."""
    concern = csae_with_documents(world)
    page = client_for("dsl").get(files_url(concern)).content.decode()
    assert "<details>" in page
    assert "Pictures and videos are never kept on this concern" in page
    picker = page.split('id="attachment-file"', 1)[1].split(">", 1)[0]
    assert ".png" not in picker
    assert ".docx" not in picker


# --- re-categorising, withholding, destroying --------------------------------------------------


def recategorise(world, concern, category=YPSI):
    concern.refresh_from_db()
    return services.concern_change_category(
        actor=world.dsl,
        concern=concern,
        category=category,
        reason="The messages included a nude image.",
        version=concern.version,
        no_police_reason="Decided with the police liaison officer." if category != CSAE else "",
    )


@pytest.mark.parametrize("category", [YPSI, IIOC, CSAE])
def test_recategorising_withholds_every_file_the_new_category_refuses(world, client_for, media, category):
    """INC-YPSI-13: where uploads are off, every file becomes unreachable for everyone, the DSL
    included, at once; the DSL gets a follow-up to destroy them."""
    concern = report(world)
    screenshot = add(world, concern, s.png(), name="chat.png")
    letter = add(world, concern, s.pdf(), name="letter.pdf")
    recategorise(world, concern, category)
    for attachment in (screenshot, letter):
        attachment.refresh_from_db()
        assert attachment.withheld_at is not None
        assert attachment.withheld_reason
        for persona in ("dsl", "deputy", "head"):
            assert client_for(persona).get(download_url(attachment)).status_code == 404
    follow_up = FollowUp.objects.get(concern=concern, kind=FollowUp.Kind.FILE_DESTRUCTION)
    assert follow_up.done_at is None
    assert AuditEvent.objects.filter(action="concern.attachment_withheld").count() == 2
    assert concern.entries.filter(kind=ConcernEntry.Kind.ATTACHMENT, data__reason="recategorised").exists()
    panel = client_for("dsl").get(files_url(concern)).content.decode().split('id="files"', 1)[1]
    assert "chat.png" not in panel
    assert "Withheld" in panel


def test_from_csae_with_documents_to_sexual_imagery_the_text_letter_is_withheld_too(world, media):
    concern = csae_with_documents(world)
    letter = add(world, concern, cf.clean_pdf())
    concern.refresh_from_db()
    services.concern_change_category(
        actor=world.dsl,
        concern=concern,
        category=YPSI,
        reason="Images were shared.",
        version=concern.version,
        no_police_reason="The police were told; reference in the notes.",
    )
    letter.refresh_from_db()
    assert letter.withheld_at is not None
    assert DocumentPermit.objects.get().withdrawn_at is not None


def test_recategorising_to_an_ordinary_category_withholds_nothing(world, media):
    concern = report(world)
    screenshot = add(world, concern, s.png())
    recategorise(world, concern, "online_hate")
    screenshot.refresh_from_db()
    assert screenshot.withheld_at is None
    assert not FollowUp.objects.filter(kind=FollowUp.Kind.FILE_DESTRUCTION).exists()


def test_destroy_removes_the_bytes_and_the_name_but_keeps_the_record(world, client_for, media):
    """REP-08: the record that a file existed is kept; the file itself, and its name, are not."""
    concern = report(world)
    screenshot = add(world, concern, s.png(), name="chat.png")
    recategorise(world, concern)
    path = Path(media, Attachment.objects.get().file.name)
    assert path.exists()
    client = client_for("dsl")
    assert client.get(destroy_url(screenshot)).status_code == 200
    unconfirmed = client.post(destroy_url(screenshot), {})
    assert unconfirmed.status_code == 400
    assert "Tick the box" in unconfirmed.content.decode()
    assert path.exists()
    response = client.post(destroy_url(screenshot), {"confirm": "on"})
    assert response.status_code == 302
    assert not path.exists()
    assert stored_files(media) == []
    screenshot.refresh_from_db()
    assert screenshot.destroyed_at is not None
    assert screenshot.destroyed_by == world.dsl.user
    assert screenshot.destroyed_reason
    assert screenshot.original_name == ""
    assert len(screenshot.name_sha256) == 64
    assert screenshot.sha256
    assert screenshot.size
    assert FollowUp.objects.get(kind=FollowUp.Kind.FILE_DESTRUCTION).done_at is not None
    assert AuditEvent.objects.filter(action="concern.attachment_destroy", object_id=str(screenshot.pk)).exists()
    assert client.get(download_url(screenshot)).status_code == 404
    page = client.get(files_url(concern)).content.decode()
    assert "Destroyed" in page
    assert "chat.png" not in page
    assert not any("chat.png" in e.text for e in concern.entries.all())


def test_a_file_that_is_not_withheld_cannot_be_destroyed(world, client_for, media):
    """REP-08 (issue #13 point 6): a police letter cannot be destroyed, whatever the reason given."""
    concern = report(world)
    letter = add(world, concern, s.pdf(), name="police letter.pdf")
    client = client_for("dsl")
    assert client.post(destroy_url(letter), {"confirm": "on", "reason": "Tidying up"}).status_code == 302
    letter.refresh_from_db()
    assert letter.destroyed_at is None
    assert len(stored_files(media)) == 1
    with pytest.raises(attachments.ValidationError):
        attachments.attachment_destroy(actor=world.dsl, attachment=letter, reason="Tidying up")


def test_a_text_letter_cannot_be_withheld_but_a_screenshot_can_then_be_destroyed(world, client_for, media):
    concern = report(world)
    letter = add(world, concern, s.pdf(), name="police letter.pdf")
    screenshot = add(world, concern, s.png(), name="chat.png")
    client = client_for("dsl")
    refused = client.post(manage_url(letter), {"action": "withhold", "reason": "Remove it"})
    assert refused.status_code == 400
    assert "holds text only" in refused.content.decode()
    letter.refresh_from_db()
    assert letter.withheld_at is None
    withheld = client.post(manage_url(screenshot), {"action": "withhold", "reason": "It shows a nude image."})
    assert withheld.status_code == 302
    screenshot.refresh_from_db()
    assert screenshot.withheld_at is not None
    assert client.get(download_url(screenshot)).status_code == 404
    assert FollowUp.objects.filter(kind=FollowUp.Kind.FILE_DESTRUCTION, done_at__isnull=True).exists()
    assert client.post(destroy_url(screenshot), {"confirm": "on"}).status_code == 302
    screenshot.refresh_from_db()
    assert screenshot.destroyed_at is not None
    assert len(stored_files(media)) == 1


def test_hiding_keeps_the_file_for_the_team_only_with_a_reason(world, client_for, media):
    concern = report(world)
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Form tutor")
    letter = add(world, concern, s.pdf(), name="police letter.pdf")
    client = client_for("dsl")
    assert client.post(manage_url(letter), {"action": "hide"}).status_code == 400
    assert client.post(manage_url(letter), {"action": "hide", "reason": "Sent by mistake"}).status_code == 302
    letter.refresh_from_db()
    assert letter.state == "hidden"
    assert letter.hidden_by == world.dsl.user
    assert client.get(download_url(letter)).status_code == 200
    colleague = client_for("teacher2")
    assert colleague.get(download_url(letter)).status_code == 404
    assert (
        "police letter.pdf"
        not in colleague.get(reverse("concerns:detail", args=["alpha", concern.pk])).content.decode()
    )
    assert AuditEvent.objects.filter(action="concern.attachment_hide", object_id=str(letter.pk)).exists()
    assert len(stored_files(media)) == 1


def test_superseding_adds_a_new_version_through_the_same_guard(world, client_for, media):
    concern = report(world)
    letter = add(world, concern, s.pdf(), name="letter v1.pdf")
    client = client_for("dsl")
    bad = SimpleUploadedFile("v2.pdf", s.mp4(), content_type="application/pdf")
    refused = client.post(manage_url(letter), {"action": "replace", "reason": "Typo", "file": bad})
    assert refused.status_code == 400
    assert Attachment.objects.count() == 1
    assert concern.entries.filter(data__reason="not_allowed").exists()
    good = SimpleUploadedFile("letter v2.pdf", s.pdf("Corrected letter."), content_type="application/pdf")
    assert client.post(manage_url(letter), {"action": "replace", "reason": "Typo", "file": good}).status_code == 302
    letter.refresh_from_db()
    new = Attachment.objects.exclude(pk=letter.pk).get()
    assert letter.superseded_by == new
    assert letter.state == "superseded"
    assert client.get(download_url(letter)).status_code == 200  # still on record for the team
    assert len(stored_files(media)) == 2


def test_deputy_of_the_team_may_destroy_a_withheld_file_but_teacher_gets_404(world, client_for, media):
    concern = report(world)
    screenshot = add(world, concern, s.png())
    recategorise(world, concern)
    assert client_for("teacher").post(destroy_url(screenshot), {"confirm": "on"}).status_code == 404
    assert client_for("deputy").post(destroy_url(screenshot), {"confirm": "on"}).status_code == 302


def test_a_stored_file_that_cannot_be_read_is_withheld_rather_than_trusted(world, media):
    concern = csae_with_documents(world)
    letter = add(world, concern, s.pdf())
    Path(media, letter.file.name).unlink()
    concern.refresh_from_db()
    services.concern_change_category(
        actor=world.dsl,
        concern=concern,
        category=IIOC,
        reason="Images found",
        version=concern.version,
        no_police_reason="Reported to the police.",
    )
    letter.refresh_from_db()
    assert letter.withheld_at is not None
