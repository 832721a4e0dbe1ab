"""Receiving a log file and cutting it into chunks that any worker can scan (FLT-08; issue 6, Scale).

One service for both doors: the technician's upload page and ``manage.py monitoring_ingest``.

1. ``upload_create`` first proves from the file's first bytes that it is a text log in a format we
   read (``log_guard``: gzip, UTF-8 text, the engine's line parsers; security finding 9), then
   copies it under ``MEDIA_ROOT/monitoring/<school>/<random>/``, checks every byte is text, and
   records a ``LogUpload``. Bad input: a clear error, nothing kept.
2. ``upload_split`` (a background task) reads it once — ``.gz`` transparently — and writes chunks of
   ``HARBOUR_MONITORING_CHUNK_LINES`` lines (default 200,000), each a ``LogChunk`` row and a task
   on the database-backed queue. Any number of ``db_worker`` processes, on any number of machines
   sharing the database and the media folder, take them (``chunks.chunk_process``).

CSV logs repeat their header line at the top of every chunk, so each chunk reads on its own.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import uuid
import zlib
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.schools.models import School

from . import log_guard, permissions
from .models import LogChunk, LogUpload
from .scanning import FORMATS
from .services import settings_for

DEFAULT_CHUNK_LINES = 200_000
COPY_BLOCK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"


def chunk_lines() -> int:
    return max(1, int(getattr(settings, "HARBOUR_MONITORING_CHUNK_LINES", DEFAULT_CHUNK_LINES)))


def storage_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "monitoring"


def absolute(relative: str) -> Path:
    return storage_root().parent / relative


def _relative(path: Path) -> str:
    return str(path.relative_to(storage_root().parent))


def open_plain(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzip (by content, whatever its name says)."""
    with path.open("rb") as probe:
        magic = probe.read(2)
    return gzip.open(path, "rb") if magic == GZIP_MAGIC else path.open("rb")


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name or "log"
    cleaned = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in base)[:100]
    return cleaned.lstrip(".") or "log"


