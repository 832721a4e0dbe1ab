"""A crashed worker's chunk is scanned again within two minutes, and chunks merged in any order give the
same alerts as one pass in time order (issue #13 point 10; FLT-08, INC-FILT-06)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.core.management.commands.harbour_scheduler import TICK_SECONDS
from harbour.core.scheduler import registered_jobs
from harbour.monitoring import chunks, ingest, retention, tasks
from harbour.monitoring.models import Alert, LogChunk, LogUpload
from harbour.monitoring.tests.logs import grouped_log, squid_log

pytestmark = pytest.mark.django_db


def _split(world, path) -> LogUpload:
    """Upload and split, but leave the chunks for the test to hand to workers."""
    with path.open("rb") as stream:
        upload = ingest.upload_create(actor=world.technician, school=world.school, stream=stream, name=path.name)
    ingest.upload_split(upload.pk)
    return upload


def test_the_reclaim_job_runs_often_enough_for_two_minutes():
    """Lease + job interval + scheduler tick stay under two minutes, and the job does not wait in the
    task queue behind the very workers whose chunks it rescues (it runs in the scheduler)."""
    job = next(j for j in registered_jobs() if j.name == "monitoring.requeue_stale_chunks")
    assert not job.is_task
    worst = chunks.LEASE + job.every + timedelta(seconds=TICK_SECONDS)
    assert worst <= timedelta(minutes=2)
    assert chunks.LEASE.total_seconds() >= chunks.HEARTBEAT * 3  # two missed beats are not a death


def test_a_crashed_workers_chunk_is_requeued_within_two_minutes(world, known_learner, media, tmp_path):
    upload = _split(world, grouped_log(tmp_path / "access.log"))
    chunk = LogChunk.objects.get(upload=upload)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert chunks._claim(chunk.pk) is not None  # ...and the worker dies here, mid-scan
    held = LogChunk.objects.get(pk=chunk.pk)
    assert held.status == "running"
    assert held.lease_until == start + chunks.LEASE

    with time_machine.travel(start + chunks.LEASE - timedelta(seconds=1), tick=False):
        assert retention.chunk_requeue_stale() == []  # still within its lease
    with time_machine.travel(start + chunks.LEASE + timedelta(seconds=1), tick=False):
        tasks.requeue_stale_chunks()  # what the scheduler calls; it queues process_chunk again
    # The test settings run queued tasks at once: another worker has already scanned and merged it.
    done = LogChunk.objects.get(pk=chunk.pk)
    assert (done.status, done.attempts) == ("done", 2)
    assert Alert.objects.get(category="gambling").count == 3


def test_a_working_worker_keeps_its_chunk_by_renewing_the_lease(world, known_learner, media, tmp_path, monkeypatch):
    """The scan's progress callback renews the lease, so a long scan is never taken away; a worker that
    finds its lease taken over stops and merges nothing."""
    upload = _split(world, grouped_log(tmp_path / "access.log"))
    chunk = LogChunk.objects.get(upload=upload)
    monkeypatch.setattr(chunks, "HEARTBEAT", 0.0)
    start = timezone.now()
    real_scan = chunks.run_scan
    seen = []

    def slow_scan(*args, progress, **kwargs):
        # Five minutes of scanning, with signs of life every 30 s.
        for step in range(1, 11):
            with time_machine.travel(start + timedelta(seconds=30 * step), tick=False):
                progress(1000)
                assert retention.chunk_requeue_stale() == []
                seen.append(LogChunk.objects.get(pk=chunk.pk).lease_until)
        return real_scan(*args, progress=progress, **kwargs)

    monkeypatch.setattr(chunks, "run_scan", slow_scan)
    with time_machine.travel(start, tick=False):
        assert chunks.chunk_process(chunk.pk) is True
    assert seen == [start + timedelta(seconds=30 * step) + chunks.LEASE for step in range(1, 11)]
    assert LogChunk.objects.get(pk=chunk.pk).attempts == 1

    # A worker that stalled past its lease: its next sign of life finds the chunk gone and it stops.
    lease = chunks.Lease(LogChunk.objects.get(pk=chunk.pk))
    LogChunk.objects.filter(pk=chunk.pk).update(status="pending")
    with pytest.raises(chunks.LeaseLost):
        lease.renew(force=True)


def test_a_stalled_worker_loses_the_chunk_and_merges_nothing(world, known_learner, media, tmp_path, monkeypatch):
    upload = _split(world, grouped_log(tmp_path / "access.log"))
    chunk = LogChunk.objects.get(upload=upload)
    real_scan = chunks.run_scan
    start = timezone.now()

    def stalled(*args, **kwargs):
        result = real_scan(*args, **kwargs)
        monkeypatch.setattr(chunks, "run_scan", real_scan)
        with time_machine.travel(start + timedelta(minutes=2), tick=False):
            assert retention.chunk_requeue_stale() == [chunk.pk]
        assert chunks.chunk_process(chunk.pk) is True  # the replacement worker
        return result

    monkeypatch.setattr(chunks, "run_scan", stalled)
    with time_machine.travel(start, tick=False):
        assert chunks.chunk_process(chunk.pk) is False
    assert Alert.objects.get(category="gambling").count == 3
    upload.refresh_from_db()
    assert (upload.chunks_done, upload.requests) == (1, 6)


# -- out-of-order merging --------------------------------------------------------------------------

# Minutes of each gambling request by one learner; one request per chunk. The school's window is 60
# minutes, so in time order they make three alerts: [0, 50, 100, 150], [230, 280] and [400].
MINUTES = [0, 50, 100, 150, 230, 280, 400]
IN_ORDER = [(0, 150, 4), (230, 280, 2), (400, 400, 1)]


@pytest.mark.parametrize(
    "order",
    [
        [0, 1, 2, 3, 4, 5, 6],
        [6, 5, 4, 3, 2, 1, 0],
        [0, 2, 1, 3, 5, 4, 6],  # the middle chunk last: it bridges two alerts already made
        [3, 0, 6, 1, 5, 2, 4],
        [2, 4, 0, 6, 1, 3, 5],
    ],
)
def test_chunks_merged_in_any_order_give_the_in_order_alerts(world, known_learner, media, tmp_path, settings, order):
    """A chunk merged out of order never splits an alert (two alerts for one run) nor counts a hit twice."""
    settings.HARBOUR_MONITORING_CHUNK_LINES = 1
    rows = [(60 * m, "ada.q", f"http://example-casino.test/{m}") for m in MINUTES]
    upload = _split(world, squid_log(tmp_path / "casino.log", rows))
    ids = list(LogChunk.objects.filter(upload=upload).order_by("index").values_list("pk", flat=True))
    assert len(ids) == len(MINUTES)
    for index in order:
        assert chunks.chunk_process(ids[index]) is True
    for index in order:
        assert chunks.chunk_process(ids[index]) is False  # duplicates change nothing

    base = min(Alert.objects.values_list("first_seen", flat=True))
    spans = sorted(
        (int((a.first_seen - base).total_seconds() // 60), int((a.last_seen - base).total_seconds() // 60), a.count)
        for a in Alert.objects.filter(status="open")
    )
    assert spans == IN_ORDER
    assert sum(a.count for a in Alert.objects.filter(status="open")) == len(MINUTES)
    # Alerts folded into another stay on record, closed, pointing at the one that carries their hits.
    for merged in Alert.objects.filter(status="merged"):
        assert merged.merged_into.status == "open"
        assert merged.merged_into.first_seen <= merged.first_seen <= merged.last_seen <= merged.merged_into.last_seen
        assert AuditEvent.objects.filter(action="monitoring.alert_merged", object_id=str(merged.pk)).exists()
    upload.refresh_from_db()
    assert (upload.status, upload.chunks_done, upload.requests) == ("done", len(MINUTES), len(MINUTES))


def test_a_merged_alert_points_to_the_one_to_work_from(client_for, world, known_learner, media, tmp_path, settings):
    settings.HARBOUR_MONITORING_CHUNK_LINES = 1
    rows = [(0, "ada.q", "http://example-casino.test/a"), (50 * 60, "ada.q", "http://example-casino.test/b")]
    rows.append((100 * 60, "ada.q", "http://example-casino.test/c"))
    upload = _split(world, squid_log(tmp_path / "casino.log", rows))
    ids = list(LogChunk.objects.filter(upload=upload).order_by("index").values_list("pk", flat=True))
    for index in (0, 2, 1):
        chunks.chunk_process(ids[index])
    merged = Alert.objects.get(status="merged")
    kept = Alert.objects.get(status="open")
    assert (merged.merged_into, kept.count) == (kept, 3)
    page = client_for("dsl").get(reverse("monitoring:alert_detail", args=[world.school.slug, merged.pk]))
    assert page.status_code == 200
    assert reverse("monitoring:alert_detail", args=[world.school.slug, kept.pk]) in page.content.decode()
    assert "Turn into a concern" not in page.content.decode()
