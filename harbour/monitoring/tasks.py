"""Background work of the monitoring app, on the database-backed task queue (issue 6, Scale).

``split_upload`` and ``process_chunk`` are queued by ``ingest``; every ``db_worker`` on every
machine sharing the database and the media folder takes them. The scheduled jobs purge raw logs
past their retention, hand chunks whose lease expired to another worker and send the daily digest.
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


# A plain function, run by the scheduler itself rather than queued: when every worker is busy (or
# dead) a queued job would wait behind them, and it exists precisely to rescue their chunks. It is
# a few UPDATEs, quick enough for the scheduler. Every 30 s: with chunks.LEASE (60 s) and the
# scheduler's 15 s tick, a crashed worker's chunk is queued again within two minutes (issue #13).
@scheduled(name="monitoring.requeue_stale_chunks", every=timedelta(seconds=30))
def requeue_stale_chunks() -> None:
    from .retention import chunk_requeue_stale

    chunk_requeue_stale()


@scheduled(name="monitoring.refresh_list_index", every=timedelta(minutes=15))
@task()
def refresh_list_index() -> None:
    """Recompile the category index when the list folder changed (a UT1 update), so no scan waits for it."""
    from .scanning import refresh_index

    refresh_index()


@scheduled(name="monitoring.daily_digest", every=timedelta(hours=1))
@task()
def daily_digest() -> None:
    from .digest import digest_send_due

    digest_send_due()
