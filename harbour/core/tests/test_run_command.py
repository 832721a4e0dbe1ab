"""`make run` (manage.py harbour_run): starts the three programs, stops them together.

The real web server, worker and scheduler are replaced by tiny Python programs, so these tests check
the supervision (signals forwarded, a dead child stops the rest) in about a second.
"""

import io
import os
import signal
import sys
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harbour.core.management.commands import harbour_run

# Exits 0 only through its SIGTERM handler, after leaving a mark: proof the signal reached it.
SLEEPER = (
    "import pathlib, signal, sys, time\n"
    "def stop(*_):\n"
    "    pathlib.Path(sys.argv[1]).write_text('stopped')\n"
    "    sys.exit(0)\n"
    "signal.signal(signal.SIGTERM, stop)\n"
    "time.sleep(30)\n"
    "sys.exit(9)\n"
)


@pytest.fixture
def no_demo(monkeypatch):
    def missing(name, *args, **kwargs):
        raise CommandError(f"Unknown command: {name!r}")

    monkeypatch.setattr(harbour_run, "call_command", missing)


def _sleeper(tmp_path, name):
    return (name, [sys.executable, "-c", SLEEPER, str(tmp_path / name)])


def test_starts_web_server_worker_and_scheduler_without_autoreload():
    commands = dict(harbour_run.child_commands("127.0.0.1:8000"))
    assert set(commands) == {"web server", "worker", "scheduler"}
    assert commands["web server"][-3:] == ["runserver", "127.0.0.1:8000", "--noreload"]
    assert commands["worker"][2] == "db_worker"
    assert "--no-reload" in commands["worker"]
    assert commands["scheduler"][2:] == ["harbour_scheduler"]
    assert all(argv[0] == sys.executable and argv[1].endswith("manage.py") for argv in commands.values())


def test_a_child_that_dies_stops_the_others_and_fails(monkeypatch, tmp_path, no_demo):
    monkeypatch.setenv("HARBOUR_RUN_ADDR", "127.0.0.1:8123")
    seen_addr = []

    def children(addr):
        seen_addr.append(addr)
        crasher = ("worker", [sys.executable, "-c", "import sys, time; time.sleep(0.3); sys.exit(3)"])
        return [_sleeper(tmp_path, "web server"), crasher]

    monkeypatch.setattr(harbour_run, "child_commands", children)
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"worker stopped unexpectedly \(exit code 3\)") as raised:
        call_command("harbour_run", stdout=out)
    assert raised.value.returncode == 1
    assert seen_addr == ["127.0.0.1:8123"]
    assert "http://127.0.0.1:8123" in out.getvalue()
    assert (tmp_path / "web server").read_text() == "stopped"


def test_sigterm_is_forwarded_to_every_child(monkeypatch, tmp_path, no_demo):
    monkeypatch.delenv("HARBOUR_RUN_ADDR", raising=False)
    monkeypatch.setattr(harbour_run, "child_commands", lambda addr: [_sleeper(tmp_path, "a"), _sleeper(tmp_path, "b")])
    before = signal.getsignal(signal.SIGTERM)
    out = io.StringIO()
    stopper = threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM))
    stopper.start()
    try:
        call_command("harbour_run", stdout=out)
    finally:
        stopper.cancel()
    assert "http://127.0.0.1:8000" in out.getvalue()
    assert out.getvalue().strip().endswith("Harbour stopped.")
    assert (tmp_path / "a").read_text() == (tmp_path / "b").read_text() == "stopped"
    assert signal.getsignal(signal.SIGTERM) is before


def test_demo_logins_are_printed_when_the_demo_command_exists(monkeypatch, tmp_path):
    calls = []

    def demo(name, *args, stdout, **kwargs):
        calls.append((name, args))
        stdout.write("dsl@st-james.example / demo-password")

    monkeypatch.setattr(harbour_run, "call_command", demo)
    monkeypatch.setattr(harbour_run, "child_commands", lambda addr: [("quitter", [sys.executable, "-c", "pass"])])
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("harbour_run", stdout=out)
    assert calls == [("harbour_demo", ("--print-logins",))]
    assert "dsl@st-james.example" in out.getvalue()
