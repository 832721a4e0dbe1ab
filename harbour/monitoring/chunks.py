"""Scanning one chunk and merging what it found, exactly once (FLT-08; issue 6, Scale).

Any worker on any machine may be handed a chunk, and a chunk may be handed out twice (a retry, a
worker that died and was replaced). Exactly-once merging rests on two conditional UPDATEs:

* the claim: ``pending → running`` with ``attempts + 1``; only one worker wins it;
* the lease: the claim holds the chunk until ``lease_until`` (LEASE from now). The worker renews it
  from the scan's progress callback, so in its main thread: a worker that crashes, is killed or
  hangs stops renewing, and ``retention.chunk_requeue_stale`` (run by the scheduler every
  30 seconds) hands the chunk to another worker within two minutes (issue #13). A worker that
  finds its lease taken over stops scanning at once;
* the commit: ``running → done`` for *that* attempt, in the same transaction as the merge into the
  daily counts and the alerts. A worker whose attempt was superseded matches no row, and its
  transaction rolls back with nothing merged.

The scan itself, the slow part, runs outside any transaction. Merging holds the school's
monitoring-settings row locked, so merges of one school queue behind each other while schools run
side by side.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from harbour.audit import services as audit
from harbour.schools.models import School

from .attribution import Resolver
from .engine.hosts import is_ip_literal
from .engine.types import ScanResult
from .grouping import flag_categories, group_flags, merge_groups
from .ingest import absolute
from .models import LogChunk, LogUpload, MonitoringSettings, PersonDay
from .scanning import ScanSetupError, base_categories, run_scan
from .services import settings_for, settings_locked

logger = logging.getLogger("harbour.monitoring")

MAX_PROBLEMS = 100
PERSON_BATCH = 500
# A claim lasts LEASE unless renewed; the worker renews it at most every HEARTBEAT seconds. The
# scheduler ticks every 15 s and runs the reclaim job every 30 s, so a dead worker's chunk is
# queued again at most LEASE + 30 s + 15 s = 105 s after its last renewal: within two minutes.
LEASE = timedelta(seconds=60)
HEARTBEAT = 15.0


class LeaseLost(Exception):
    """Another worker holds this chunk now (our lease ran out): stop, merge nothing."""


class Lease:
    """This worker's hold on one claimed chunk, renewed while it works on it."""

    def __init__(self, chunk: LogChunk) -> None:
        self.chunk = chunk
        self._renewed = time.monotonic()

    def renew(self, *, force: bool = False) -> None:
        """Push ``lease_until`` forward (at most every HEARTBEAT s unless forced); LeaseLost if taken over."""
        now = time.monotonic()
        if not force and now - self._renewed < HEARTBEAT:
            return
        self._renewed = now
        held = LogChunk.objects.filter(
            pk=self.chunk.pk, status=LogChunk.Status.RUNNING, attempts=self.chunk.attempts
        ).update(lease_until=timezone.now() + LEASE)
        if not held:
            raise LeaseLost(f"chunk {self.chunk.pk} attempt {self.chunk.attempts}")

    def progress(self, _bytes: int) -> None:
        """The engine's progress callback: every call is a sign of life."""
        self.renew()


def _worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def _claim(chunk_id: int) -> LogChunk | None:
    claimed = LogChunk.objects.filter(pk=chunk_id, status=LogChunk.Status.PENDING).update(
        status=LogChunk.Status.RUNNING,
        attempts=F("attempts") + 1,
        worker=_worker_name(),
        started_at=timezone.now(),
        lease_until=timezone.now() + LEASE,
    )
    if not claimed:
        return None
    return LogChunk.objects.select_related("upload", "school").get(pk=chunk_id)


def _problems(result: ScanResult, chunk: LogChunk, path: str) -> list[str]:
    """Problems with the chunk's path and line numbers turned back into the original file's."""
    upload = chunk.upload
    csv_header_added = upload.format_detected == "csv" and chunk.index > 0
    offset = chunk.first_line - (2 if csv_header_added else 1)
    out = []
    for problem in result.problems:
        if problem.startswith(path + ":"):
            rest = problem[len(path) + 1 :]
            number, sep, reason = rest.partition(":")
            if sep and number.strip().isdigit():
                out.append(f"{upload.original_name}:{int(number) + offset}:{reason}")
                continue
            out.append(f"{upload.original_name}:{rest}")
        else:
            out.append(problem.replace(path, upload.original_name))
    return out


