"""The monitoring pages: who gets in (404 for everyone else), upload with htmx progress, the alert
queue and the three decisions through the browser forms (FLT-08, INC-FILT-06, INC-FILT-09)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from harbour.audit.models import AuditEvent
from harbour.concerns.models import Concern
from harbour.monitoring import selectors
from harbour.monitoring.models import Alert, DeviceLease, ListEntry, LogUpload
from harbour.monitoring.tests.logs import grouped_log

pytestmark = pytest.mark.django_db


def url(name: str, *args: object, slug: str = "alpha") -> str:
    return reverse(f"monitoring:{name}", args=[slug, *args])


@pytest.fixture
def alert(world, known_learner, ingest_file, tmp_path) -> Alert:
    ingest_file(grouped_log(tmp_path / "access.log"))
    return Alert.objects.get(category="gambling")


ALERT_TEAM = ("dsl", "deputy", "head")
NO_ALERTS = ("teacher", "teacher2", "governor", "technician", "office", "slt", "support", "outsider")


@pytest.mark.parametrize("persona", NO_ALERTS)
def test_alert_pages_are_404_without_need_to_know(world, client_for, alert, persona):
    """FLT-08: only the DSL, deputies and the head see alerts; the rest get 404, never the record."""
    client = client_for(persona)
    for path in (url("alert_list"), url("alert_detail", alert.pk), url("settings")):
        response = client.get(path)
        assert response.status_code == 404, (persona, path)
        assert b"example-casino" not in response.content
    for action in ("alert_convert", "alert_false_positive", "alert_dismiss"):
        response = client.post(url(action, alert.pk), {"reason": "x", "category": "other", "summary": "x"})
        assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.status == "open"
    assert not Concern.objects.exists()


@pytest.mark.parametrize("persona", ["teacher2", "governor"])
def test_selectors_refuse_with_404(world, alert, persona):
    from django.http import Http404

    actor = world.persona(persona)
    with pytest.raises(Http404):
        selectors.alert_list(actor=actor)
    with pytest.raises(Http404):
        selectors.alert_get(actor=actor, pk=alert.pk)
    with pytest.raises(Http404):
        selectors.upload_list(actor=actor)


def test_selectors_keep_the_outsider_to_their_own_school(world, alert):
    from django.http import Http404

    assert not selectors.alert_list(actor=world.outsider).exists()
    assert not selectors.upload_list(actor=world.outsider).exists()
    with pytest.raises(Http404):
        selectors.alert_get(actor=world.outsider, pk=alert.pk)
    with pytest.raises(Http404):
        selectors.upload_get(actor=world.outsider, pk=alert.upload_id)


def test_outsiders_own_dsl_does_not_see_alpha_alerts(world, client_for, alert):
    response = client_for("outsider").get(url("alert_list", slug="beta"))
    assert response.status_code == 200
    assert b"example-casino" not in response.content
    assert client_for("outsider").get(url("alert_detail", alert.pk, slug="beta")).status_code == 404


@pytest.mark.parametrize("persona", ALERT_TEAM)
def test_alert_queue_and_detail_for_the_team(world, client_for, alert, persona):
    client = client_for(persona)
    page = client.get(url("alert_list"))
    assert page.status_code == 200
    assert escape(world.learner.full_name) in page.content.decode()
    detail = client.get(url("alert_detail", alert.pk)).content.decode()
    assert "example-casino.test" in detail
    assert 'href="http://example-casino' not in detail  # INC-FILT-09: inert text, never a link
    assert AuditEvent.objects.filter(action="monitoring.alert_view", actor=world.persona(persona).user).count() == 1


def test_alert_queue_filters_and_htmx_partial(world, client_for, alert):
    client = client_for("dsl")
    critical = client.get(url("alert_list"), {"severity": "critical"}).content.decode()
    assert "Search words: self harm" in critical
    assert "gambling" not in critical.split('id="alert-results"')[1].split("<tbody>")[1]
    nobody = client.get(url("alert_list"), {"q": "nobody-like-this"}).content.decode()
    assert "No alerts match" in nobody
    assert AuditEvent.objects.filter(action="monitoring.alert_list", changes__filters__severity="critical").exists()
    partial = client.get(url("alert_list"), {"q": world.learner.last_name}, headers={"HX-Request": "true"})
    assert b"<html" not in partial.content
    assert b"gambling" in partial.content


def test_convert_form_opens_the_concern(world, client_for, alert):
    response = client_for("dsl").post(
        url("alert_convert", alert.pk),
        {
            "category": "filtering_breach",
            "learner": world.learner.pk,
            "summary": "Gambling sites in lessons",
            "description": "Seen in the filter log.",
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:detail", args=["alpha", concern.pk])
    alert.refresh_from_db()
    assert alert.concern == concern


def test_bad_decisions_show_errors_and_change_nothing(world, client_for, alert):
    client = client_for("dsl")
    response = client.post(url("alert_convert", alert.pk), {"category": "nonsense", "summary": ""})
    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    response = client.post(url("alert_false_positive", alert.pk), {"reason": ""})
    assert response.status_code == 400
    response = client.post(url("alert_dismiss", alert.pk), {"reason": ""})
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.status == "open"
    assert not ListEntry.objects.exists()


def test_false_positive_and_dismiss_through_the_page(world, client_for, alert):
    client = client_for("deputy")
    response = client.post(
        url("alert_false_positive", alert.pk), {"reason": "Maths lesson", "host": "example-casino.test"}
    )
    assert response.status_code == 302
    assert ListEntry.objects.get().entry == "example-casino.test"
    page = client.get(url("alert_detail", alert.pk)).content.decode()
    assert "False positive" in page
    assert "Maths lesson" in page
    keyword = Alert.objects.get(kind="keyword")
    assert client.post(url("alert_dismiss", keyword.pk), {"reason": "PSHE lesson"}).status_code == 302
    keyword.refresh_from_db()
    assert keyword.status == "dismissed"
    queue = client.get(url("alert_list")).content.decode()
    assert "2 alerts found" not in queue
    assert "No alerts match" in queue  # decided alerts leave the default (open) queue
    assert "2 alerts found" in client.get(url("alert_list") + "?status=").content.decode()


# --- technician pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["teacher", "governor", "office", "outsider"])
def test_upload_pages_are_404_for_others(world, client_for, persona):
    client = client_for(persona)
    for path in (url("upload_list"), url("mappings"), url("lists")):
        assert client.get(path).status_code == 404


def test_technician_uploads_and_watches_progress(
    world, client_for, known_learner, media, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for("technician")
    assert client.get(url("upload_list")).status_code == 200
    log = grouped_log(tmp_path / "access.log")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("upload_list"), {"file": SimpleUploadedFile("access.log", log.read_bytes()), "format": "auto"}
        )
    upload = LogUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("upload_detail", upload.pk)
    page = client.get(url("upload_detail", upload.pk)).content.decode()
    assert "Done" in page
    assert 'hx-trigger="every 2s"' not in page  # finished: polling stops
    partial = client.get(url("upload_detail", upload.pk), headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith("<section")
    assert 'id="alerts-created">2<' in partial
    assert "ada.q" not in page  # the technician's page shows counts, not who


def test_progress_polls_while_scanning(world, client_for, media):
    upload = LogUpload.objects.create(
        school=world.school,
        original_name="x.log",
        status="scanning",
        chunks_total=4,
        chunks_done=1,
        purge_after="2099-01-01T00:00Z",
    )
    page = client_for("technician").get(url("upload_detail", upload.pk)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'value="25"' in page


def test_bad_upload_shows_a_clear_error_and_keeps_nothing(world, client_for, media):
    response = client_for("technician").post(
        url("upload_list"), {"file": SimpleUploadedFile("notes.txt", b"shopping list\nmilk\n"), "format": "auto"}
    )
    assert response.status_code == 400
    assert b"does not look like a log" in response.content
    assert not LogUpload.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_mapping_import_page(world, client_for):
    client = client_for("technician")
    good = b"ip,mac,hostname,start,end\n10.0.0.7,aa:bb:cc:dd:ee:01,lap-1,2026-11-02T08:00:00,\n"
    response = client.post(url("mappings"), {"kind": "leases", "file": SimpleUploadedFile("l.csv", good)})
    assert response.status_code == 302
    assert DeviceLease.objects.count() == 1
    bad = b"ip,mac,hostname,start,end\nnope,aa:bb:cc:dd:ee:01,lap-1,2026-11-02T08:00:00,\n"
    response = client.post(url("mappings"), {"kind": "leases", "file": SimpleUploadedFile("l.csv", bad)})
    assert response.status_code == 400
    assert b"line 2" in response.content
    assert DeviceLease.objects.count() == 1


def test_settings_and_lists_pages(world, client_for):
    client = client_for("dsl")
    page = client.get(url("settings"))
    assert page.status_code == 200
    assert b"gambling" in page.content
    data = {"retention_days": 10, "grouping_minutes": 45, "alert_threshold": "high", "digest_enabled": "on"}
    form = page.context["form"]
    data.update({name: form[name].initial or form.initial.get(name) for name in form.fields if "__" in name})
    data["cat__gambling"] = "critical"
    assert client.post(url("settings"), data).status_code == 302
    from harbour.monitoring.services import settings_for

    config = settings_for(world.school)
    assert (config.retention_days, config.category_severity["gambling"]) == (10, "critical")
    assert client.post(url("settings"), {**data, "retention_days": 0}).status_code == 400
    tech = client_for("technician")
    assert tech.post(url("lists"), {"kind": "block", "entry": "bad.example", "reason": "x"}).status_code == 302
    entry = ListEntry.objects.get()
    assert tech.post(url("list_entry_remove", entry.pk), {"reason": "done"}).status_code == 302
    entry.refresh_from_db()
    assert entry.removed_at is not None
