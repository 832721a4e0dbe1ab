"""The engine against hand-counted sample logs of every format (FLT-08, INC-FILT-06, INC-FILT-10).

Each samples/expected/<name>.json holds the counts worked out by hand, with
the reasoning in its "_why" entry and the malformed line numbers in
"_malformed_lines".  Pure tests: no database.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from harbour.monitoring import engine
from harbour.monitoring.engine import load_categories, load_e2guardian, load_keywords, scan, scan_reference

SAMPLES = Path(__file__).parent / "samples"
CASES = [
    ("squid.log", "squid", "squid.json"),
    ("combined.log", "combined", "combined.json"),
    ("e2guardian.log", "e2guardian", "e2guardian.json"),
    ("pihole.log", "pihole", "pihole.json"),
    ("generic.csv", "csv", "generic.json"),
]


@pytest.fixture(scope="module")
def db():
    return load_categories(SAMPLES / "lists", allow=SAMPLES / "allow.txt", block=SAMPLES / "block.txt")


@pytest.fixture(scope="module")
def kw():
    return load_keywords(SAMPLES / "keywords.tsv")


def expected(name: str) -> tuple[dict, list[int]]:
    data = json.loads((SAMPLES / "expected" / name).read_text())
    assert data.pop("_why")
    return data, data.pop("_malformed_lines")


def problem_lines(result, path: Path) -> list[int]:
    prefix = f"{path}:"
    return [int(p[len(prefix) :].split(":", 1)[0]) for p in result.problems if p.startswith(prefix)]


@pytest.mark.parametrize(("log", "fmt", "answer"), CASES)
def test_sample_matches_the_hand_count(db, kw, log, fmt, answer):
    """FLT-08: counts, users, keyword hits and the top list equal the hand count; format detected per file."""
    path = SAMPLES / log
    want, malformed_lines = expected(answer)
    result = scan_reference([path], categories=db, keywords=kw, year=2026)
    assert result.to_json() == want
    assert result.formats == {str(path): fmt}
    assert problem_lines(result, path) == malformed_lines
    assert result.malformed == result.lines - result.requests


@pytest.mark.parametrize(("log", "fmt", "answer"), CASES)
def test_forced_format_and_gzip_give_the_same_counts(db, kw, tmp_path, log, fmt, answer):
    """FLT-08: --format names the format; .gz is read by content, whatever the file's name."""
    want, _ = expected(answer)
    path = SAMPLES / log
    assert scan_reference([path], categories=db, keywords=kw, fmt=fmt, year=2026).to_json() == want
    packed = tmp_path / (log + ".gz")
    packed.write_bytes(gzip.compress(path.read_bytes()))
    renamed = tmp_path / "no-suffix"
    renamed.write_bytes(packed.read_bytes())
    for target in (packed, renamed):
        result = scan_reference([target], categories=db, keywords=kw, year=2026)
        assert result.to_json() == want
        assert result.formats == {str(target): fmt}


@pytest.mark.parametrize(("log", "fmt", "answer"), CASES)
def test_chunks_and_workers_give_identical_results(db, kw, monkeypatch, log, fmt, answer):
    """Scale (issue 6): cutting a file into chunks over processes changes nothing, line numbers included."""
    path = SAMPLES / log
    whole = scan_reference([path], categories=db, keywords=kw, year=2026, flag_categories=frozenset({"adult"}))
    monkeypatch.setattr(engine, "CHUNK_MIN", 300)  # bytes: forces several chunks per sample
    units = engine.plan([path], fmt="auto", year=2026, pieces_per_file=5)
    assert len(units) > 2
    seen: list[int] = []
    for workers in (1, 2):
        result = scan(
            [path],
            categories=db,
            keywords=kw,
            workers=workers,
            engine="reference",
            flag_categories=frozenset({"adult"}),
            year=2026,
            progress=seen.append,
        )
        assert result == whole
    assert sum(seen) == 2 * path.stat().st_size


