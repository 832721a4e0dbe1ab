"""Core background jobs: the worker heartbeat that /healthz reads."""

from __future__ import annotations

import socket
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from harbour.core.models import WorkerHeartbeat
from harbour.core.scheduler import scheduled

# Enough history to see a worker's recent rhythm; older beats say nothing /healthz needs.
HEARTBEATS_KEPT = 100


@scheduled(name="core.heartbeat", every=timedelta(seconds=settings.HARBOUR_HEARTBEAT_SECONDS))
@task()
def heartbeat() -> None:
    """Record that a worker picked up a job just now, and drop old beats.

    Runs on the worker, not in the scheduler, so a fresh beat proves jobs are actually being
    executed. Heartbeats are operational noise, not safeguarding records, so deleting them is fine.
    """
    WorkerHeartbeat.objects.create(worker=socket.gethostname()[:100] or "default", beat_at=timezone.now())
    oldest_kept = (
        WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True)[HEARTBEATS_KEPT - 1 :].first()
    )
    if oldest_kept is not None:
        WorkerHeartbeat.objects.filter(beat_at__lt=oldest_kept).delete()
