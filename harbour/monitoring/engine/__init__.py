"""Harbour's filtering-log engine: pure Python, no Django (FLT-08, INC-FILT-06, INC-FILT-10).

    from harbour.monitoring.engine import scan, load_categories, load_keywords
    result = scan(["access.log"], categories=load_categories("lists/"), keywords=load_keywords("kw.tsv"))
    result.to_json()

``scan`` splits large plain files into line-aligned chunks and runs them on
``workers`` processes, merging the partial results in reading order, so the
result is the same for any number of workers.  ``engine`` picks the
implementation: "reference" (reference.py, the definition), "fast" (fast.py,
when installed) or "auto" (fast when it can be imported, else reference).
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Sequence

from .formats import FORMATS, csv_header, detect
from .keywords import KeywordError, KeywordSet, load_any, load_e2guardian, load_keywords
from .lists import SCHOOL_BLOCK, CategoryDB, ListError, load_categories
from .reader import STDIN, file_size, find_boundaries, is_gzip, iter_lines, open_log
from .reference import current_year, scan_reference
from .types import Chunk, Flag, Request, ScanResult

__all__ = [
    "FORMATS",
    "SCHOOL_BLOCK",
    "CategoryDB",
    "Chunk",
    "EngineUnavailable",
    "Flag",
    "KeywordError",
    "KeywordSet",
    "ListError",
    "Request",
    "ScanResult",
    "fast_available",
    "load_any",
    "load_categories",
    "load_e2guardian",
    "load_keywords",
    "scan",
    "scan_reference",
]

ENGINES = ("auto", "reference", "fast")
CHUNK_MIN = 8 << 20  # bytes: smaller pieces cost more in start-up than they gain
CHUNK_MAX = 256 << 20


class EngineUnavailable(ImportError):
    """engine="fast" was asked for but engine/fast.py cannot be imported."""


def _load_fast() -> Callable[..., ScanResult] | None:
    try:
        from . import fast  # optional, written separately
    except ImportError:
        return None
    return getattr(fast, "scan_fast", None)


def _fast_part(*args, **kwargs) -> ScanResult:
    """One unit of work for the fast engine, not finalised: ``scan`` merges the parts and finalises once."""
    from . import fast

    with fast.paused_gc():
        return fast.scan_part(*args, **kwargs)


def fast_available() -> bool:
    return _load_fast() is not None


def _implementation(engine: str) -> tuple[str, Callable[..., ScanResult]]:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "reference":
        return "reference", scan_reference
    fast = _load_fast()
    if fast is not None:
        return "fast", _fast_part
    if engine == "fast":
        raise EngineUnavailable("the fast engine is not available (engine/fast.py missing or broken)")
    return "reference", scan_reference


def _probe(path: str, fmt: str, year: int) -> Chunk | None:
    """Format, CSV columns and header of a plain file, or None when the reference path should report on it."""
    try:
        with open_log(path) as f:
            head = [line for _, line in zip(range(200), iter_lines(f), strict=False)]
    except OSError:
        return None
    if fmt == "auto":
        found = detect(head, year=year)
        if found is None:
            return None
        return Chunk(path, fmt=found[0], columns=found[1], skip_header=found[2])
    if fmt == "csv" and head and head[0] is not None:
        columns = csv_header(head[0].decode("utf-8", "replace").strip())
        if columns is not None:
            return Chunk(path, fmt="csv", columns=columns, skip_header=True)
    return Chunk(path, fmt=fmt)


def plan(sources: Iterable[str | os.PathLike], *, fmt: str, year: int, pieces_per_file: int) -> list[str | Chunk]:
    """Units of work in reading order: "-" and unreadable/unknown files whole, plain files in chunks."""
    units: list[str | Chunk] = []
    for source in sources:
        path = os.fspath(source)
        if path == STDIN or is_gzip(path):
            units.append(path)
            continue
        size = file_size(path)
        pieces = max(1, min(pieces_per_file, -(-size // CHUNK_MIN)))
        pieces = max(pieces, -(-size // CHUNK_MAX))
        base = _probe(path, fmt, year) if pieces > 1 else None
        if base is None:
            units.append(path)
            continue
        cuts = find_boundaries(path, 0, size, pieces)
        for i, (start, end) in enumerate(itertools.pairwise(cuts)):
            units.append(Chunk(path, start, end, base.fmt, base.columns, base.skip_header and i == 0))
    return units


# Worker state: set before the pool starts (inherited by fork) or by the initializer (spawn).
_STATE: dict = {}


def _init_worker(state: dict) -> None:
    _STATE.update(state)


def _run_unit(unit: str | Chunk) -> ScanResult:
    # A pool worker only scans and sends its part back: the objects it makes are acyclic, and
    # the cyclic collector would walk the inherited million-domain lists again and again.
    gc.disable()
    s = _STATE
    return s["impl"](
        [unit],
        categories=s["categories"],
        keywords=s["keywords"],
        fmt=s["fmt"],
        flag_categories=s["flag_categories"],
        year=s["year"],
    )


def scan(
    sources: Sequence[str | os.PathLike],
    *,
    categories: CategoryDB,
    keywords: KeywordSet,
    fmt: str = "auto",
    workers: int = 1,
    engine: str = "auto",
    flag_categories: frozenset[str] = frozenset(),
    progress: Callable[[int], None] | None = None,
    year: int | None = None,
) -> ScanResult:
    """Scan log files; ``progress(n)`` is called with the number of further bytes read (compressed size for .gz).

    ``workers=0`` means one per CPU.  ``year`` dates Pi-hole lines (default: this year, UTC).
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"unknown log format {fmt!r}; choose auto or one of {', '.join(FORMATS)}")
    if workers < 0:
        raise ValueError("workers must be 0 (all CPUs) or more")
    workers = workers or (os.cpu_count() or 1)
    year = year or current_year()
    name, impl = _implementation(engine)
    flag_categories = frozenset(flag_categories)
    # The fast engine keeps what it learns about hosts per process, so it gets one large piece per
    # worker (fewer pieces, less relearning); the reference path gets four for load balancing.
    pieces = (workers if name == "fast" else workers * 4) if workers > 1 else 16 if progress is not None else 1
    units = plan(sources, fmt=fmt, year=year, pieces_per_file=pieces)
    state = {
        "impl": impl,
        "categories": categories,
        "keywords": keywords,
        "fmt": fmt,
        "flag_categories": flag_categories,
        "year": year,
    }
    if name == "fast":
        from .fast import paused_gc

        with paused_gc():  # see fast.paused_gc; also covers unpickling the workers' parts
            return _scan_units(units, state, name, workers, progress)
    return _scan_units(units, state, name, workers, progress)


