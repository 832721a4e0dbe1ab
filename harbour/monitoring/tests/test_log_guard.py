"""Security finding 9: a monitoring upload is kept only if it proves to be a text log.

INC-YPSI-12 / INC-IIOC-06: pictures are never uploaded; the guard is an allow-list (gzip module,
UTF-8 text, the engine's own line parsers), so a picture posted with a hand-chosen format is
refused and nothing reaches MEDIA_ROOT. FLT-08: real logs, plain or gzip, still go through.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from harbour.core.file_checks import Refused, decode_plain_text
from harbour.core.tests import crafted_files
from harbour.monitoring import ingest, log_guard
from harbour.monitoring.models import LogUpload
from harbour.monitoring.tests.logs import grouped_log

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "samples"


def _sample(name: str) -> bytes:
    """An engine sample without the lines it holds on purpose to test the engine's malformed-line
    reasons (a NUL byte, invalid UTF-8): those make a file binary, and binary is refused whole."""
    keep = []
    for line in (SAMPLES / name).read_bytes().splitlines(keepends=True):
        try:
            decode_plain_text(line, log_guard.LOG_CONTROLS)
        except Refused:
            continue
        keep.append(line)
    return b"".join(keep)


SQUID = _sample("squid.log")
PROSE = b"".join(
    f"Line {i}: the quick brown fox jumps over the lazy dog, again and again.\n".encode() for i in range(40)
)


def _upload(world, content: bytes, fmt: str, name: str = "access.log") -> LogUpload:
    return ingest.upload_create(
        actor=world.technician, school=world.school, stream=io.BytesIO(content), name=name, fmt=fmt
    )


def _kept(media: Path) -> list[Path]:
    return [p for p in media.rglob("*") if p.is_file()]


@pytest.mark.parametrize(
    ("content", "fmt"),
    [
        (crafted_files.jpeg(), "squid"),
        (crafted_files.png(), "squid"),
        (crafted_files.jpeg(), "auto"),
        (gzip.compress(crafted_files.png()), "squid"),
        (gzip.compress(crafted_files.jpeg()), "auto"),
        (gzip.compress(gzip.compress(SQUID)), "squid"),  # a gzip inside a gzip is not text
        (b"\x1f\x8b" + b"not really gzip at all\n" * 10, "squid"),
        (PROSE, "squid"),
        (PROSE, "csv"),
        (SQUID[:200].split(b"\n")[0] + b"\n" + PROSE, "squid"),  # one good line among forty is too few
        (SQUID + crafted_files.jpeg(), "squid"),  # a picture after a good sample: caught by the full read
        (gzip.compress(SQUID + crafted_files.png()), "squid"),
        (SQUID.replace(b"alice", b"al\x07ice"), "squid"),  # binary control character
        (SQUID.replace(b"alice", b"al\xe9ice"), "squid"),  # Latin-1, not UTF-8
    ],
)
def test_pictures_and_non_logs_are_refused_and_nothing_is_kept(world, media, content, fmt):
    with pytest.raises(ValidationError, match=r"not kept|does not look like a log|could not be read"):
        _upload(world, content, fmt)
    assert not LogUpload.objects.exists()
    assert not _kept(media)


def test_a_picture_is_refused_before_anything_is_written(world, media, monkeypatch):
    """The first bytes decide: the storage folder is never even created for a picture."""
    made: list[Path] = []
    monkeypatch.setattr(ingest, "_copy_in", lambda *args: made.append(args) or (0, ""))
    with pytest.raises(ValidationError):
        _upload(world, crafted_files.jpeg(), "squid")
    assert made == []
    assert not list(media.rglob("*"))


@pytest.mark.parametrize("wrap", [lambda b: b, gzip.compress], ids=["plain", "gzip"])
@pytest.mark.parametrize("fmt", ["squid", "auto"])
def test_real_squid_logs_are_accepted(world, media, wrap, fmt):
    upload = _upload(world, wrap(SQUID), fmt)
    assert upload.format_detected == "squid"
    assert [p.read_bytes() for p in _kept(media)] == [wrap(SQUID)]


@pytest.mark.parametrize("name", ["combined.log", "e2guardian.log", "pihole.log", "generic.csv"])
def test_every_sample_format_is_accepted(world, media, name):
    upload = _upload(world, _sample(name), "auto", name=name)
    assert upload.format_detected


def test_a_log_made_by_the_test_helpers_is_accepted(world, media, tmp_path):
    upload = _upload(world, grouped_log(tmp_path / "access.log").read_bytes(), "squid")
    assert upload.format_detected == "squid"


def test_a_big_log_is_sampled_and_accepted(world, media):
    """Past the sample the file is only checked for binary bytes; a cut last line does not matter."""
    big = SQUID * 3000  # about 1 MB, several sample sizes
    upload = _upload(world, big, "squid")
    assert upload.size == len(big)


def test_the_upload_page_refuses_a_picture(world, client_for, media):
    response = client_for("technician").post(
        reverse("monitoring:upload_list", args=["alpha"]),
        {"file": SimpleUploadedFile("photo.log", crafted_files.jpeg()), "format": "squid"},
    )
    assert response.status_code == 400
    assert b"not kept" in response.content
    assert not LogUpload.objects.exists()
    assert not _kept(media)


def test_the_command_refuses_a_picture(world, media, tmp_path):
    picture = tmp_path / "access.log.gz"
    picture.write_bytes(gzip.compress(crafted_files.png()))
    with pytest.raises(CommandError, match="not kept"):
        call_command("monitoring_ingest", "alpha", str(picture), "--format", "squid")
    assert not LogUpload.objects.exists()
    assert not _kept(media)
