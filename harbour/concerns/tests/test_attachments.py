"""Files on a concern through the web pages: the image guard, private downloads, withholding and
destruction (INC-YPSI-12..15, INC-CSAE-12, INC-IIOC-06, REP-08)."""

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
from harbour.concerns.models import Attachment, ConcernEntry, FollowUp
from harbour.concerns.tests import attachment_samples as s

YPSI = "youth_produced_sexual_imagery"


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


def files_url(concern) -> str:
    return reverse("concerns:attachment_list", kwargs={"school_slug": "alpha", "pk": concern.pk})


def download_url(attachment) -> str:
    kwargs = {"school_slug": "alpha", "pk": attachment.concern_id, "attachment_pk": attachment.pk}
    return reverse("concerns:attachment_download", kwargs=kwargs)


def destroy_url(attachment) -> str:
    kwargs = {"school_slug": "alpha", "pk": attachment.concern_id, "attachment_pk": attachment.pk}
    return reverse("concerns:attachment_destroy", kwargs=kwargs)


def upload(client, concern, data: bytes, name="report.pdf", content_type="application/pdf", **extra):
    file = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(files_url(concern), {"return_to": "files", "file": file, **extra})


def add(world, concern, data: bytes, name="evidence.pdf", actor="dsl") -> Attachment:
    return attachments.attachment_add(actor=world.persona(actor), concern=concern, name=name, data=data)


# --- the image guard ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "detected"),
    [(s.png, "image/png"), (s.jpeg, "image/jpeg"), (s.mp4, "video/mp4"), (s.heic, "image/heif")],
)
def test_picture_or_video_named_pdf_is_refused_on_sexual_imagery_concern_and_nothing_is_written(
    world, client_for, media, make, detected
):
    """INC-YPSI-12: judged by content, not by the .pdf name or the claimed type; never stored."""
    concern = report(world, YPSI)
    response = upload(client_for("dsl"), concern, make(), name="report.pdf", content_type="application/pdf")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Do not open it again" in page
    assert "the police need it" in page
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    entry = concern.entries.get(kind=ConcernEntry.Kind.ATTACHMENT)
    assert entry.data["refused"] is True
    assert entry.data["detected_type"] == detected
    assert "report" not in entry.text
    assert "report" not in str(entry.data)
    event = AuditEvent.objects.get(action="concern.attachment_refused")
    assert event.changes["detected_type"] == [None, detected]
    assert "report.pdf" not in str(event.changes)


def test_text_pdf_is_accepted_on_sexual_imagery_concern(world, client_for, media):
    concern = report(world, YPSI)
    data = s.pdf()
    response = upload(client_for("dsl"), concern, data, name="LA referral.pdf")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "LA referral.pdf"
    assert attachment.size == len(data)
    files = stored_files(media)
    assert len(files) == 1
    assert files[0].read_bytes() == data
    assert "referral" not in files[0].name  # the stored name says nothing about the file
    assert AuditEvent.objects.filter(action="concern.attachment_upload", object_id=str(attachment.pk)).exists()
    assert concern.entries.filter(kind=ConcernEntry.Kind.ATTACHMENT, data__attachment=attachment.pk).exists()


@pytest.mark.parametrize("make", [s.picture_pdf, lambda: s.word(with_picture=True)])
def test_document_with_a_picture_inside_is_refused_on_sexual_imagery_concern(world, client_for, media, make):
    concern = report(world, YPSI)
    response = upload(client_for("dsl"), concern, make(), name="notes.docx")
    assert response.status_code == 400
    assert "pictures or media inside it" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_png_screenshot_is_accepted_on_cyberbullying(world, client_for, media):
    concern = report(world)
    response = upload(client_for("dsl"), concern, s.png(), name="screenshot.png", content_type="image/png")
    assert response.status_code == 302
    assert Attachment.objects.get().content_type == "image/png"
    assert len(stored_files(media)) == 1


@pytest.mark.parametrize("make", [s.mp4, s.mov, s.webm])
def test_video_is_refused_on_cyberbullying(world, client_for, media, make):
    concern = report(world)
    response = upload(client_for("dsl"), concern, make(), name="clip.png", content_type="image/png")
    assert response.status_code == 400
    assert "Videos are never kept" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_archive_is_refused(world, client_for, media):
    concern = report(world)
    response = upload(client_for("dsl"), concern, s.zip_archive(), name="evidence.docx")
    assert response.status_code == 400
    assert concern.entries.get(kind=ConcernEntry.Kind.ATTACHMENT).data["reason"] == "archive"
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


def test_oversized_video_on_sexual_imagery_concern_gets_the_image_advice(world, client_for, media, settings):
    settings.HARBOUR_ATTACHMENT_MAX_BYTES = 1000
    concern = report(world, YPSI)
    response = upload(client_for("dsl"), concern, s.mp4() + b"\x00" * 5000)
    assert response.status_code == 400
    assert "Do not open it again" in response.content.decode()
    assert concern.entries.get(kind=ConcernEntry.Kind.ATTACHMENT).data["reason"] == "video"


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
    concern = report(world, YPSI)
    client = client_for("dsl")
    assert upload(client, concern, s.jpeg()).status_code == 400
    assert upload(client, concern, s.pdf()).status_code == 302


def test_upload_works_with_the_csrf_check_and_is_refused_without_a_token(world, media):
    """The view sets its memory-only handler before the CSRF check reads the body."""
    concern = report(world, YPSI)
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


# --- who may add, see and download -------------------------------------------------------------


