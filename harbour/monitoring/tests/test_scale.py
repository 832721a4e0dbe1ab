"""Issue 6 part 6: chunks taken by any worker in any order give the same counts and alerts as one
pass; and the engine's fast path, when installed, gives the Django side the same results (FLT-08)."""

from __future__ import annotations

import pytest

from harbour.monitoring import chunks, engine, ingest
from harbour.monitoring.models import Alert, LogChunk, PersonDay
from harbour.monitoring.tests.logs import BASE, squid_line

pytestmark = pytest.mark.django_db


def _log(tmp_path):
    rows = []
    for i in range(40):
        rows.append(squid_line(BASE + i * 30, "ada.q", f"http://example-casino.test/{i}"))
        rows.append(squid_line(BASE + i * 30 + 5, "ben.m", f"https://www.google.com/search?q=buy+weed+{i}"))
    path = tmp_path / "busy.log"
    path.write_text("\n".join(rows) + "\n")
    return path


def _summary():
    alerts = sorted(Alert.objects.values_list("person_label", "kind", "category", "count", "first_seen", "last_seen"))
    days = sorted(PersonDay.objects.values_list("person", "category", "day", "requests"))
    return alerts, days


def _upload(world, path, settings, lines):
    settings.HARBOUR_MONITORING_CHUNK_LINES = lines
    with path.open("rb") as stream:
        upload = ingest.upload_create(actor=world.technician, school=world.school, stream=stream, name=path.name)
    ingest.upload_split(upload.pk)
    return upload


def test_chunks_in_any_order_match_a_single_pass(world, known_learner, media, tmp_path, settings):
    path = _log(tmp_path)
    one = _upload(world, path, settings, 10_000)
    for chunk in LogChunk.objects.filter(upload=one):
        assert chunks.chunk_process(chunk.pk)
    single = _summary()
    Alert.objects.all().delete()
    PersonDay.objects.all().delete()
    many = _upload(world, path, settings, 7)
    ids = list(LogChunk.objects.filter(upload=many).order_by("-index").values_list("pk", flat=True))
    assert len(ids) == 12
    for chunk_id in ids:  # last chunk first, as a busy queue might hand them out
        assert chunks.chunk_process(chunk_id)
    assert _summary() == single
    many.refresh_from_db()
    assert (many.status, many.requests, many.chunks_done) == ("done", 80, 12)


@pytest.mark.skipif(not engine.fast_available(), reason="the fast path is not installed")
def test_fast_path_gives_the_same_alerts(world, known_learner, media, tmp_path, settings, ingest_file):
    path = _log(tmp_path)
    settings.HARBOUR_MONITORING_ENGINE = "reference"
    ingest_file(path)
    reference = _summary()
    Alert.objects.all().delete()
    PersonDay.objects.all().delete()
    settings.HARBOUR_MONITORING_ENGINE = "fast"
    upload = ingest_file(path)
    assert upload.status == "done", upload.error
    assert _summary() == reference
