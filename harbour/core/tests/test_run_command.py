"""`make run` (manage.py harbour_run): starts the three programs, stops them together.

The real web server, worker and scheduler are replaced by tiny Python programs, so these tests check
the supervision (signals forwarded, a dead child stops the rest) in about a second. The start-up
tests (issue 20) check that the logins come last, and that the programs get the address they serve
on for the links in e-mails, and a folder for the e-mails themselves.
"""

import io
import os
import signal
import socket
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

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


REAL_SERVER_ANSWERS = harbour_run.server_answers
REAL_STARTUP_WORK_PENDING = harbour_run.startup_work_pending


@pytest.fixture(autouse=True)
def ready_at_once(monkeypatch):
    """The fake children serve nothing and there is no queue: start-up is over as soon as it starts."""
    monkeypatch.setattr(harbour_run, "server_answers", lambda addr: True)
    monkeypatch.setattr(harbour_run, "startup_work_pending", lambda since: False)


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


def _stop_soon(seconds: float = 1.0) -> threading.Timer:
    timer = threading.Timer(seconds, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    return timer


def test_demo_logins_are_printed_when_the_demo_command_exists(monkeypatch, tmp_path):
    calls = []

    def demo(name, *args, stdout, **kwargs):
        calls.append((name, args))
        stdout.write("dsl@st-james.example / demo-password")

    monkeypatch.setattr(harbour_run, "call_command", demo)
    monkeypatch.setattr(harbour_run, "child_commands", lambda addr: [_sleeper(tmp_path, "web server")])
    out = io.StringIO()
    stopper = _stop_soon()
    try:
        call_command("harbour_run", stdout=out)
    finally:
        stopper.cancel()
    assert calls == [("harbour_demo", ("--print-logins",))]
    assert "dsl@st-james.example" in out.getvalue()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# A web server that takes a moment to start, prints (like mail sent at start-up) and then listens.
SLOW_SERVER = (
    "import socket, sys, time\n"
    "time.sleep(0.6)\n"
    "print('START-UP MAIL: policy reminder', flush=True)\n"
    "server = socket.socket(); server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
    "server.bind(('127.0.0.1', int(sys.argv[1]))); server.listen()\n"
    "time.sleep(30)\n"
)


def test_the_logins_are_the_last_thing_printed_once_the_server_answers(monkeypatch, capfd):
    """Issue 20: nothing the programs print at start-up comes after the logins table."""
    port = _free_port()
    monkeypatch.setenv("HARBOUR_RUN_ADDR", f"127.0.0.1:{port}")
    monkeypatch.setattr(harbour_run, "server_answers", REAL_SERVER_ANSWERS)
    monkeypatch.setattr(
        harbour_run,
        "call_command",
        lambda name, *args, stdout, **kwargs: stdout.write("LOGINS TABLE\nmake totp EMAIL=dsl@st-james.example\n"),
    )
    monkeypatch.setattr(
        harbour_run, "child_commands", lambda addr: [("web server", [sys.executable, "-c", SLOW_SERVER, str(port)])]
    )
    stopper = _stop_soon(2.5)
    try:
        call_command("harbour_run", stdout=sys.stdout)
    finally:
        stopper.cancel()
    printed = capfd.readouterr().out
    assert printed.index("Harbour is starting") < printed.index("START-UP MAIL")
    assert printed.index("START-UP MAIL") < printed.index("Harbour is ready") < printed.index("LOGINS TABLE")
    assert f"Harbour is ready: open http://127.0.0.1:{port}" in printed
    before_stop = printed[: printed.index("Harbour stopped.")]
    assert before_stop.rstrip().endswith("make totp EMAIL=dsl@st-james.example")


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000"),
        ("8123", "http://127.0.0.1:8123"),
        ("0.0.0.0:8080", "http://127.0.0.1:8080"),
        ("localhost:9000", "http://localhost:9000"),
        ("[::1]:8001", "http://[::1]:8001"),
    ],
)
def test_links_point_at_the_address_served_on(addr, url):
    assert harbour_run.site_url(addr) == url


