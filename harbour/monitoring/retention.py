"""Raw logs kept no longer than the school decided (default 30 days), and chunks no worker finished.

Deleting the raw file is the one removal in this app: alerts, their decisions and the daily counts
stay, as safeguarding records must (FLT-08, FLT-11). Each purge is audited.
"""

from __future__ import annotations

import logging
import shutil
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from harbour.audit import services as audit

from .ingest import absolute
from .models import LogChunk, LogUpload

logger = logging.getLogger("harbour.monitoring")

# Chunks claimed before leases existed (no ``lease_until``) fall back to this.
STALE_AFTER = timedelta(minutes=30)
# Splitting reads the whole file once: minutes even for a very large one.
STALE_SPLIT_AFTER = timedelta(hours=2)
MAX_ATTEMPTS = 3


def upload_purge_expired(*, now: datetime | None = None) -> list[LogUpload]:
    """Delete the raw files of every upload past its retention; the row keeps its counts."""
    now = now or timezone.now()
    purged = []
    due = LogUpload.objects.filter(purge_after__lte=now, purged_at__isnull=True).select_related("school")
    for upload in due:
        with transaction.atomic():
            if not LogUpload.objects.filter(pk=upload.pk, purged_at__isnull=True).update(purged_at=now, file=""):
                continue  # another scheduler got there first
            LogChunk.objects.filter(upload=upload).update(path="")
            audit.record(
                action="monitoring.upload_purge",
                school=upload.school,
                obj=upload,
                changes={"file": [upload.original_name, None]},
            )
        if upload.file:
            shutil.rmtree(absolute(upload.file).parent, ignore_errors=True)
        purged.append(upload)
    return purged


def chunk_requeue_stale(*, now: datetime | None = None) -> list[int]:
    """Hand chunks whose worker stopped renewing its lease to another worker; give up after three attempts.

    A running worker renews ``lease_until`` while it scans (chunks.Lease), so an expired lease means
    the worker crashed, was killed or hangs (issue #13: retried within two minutes, not thirty).
    """
    from .tasks import process_chunk

    now = now or timezone.now()
    _requeue_stale_splits(now)
    stale = LogChunk.objects.filter(status=LogChunk.Status.RUNNING).filter(
        Q(lease_until__lt=now) | Q(lease_until__isnull=True, started_at__lt=now - STALE_AFTER)
    )
    requeued = []
    for chunk in stale:
        if chunk.attempts >= MAX_ATTEMPTS:
            LogChunk.objects.filter(pk=chunk.pk, attempts=chunk.attempts, status=LogChunk.Status.RUNNING).update(
                status=LogChunk.Status.FAILED, error="No worker finished this part after three attempts."
            )
            LogUpload.objects.filter(pk=chunk.upload_id).update(
                status=LogUpload.Status.FAILED, error=f"Part {chunk.index + 1} was never finished by a worker."
            )
            continue
        if LogChunk.objects.filter(pk=chunk.pk, attempts=chunk.attempts, status=LogChunk.Status.RUNNING).update(
            status=LogChunk.Status.PENDING
        ):
            logger.warning("Requeued chunk %s of upload %s (worker %s)", chunk.index, chunk.upload_id, chunk.worker)
            process_chunk.enqueue(chunk.pk)
            requeued.append(chunk.pk)
    return requeued


def _requeue_stale_splits(now: datetime) -> None:
    """An upload whose splitting worker vanished goes back to the queue. Should the first worker
    still be alive, the one-chunk-per-index constraint lets only one of them record the chunks."""
    from .tasks import split_upload

    stale = LogUpload.objects.filter(
        status=LogUpload.Status.SPLITTING, split_started_at__lt=now - STALE_SPLIT_AFTER, chunks_total=0
    )
    for upload in stale:
        if LogUpload.objects.filter(pk=upload.pk, status=LogUpload.Status.SPLITTING).update(
            status=LogUpload.Status.RECEIVED
        ):
            logger.warning("Requeued the splitting of upload %s", upload.pk)
            split_upload.enqueue(upload.pk)
