"""Fixtures of the monitoring app's Django-side tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from harbour.monitoring import ingest
from harbour.monitoring.models import LogUpload


@pytest.fixture(autouse=True)
def reference_engine(settings) -> None:
    """The Django side is tested on the reference path, which defines the results; the fast path is
    held to it by the engine's own tests (and by test_scale.py here)."""
    settings.HARBOUR_MONITORING_ENGINE = "reference"


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Uploads land in a fresh folder, so a test can see exactly what was kept."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def known_learner(world):
    """world.learner is "ada.q" in the logs: the MIS id the import gave her."""
    world.learner.mis_id = "ada.q"
    world.learner.save(update_fields=["mis_id"])
    return world.learner


@pytest.fixture
def ingest_file(world, media, django_capture_on_commit_callbacks) -> Callable[..., LogUpload]:
    """Upload a file as the technician and run the queued tasks (split, then every chunk) at once."""

    def run(path: Path, *, actor=None, fmt: str = "auto") -> LogUpload:
        with django_capture_on_commit_callbacks(execute=True), path.open("rb") as stream:
            upload = ingest.upload_create(
                actor=actor or world.technician, school=world.school, stream=stream, name=path.name, fmt=fmt
            )
        upload.refresh_from_db()
        return upload

    return run