def test_the_programs_get_the_served_address_and_a_mail_folder(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    env = harbour_run.child_environment("127.0.0.1:8123", {"PATH": "/bin"})
    assert env["HARBOUR_SITE_URL"] == "http://127.0.0.1:8123"
    assert env["HARBOUR_EMAIL_DIR"] == str(tmp_path / "mail")
    assert env["PATH"] == "/bin"


def test_what_the_person_configured_wins(settings, tmp_path):
    configured = {"HARBOUR_SITE_URL": "https://harbour.school.test", "HARBOUR_EMAIL_HOST": "smtp.school.test"}
    env = harbour_run.child_environment("127.0.0.1:8123", configured)
    assert env["HARBOUR_SITE_URL"] == "https://harbour.school.test"
    assert "HARBOUR_EMAIL_DIR" not in env  # a real mail server: e-mails are sent, not filed
    env = harbour_run.child_environment("127.0.0.1:8123", {"HARBOUR_EMAIL_DIR": str(tmp_path / "elsewhere")})
    assert env["HARBOUR_EMAIL_DIR"] == str(tmp_path / "elsewhere")


SEND_INVITATION_LIKE_MAIL = """
import django
django.setup()
from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
link = settings.SITE_URL + reverse("accounts:invitation_accept", kwargs={"token": "a-token"})
send_mail("You are invited to Harbour", "Open this link: " + link, None, ["new.teacher@school.test"])
send_mail("A second message", "Its own file.", None, ["someone@school.test"])
print(settings.EMAIL_BACKEND)
"""


def test_an_email_sent_while_serving_on_another_port_links_to_that_port(settings, tmp_path):
    """Issue 20: served on :8123, the programs build links to :8123 and file each e-mail in var/mail/."""
    settings.VAR_DIR = tmp_path
    base = {k: v for k, v in os.environ.items() if not k.startswith("HARBOUR_")}
    env = harbour_run.child_environment("127.0.0.1:8123", {**base, "HARBOUR_VAR_DIR": str(tmp_path)})
    env["DJANGO_SETTINGS_MODULE"] = "harbour.settings"
    done = subprocess.run(
        [sys.executable, "-c", SEND_INVITATION_LIKE_MAIL],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "harbour.core.mail.FilePerMessageBackend"
    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2, "one file per message"
    first = files[0].read_text()
    assert "Subject: You are invited to Harbour" in first
    assert "http://127.0.0.1:8123/invitations/a-token/" in first
    assert "8000" not in first


@pytest.mark.django_db
def test_an_invitation_links_to_the_site_url(world, settings, django_capture_on_commit_callbacks):
    """The real invitation e-mail builds its link on SITE_URL, the setting harbour_run fills in."""
    from harbour.accounts.services import invitation_create

    settings.SITE_URL = harbour_run.site_url("127.0.0.1:8123")
    with django_capture_on_commit_callbacks(execute=True):
        issued = invitation_create(actor=world.head, email="new.teacher@alpha.test", role="teacher")
    assert issued.link.startswith("http://127.0.0.1:8123/invitations/")
    assert issued.link in mail.outbox[-1].body


@pytest.mark.django_db
def test_start_up_waits_for_due_jobs_and_queued_tasks(monkeypatch):
    from django_tasks_db.models import DBTaskResult

    from harbour.core.models import ScheduledJobRun
    from harbour.core.scheduler import registered_jobs

    monkeypatch.setattr(harbour_run, "startup_work_pending", REAL_STARTUP_WORK_PENDING)
    since = timezone.now() - timedelta(seconds=5)
    assert harbour_run.startup_work_pending(since), "no job has run yet: the scheduler still has work"
    for job in registered_jobs():
        ScheduledJobRun.objects.create(name=job.name, last_enqueued_at=timezone.now())
    assert not harbour_run.startup_work_pending(since)
    DBTaskResult.objects.create(
        task_path="harbour.core.tasks.heartbeat",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=timezone.now() - timedelta(seconds=1),
    )
    assert harbour_run.startup_work_pending(since), "a queued task may still send start-up mail"


@pytest.mark.django_db
def test_a_missing_page_shows_harbours_own_404(client):
    """`make run` serves without debug mode, so a wrong address gets Harbour's page, not Django's."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page not found" in page
    assert "Go to your schools" in page
    assert "Django" not in page
