"""Ingestion: upload → chunks on the queue → scan → merged counts and grouped alerts (FLT-08; issue 6 parts 2, 3, 6)."""

from __future__ import annotations

import gzip

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from harbour.audit.models import AuditEvent
from harbour.monitoring import chunks, ingest
from harbour.monitoring.models import Alert, LogChunk, LogUpload, PersonDay
from harbour.monitoring.services import list_entry_add, settings_for
from harbour.monitoring.tests.logs import BASE, grouped_log, squid_line, squid_log

pytestmark = pytest.mark.django_db


def test_upload_is_scanned_into_grouped_alerts_and_daily_counts(world, known_learner, ingest_file, tmp_path):
    """FLT-08: three casino hits within the window make one alert with count 3; the search makes another."""
    upload = ingest_file(grouped_log(tmp_path / "access.log"))
    assert (upload.status, upload.format_detected, upload.lines, upload.requests) == ("done", "squid", 6, 6)
    assert (upload.chunks_total, upload.chunks_done, upload.alerts_created) == (1, 1, 2)
    gambling = Alert.objects.get(kind="category", category="gambling")
    assert (gambling.learner, gambling.count, gambling.severity) == (known_learner, 3, "medium")
    assert gambling.hosts == ["example-casino.test", "www.example-casino.test", "spin-and-win.test"]
    keyword = Alert.objects.get(kind="keyword")
    assert (keyword.category, keyword.severity, keyword.terms) == ("self_harm", "critical", ["ways to self harm"])
    assert "ways to self harm" in keyword.phrases
    # social_networks is "none" by default: counted per day, never an alert.
    assert not Alert.objects.filter(category="social_networks").exists()
    days = {(r.person, r.category): (r.requests, r.learner_id) for r in PersonDay.objects.all()}
    assert days[("ada.q", "gambling")] == (3, known_learner.pk)
    assert days[("ben.m", "social_networks")] == (1, None)
    assert AuditEvent.objects.filter(action="monitoring.upload", school=world.school).count() == 1
    assert AuditEvent.objects.filter(action="monitoring.chunk_merge").count() == 1


def test_big_files_are_split_into_chunks_with_line_numbers_kept(world, known_learner, ingest_file, tmp_path, settings):
    """Issue 6 Scale: chunks of N lines, each its own task; problems point at lines of the original file."""
    settings.HARBOUR_MONITORING_CHUNK_LINES = 4
    rows = [squid_line(BASE + i, "ada.q", f"http://example-casino.test/{i}") for i in range(9)]
    rows.insert(5, "this is not a log line")
    path = tmp_path / "big.log"
    path.write_text("\n".join(rows) + "\n")
    upload = ingest_file(path)
    assert (upload.chunks_total, upload.chunks_done, upload.status) == (3, 3, "done")
    assert (upload.lines, upload.requests, upload.malformed) == (10, 9, 1)
    assert upload.problems
    assert upload.problems[0].startswith("big.log:6:")
    alert = Alert.objects.get()
    assert alert.count == 9  # three chunks, one alert: grouping spans chunk boundaries
    assert PersonDay.objects.get(category="gambling").requests == 9
    assert set(LogChunk.objects.values_list("status", flat=True)) == {"done"}


def test_csv_chunks_repeat_the_header(world, known_learner, ingest_file, tmp_path, settings):
    settings.HARBOUR_MONITORING_CHUNK_LINES = 2
    path = tmp_path / "export.csv"
    lines = ["timestamp,username,client_ip,url"] + [
        f"2026-11-02T09:0{i}:00Z,ada.q,10.0.0.5,http://example-casino.test/{i}" for i in range(5)
    ]
    path.write_text("\n".join(lines) + "\n")
    upload = ingest_file(path)
    assert (upload.format_detected, upload.status, upload.requests, upload.malformed) == ("csv", "done", 5, 0)
    assert Alert.objects.get().count == 5


def test_gzip_upload_is_read_transparently(world, known_learner, ingest_file, tmp_path):
    plain = grouped_log(tmp_path / "access.log")
    packed = tmp_path / "access.log.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    upload = ingest_file(packed)
    assert (upload.status, upload.requests, upload.alerts_created) == ("done", 6, 2)


def test_processing_a_chunk_twice_merges_it_once(world, known_learner, ingest_file, tmp_path):
    """A chunk handed out again after it was merged (a retry, a duplicate task) changes nothing."""
    upload = ingest_file(grouped_log(tmp_path / "access.log"))
    chunk = LogChunk.objects.get(upload=upload)
    assert chunks.chunk_process(chunk.pk) is False
    assert Alert.objects.get(category="gambling").count == 3
    assert PersonDay.objects.get(category="gambling").requests == 3
    upload.refresh_from_db()
    assert (upload.chunks_done, upload.requests) == (1, 6)


