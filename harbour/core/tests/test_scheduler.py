"""Scheduled jobs, the heartbeat task and the worker that runs it (operations: background jobs)."""

import io
import os
import signal
import threading
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import Task
from django_tasks_db.models import DBTaskResult

from harbour.core import scheduler
from harbour.core.models import ScheduledJobRun, WorkerHeartbeat
from harbour.core.tasks import HEARTBEATS_KEPT, heartbeat

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test, so real jobs do not run and test jobs do not leak."""
    jobs: dict = {}
    monkeypatch.setattr(scheduler, "_registry", jobs)
    return jobs


@pytest.fixture
def calls(registry):
    made: list[str] = []

    @scheduler.scheduled(name="test.every_minute", every=timedelta(minutes=1))
    def every_minute() -> None:
        made.append("every_minute")

    return made


@pytest.fixture
def restore_signals():
    """db_worker installs its own SIGINT/SIGTERM handlers and leaves them behind; put pytest's back."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_scheduled_hands_back_what_it_decorates(registry):
    def job() -> None: ...

    assert scheduler.scheduled(name="test.job", every=timedelta(hours=1))(job) is job
    assert [j.name for j in scheduler.registered_jobs()] == ["test.job"]


def test_one_name_cannot_belong_to_two_jobs(registry):
    def first() -> None: ...

    def second() -> None: ...

    scheduler.scheduled(name="test.job", every=timedelta(hours=1))(first)
    with pytest.raises(ImproperlyConfigured):
        scheduler.scheduled(name="test.job", every=timedelta(hours=1))(second)


def test_interval_must_be_positive(registry):
    with pytest.raises(ImproperlyConfigured):
        scheduler.scheduled(name="test.never", every=timedelta(0))


def test_job_runs_when_due_and_not_before(db, calls):
    start = timezone.now()
    assert scheduler.run_due(start) == ["test.every_minute"]
    assert scheduler.run_due(start + timedelta(seconds=45)) == []
    assert scheduler.run_due(start + timedelta(minutes=1)) == ["test.every_minute"]
    assert calls == ["every_minute", "every_minute"]
    assert ScheduledJobRun.objects.get(name="test.every_minute").last_enqueued_at == start + timedelta(minutes=1)


def test_two_schedulers_at_the_same_moment_start_a_job_once(db, calls):
    """The conditional update lets exactly one claim win, whichever process makes it."""
    start = timezone.now()
    scheduler.run_due(start)
    later = start + timedelta(minutes=5)
    job = scheduler.registered_jobs()[0]
    assert [scheduler._claim(job, later), scheduler._claim(job, later)] == [True, False]


def test_a_restart_does_not_rerun_a_job_early(db, calls):
    """The last run lives in the database, so a fresh process remembers it."""
    start = timezone.now()
    ScheduledJobRun.objects.create(name="test.every_minute", last_enqueued_at=start)
    assert scheduler.run_due(start + timedelta(seconds=10)) == []
    assert calls == []


def test_failed_enqueue_leaves_the_task_due(db, registry, monkeypatch):
    scheduler.scheduled(name="core.heartbeat", every=timedelta(minutes=1))(heartbeat)

    def broken(self, *args, **kwargs):
        raise RuntimeError("queue unavailable")

    monkeypatch.setattr(Task, "enqueue", broken)
    assert scheduler.run_due() == []
    assert not ScheduledJobRun.objects.filter(name="core.heartbeat").exists()


def test_one_broken_job_does_not_stop_the_others(db, calls):
    @scheduler.scheduled(name="test.broken", every=timedelta(minutes=1))
    def broken() -> None:
        raise RuntimeError("boom")

    assert scheduler.run_due() == ["test.every_minute"]
    assert calls == ["every_minute"]


def test_heartbeat_is_registered_by_autodiscovery():
    """core's AppConfig imports harbour.core.tasks, so the job exists in every process."""
    jobs = {job.name: job for job in scheduler.registered_jobs()}
    assert jobs["core.heartbeat"].target is heartbeat
    assert jobs["core.heartbeat"].every == timedelta(seconds=settings.HARBOUR_HEARTBEAT_SECONDS)


def test_heartbeat_keeps_only_the_newest_beats(db):
    now = timezone.now()
    WorkerHeartbeat.objects.bulk_create(
        WorkerHeartbeat(beat_at=now - timedelta(minutes=minutes)) for minutes in range(1, HEARTBEATS_KEPT + 10)
    )
    heartbeat.call()
    assert WorkerHeartbeat.objects.count() == HEARTBEATS_KEPT
    assert WorkerHeartbeat.objects.latest().beat_at >= now
    assert not WorkerHeartbeat.objects.filter(beat_at__lt=now - timedelta(minutes=HEARTBEATS_KEPT)).exists()


def test_scheduler_once_enqueues_the_heartbeat(db):
    """With the test settings' immediate backend, enqueueing runs the task at once."""
    call_command("harbour_scheduler", "--once")
    assert WorkerHeartbeat.objects.exists()
    assert ScheduledJobRun.objects.filter(name="core.heartbeat").exists()


@override_settings(TASKS=DATABASE_TASKS)
def test_worker_runs_the_heartbeat_the_scheduler_queued(transactional_db, restore_signals):
    """The real path of `make run`: scheduler → database queue → db_worker → heartbeat row.

    Transactional: the worker closes stale connections between tasks, as a long-lived process
    must, which would abort the wrapping transaction of an ordinary test on PostgreSQL."""
    call_command("harbour_scheduler", "--once")
    queued = DBTaskResult.objects.get(task_path="harbour.core.tasks.heartbeat")
    assert not WorkerHeartbeat.objects.exists()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL"
    assert WorkerHeartbeat.objects.exists()


def test_scheduler_loop_stops_cleanly_on_sigterm(db, registry, restore_signals):
    before = signal.getsignal(signal.SIGTERM)
    out = io.StringIO()
    stopper = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    stopper.start()
    try:
        call_command("harbour_scheduler", "--interval", "0.05", stdout=out)
    finally:
        stopper.cancel()
    assert out.getvalue().strip().endswith("Scheduler stopped.")
    assert signal.getsignal(signal.SIGTERM) is before
