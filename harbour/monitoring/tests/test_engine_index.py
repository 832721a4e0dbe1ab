"""The prebuilt, memory-mapped category index gives exactly the lists' results, and refuses to be used
stale or damaged (issue #19 points 1 and 3; FLT-08, FLT-09).

Pure tests: no database.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harbour.monitoring import bench_data
from harbour.monitoring.engine import load_categories, load_keywords, scan
from harbour.monitoring.engine.index import IndexError_, build_index, open_index
from harbour.monitoring.engine.lists import CategoryDB, domain_walk, read_list_file

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = Path(__file__).parent / "samples"
FLAGGED = frozenset({"adult", "gambling", "warez", "school_block", "press"})


@pytest.fixture(scope="module")
def bench(tmp_path_factory) -> dict[str, Path]:
    """The benchmark's own generator at a small size: 4,000 lines over a 3,000-domain tree with urls lists."""
    return bench_data.ensure_data(tmp_path_factory.mktemp("bench"), 4_000, 3_000)


@pytest.fixture
def lists(tmp_path, bench) -> Path:
    """A private copy of the list folder, so a test may change it."""
    return Path(shutil.copytree(bench["lists"], tmp_path / "lists"))


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "harbour.monitoring", *args],
        capture_output=True,
        cwd=ROOT,
        timeout=180,
        check=False,
    )


def test_index_and_lists_give_identical_results_from_the_command_line(tmp_path, bench, lists):
    """Done-when of issue #19: build an index from a small list folder, scan the bench sample with
    --index and with --lists, get identical results (both engines, with the school's own lists)."""
    out = tmp_path / "lists.idx"
    built = cli("index", "build", "--lists", str(lists), "--out", str(out))
    assert built.returncode == 0, built.stderr
    assert b"Wrote" in built.stdout
    common = ["--keywords", str(bench["keywords"]), "--json", "--year", "2026"]
    school = ["--allow", str(SAMPLES / "allow.txt"), "--block", str(SAMPLES / "block.txt")]
    for engine in ("reference", "fast"):
        for extra in ([], school):
            by_lists = cli("scan", "--lists", str(lists), *extra, *common, "--engine", engine, str(bench["log"]))
            by_index = cli("scan", "--index", str(out), *extra, *common, "--engine", engine, str(bench["log"]))
            assert by_lists.returncode == by_index.returncode == 0, by_index.stderr
            assert json.loads(by_index.stdout) == json.loads(by_lists.stdout)
            assert json.loads(by_index.stdout)["categories"]
    verified = cli("index", "verify", str(out))
    assert verified.returncode == 0
    assert b"sound" in verified.stdout


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("engine", ["reference", "fast"])
def test_index_gives_the_whole_scan_result_of_the_lists(tmp_path, bench, lists, engine, workers):
    """Every field, flags, person_day and users included; with workers sharing the mapped index."""
    if engine == "fast":
        pytest.importorskip("numba")
    out = build_index(lists, tmp_path / "lists.idx").path
    kw = load_keywords(bench["keywords"])
    options = {"keywords": kw, "engine": engine, "workers": workers, "flag_categories": FLAGGED, "year": 2026}
    expected = scan([str(bench["log"])], categories=load_categories(lists), **options)
    got = scan([str(bench["log"])], categories=open_index(out), **options)
    assert got == expected
    assert got.flags == expected.flags
    assert got._users == expected._users


def test_lookups_match_the_dicts_entry_by_entry(tmp_path, lists):
    db = load_categories(lists)
    mapped = open_index(build_index(lists, tmp_path / "lists.idx").path)
    assert len(mapped.domains) == len(db.domains)
    assert len(mapped.urls) == len(db.urls)
    assert mapped.sizes == db.sizes
    assert mapped.skipped == db.skipped
    for domain, cats in db.domains.items():
        assert mapped.domains.get(domain) == cats
        assert mapped.domains.get("x" + domain) == db.domains.get("x" + domain)
    # The compiled batch lookup (the fast path's) gives the same answers as one lookup at a time.
    keys = [*list(db.domains), *("x" + d for d in db.domains), "", "é.example", "a" * 300]
    assert mapped.domains.get_many(keys) == {k: db.domains[k] for k in keys if k in db.domains}
    for host, entries in db.urls.items():
        assert mapped.urls.get(host) == entries
        assert host in mapped.urls
    for host in ("nowhere.example", "", "é.example", "a" * 300, "1.2.3.4", "::1"):
        assert mapped.domains.get(host) is None
        assert mapped.categorise(host, "/") == db.categorise(host, "/")
    # The one walk over parent domains, whatever the lookup is.
    for host in list(db.domains)[:200]:
        sub = "www." + host
        assert domain_walk(sub, mapped.domains.get, frozenset()) == domain_walk(sub, db.domains.get, frozenset())


