"""Background work of the monitoring app, on the database-backed task queue (issue 6, Scale).

``split_upload`` and ``process_chunk`` are queued by ``ingest``; every ``db_worker`` on every
machine sharing the database and the media folder takes them. The scheduled jobs purge raw logs
past their retention, hand abandoned chunks to another worker and send the daily digest.
"""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from harbour.core.scheduler import scheduled


@task()
def split_upload(upload_id: int) -> None:
    from .ingest import upload_split

    upload_split(upload_id)


@task()
def process_chunk(chunk_id: int) -> None:
    from .chunks import chunk_process

    chunk_process(chunk_id)


@scheduled(name="monitoring.purge_expired_logs", every=timedelta(hours=1))
@task()
def purge_expired_logs() -> None:
    from .retention import upload_purge_expired

    upload_purge_expired()


@scheduled(name="monitoring.requeue_stale_chunks", every=timedelta(minutes=10))
@task()
def requeue_stale_chunks() -> None:
    from .retention import chunk_requeue_stale

    chunk_requeue_stale()


@scheduled(name="monitoring.daily_digest", every=timedelta(hours=1))
@task()
def daily_digest() -> None:
    from .digest import digest_send_due

    digest_send_due()