def test_all_samples_in_one_scan_add_up(db, kw):
    """FLT-08: several files of different formats in one scan; each file's format is detected alone."""
    paths = [SAMPLES / log for log, _, _ in CASES]
    result = scan(paths, categories=db, keywords=kw, engine="reference", year=2026)
    singles = [expected(answer)[0] for _, _, answer in CASES]
    assert result.lines == sum(s["lines"] for s in singles)
    assert result.requests == sum(s["requests"] for s in singles)
    assert result.categories["adult"]["requests"] == sum(s["categories"]["adult"]["requests"] for s in singles)
    # The same persons appear in every file: users are distinct across files, not summed.
    # bob and 10.0.0.21 in the four web logs, 10.0.0.12 and 10.0.0.22 in the DNS log: 4, not 2 * 4 + 2.
    assert result.categories["adult"]["users"] == 4
    assert set(result.formats.values()) == {"squid", "combined", "e2guardian", "pihole", "csv"}


def test_adult_users_across_files_hand_count(db, kw):
    """The union of adult users: web logs give bob and 10.0.0.21; the DNS log gives 10.0.0.12 and 10.0.0.22."""
    paths = [SAMPLES / "squid.log", SAMPLES / "pihole.log"]
    result = scan(paths, categories=db, keywords=kw, engine="reference", year=2026)
    assert result._users["adult"] == {"bob", "10.0.0.21", "10.0.0.12", "10.0.0.22"}
    assert result.to_json()["categories"]["adult"] == {"requests": 6, "users": 4}


def test_flags_and_person_day(db, kw):
    """INC-FILT-06: flagged categories and every keyword hit become Flags, in time order; per-day counts by person."""
    result = scan_reference(
        [SAMPLES / "squid.log"], categories=db, keywords=kw, year=2026, flag_categories=frozenset({"adult"})
    )
    kinds = [(f.kind, f.category) for f in result.flags]
    # adult: lines 3, 4, 5; keywords: weapons 2, 18, 21, 30; self_harm 10, 20, 30; adult_terms 26.
    assert kinds.count(("category", "adult")) == 3
    assert sorted(c for k, c in kinds if k == "keyword") == ["adult_terms"] + ["self_harm"] * 3 + ["weapons"] * 4
    assert [f.ts for f in result.flags] == sorted(f.ts for f in result.flags)
    combo = next(f for f in result.flags if f.terms == "how to hurt myself")
    assert (combo.person, combo.phrases, combo.weight, combo.host) == (
        "bob",
        ("how to + hurt myself",),
        80,
        "www.google.com",
    )
    connect = next(f for f in result.flags if f.kind == "category")
    assert (connect.url, connect.host, connect.username, connect.client_ip) == (
        "badsite.com:443",
        "badsite.com",
        "bob",
        "10.0.0.12",
    )
    day = "2026-11-20"
    assert result.person_day[("bob", "adult", day)] == 2
    assert result.person_day[("bob", "kw:self_harm", day)] == 3
    assert result.person_day[("bob", "kw:weapons", day)] == 2
    assert result.person_day[("10.0.0.22", "kw:weapons", day)] == 1
    dns = scan_reference([SAMPLES / "pihole.log"], categories=db, keywords=kw, year=2026)
    assert dns.person_day[("10.0.0.22", "adult", "2026-11-20")] == 1
    assert dns.person_day[("10.0.0.22", "adult", "2026-12-01")] == 1


def test_e2guardian_phrase_list_import(db):
    """FLT-08: an e2guardian weighted list gives the same self-harm hits as the tab file (lines 10, 20, 30)."""
    keywords = load_e2guardian(SAMPLES / "e2guardian_weighted.txt")
    assert keywords.categories == ("self_harm",)
    result = scan_reference([SAMPLES / "squid.log"], categories=db, keywords=keywords, year=2026)
    assert result.keyword_hits == {"self_harm": 3}
    assert keywords.match("Self harm HELPLINE") == {"self_harm": (("helpline", "self harm"), 40)}
    # "<how to><hurt myself><80>" and DansGuardian's comma spelling "<hurt>,<myself><10>" both match.
    assert keywords.match("how to hurt myself") == {"self_harm": (("how to + hurt myself", "hurt + myself"), 90)}


def test_engine_choice(db, kw):
    """engine='reference' is always there; 'auto' gives the same answer whichever path it picks."""
    path = SAMPLES / "squid.log"
    ref = scan([path], categories=db, keywords=kw, engine="reference", year=2026)
    auto = scan([path], categories=db, keywords=kw, engine="auto", year=2026)
    assert ref.to_json() == auto.to_json()
    with pytest.raises(ValueError, match="unknown engine"):
        scan([path], categories=db, keywords=kw, engine="turbo")
