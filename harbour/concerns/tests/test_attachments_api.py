"""Files on a concern through the API: the same guard and the same doors as the web pages
(INC-YPSI-12, INC-YPSI-13, INC-CSAE-12, REP-07). Issue #13: a refusal now gives the allow-list's
``reason`` code (no sniffed ``detected_type``), and YPSI concerns take no file at all."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.concerns import attachments, services
from harbour.concerns.models import Attachment, ConcernEntry
from harbour.concerns.tests import attachment_samples as s

YPSI = "youth_produced_sexual_imagery"


@pytest.fixture
def media(tmp_path, settings) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def report(world, category="cyberbullying"):
    return services.concern_report(
        actor=world.teacher,
        category=category,
        occurred_at=timezone.now() - timedelta(hours=1),
        summary="Messages",
        description="Told at lunch.",
        involvements=[services.Involvement(world.learner.pk, "affected")],
    )


def url(concern) -> str:
    return f"/api/v1/schools/alpha/concerns/{concern.pk}/attachments/"


def post(client, concern, data: bytes, name="statement.pdf", content_type="application/pdf"):
    return client.post(url(concern), {"file": SimpleUploadedFile(name, data, content_type=content_type)})


def csae_with_documents(world):
    concern = report(world, "online_abuse_exploitation")
    attachments.documents_switch_on(actor=world.dsl, concern=concern, reason="Police asked for the form.")
    return concern


def test_api_refuses_any_file_on_sexual_imagery_concern(world, client_for, media):
    concern = report(world, YPSI)
    response = post(client_for("dsl"), concern, s.jpeg(), name="statement.pdf")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["reason"] == "uploads_off"
    assert "detected_type" not in body
    assert "Do not open it again" in body["detail"]
    assert not Attachment.objects.exists()
    assert stored_files(media) == []
    assert concern.entries.get(kind=ConcernEntry.Kind.ATTACHMENT).data["refused"] is True


def test_api_refuses_a_photo_named_pdf_on_csae_with_documents(world, client_for, media):
    concern = csae_with_documents(world)
    response = post(client_for("dsl"), concern, s.jpeg(), name="statement.pdf")
    assert response.status_code == 400
    assert response.json()["reason"] == "not_allowed"
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_api_accepts_a_document_lists_it_and_downloads_it(world, client_for, media):
    concern = csae_with_documents(world)
    client = client_for("dsl")
    data = s.pdf()
    created = post(client, concern, data, name="minutes.pdf", content_type="text/plain")
    assert created.status_code == 201
    body = created.json()
    assert body["content_type"] == "application/pdf"
    assert body["name"] == "minutes.pdf"
    assert body["state"] == "available"
    listed = client.get(url(concern)).json()
    assert [item["id"] for item in listed] == [body["id"]]
    download = client.get(body["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == data
    assert AuditEvent.objects.filter(action="concern.attachment_download").count() == 1


def test_api_refuses_video_on_cyberbullying(world, client_for, media):
    concern = report(world)
    response = post(client_for("dsl"), concern, s.mp4(), name="clip.jpg", content_type="image/jpeg")
    assert response.status_code == 400
    assert response.json()["reason"] == "not_allowed"
    assert stored_files(media) == []


def test_api_refuses_an_oversized_file(world, client_for, media, settings):
    settings.HARBOUR_ATTACHMENT_MAX_BYTES = 2000
    concern = report(world)
    response = post(client_for("dsl"), concern, s.pdf() + b"%" * 5000)
    assert response.status_code == 400
    assert response.json()["reason"] == "too_large"
    assert stored_files(media) == []


def test_api_uploads_never_spill_into_a_temporary_file(world, client_for, media, settings, monkeypatch):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0

    def no_disk(*args, **kwargs):
        raise AssertionError("an upload was written to a temporary file")

    monkeypatch.setattr("django.core.files.uploadhandler.TemporaryUploadedFile", no_disk)
    assert post(client_for("dsl"), report(world, YPSI), s.png()).status_code == 400
    concern = csae_with_documents(world)
    assert post(client_for("dsl"), concern, s.png()).status_code == 400
    assert post(client_for("dsl"), concern, s.pdf()).status_code == 201


def test_api_upload_without_a_file_is_a_clear_error(world, client_for, media):
    concern = report(world)
    response = client_for("dsl").post(url(concern), {"other": "x"})
    assert response.status_code == 400
    assert "field named 'file'" in response.json()["detail"]


@pytest.mark.parametrize("persona", ["outsider", "teacher", "teacher2"])
def test_api_gives_404_to_people_without_need_to_know(world, client_for, media, persona):
    concern = report(world)
    attachment = attachments.attachment_add(actor=world.dsl, concern=concern, name="a.pdf", data=s.pdf())
    client = client_for(persona)
    assert client.get(url(concern)).status_code == 404
    assert post(client, concern, s.pdf()).status_code == 404
    download = f"{url(concern)}{attachment.pk}/download/"
    assert client.get(download).status_code == 404
    assert Attachment.objects.count() == 1


def test_api_withheld_file_has_no_name_and_no_download(world, client_for, media):
    concern = report(world)
    screenshot = attachments.attachment_add(actor=world.dsl, concern=concern, name="chat.png", data=s.png())
    services.concern_change_category(
        actor=world.dsl, concern=concern, category=YPSI, reason="Nude image mentioned", version=concern.version
    )
    client = client_for("dsl")
    item = client.get(url(concern)).json()[0]
    assert item["state"] == "withheld"
    assert item["name"] is None
    assert item["download_url"] is None
    assert client.get(f"{url(concern)}{screenshot.pk}/download/").status_code == 404


def test_schema_describes_the_attachment_routes(client_for, world):
    schema = client_for("dsl").get("/api/v1/schema/").content.decode()
    assert "/api/v1/schools/{school_slug}/concerns/{concern_pk}/attachments/" in schema
    assert "concern_attachments_create" in schema


def test_api_dsl_switches_documents_on_for_a_csae_concern_with_a_reason(world, client_for, media):
    concern = report(world, "online_abuse_exploitation")
    switch = f"{url(concern)}documents/"
    client = client_for("dsl")
    assert post(client, concern, s.pdf()).status_code == 400
    missing = client.post(switch, {"switch": "on"}, content_type="application/json")
    assert missing.status_code == 400
    assert missing["Content-Type"] == "application/problem+json"
    assert "reason" in missing.json()["errors"]
    done = client.post(switch, {"switch": "on", "reason": "Police asked for it"}, content_type="application/json")
    assert done.status_code == 200
    assert done.json()["documents"] == "on"
    assert post(client, concern, s.pdf()).status_code == 201
    assert AuditEvent.objects.filter(action="concern.documents_switch_on").count() == 1


@pytest.mark.parametrize("persona", ["head", "teacher", "outsider"])
def test_api_only_the_dsl_team_switches_documents(world, client_for, media, persona):
    concern = report(world, "online_abuse_exploitation")
    response = client_for(persona).post(
        f"{url(concern)}documents/", {"switch": "on", "reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_api_documents_cannot_be_switched_on_for_sexual_imagery(world, client_for, media):
    concern = report(world, YPSI)
    response = client_for("dsl").post(
        f"{url(concern)}documents/", {"switch": "on", "reason": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