def _copy_in(head: bytes, stream: IO[bytes], target: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with target.open("wb") as out:
        block = head
        while block:
            digest.update(block)
            size += len(block)
            out.write(block)
            block = stream.read(COPY_BLOCK)
    return size, digest.hexdigest()


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _check_head(head: bytes, fmt: str, *, complete: bool) -> str:
    """Finding 9: the first bytes must prove a text log (log_guard) before anything is written."""
    if fmt not in FORMATS:
        raise ValidationError({"format": [f"'{fmt}' is not a format we read. Choose one of: {', '.join(FORMATS)}."]})
    try:
        return log_guard.check_sample(head, fmt, complete=complete)
    except log_guard.NotALog as exc:
        raise _refuse(exc.message) from None


def _check_whole(path: Path) -> None:
    """Every byte of the (decompressed) file is text: a picture after a good first sample is refused."""
    try:
        with open_plain(path) as handle:
            while block := handle.read(COPY_BLOCK):
                if log_guard.binary_block(block):
                    raise _refuse(log_guard.NOT_A_LOG)
    except (OSError, EOFError, zlib.error) as exc:
        raise _refuse(f"The file could not be read: {exc}.") from None


def check_file(path: Path, fmt: str) -> str:
    """The format of a file on disk (bad input: ValidationError with the reason), without keeping it."""
    try:
        with path.open("rb") as handle:
            head = handle.read(log_guard.HEAD_BYTES + 1)
    except OSError as exc:
        raise _refuse(f"The file could not be read: {exc}.") from None
    detected = _check_head(head[: log_guard.HEAD_BYTES], fmt, complete=len(head) <= log_guard.HEAD_BYTES)
    _check_whole(path)
    return detected


def upload_create(
    *,
    actor: Membership | None,
    school: School,
    stream: IO[bytes],
    name: str,
    fmt: str = "auto",
    source: str = LogUpload.Source.WEB,
) -> LogUpload:
    """Keep the file, check its format, record the upload and queue its splitting.

    ``actor`` is None only for the command line and the demo loader (system actions).
    """
    if actor is not None and not permissions.can_upload(actor):
        raise PermissionDenied
    if actor is not None and actor.school.pk != school.pk:
        raise PermissionDenied
    head = stream.read(log_guard.HEAD_BYTES)
    more = stream.read(1)
    detected = _check_head(head, fmt, complete=not more)  # refused here: nothing was written
    folder = storage_root() / school.slug / uuid.uuid4().hex
    folder.mkdir(parents=True)
    target = folder / _safe_name(name)
    try:
        size, sha256 = _copy_in(head + more, stream, target)
        _check_whole(target)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # bad input keeps nothing
        raise
    config = settings_for(school)
    with transaction.atomic():
        upload = LogUpload.objects.create(
            school=school,
            uploaded_by=actor.user if actor else None,
            source=source,
            original_name=name[:255],
            file=_relative(target),
            size=size,
            sha256=sha256,
            format_requested=fmt,
            format_detected=detected,
            purge_after=timezone.now() + timedelta(days=config.retention_days),
        )
        audit.record(
            action="monitoring.upload",
            actor=actor,
            school=school,
            obj=upload,
            changes={"file": [None, upload.original_name], "size": [None, size], "format": [None, detected]},
        )
        from .tasks import split_upload

        transaction.on_commit(lambda: split_upload.enqueue(upload.pk))
    return upload


def _chunk_files(upload: LogUpload, source: Path, folder: Path) -> Iterator[tuple[Path, int, int]]:
    """Write the chunks; yields (path, first line number in the original, lines in the chunk)."""
    per_chunk = chunk_lines()
    header = b""
    line_number = 0
    out: IO[bytes] | None = None
    index = count = first = 0
    path = folder
    with open_plain(source) as handle:
        for raw in handle:
            line_number += 1
            if upload.format_detected == "csv" and line_number == 1:
                header = raw if raw.endswith(b"\n") else raw + b"\n"
            if out is None:
                path = folder / f"{index:05d}.log"
                out = path.open("wb")
                first, count = line_number, 0
                if header and line_number > 1:
                    out.write(header)
            out.write(raw)
            count += 1
            if count >= per_chunk:
                out.close()
                yield path, first, count
                out, index = None, index + 1
    if out is not None:
        out.close()
        yield path, first, count


def upload_split(upload_id: int) -> list[LogChunk]:
    """Cut the upload into chunks and queue one task per chunk. Runs once per upload (claimed)."""
    if not LogUpload.objects.filter(pk=upload_id, status=LogUpload.Status.RECEIVED).update(
        status=LogUpload.Status.SPLITTING, split_started_at=timezone.now()
    ):
        return []
    upload = LogUpload.objects.select_related("school").get(pk=upload_id)
    folder = absolute(upload.file).parent / "chunks"
    try:
        folder.mkdir(exist_ok=True)
        pieces = list(_chunk_files(upload, absolute(upload.file), folder))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        LogUpload.objects.filter(pk=upload.pk).update(
            status=LogUpload.Status.FAILED, error=f"The file could not be read: {exc}", finished_at=timezone.now()
        )
        audit.record(action="monitoring.upload_failed", school=upload.school, obj=upload)
        return []
    with transaction.atomic():
        chunks = LogChunk.objects.bulk_create(
            [
                LogChunk(
                    school=upload.school, upload=upload, index=i, path=_relative(p), first_line=first, line_count=n
                )
                for i, (p, first, n) in enumerate(pieces)
            ]
        )
        LogUpload.objects.filter(pk=upload.pk).update(status=LogUpload.Status.SCANNING, chunks_total=len(chunks))
        from .tasks import process_chunk

        ids = [chunk.pk for chunk in LogChunk.objects.filter(upload=upload).order_by("index")]
        transaction.on_commit(lambda: [process_chunk.enqueue(pk) for pk in ids])
    return chunks
