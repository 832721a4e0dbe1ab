"""Raw logs are deleted after the school's retention; the counts and alerts stay (FLT-08, FLT-11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from harbour.audit.models import AuditEvent
from harbour.monitoring import retention
from harbour.monitoring.ingest import absolute
from harbour.monitoring.models import Alert, LogChunk, LogUpload, PersonDay
from harbour.monitoring.services import settings_for
from harbour.monitoring.tests.logs import grouped_log

pytestmark = pytest.mark.django_db


def test_raw_file_is_purged_after_the_retention(world, known_learner, ingest_file, tmp_path, media):
    config = settings_for(world.school)
    config.retention_days = 7
    config.save()
    upload = ingest_file(grouped_log(tmp_path / "access.log"))
    raw = absolute(upload.file)
    assert raw.exists()
    assert upload.purge_after.date() == (upload.created_at + timedelta(days=7)).date()
    assert retention.upload_purge_expired(now=timezone.now() + timedelta(days=6)) == []
    assert raw.exists()
    purged = retention.upload_purge_expired(now=timezone.now() + timedelta(days=7, minutes=1))
    assert [u.pk for u in purged] == [upload.pk]
    upload.refresh_from_db()
    assert (upload.file, upload.purged_at is not None, upload.requests) == ("", True, 6)
    assert not raw.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]
    assert Alert.objects.count() == 2
    assert PersonDay.objects.exists()
    assert AuditEvent.objects.filter(action="monitoring.upload_purge", object_id=str(upload.pk)).count() == 1
    assert retention.upload_purge_expired(now=timezone.now() + timedelta(days=8)) == []  # once only


def test_the_scheduled_job_is_registered():
    from harbour.core.scheduler import registered_jobs

    names = {job.name for job in registered_jobs()}
    assert {"monitoring.purge_expired_logs", "monitoring.requeue_stale_chunks", "monitoring.daily_digest"} <= names


def test_stale_chunks_go_to_another_worker_then_fail(world, media, tmp_path, monkeypatch):
    from harbour.monitoring import ingest

    with grouped_log(tmp_path / "a.log").open("rb") as stream:
        upload = ingest.upload_create(actor=world.technician, school=world.school, stream=stream, name="a.log")
    ingest.upload_split(upload.pk)
    chunk = LogChunk.objects.get()
    LogChunk.objects.filter(pk=chunk.pk).update(
        status="running", attempts=1, started_at=timezone.now() - timedelta(hours=1)
    )
    queued = []
    from types import SimpleNamespace

    from harbour.monitoring import tasks

    monkeypatch.setattr(tasks, "process_chunk", SimpleNamespace(enqueue=queued.append))
    assert retention.chunk_requeue_stale() == [chunk.pk]
    assert queued == [chunk.pk]
    assert LogChunk.objects.get().status == "pending"
    LogChunk.objects.filter(pk=chunk.pk).update(
        status="running", attempts=3, started_at=timezone.now() - timedelta(hours=1)
    )
    assert retention.chunk_requeue_stale() == []
    assert LogChunk.objects.get().status == "failed"
    assert LogUpload.objects.get().status == "failed"


def test_a_split_whose_worker_vanished_is_queued_again(world, media, tmp_path, monkeypatch):
    from types import SimpleNamespace

    from harbour.monitoring import ingest, tasks

    with grouped_log(tmp_path / "a.log").open("rb") as stream:
        upload = ingest.upload_create(actor=world.technician, school=world.school, stream=stream, name="a.log")
    LogUpload.objects.filter(pk=upload.pk).update(
        status="splitting", split_started_at=timezone.now() - timedelta(hours=3)
    )
    queued = []
    monkeypatch.setattr(tasks, "split_upload", SimpleNamespace(enqueue=queued.append))
    retention.chunk_requeue_stale()
    assert queued == [upload.pk]
    assert LogUpload.objects.get().status == "received"
    assert len(ingest.upload_split(upload.pk)) == 1