def test_reporter_cannot_add_files_or_see_the_list(world, client_for, media):
    concern = report(world, actor="teacher")
    client = client_for("teacher")
    assert upload(client, concern, s.pdf()).status_code == 404
    assert client.get(files_url(concern)).status_code == 404
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_colleague_it_is_shared_with_can_add_but_not_destroy(world, client_for, media):
    concern = report(world)
    services.concern_share(actor=world.dsl, concern=concern, user=world.teacher2.user, reason="Form tutor")
    client = client_for("teacher2")
    assert upload(client, concern, s.pdf()).status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.uploaded_by == world.teacher2.user
    assert client.get(destroy_url(attachment)).status_code == 404
    assert client.post(destroy_url(attachment), {"confirm": "on", "reason": "x"}).status_code == 404
    assert Attachment.objects.get().destroyed_at is None


@pytest.mark.parametrize("persona", ["outsider", "teacher2", "teacher", "governor"])
def test_people_without_need_to_know_get_404_on_download(world, client_for, media, persona):
    concern = report(world)
    attachment = add(world, concern, s.pdf())
    assert client_for(persona).get(download_url(attachment)).status_code == 404
    assert not AuditEvent.objects.filter(action="concern.attachment_download").exists()


def test_download_is_a_sandboxed_attachment_with_the_sniffed_type(world, client_for, media):
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


def test_refusing_category_form_accepts_no_pictures_and_is_closed_by_default(world, client_for, media):
    """INC-CSAE-12, INC-YPSI-15: no prompt for evidence; the picker offers documents only."""
    concern = report(world, YPSI)
    page = client_for("dsl").get(files_url(concern)).content.decode()
    assert "<details>" in page
    assert "Pictures and videos are never kept on this concern" in page
    assert ".png" not in page.split('id="attachment-file"', 1)[1].split(">", 1)[0]


# --- re-categorising, withholding, destroying --------------------------------------------------


def recategorise(world, concern, category=YPSI):
    concern.refresh_from_db()
    return services.concern_change_category(
        actor=world.dsl,
        concern=concern,
        category=category,
        reason="The messages included a nude image.",
        version=concern.version,
    )


def test_recategorising_into_sexual_imagery_withholds_pictures_at_once(world, client_for, media):
    """INC-YPSI-13: the screenshot (and a document with a picture in it) become unreachable for
    everyone, the text document stays, and the DSL gets a follow-up to destroy them."""
    concern = report(world)
    screenshot = add(world, concern, s.png(), name="chat.png")
    word_with_picture = add(world, concern, s.word(with_picture=True), name="notes.docx")
    letter = add(world, concern, s.pdf(), name="letter.pdf")
    recategorise(world, concern)
    screenshot.refresh_from_db()
    word_with_picture.refresh_from_db()
    letter.refresh_from_db()
    assert screenshot.withheld_at is not None
    assert screenshot.withheld_reason
    assert word_with_picture.withheld_at is not None
    assert letter.withheld_at is None
    client = client_for("dsl")
    assert client.get(download_url(screenshot)).status_code == 404
    assert client.get(download_url(word_with_picture)).status_code == 404
    assert client.get(download_url(letter)).status_code == 200
    follow_up = FollowUp.objects.get(concern=concern, kind=FollowUp.Kind.FILE_DESTRUCTION)
    assert follow_up.done_at is None
    assert AuditEvent.objects.filter(action="concern.attachment_withheld").count() == 2
    assert concern.entries.filter(kind=ConcernEntry.Kind.ATTACHMENT, data__reason="recategorised").exists()
    panel = client.get(files_url(concern)).content.decode().split('id="files"', 1)[1]
    assert "chat.png" not in panel
    assert "Withheld" in panel


def test_recategorising_to_an_ordinary_category_withholds_nothing(world, media):
    concern = report(world)
    screenshot = add(world, concern, s.png())
    recategorise(world, concern, "online_hate")
    screenshot.refresh_from_db()
    assert screenshot.withheld_at is None
    assert not FollowUp.objects.filter(kind=FollowUp.Kind.FILE_DESTRUCTION).exists()


def test_destroy_removes_the_bytes_but_keeps_the_record(world, client_for, media):
    """REP-08: the record that a file existed is kept; the file itself is not."""
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
    assert screenshot.sha256
    assert screenshot.size
    assert FollowUp.objects.get(kind=FollowUp.Kind.FILE_DESTRUCTION).done_at is not None
    assert AuditEvent.objects.filter(action="concern.attachment_destroy", object_id=str(screenshot.pk)).exists()
    assert client.get(download_url(screenshot)).status_code == 404
    assert "Destroyed" in client.get(files_url(concern)).content.decode()


def test_destroying_a_file_still_reachable_needs_a_reason(world, client_for, media):
    concern = report(world)
    screenshot = add(world, concern, s.png())
    client = client_for("dsl")
    refused = client.post(destroy_url(screenshot), {"confirm": "on"})
    assert refused.status_code == 400
    assert "Say why this file must be destroyed." in refused.content.decode()
    assert len(stored_files(media)) == 1
    client.post(destroy_url(screenshot), {"confirm": "on", "reason": "It shows a nude image."})
    screenshot.refresh_from_db()
    assert screenshot.withheld_at is not None
    assert screenshot.destroyed_at is not None
    assert stored_files(media) == []


def test_deputy_of_the_team_may_destroy_but_teacher_gets_404(world, client_for, media):
    concern = report(world)
    screenshot = add(world, concern, s.png())
    assert client_for("teacher").post(destroy_url(screenshot), {"confirm": "on", "reason": "x"}).status_code == 404
    assert client_for("deputy").post(destroy_url(screenshot), {"confirm": "on", "reason": "x"}).status_code == 302


def test_a_stored_file_that_cannot_be_read_is_withheld_rather_than_trusted(world, media):
    concern = report(world)
    letter = add(world, concern, s.pdf())
    Path(media, letter.file.name).unlink()
    recategorise(world, concern)
    letter.refresh_from_db()
    assert letter.withheld_at is not None
