"""Outgoing email: a real SMTP conversation when a server is configured, the console otherwise."""

import runpy
import socket
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import send_mail
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
    for name in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS", "EMAIL_USE_SSL", "ENV"):
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
