"""Operational state: worker heartbeats and when each scheduled job last ran."""

from __future__ import annotations

from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the background worker on a schedule; /healthz reads the newest."""

    worker = models.CharField(max_length=100, default="default")
    beat_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-beat_at"]
        get_latest_by = "beat_at"

    def __str__(self) -> str:
        return f"{self.worker} at {self.beat_at:%Y-%m-%d %H:%M:%S}"


class ScheduledJobRun(models.Model):
    """The last time the scheduler enqueued each registered job, so restarts do not double-run."""

    name = models.CharField(max_length=120, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
