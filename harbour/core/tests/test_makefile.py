"""What `make run` and `make totp` run (issue 20): checked with `make -n`, which prints and runs nothing."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def dry_run(*args: str) -> list[str]:
    done = subprocess.run(
        ["make", "-n", *args], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout.splitlines()


def test_totp_reads_the_database_that_database_url_names():
    """`make totp EMAIL=…` against PostgreSQL: DATABASE_URL is passed through, not stripped."""
    lines = dry_run("totp", "EMAIL=dsl@st-james.example", "DATABASE_URL=postgres://postgres@127.0.0.1/harbour")
    command = next(line for line in lines if "harbour_totp" in line)
    assert command.endswith("manage.py harbour_totp dsl@st-james.example")
    assert "DATABASE_URL" not in command


def test_run_serves_the_sqlite_demo_without_debug_pages():
    """`make run` stays on SQLite whatever DATABASE_URL says, and shows Harbour's own error pages."""
    lines = dry_run("run", "DATABASE_URL=postgres://postgres@127.0.0.1/harbour")
    commands = [line for line in lines if "manage.py" in line and "pip" not in line]
    assert [c.split("manage.py ")[1].split()[0] for c in commands] == ["migrate", "harbour_demo", "harbour_run"]
    assert all(c.startswith("env -u DATABASE_URL ") for c in commands)
    assert not any("HARBOUR_DEBUG" in c for c in commands)
