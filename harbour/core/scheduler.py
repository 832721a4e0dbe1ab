"""Periodic jobs: apps declare what runs how often; the scheduler enqueues whatever is due.

Usage, in an app's ``tasks.py`` (core's AppConfig imports every ``harbour.<app>.tasks`` module, so
declaring the job is enough to register it)::

    @scheduled(name="concerns.chase_unacknowledged", every=timedelta(minutes=15))
    @task()
    def chase_unacknowledged() -> None: ...

A django-tasks task is enqueued for the worker. A plain function is called in the scheduler process
itself, so it must be quick; anything slow belongs in a task.

``run_due`` claims each due job with a conditional UPDATE on its ``ScheduledJobRun`` row, so two
schedulers running by mistake (a second ``make run``, a rolling deploy) cannot enqueue a job twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_tasks.base import Task

logger = logging.getLogger("harbour.scheduler")

Target = TypeVar("Target", bound=Task | Callable[[], Any])


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    every: timedelta
    target: Task | Callable[[], Any]

    @property
    def is_task(self) -> bool:
        return isinstance(self.target, Task)

    @property
    def target_path(self) -> str:
        if isinstance(self.target, Task):
            return self.target.module_path
        return f"{self.target.__module__}.{self.target.__qualname__}"


_registry: dict[str, ScheduledJob] = {}


def scheduled(*, name: str, every: timedelta) -> Callable[[Target], Target]:
    """Register a task or function to run every ``every``; returns it unchanged, so it stacks on ``@task()``."""
    if every <= timedelta(0):
        raise ImproperlyConfigured(f"Scheduled job {name!r} needs a positive interval")

    def register(target: Target) -> Target:
        job = ScheduledJob(name=name, every=every, target=target)
        existing = _registry.get(name)
        # Re-importing a module (autoreload, tests) registers the same job again: harmless.
        if existing is not None and existing.target_path != job.target_path:
            raise ImproperlyConfigured(
                f"Scheduled job name {name!r} is used by both {existing.target_path} and {job.target_path}"
            )
        _registry[name] = job
        return target

    return register


def registered_jobs() -> list[ScheduledJob]:
    return sorted(_registry.values(), key=lambda job: job.name)


def _claim(job: ScheduledJob, now: datetime) -> bool:
    """True if this process won the right to run ``job`` now; the row remembers it for every scheduler."""
    from harbour.core.models import ScheduledJobRun

    run, created = ScheduledJobRun.objects.get_or_create(name=job.name, defaults={"last_enqueued_at": now})
    if created:
        return True
    # The WHERE clause is re-checked under the row lock, so only one concurrent UPDATE can match.
    won = ScheduledJobRun.objects.filter(pk=run.pk, last_enqueued_at__lte=now - job.every).update(last_enqueued_at=now)
    return won == 1


def run_due(now: datetime | None = None) -> list[str]:
    """Enqueue (or call) every registered job whose last run is at least its interval ago.

    Returns the names of the jobs started. A task's claim and its enqueue commit together, so a
    failed enqueue leaves the job due for the next tick instead of silently skipping a run.
    """
    now = now or timezone.now()
    started = []
    for job in registered_jobs():
        try:
            if job.is_task:
                with transaction.atomic():
                    if not _claim(job, now):
                        continue
                    job.target.enqueue()  # type: ignore[union-attr]
            else:
                with transaction.atomic():
                    if not _claim(job, now):
                        continue
                # Run outside the transaction: on SQLite an open write transaction blocks the web server.
                job.target()
        except Exception:
            # One broken job must not stop the others; the log carries the traceback.
            logger.exception("Scheduled job %s failed to start", job.name)
            continue
        started.append(job.name)
        logger.debug("Scheduled job %s started", job.name)
    return started
