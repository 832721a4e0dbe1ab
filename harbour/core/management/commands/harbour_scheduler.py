"""Enqueue Harbour's periodic jobs when they fall due. Runs next to ``db_worker``; ``make run`` starts both."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from harbour.core.scheduler import registered_jobs, run_due

TICK_SECONDS = 15.0


class Command(BaseCommand):
    help = "Enqueue scheduled background jobs when they are due (every 15 seconds, until stopped)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Check once, enqueue what is due, then exit.")
        parser.add_argument(
            "--interval", type=float, default=TICK_SECONDS, help="Seconds between checks (default: %(default)s)."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        self.verbosity = options["verbosity"]
        if once:
            self._tick()
            return
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
        names = ", ".join(job.name for job in registered_jobs()) or "none"
        self.stdout.write(f"Scheduler running every {interval:g} s; jobs: {names}")
        try:
            while not stop.is_set():
                self._tick()
                # wait() returns as soon as a signal handler sets the event, so shutdown is immediate.
                stop.wait(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Scheduler stopped.")

    def _tick(self) -> None:
        # A long-lived process must drop connections the database closed while it slept; inside an
        # atomic block (a test, or a caller's transaction) closing would abort that transaction.
        if not connection.in_atomic_block:
            close_old_connections()
        # run_due logs and skips a job that fails to start (database briefly away, locked SQLite
        # file), so one bad tick never ends the loop.
        started = run_due()
        if started and self.verbosity >= 2:
            self.stdout.write(f"Enqueued: {', '.join(started)}")
