"""Feed filter or proxy logs of one school into Harbour (FLT-08; issue 6 parts 2 and 6).

    manage.py monitoring_ingest SLUG LOGFILE... [--format auto|squid|combined|e2guardian|pihole|csv]
                                [--wait] [--workers N]

Every file is checked before anything is recorded: an unknown school, a missing or unreadable
file, an unknown format or a file that is not a log we read stops the command with a one-line
message and exit status 2, and nothing changes. Each file then becomes an upload split into chunks
on the task queue, for any ``db_worker`` on any machine. ``--wait`` also scans the chunks in this
process (with ``--workers N`` engine processes each) and prints the counts when done.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from harbour.monitoring import ingest
from harbour.monitoring.chunks import chunk_process
from harbour.monitoring.models import LogChunk, LogUpload
from harbour.monitoring.scanning import FORMATS
from harbour.schools.models import School

USAGE_ERROR = 2


def _fail(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


class Command(BaseCommand):
    help = "Scan filter or proxy logs for one school and raise alerts for its safeguarding team."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The school's slug, as in its web address.")
        parser.add_argument("logfiles", nargs="+", type=Path, metavar="LOGFILE", help="Log files (plain or .gz).")
        parser.add_argument("--format", default="auto", help=f"One of: {', '.join(FORMATS)} (default auto).")
        parser.add_argument("--wait", action="store_true", help="Scan here too and wait until every file is done.")
        parser.add_argument("--workers", type=int, default=1, help="Engine processes per chunk with --wait.")

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        if fmt not in FORMATS:
            raise _fail(f"Unknown format '{fmt}': choose one of {', '.join(FORMATS)}.")
        if options["workers"] < 0:
            raise _fail("--workers must be 0 (every CPU) or more.")
        school = School.objects.filter(slug=options["slug"], is_active=True).first()
        if school is None:
            raise _fail(f"No active school has the slug '{options['slug']}'.")
        paths: list[Path] = options["logfiles"]
        for path in paths:
            self._check(path, fmt)
        uploads = []
        for path in paths:
            with path.open("rb") as stream:
                try:
                    upload = ingest.upload_create(
                        actor=None,
                        school=school,
                        stream=stream,
                        name=path.name,
                        fmt=fmt,
                        source=LogUpload.Source.COMMAND,
                    )
                except ValidationError as exc:
                    raise _fail(f"{path}: {' '.join(exc.messages)}") from exc
            uploads.append(upload)
            self.stdout.write(f"{path}: upload {upload.pk}, format {upload.format_detected}")
        if options["wait"]:
            settings.HARBOUR_MONITORING_SCAN_WORKERS = options["workers"] or (os.cpu_count() or 1)
            for upload in uploads:
                self._work(upload)
        else:
            self.stdout.write("Queued: the background workers (db_worker) will scan the chunks.")

    def _check(self, path: Path, fmt: str) -> None:
        if not path.exists():
            raise _fail(f"{path}: no such file.")
        if not path.is_file():
            raise _fail(f"{path}: not a file.")
        if not os.access(path, os.R_OK):
            raise _fail(f"{path}: cannot be read (permissions).")
        try:
            ingest.check_file(path, fmt)
        except ValidationError as exc:
            raise _fail(f"{path}: {' '.join(exc.messages)}") from exc

    def _work(self, upload: LogUpload) -> None:
        ingest.upload_split(upload.pk)
        for chunk_id in LogChunk.objects.filter(upload=upload, status=LogChunk.Status.PENDING).values_list(
            "pk", flat=True
        ):
            chunk_process(chunk_id)
        upload.refresh_from_db()
        line = (
            f"{upload.original_name}: {upload.get_status_display().lower()} — {upload.lines} lines, "
            f"{upload.requests} requests, {upload.malformed} not understood, "
            f"{upload.alerts_created} new alerts, {upload.alerts_updated} updated"
        )
        if upload.status == LogUpload.Status.DONE:
            self.stdout.write(self.style.SUCCESS(line))
        else:
            self.stdout.write(self.style.WARNING(line))
            if upload.error:
                self.stderr.write(upload.error)
