"""manage.py monitoring_ingest: works, and bad input gives a clear error, exit status 2 and no change."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from harbour.monitoring.models import Alert, LogUpload
from harbour.monitoring.tests.logs import grouped_log

pytestmark = pytest.mark.django_db


def test_ingest_and_wait(world, known_learner, media, tmp_path, capsys):
    log = grouped_log(tmp_path / "access.log")
    call_command("monitoring_ingest", "alpha", str(log), "--wait", "--workers", "1")
    out = capsys.readouterr().out
    assert "format squid" in out
    assert "done — 6 lines, 6 requests, 0 not understood, 2 new alerts" in out
    upload = LogUpload.objects.get()
    assert (upload.source, upload.uploaded_by, upload.status) == ("command", None, "done")
    assert Alert.objects.count() == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere", "{log}"], "No active school has the slug 'nowhere'"),
        (["alpha", "{missing}"], "no such file"),
        (["alpha", "{log}", "--format", "syslog"], "Unknown format 'syslog'"),
        (["alpha", "{log}", "{junk}"], "does not look like a log"),
        (["alpha", "{empty}"], "empty"),
        (["alpha", "{folder}"], "not a file"),
        (["alpha", "{log}", "--workers", "-1"], "--workers"),
    ],
)
def test_bad_input_is_refused_whole(world, media, tmp_path, args, message):
    files = {
        "log": grouped_log(tmp_path / "access.log"),
        "missing": tmp_path / "nope.log",
        "junk": tmp_path / "junk.txt",
        "empty": tmp_path / "empty.log",
        "folder": tmp_path,
    }
    files["junk"].write_text("dear diary\ntoday nothing happened\n")
    files["empty"].write_text("")
    with pytest.raises(CommandError, match=message) as raised:
        call_command("monitoring_ingest", *[a.format(**files) for a in args])
    assert raised.value.returncode == 2
    assert not LogUpload.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_command_exits_2_without_traceback(world, media, tmp_path):
    """Run as a real process: one line on stderr, status 2 (never a traceback)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "monitoring_ingest", "alpha", str(tmp_path / "x.log"), "--format", "syslog"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert (
        result.stderr.strip()
        == "CommandError: Unknown format 'syslog': choose one of auto, squid, combined, e2guardian, pihole, csv."
    )
