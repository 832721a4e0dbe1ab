"""Secure defaults: production settings pass Django's deployment checklist and refuse to start
half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # The e2e conftest relaxes Django's async check for Playwright; a real start must not inherit that.
    inherited = ("HARBOUR_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(inherited)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "HARBOUR_VAR_DIR": "/tmp/harbour-settings-test", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "HARBOUR_ENV": "production",
    "HARBOUR_SECRET_KEY": "x" * 20 + "-a-long-random-production-secret-for-tests-only-0123456789",
    "HARBOUR_ALLOWED_HOSTS": "harbour.example.org",
}


def test_production_settings_pass_check_deploy():
    """Secure cookies, HSTS, SSL redirect and the rest: `manage.py check --deploy` is clean."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["HARBOUR_SECRET_KEY", "HARBOUR_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = _manage("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_security_headers_on_every_page(client, db):
    """CSP forbids other hosts and inline script; pages cannot be framed."""
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def _installed_apps(**env: str) -> str:
    code = "import django; django.setup(); from django.conf import settings; print(' '.join(settings.INSTALLED_APPS))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HARBOUR_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "harbour.settings",
            "HARBOUR_VAR_DIR": "/tmp/harbour-settings-test",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_single_sign_on_is_off_unless_configured():
    apps = _installed_apps()
    assert "providers.microsoft" not in apps
    assert "providers.google" not in apps


@pytest.mark.parametrize(
    ("variable", "provider"),
    [
        ("HARBOUR_MICROSOFT_CLIENT_ID", "allauth.socialaccount.providers.microsoft"),
        ("HARBOUR_GOOGLE_CLIENT_ID", "allauth.socialaccount.providers.google"),
    ],
)
def test_single_sign_on_switched_on_by_environment(variable, provider):
    assert provider in _installed_apps(**{variable: "client-id"})


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HARBOUR_TRUSTED_PROXIES": "not-an-address"}, "HARBOUR_TRUSTED_PROXIES"),
        # The old switch believed the left-most X-Forwarded-For entry, which the client writes.
        ({"HARBOUR_TRUST_X_FORWARDED_FOR": "1"}, "HARBOUR_TRUSTED_PROXIES"),
    ],
)
def test_proxy_settings_are_checked_at_start(env, message):
    """Issue #12 point 7: a wrong proxy setting stops Harbour rather than trusting any header."""
    result = _manage("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_trusted_proxies_accept_addresses_and_ranges():
    result = _manage("check", HARBOUR_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8, ::1")
    assert result.returncode == 0, result.stderr