def _merge_person_days(school: School, result: ScanResult, resolver: Resolver) -> None:
    """Add the chunk's per-person, per-category, per-day counts to the school's table."""
    wanted: dict[tuple[str, str, date], int] = defaultdict(int)
    for (person, category, day), n in result.person_day.items():
        wanted[(person, category, date.fromisoformat(day))] += n
    persons = sorted({key[0] for key in wanted})
    days = {key[2] for key in wanted}
    existing: dict[tuple[str, str, date], PersonDay] = {}
    for start in range(0, len(persons), PERSON_BATCH):
        rows = PersonDay.objects.filter(school=school, day__in=days, person__in=persons[start : start + PERSON_BATCH])
        existing.update({(row.person, row.category, row.day): row for row in rows})
    changed, fresh = [], []
    for key, n in wanted.items():
        row = existing.get(key)
        if row is not None:
            row.requests += n
            changed.append(row)
            continue
        person = key[0]
        # Only a username names someone for the whole day; an IP address changes hands.
        who = None if is_ip_literal(person) else resolver.identifiers.lookup(person)
        fresh.append(
            PersonDay(
                school=school,
                person=person,
                category=key[1],
                day=key[2],
                requests=n,
                learner_id=who.learner_id if who else None,
                staff_id=who.staff_id if who else None,
            )
        )
    PersonDay.objects.bulk_update(changed, ["requests"], batch_size=1000)
    PersonDay.objects.bulk_create(fresh, batch_size=1000)


def _fail(chunk: LogChunk, message: str) -> None:
    with transaction.atomic():
        LogChunk.objects.filter(pk=chunk.pk, attempts=chunk.attempts).update(
            status=LogChunk.Status.FAILED, error=message[:2000], finished_at=timezone.now()
        )
        LogUpload.objects.filter(pk=chunk.upload_id).exclude(status=LogUpload.Status.FAILED).update(
            status=LogUpload.Status.FAILED,
            error=f"Part {chunk.index + 1} could not be scanned: {message}"[:2000],
            finished_at=timezone.now(),
        )
        audit.record(action="monitoring.upload_failed", school=chunk.school, obj=chunk.upload)


def chunk_process(chunk_id: int) -> bool:
    """Scan one chunk and merge it. False when another worker has it or already merged it."""
    chunk = _claim(chunk_id)
    if chunk is None:
        return False
    school, upload = chunk.school, chunk.upload
    path = absolute(chunk.path)
    lease = Lease(chunk)
    try:
        config = settings_for(school)
        flagged = flag_categories(config, base_categories().names)
        lease.renew()  # loading a large list tree can take a while
        result = run_scan(
            path, fmt=upload.format_detected, school=school, flag_categories=flagged, progress=lease.progress
        )
        lease.renew(force=True)  # the merge below must not outlive the lease
    except LeaseLost:
        logger.warning("Chunk %s of upload %s was taken over by another worker", chunk.index, upload.pk)
        return False
    except ScanSetupError as exc:
        _fail(chunk, str(exc))
        return False
    except Exception as exc:
        logger.exception("Chunk %s of upload %s failed", chunk.index, upload.pk)
        _fail(chunk, f"{type(exc).__name__}: {exc}")
        return False
    resolver = Resolver(school)
    with transaction.atomic():
        config = settings_locked(school)
        won = LogChunk.objects.filter(pk=chunk.pk, status=LogChunk.Status.RUNNING, attempts=chunk.attempts).update(
            status=LogChunk.Status.DONE,
            finished_at=timezone.now(),
            lines=result.lines,
            requests=result.requests,
            malformed=result.malformed,
            flags=len(result.flags),
        )
        if not won:
            return False
        _merge_person_days(school, result, resolver)
        counts = merge_groups(
            group_flags(result.flags, config=config, resolver=resolver), school=school, config=config, upload=upload
        )
        _advance_upload(upload.pk, chunk, result, counts.created, counts.updated, config)
        audit.record(
            action="monitoring.chunk_merge",
            school=school,
            obj=upload,
            changes={
                "chunk": [None, chunk.index],
                "requests": [None, result.requests],
                "alerts_created": [None, counts.created],
                "alerts_updated": [None, counts.updated],
                "alerts_merged": [None, counts.merged],
            },
        )
    _remove_chunk_file(chunk)
    return True


def _advance_upload(
    upload_id: int, chunk: LogChunk, result: ScanResult, created: int, updated: int, config: MonitoringSettings
) -> None:
    upload = LogUpload.objects.select_for_update().get(pk=upload_id)
    upload.chunks_done += 1
    upload.lines += result.lines
    upload.requests += result.requests
    upload.malformed += result.malformed
    upload.flags += len(result.flags)
    upload.alerts_created += created
    upload.alerts_updated += updated
    room = MAX_PROBLEMS - len(upload.problems)
    if room > 0:
        upload.problems = [*upload.problems, *_problems(result, chunk, str(absolute(chunk.path)))[:room]]
    if upload.chunks_done >= upload.chunks_total and upload.status == LogUpload.Status.SCANNING:
        upload.status = LogUpload.Status.DONE
        upload.finished_at = timezone.now()
    upload.save()


def _remove_chunk_file(chunk: LogChunk) -> None:
    """A merged chunk is a copy of part of the original: the original alone waits for retention."""
    try:
        absolute(chunk.path).unlink(missing_ok=True)
    except OSError:
        logger.warning("Could not remove chunk file %s", chunk.path)
