"""``make run``: the web server, the background worker and the scheduler in one terminal.

Meant for trying Harbour on one machine. Production runs the same three programs under a process
manager instead (docs/deploy.md). If any of them stops, the others are stopped too, so a broken
worker is never left unnoticed behind a web server that still answers.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEFAULT_ADDR = "127.0.0.1:8000"
STOP_GRACE_SECONDS = 10.0
POLL_SECONDS = 0.5


@dataclass
class Child:
    name: str
    process: subprocess.Popen


def child_commands(addr: str) -> list[tuple[str, list[str]]]:
    """The programs to start, by name. Each runs in its own Python process, like in production."""
    manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
    return [
        ("web server", [*manage, "runserver", addr, "--noreload"]),
        # Autoreload would put the worker in a grandchild process that our signals never reach.
        ("worker", [*manage, "db_worker", "--queue-name", "*", "--no-reload"]),
        ("scheduler", [*manage, "harbour_scheduler"]),
    ]


class Command(BaseCommand):
    help = "Run Harbour locally: web server, background worker and scheduler, stopped together with Ctrl+C."

    def handle(self, *args: Any, **options: Any) -> None:
        addr = os.environ.get("HARBOUR_RUN_ADDR", DEFAULT_ADDR)
        self._banner(addr)
        self._print_demo_logins()
        self._received: int | None = None
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        children: list[Child] = []
        try:
            children = [self._start(name, argv) for name, argv in child_commands(addr)]
            failed = self._supervise(children)
        finally:
            self._stop_all(children, self._received or signal.SIGTERM)
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        if failed is not None:
            raise CommandError(
                f"The {failed.name} stopped unexpectedly (exit code {failed.process.returncode}), "
                "so Harbour was shut down. Its error is printed above.",
                returncode=1,
            )
        self.stdout.write("Harbour stopped.")

    def _banner(self, addr: str) -> None:
        rule = "=" * 64
        self.stdout.write(rule)
        self.stdout.write(self.style.SUCCESS(f"Harbour is starting at http://{addr}"))
        self.stdout.write("Web server, background worker and scheduler run together; press Ctrl+C to stop them all.")
        self.stdout.write(rule)

    def _print_demo_logins(self) -> None:
        try:
            call_command("harbour_demo", "--print-logins", stdout=self.stdout, stderr=self.stderr)
        except CommandError:
            # No demo data command (or no demo data): nothing useful to print, and no reason to stop.
            return

    def _start(self, name: str, argv: list[str]) -> Child:
        # A new session keeps the terminal's Ctrl+C away from the children: they hear it once, from
        # us, instead of twice (which makes the worker abandon its current job).
        process = subprocess.Popen(argv, start_new_session=True)  # noqa: S603 - our own argv, no shell
        return Child(name=name, process=process)

    def _on_signal(self, signum: int, frame: object) -> None:
        self._received = signum

    def _supervise(self, children: list[Child]) -> Child | None:
        """Wait until we are asked to stop (None) or a child exits on its own (that child)."""
        while self._received is None:
            for child in children:
                if child.process.poll() is not None:
                    return child
            time.sleep(POLL_SECONDS)
        return None

    def _stop_all(self, children: list[Child], signum: int) -> None:
        running = [child for child in children if child.process.poll() is None]
        for child in running:
            child.process.send_signal(signum)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in running:
            try:
                child.process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.stderr.write(f"The {child.name} did not stop in time; killing it.")
                child.process.kill()
                child.process.wait()
