"""The fast path's shortcuts keep the reference's results: flag cap, worker parts, pickling (issue #6; FLT-08).

Pure tests: no database.  The fast path skips building flags that can no longer be
among the MAX_FLAGS earliest, sends worker parts unfinalised with flags as plain
tuples, and scans the first piece in the parent; these tests make each shortcut
bite on a small generated log (a small MAX_FLAGS, tiny chunks) and compare with
the reference path field by field.
"""

from __future__ import annotations

import pickle

import pytest

pytest.importorskip("numba", reason="the fast path needs Numba (requirements.txt)")

from harbour.monitoring import bench_data
from harbour.monitoring import engine as engine_module
from harbour.monitoring.engine import (
    CategoryDB,
    fast_block,
    fast_state,
    load_categories,
    load_keywords,
    reference,
    scan,
    scan_reference,
)
from harbour.monitoring.engine import fast as fast_module
from harbour.monitoring.engine import types as types_module
from harbour.monitoring.engine.fast import scan_fast
from harbour.monitoring.engine.types import Flag

FLAGGED = frozenset({"adult", "gambling", "warez", "school_block", "press"})


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A 6,000-line log over a 3,000-domain tree, with urls lists and keyword hits."""
    return bench_data.ensure_data(tmp_path_factory.mktemp("bench"), 6_000, 3_000)


@pytest.fixture(scope="module")
def lists(generated):
    return load_categories(generated["lists"]), load_keywords(generated["keywords"])


@pytest.fixture
def small_cap(monkeypatch):
    """MAX_FLAGS = 40 everywhere it is read, so the cap (and the fast path's cut) is reached early."""
    for module in (types_module, fast_module, fast_block, reference):
        monkeypatch.setattr(module, "MAX_FLAGS", 40)
    return 40


def _same(fast, ref):
    assert fast.to_json() == ref.to_json()
    assert fast.person_day == ref.person_day
    assert fast.flags == ref.flags
    assert fast == ref


@pytest.mark.parametrize("block", [997, 1 << 16])
def test_flag_cap_cut_matches_reference(generated, lists, small_cap, monkeypatch, block):
    """INC-FILT-06: with the cap reached in the first blocks, the kept flags are still the earliest ones."""
    monkeypatch.setattr(fast_module, "BLOCK", block)
    db, kw = lists
    common = {"categories": db, "keywords": kw, "flag_categories": FLAGGED, "year": 2026}
    ref = scan_reference([str(generated["log"])], **common)
    assert len(ref.flags) == small_cap
    _same(scan_fast([str(generated["log"])], **common), ref)


@pytest.mark.parametrize("workers", [2, 3])
def test_workers_match_reference(generated, lists, small_cap, monkeypatch, workers):
    """FLT-08: pieces scanned in the parent and in workers, merged in order, equal one reference pass."""
    monkeypatch.setattr(engine_module, "CHUNK_MIN", 64 << 10)  # cut the small log into pieces
    db, kw = lists
    common = {"categories": db, "keywords": kw, "flag_categories": FLAGGED, "year": 2026}
    ref = scan_reference([str(generated["log"])], **common)
    units = engine_module.plan([str(generated["log"])], fmt="auto", year=2026, pieces_per_file=workers)
    assert len(units) == workers
    _same(scan([str(generated["log"])], workers=workers, engine="fast", **common), ref)
    _same(
        scan([str(generated["log"]), str(generated["log"])], workers=workers, engine="fast", **common),
        scan_reference([str(generated["log"]), str(generated["log"])], **common),
    )


def test_result_and_flag_pickle_round_trip(generated, lists):
    """Worker parts travel pickled: flags as plain tuples, everything else as it is."""
    db, kw = lists
    result = scan_fast([str(generated["log"])], categories=db, keywords=kw, flag_categories=FLAGGED, year=2026)
    assert result.flags
    again = pickle.loads(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    assert again == result
    assert all(type(f) is Flag for f in again.flags)
    flag = result.flags[0]
    assert pickle.loads(pickle.dumps(flag)) == flag


def test_domain_walk_equals_categorise():
    """FLT-09: the fast path's per-host walk gives CategoryDB.categorise's answer (allow wins, IPs whole)."""
    db = CategoryDB.build(
        {
            "adult": ["example.xxx", "b.example", "10.0.0.1", "1.2.3"],
            "press": ["news.b.example", "example", "3.4"],
            "gambling": ["example", "bet.b.example"],
        },
        allow=["ok.b.example", "ok2.example"],
        block=["blocked.example", "2.3.4"],
    )
    hosts = [
        "example.xxx",
        "www.example.xxx",
        "b.example",
        "news.b.example",
        "a.news.b.example",
        "bet.b.example",
        "x.bet.b.example",
        "ok.b.example",
        "in.ok.b.example",
        "ok2.example",
        "blocked.example",
        "a.blocked.example",
        "10.0.0.1",
        "10.0.0.10",
        "1.2.3.4",
        "9.1.2.3",
        "2.3.4",
        "x.2.3.4",
        "3.4",
        "localhost",
        "example",
        "a..b.example",
        "xxx",
        "_dmarc.b.example",
        "1.2.3",
        "a.1.2.3",
    ]
    for host in hosts:
        assert fast_state._categorise_by_domain(db, host) == db.categorise(host, "/"), host


def test_workers_are_not_forked_while_other_threads_run():
    """A process with other threads (a live web server, a browser driver) must not fork its workers:
    a child forked while another thread holds a lock can hang for ever (seen under the e2e tests)."""
    import threading

    from harbour.monitoring import engine

    stop = threading.Event()
    helper = threading.Thread(target=stop.wait, daemon=True)
    helper.start()
    try:
        assert engine._context().get_start_method() in {"forkserver", "spawn"}
    finally:
        stop.set()
        helper.join()