def _scan_units(
    units: list[str | Chunk], state: dict, name: str, workers: int, progress: Callable[[int], None] | None
) -> ScanResult:
    """Run the units (in workers when there are several), merge the parts in reading order, finalise once."""
    parts: list[ScanResult] = []
    offsets: dict[str, int] = {}

    def add(unit: str | Chunk, part: ScanResult) -> None:
        if isinstance(unit, Chunk):
            # Physical lines of this file before the chunk: the CSV header, then earlier chunks' lines.
            header = 1 if unit.skip_header else 0
            before = header if unit.start == 0 else offsets.get(unit.path, 0)
            part.shift_lines(before - header)
            offsets[unit.path] = before + part.lines
        if parts:
            parts[0].merge(part, finalise=False)
        else:
            parts.append(part)  # the first part becomes the result: nothing to copy

    def run_here(unit: str | Chunk) -> ScanResult:
        if name == "reference":
            return scan_reference([unit], progress=progress, **{k: v for k, v in state.items() if k != "impl"})
        part = _run_unit_with(state, unit)
        if progress is not None:
            progress(_unit_size(unit))
        return part

    parallel = [u for u in units if u != STDIN]
    if workers > 1 and len(parallel) > 1:
        # The fast engine scans the first piece in this process rather than waiting idle: one
        # process fewer to start, and one part less to pickle and send.
        local = next(i for i, u in enumerate(units) if u != STDIN) if name == "fast" else -1
        remote = parallel[1:] if local >= 0 else parallel
        size = min(workers - (local >= 0), len(remote))
        ctx = _context()
        if ctx.get_start_method() == "fork":
            _STATE.clear()
            _STATE.update(state)
            pool = ctx.Pool(size)
        else:
            pool = ctx.Pool(size, initializer=_init_worker, initargs=(state,))
        try:
            done = pool.imap(_run_unit, remote, chunksize=1)
            for i, unit in enumerate(units):
                if unit == STDIN or i == local:
                    add(unit, run_here(unit))
                    continue
                part = next(done)
                if progress is not None:
                    progress(_unit_size(unit))
                add(unit, part)
        finally:
            pool.terminate()
            pool.join()
            _STATE.clear()
    else:
        for unit in units:
            add(unit, run_here(unit))
    if not parts:
        return ScanResult().finalise()
    return parts[0].finalise()


def _run_unit_with(state: dict, unit: str | Chunk) -> ScanResult:
    return state["impl"](
        [unit],
        categories=state["categories"],
        keywords=state["keywords"],
        fmt=state["fmt"],
        flag_categories=state["flag_categories"],
        year=state["year"],
    )


def _unit_size(unit: str | Chunk) -> int:
    if isinstance(unit, Chunk):
        if unit.end >= 0:
            return unit.end - unit.start
        return file_size(unit.path)
    return file_size(unit)


def _context() -> multiprocessing.context.BaseContext:
    """fork shares the loaded lists with the workers for free, but only a single-threaded process may
    fork safely: a child forked while another thread holds a lock (a web server thread, a browser
    driver, logging) can wait on it for ever. Anything else starts fresh workers and sends the state."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
