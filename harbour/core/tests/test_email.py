"""Outgoing email: a real SMTP conversation when a server is configured; otherwise one file per
message in HARBOUR_EMAIL_DIR (what `make run` sets), or the console."""

import runpy
import socket
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import EmailMessage, get_connection, send_mail
from django.test import override_settings

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "settings.py"


class Inbox:
    """An aiosmtpd handler that keeps every envelope it is given."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls this name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_mail_reaches_an_smtp_server(smtp_server):
    controller, inbox = smtp_server
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST=controller.hostname,
        EMAIL_PORT=controller.port,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_TIMEOUT=5,
    ):
        sent = send_mail(
            "Harbour test message",
            "If you can read this, Harbour can send email.",
            "Harbour <harbour@school.test>",
            ["dsl@school.test"],
        )
    assert sent == 1
    [envelope] = inbox.envelopes
    assert envelope.mail_from == "harbour@school.test"
    assert envelope.rcpt_tos == ["dsl@school.test"]
    message = message_from_bytes(envelope.content)
    assert message["Subject"] == "Harbour test message"
    assert message.get_payload(decode=True).decode().strip() == "If you can read this, Harbour can send email."


def _settings_with(monkeypatch, **env: str) -> dict:
    """Evaluate settings.py afresh under the given HARBOUR_* environment."""
    for name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_DIR", "ENV"):
        monkeypatch.delenv(f"HARBOUR_{name}", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


def test_email_goes_to_the_console_when_no_server_is_configured(monkeypatch):
    config = _settings_with(monkeypatch)
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_email_uses_smtp_with_starttls_when_a_server_is_configured(monkeypatch):
    config = _settings_with(monkeypatch, HARBOUR_EMAIL_HOST="smtp.school.test")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["EMAIL_HOST"] == "smtp.school.test"
    assert (config["EMAIL_PORT"], config["EMAIL_USE_TLS"], config["EMAIL_USE_SSL"]) == (587, True, False)


def test_email_is_filed_when_a_folder_is_given(monkeypatch, tmp_path):
    config = _settings_with(monkeypatch, HARBOUR_EMAIL_DIR=str(tmp_path / "mail"))
    assert config["EMAIL_BACKEND"] == "harbour.core.mail.FilePerMessageBackend"
    assert config["EMAIL_FILE_PATH"] == str(tmp_path / "mail")


def test_a_mail_server_wins_over_the_folder(monkeypatch, tmp_path):
    config = _settings_with(monkeypatch, HARBOUR_EMAIL_HOST="smtp.school.test", HARBOUR_EMAIL_DIR=str(tmp_path))
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_each_message_gets_its_own_readable_file(tmp_path):
    """Issue 20: several messages over one connection still make one .eml file each, oldest first."""
    folder = tmp_path / "mail"
    connection = get_connection("harbour.core.mail.FilePerMessageBackend", file_path=str(folder))
    messages = [
        EmailMessage(f"Reminder {n}", f"Body {n}", "Harbour <harbour@school.test>", [f"staff{n}@school.test"])
        for n in range(3)
    ]
    assert connection.send_messages(messages) == 3
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 3
    parsed = [message_from_bytes(path.read_bytes()) for path in files]
    assert [m["Subject"] for m in parsed] == ["Reminder 0", "Reminder 1", "Reminder 2"]
    assert [m["To"] for m in parsed] == ["staff0@school.test", "staff1@school.test", "staff2@school.test"]
    assert parsed[0].get_payload(decode=True).decode().strip() == "Body 0"