def test_superseded_attempt_merges_nothing(world, known_learner, media, tmp_path, monkeypatch):
    """Two workers: the first stalls mid-scan, the sweep hands the chunk to a second who merges it;
    when the first wakes, its commit matches no row and it merges nothing (exactly once)."""
    path = grouped_log(tmp_path / "access.log")
    with path.open("rb") as stream:
        upload = ingest.upload_create(actor=world.technician, school=world.school, stream=stream, name="a.log")
    ingest.upload_split(upload.pk)
    chunk = LogChunk.objects.get(upload=upload)
    real_scan = chunks.run_scan

    def stalled_scan(*args, **kwargs):
        result = real_scan(*args, **kwargs)
        monkeypatch.setattr(chunks, "run_scan", real_scan)
        LogChunk.objects.filter(pk=chunk.pk).update(status="pending")  # the stale-chunk sweep
        assert chunks.chunk_process(chunk.pk) is True  # the second worker
        return result

    monkeypatch.setattr(chunks, "run_scan", stalled_scan)
    assert chunks.chunk_process(chunk.pk) is False
    assert Alert.objects.get(category="gambling").count == 3
    assert PersonDay.objects.get(category="gambling").requests == 3
    upload.refresh_from_db()
    assert (upload.chunks_done, upload.requests, upload.status) == (1, 6, "done")
    assert LogChunk.objects.get(pk=chunk.pk).attempts == 2


def test_later_hits_extend_the_open_alert_within_the_window(world, known_learner, ingest_file, tmp_path):
    """Grouping: same person and category within the window → the open alert's count grows."""
    ingest_file(squid_log(tmp_path / "one.log", [(0, "ada.q", "http://example-casino.test/")]))
    ingest_file(squid_log(tmp_path / "two.log", [(1200, "ada.q", "http://example-casino.test/b")]))
    alert = Alert.objects.get()
    assert alert.count == 2
    assert (alert.last_seen - alert.first_seen).total_seconds() == 1200


def test_hits_further_apart_than_the_window_make_two_alerts(world, known_learner, ingest_file, tmp_path):
    config = settings_for(world.school)
    config.grouping_minutes = 10
    config.save()
    ingest_file(
        squid_log(
            tmp_path / "a.log",
            [(0, "ada.q", "http://example-casino.test/"), (3600, "ada.q", "http://example-casino.test/")],
        )
    )
    assert sorted(Alert.objects.values_list("count", flat=True)) == [1, 1]


def test_a_decided_alert_is_never_extended(world, known_learner, ingest_file, tmp_path):
    ingest_file(squid_log(tmp_path / "one.log", [(0, "ada.q", "http://example-casino.test/")]))
    Alert.objects.update(status=Alert.Status.DISMISSED)
    ingest_file(squid_log(tmp_path / "two.log", [(60, "ada.q", "http://example-casino.test/")]))
    assert sorted(Alert.objects.values_list("status", "count")) == [("dismissed", 1), ("open", 1)]


def test_threshold_and_severity_choices_decide_what_alerts(world, known_learner, ingest_file, tmp_path):
    config = settings_for(world.school)
    config.alert_threshold = "high"
    config.category_severity = {"social_networks": "critical"}
    config.save()
    ingest_file(grouped_log(tmp_path / "access.log"))
    assert sorted(Alert.objects.values_list("category", flat=True)) == ["self_harm", "social_networks"]


def test_allow_list_silences_and_block_list_flags(world, known_learner, ingest_file, tmp_path):
    list_entry_add(actor=world.dsl, kind="allow", entry="example-casino.test", reason="Maths lesson on odds")
    list_entry_add(actor=world.technician, kind="block", entry="www.bbc.co.uk", reason="Testing the block list")
    ingest_file(grouped_log(tmp_path / "access.log"))
    gambling = Alert.objects.get(category="gambling")
    assert (gambling.count, gambling.hosts) == (1, ["spin-and-win.test"])
    assert Alert.objects.filter(category="school_block").count() == 1


def test_persons_resolve_through_dhcp_lease_and_device_register(world, media, ingest_file, tmp_path):
    from harbour.monitoring import mappings

    mappings.leases_import(
        actor=world.technician,
        content="ip,mac,hostname,start,end\n10.1.1.9,AA-BB-CC-00-11-22,lap-7,2026-11-02T08:00:00,2026-11-02T12:00:00\n",
    )
    world.learner2.upn = "B123456789012"
    world.learner2.save()
    mappings.devices_import(actor=world.technician, content="device,person,start,end\naabb.cc00.1122,B123456789012,,\n")
    ingest_file(squid_log(tmp_path / "ip.log", [(0, "-", "http://example-casino.test/", "10.1.1.9")]))
    ingest_file(squid_log(tmp_path / "late.log", [(6 * 3600, "-", "http://example-adult.test/", "10.1.1.9")]))
    assert Alert.objects.get(category="gambling").learner == world.learner2
    late = Alert.objects.get(category="adult")  # after the lease ended: nobody can be named
    assert (late.learner, late.person_label, late.person_key) == (None, "10.1.1.9", "raw:10.1.1.9")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"hello world\nthis is not a log\n", "does not look like a log"),
        (b"\x00\x01\x02" * 100, "does not look like a log"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_kept(world, media, content, message):
    import io

    with pytest.raises(ValidationError, match=message):
        ingest.upload_create(actor=world.technician, school=world.school, stream=io.BytesIO(content), name="x.log")
    assert not LogUpload.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_unknown_format_and_wrong_roles_are_refused(world, media):
    import io

    with pytest.raises(ValidationError, match="not a format"):
        ingest.upload_create(
            actor=world.technician, school=world.school, stream=io.BytesIO(b"x"), name="x.log", fmt="syslog"
        )
    for persona in ("teacher", "governor", "office"):
        with pytest.raises(PermissionDenied):
            ingest.upload_create(
                actor=world.persona(persona), school=world.school, stream=io.BytesIO(b"x"), name="x.log"
            )
    with pytest.raises(PermissionDenied):
        ingest.upload_create(actor=world.technician, school=world.other_school, stream=io.BytesIO(b"x"), name="x")
    assert not LogUpload.objects.exists()