def test_school_lists_over_the_index_equal_the_lists_built_together(tmp_path, lists):
    allow, block = SAMPLES / "allow.txt", SAMPLES / "block.txt"
    together = load_categories(lists, allow=allow, block=block)
    mapped = open_index(build_index(lists, tmp_path / "lists.idx").path)
    over = mapped.with_school_lists(allow=read_list_file(allow), block=read_list_file(block))
    hosts = [*list(together.domains)[:300], "proxy-unblock.example", "education.facebook.com", "www.youtube.com"]
    for host in hosts:
        for path in ("/", "/shorts/x", "/a"):
            assert over.categorise(host, path) == together.categorise(host, path), (host, path)
    assert isinstance(pickle.loads(pickle.dumps(over)), CategoryDB)


def test_changed_lists_make_the_index_stale(tmp_path, lists):
    out = build_index(lists, tmp_path / "lists.idx").path
    some = sorted(lists.glob("*/domains"))[0]
    os.utime(some, ns=(1, 1))  # touched, same content: still fresh (checked by SHA-256)
    open_index(out)
    with some.open("a") as f:
        f.write("newly-listed.example\n")
    with pytest.raises(IndexError_, match="older than the lists"):
        open_index(out)
    with pytest.raises(IndexError_, match="older than the lists"):
        open_index(out, lists_dir=lists)
    # Another folder with other lists: refused too.
    with pytest.raises(IndexError_, match="older than the lists"):
        open_index(out, lists_dir=SAMPLES / "lists")
    done = cli("scan", "--index", str(out), "--keywords", str(SAMPLES / "keywords.tsv"), str(SAMPLES / "squid.log"))
    assert done.returncode == 2
    assert b"rebuild it with: harbour-monitor index build" in done.stderr
    assert b"Traceback" not in done.stderr
    # A new category folder is a change as well.
    build_index(lists, out)
    (lists / "newcat").mkdir()
    (lists / "newcat" / "domains").write_text("x.example\n")
    with pytest.raises(IndexError_):
        open_index(out)


def _damage(path: Path, at: int, data: bytes) -> None:
    with path.open("r+b") as f:
        f.seek(at)
        f.write(data)


def test_damaged_or_foreign_files_are_refused_with_a_clear_message(tmp_path, lists):
    good = build_index(lists, tmp_path / "lists.idx").path
    raw = good.read_bytes()
    cases = {
        "empty": b"",
        "foreign": b"1795161720.000 5 10.0.0.9 TCP_MISS/200 10 GET http://x.example/ - DIRECT/x text/html\n" * 50,
        "cut": raw[: len(raw) // 2],
        "header": raw[:8] + b"\xff" + raw[9:],
        "other-version": b"HBRIDX99" + raw[8:],
    }
    for name, data in cases.items():
        bad = tmp_path / f"{name}.idx"
        bad.write_bytes(data)
        with pytest.raises(IndexError_) as caught:
            open_index(bad, lists_dir=lists)
        assert str(bad) in str(caught.value)
    # Four bytes changed in the middle: the sampled check at open reads one page in 64 of each part;
    # `verify` (harbour-monitor index verify, and Harbour after each build) checks every byte.
    zeroed = tmp_path / "zeroed.idx"
    zeroed.write_bytes(raw)
    _damage(zeroed, len(raw) // 2, bytes(b ^ 0xFF for b in raw[len(raw) // 2 : len(raw) // 2 + 4]))
    with pytest.raises(IndexError_, match="damaged"):
        open_index(zeroed, lists_dir=lists, verify=True)
    with pytest.raises(IndexError_, match="no such index file"):
        open_index(tmp_path / "missing.idx")
    done = cli("index", "verify", str(zeroed))
    assert done.returncode == 2
    assert b"damaged" in done.stderr


def test_rebuilding_replaces_the_file_atomically(tmp_path, lists):
    out = tmp_path / "lists.idx"
    build_index(lists, out)
    first = open_index(out)
    with (sorted(lists.glob("*/domains"))[0]).open("a") as f:
        f.write("another.example\n")
    build_index(lists, out)
    # The open mapping still reads the old file (renamed over, not rewritten in place).
    assert first.domains.get("another.example") is None
    assert open_index(out).domains.get("another.example") is not None
    assert not list(tmp_path.glob("lists.idx.*.tmp"))


def test_fresh_worker_processes_map_the_same_file(tmp_path, bench, lists, monkeypatch):
    """Workers started fresh (forkserver, as in a threaded server) get the index by its path and map it
    themselves: nothing of the lists is pickled, and the results are the same."""
    import multiprocessing

    import harbour.monitoring.engine as engine_module

    out = build_index(lists, tmp_path / "lists.idx").path
    db = open_index(out)
    assert len(pickle.dumps(db)) < 10_000  # a path and the small header, not a million domains
    monkeypatch.setattr(engine_module, "_context", lambda: multiprocessing.get_context("forkserver"))
    monkeypatch.setattr(engine_module, "CHUNK_MIN", 32 << 10)  # several pieces, so the pool runs
    assert len(engine_module.plan([str(bench["log"])], fmt="auto", year=2026, pieces_per_file=8)) > 2
    kw = load_keywords(bench["keywords"])
    options = {"keywords": kw, "engine": "reference", "workers": 2, "flag_categories": FLAGGED, "year": 2026}
    assert scan([str(bench["log"])], categories=db, **options) == scan(
        [str(bench["log"])], categories=load_categories(lists), **options
    )
