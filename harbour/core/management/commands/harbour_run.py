"""``make run``: the web server, the background worker and the scheduler in one terminal.

Meant for trying Harbour on one machine. Production runs the same three programs under a process
manager instead (docs/deploy.md). If any of them stops, the others are stopped too, so a broken
worker is never left unnoticed behind a web server that still answers.

It serves on ``HARBOUR_RUN_ADDR`` (default 127.0.0.1:8000). Unless configured otherwise, the links in
e-mails point at that same address (``HARBOUR_SITE_URL``) and e-mails are written one file per
message to ``var/mail/`` (``HARBOUR_EMAIL_DIR``). The demo logins are printed last, once the server
answers and the jobs due at start-up have run, so nothing the programs print buries them (issue 20).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

DEFAULT_ADDR = "127.0.0.1:8000"
DEFAULT_PORT = 8000
STOP_GRACE_SECONDS = 10.0
POLL_SECONDS = 0.5
# How long to wait for the server to answer and the start-up jobs to finish before printing the
# logins anyway: a slow first start must not hide them for good.
READY_TIMEOUT_SECONDS = 120.0
# Addresses that mean "every interface": a browser on this machine reaches them as the loopback.
_ANY_HOST = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1", "[::]": "::1"}  # noqa: S104 - names, not binds


def split_addr(addr: str) -> tuple[str, int]:
    """runserver's ``[host:]port`` as (host, port); ``8001`` alone means 127.0.0.1:8001."""
    host, sep, port = addr.rpartition(":")
    if not sep or not port.isdigit():
        if addr.isdigit():
            return "127.0.0.1", int(addr)
        return (addr or "127.0.0.1"), DEFAULT_PORT
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return _ANY_HOST.get(host, host), int(port)


def site_url(addr: str) -> str:
    """The address a browser on this machine opens to reach ``runserver addr``."""
    host, port = split_addr(addr)
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def child_environment(addr: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of the three programs: links in e-mails point where we serve, mail to files.

    Anything the person set themselves wins: ``HARBOUR_SITE_URL`` (a proxy in front, another name),
    ``HARBOUR_EMAIL_HOST`` (a real mail server) or ``HARBOUR_EMAIL_DIR`` (another folder).
    """
    env = dict(environ)
    if not env.get("HARBOUR_SITE_URL"):
        env["HARBOUR_SITE_URL"] = site_url(addr)
    if not env.get("HARBOUR_EMAIL_HOST") and not env.get("HARBOUR_EMAIL_DIR"):
        env["HARBOUR_EMAIL_DIR"] = str(Path(settings.VAR_DIR) / "mail")
    return env


def server_answers(addr: str) -> bool:
    """True once something accepts connections on ``addr`` (a bare connect: no request in the log)."""
    host, port = split_addr(addr)
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def startup_work_pending(since: datetime) -> bool:
    """True while the scheduler has jobs due or the worker has queued ones, e.g. the first reminders."""
    from django_tasks_db.models import DBTaskResult

    from harbour.core.models import ScheduledJobRun
    from harbour.core.scheduler import registered_jobs

    now = timezone.now()
    try:
        last_run = dict(ScheduledJobRun.objects.values_list("name", "last_enqueued_at"))
        due = any(job.name not in last_run or last_run[job.name] <= now - job.every for job in registered_jobs())
        queued = (
            DBTaskResult.objects.ready().exists()
            or DBTaskResult.objects.running().filter(started_at__gte=since).exists()
        )
    except DatabaseError:
        return False  # no tables to look at: nothing to wait for
    return due or queued


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
        env = child_environment(addr, os.environ)
        self._banner(addr)
        self._received: int | None = None
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        children: list[Child] = []
        failed: Child | None = None
        try:
            children = [self._start(name, argv, env) for name, argv in child_commands(addr)]
            failed = self._wait_until_ready(addr, children)
            if failed is None and self._received is None:
                self._ready(env)
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
        self.stdout.write(self.style.SUCCESS(f"Harbour is starting at {site_url(addr)}"))
        self.stdout.write("Web server, background worker and scheduler run together; press Ctrl+C to stop them all.")
        self.stdout.write("The demo logins are printed below once everything has started.")
        self.stdout.write(rule)
        self.stdout.flush()

    def _wait_until_ready(self, addr: str, children: list[Child]) -> Child | None:
        """Wait for the web server to answer and the start-up jobs to run; a child that dies is returned."""
        started = timezone.now()
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        answering = False
        while self._received is None and time.monotonic() < deadline:
            dead = next((child for child in children if child.process.poll() is not None), None)
            if dead is not None:
                return dead
            answering = answering or server_answers(addr)
            if answering and not startup_work_pending(started):
                return None
            time.sleep(POLL_SECONDS)
        return None

    def _ready(self, env: Mapping[str, str]) -> None:
        rule = "=" * 64
        self.stdout.write("")
        self.stdout.write(rule)
        self.stdout.write(self.style.SUCCESS(f"Harbour is ready: open {env['HARBOUR_SITE_URL']}"))
        if env.get("HARBOUR_EMAIL_HOST"):
            self.stdout.write(f"E-mails are sent through {env['HARBOUR_EMAIL_HOST']}.")
        elif env.get("HARBOUR_EMAIL_DIR"):
            self.stdout.write(f"E-mails are not sent: each one is written to {_shown(env['HARBOUR_EMAIL_DIR'])}")
            self.stdout.write("as a .eml file (read it with less, or open it in a mail program).")
        self.stdout.write(rule)
        self._print_demo_logins()
        self.stdout.flush()

    def _print_demo_logins(self) -> None:
        try:
            call_command("harbour_demo", "--print-logins", stdout=self.stdout, stderr=self.stderr)
        except CommandError:
            # No demo data command (or no demo data): nothing useful to print, and no reason to stop.
            return

    def _start(self, name: str, argv: list[str], env: Mapping[str, str]) -> Child:
        # A new session keeps the terminal's Ctrl+C away from the children: they hear it once, from
        # us, instead of twice (which makes the worker abandon its current job).
        process = subprocess.Popen(argv, start_new_session=True, env=dict(env))  # noqa: S603 - our own argv, no shell
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


def _shown(path: str) -> str:
    """A folder as the person would type it: relative to where they ran ``make run`` when inside it."""
    folder = Path(path).resolve()
    try:
        return f"{folder.relative_to(Path.cwd())}/"
    except ValueError:
        return f"{folder}/"
