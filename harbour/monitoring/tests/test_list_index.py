"""Harbour scans with the prebuilt category index, and rebuilds it when the lists change (issue #19.1; FLT-08)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from harbour.monitoring import scanning, tasks
from harbour.monitoring.engine.index import MappedDomains
from harbour.monitoring.tests.logs import grouped_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(settings, tmp_path) -> Path:
    folder = Path(shutil.copytree(scanning.DEFAULT_LISTS_DIR, tmp_path / "lists"))
    settings.HARBOUR_MONITORING_LISTS_DIR = str(folder)
    settings.HARBOUR_MONITORING_INDEX_DIR = str(tmp_path / "index")
    scanning._cache.clear()
    yield folder
    scanning._cache.clear()


def test_workers_open_the_index_and_the_job_rebuilds_it_when_lists_change(lists, world, known_learner, ingest_file):
    db = scanning.base_categories()
    assert isinstance(db.domains, MappedDomains)  # opened from the index, not loaded into dicts
    target = scanning.index_file(lists)
    assert target.exists()
    assert scanning.refresh_index() is False  # fresh: nothing to do

    newly = "newly-listed-casino.test"
    with (lists / "gambling" / "domains").open("a") as f:
        f.write(f"{newly}\n")
    tasks.refresh_list_index.call()  # the scheduled job (run at once here)
    assert scanning.refresh_index() is False
    db = scanning.base_categories()  # the folder changed: the process opens the new index
    assert db.domains.get(newly) == ("gambling",)


def test_a_damaged_index_is_rebuilt_by_the_worker_that_finds_it(lists, tmp_path, world, known_learner, ingest_file):
    scanning.base_categories()
    target = scanning.index_file(lists)
    target.write_bytes(b"not an index")
    scanning._cache.clear()
    upload = ingest_file(grouped_log(tmp_path / "access.log"))
    assert (upload.status, upload.alerts_created) == ("done", 2)
    assert target.read_bytes()[:8] == b"HBRIDX01"


def test_index_off_loads_the_lists_into_memory(lists, settings):
    settings.HARBOUR_MONITORING_INDEX_DIR = "off"
    assert scanning.index_file(lists) is None
    assert isinstance(scanning.base_categories().domains, dict)
