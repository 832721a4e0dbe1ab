"""The one place the Django app talks to the pure engine (harbour/monitoring/engine).

Where the category lists and keywords come from:

* ``HARBOUR_MONITORING_LISTS_DIR`` — a UT1/Shalla tree (``DIR/<category>/domains``). Defaults to
  the small invented demo tree in ``harbour/monitoring/demo_lists/``.
* ``HARBOUR_MONITORING_KEYWORDS_FILE`` — ``phrase<TAB>weight<TAB>category`` lines. Defaults to our
  own moderate list in ``harbour/monitoring/keywords/default.tsv``.
* ``HARBOUR_MONITORING_SCAN_WORKERS`` — processes the engine may use for one chunk (default 1:
  the chunks themselves spread the work over workers and machines).
* ``HARBOUR_MONITORING_ENGINE`` — ``auto`` (the fast path when it is installed), ``fast`` or
  ``reference`` (the clear pure-Python path that defines the results).

* ``HARBOUR_MONITORING_INDEX_DIR`` — where the prebuilt category index of the list folder is kept
  (default ``var/monitoring-index/``; ``off`` loads the lists into each process's memory instead).

A list tree of millions of domains takes seconds and hundreds of megabytes to load into Python. So
Harbour compiles it once into a memory-mapped index file (engine/index.py, issue #19): a worker
opens it in milliseconds and every worker on the machine shares its pages. The index is rebuilt
when the lists change: by the scheduled job ``monitoring.refresh_list_index``, or, should a worker
find it stale or damaged first, by that worker. Each process keeps the opened lists while the
folder's modification time stays the same; the school's own allow and block entries are laid over
them per scan without copying anything.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from harbour.schools.models import School

from . import engine
from .engine.index import build_index, open_index
from .engine.keywords import KeywordError, KeywordSet, load_keywords
from .engine.lists import CategoryDB, ListError, load_categories
from .engine.types import ScanResult
from .models import ListEntry
from .services import live_entries

HERE = Path(__file__).resolve().parent
DEFAULT_LISTS_DIR = HERE / "demo_lists"
DEFAULT_KEYWORDS_FILE = HERE / "keywords" / "default.tsv"
FORMATS = ("auto", "squid", "combined", "e2guardian", "pihole", "csv")

logger = logging.getLogger("harbour.monitoring")
_cache: dict[str, tuple[float, object]] = {}
_lock = threading.Lock()


class ScanSetupError(Exception):
    """The lists or keywords configured for Harbour cannot be used; the message says which."""


def lists_dir() -> Path:
    return Path(getattr(settings, "HARBOUR_MONITORING_LISTS_DIR", None) or DEFAULT_LISTS_DIR)


def keywords_file() -> Path:
    return Path(getattr(settings, "HARBOUR_MONITORING_KEYWORDS_FILE", None) or DEFAULT_KEYWORDS_FILE)


def scan_workers() -> int:
    return max(1, int(getattr(settings, "HARBOUR_MONITORING_SCAN_WORKERS", 1) or 1))


def _stamp(path: Path) -> float:
    try:
        # A UT1 update replaces category folders, an edit changes a file in one: the newest mtime
        # among the folder, its category folders and their list files marks a change.
        if path.is_dir():
            children = list(path.iterdir())
            files = [f for c in children if c.is_dir() for f in (c / "domains", c / "urls") if f.exists()]
            return max([path.stat().st_mtime, *(p.stat().st_mtime for p in (*children, *files))])
        return path.stat().st_mtime
    except OSError as exc:
        raise ScanSetupError(f"{path}: cannot be read ({exc.strerror or exc})") from None


def _cached(key: str, path: Path, load: Callable[[], object]) -> object:
    stamp = _stamp(path)
    with _lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
    value = load()
    with _lock:
        _cache[key] = (stamp, value)
    return value


def index_file(path: Path) -> Path | None:
    """The index file of a list folder (one per folder, so tests and sites with several never collide)."""
    folder = str(getattr(settings, "HARBOUR_MONITORING_INDEX_DIR", "") or "off")
    if folder.lower() == "off":
        return None
    tag = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:16]
    return Path(folder) / f"lists-{tag}.idx"


def refresh_index(path: Path | None = None) -> bool:
    """Rebuild the list folder's index if it is missing, stale or damaged. True when it was rebuilt."""
    path = path or lists_dir()
    target = index_file(path)
    if target is None:
        return False
    try:
        open_index(target, lists_dir=path)
        return False
    except ListError:
        pass
    try:
        build_index(path, target)
        open_index(target, lists_dir=path, verify=True)  # every byte checked once, after writing
    except ListError as exc:
        raise ScanSetupError(str(exc)) from None
    logger.info("Rebuilt the category index %s from %s", target, path)
    return True


def base_categories() -> CategoryDB:
    path = lists_dir()

    def load() -> CategoryDB:
        target = index_file(path)
        try:
            if target is not None:
                try:
                    return open_index(target, lists_dir=path)
                except ListError:
                    try:
                        refresh_index(path)
                        return open_index(target, lists_dir=path)
                    except (ScanSetupError, ListError, OSError) as exc:
                        # The lists themselves may be fine (a read-only index folder, say): load them.
                        logger.warning("Category index unusable (%s); loading the lists into memory", exc)
            return load_categories(path)
        except ListError as exc:
            raise ScanSetupError(str(exc)) from None

    return _cached(f"lists:{path}", path, load)  # type: ignore[return-value]


def keyword_set() -> KeywordSet:
    path = keywords_file()

    def load() -> KeywordSet:
        try:
            return load_keywords(path)
        except KeywordError as exc:
            raise ScanSetupError(str(exc)) from None

    return _cached(f"keywords:{path}", path, load)  # type: ignore[return-value]


def school_categories(school: School) -> CategoryDB:
    """The shared tree with this school's allow entries (allow wins) and block entries on top."""
    base = base_categories()
    allow = live_entries(school, ListEntry.Kind.ALLOW)
    block = live_entries(school, ListEntry.Kind.BLOCK)
    if not allow and not block:
        return base
    return base.with_school_lists(allow=allow, block=block)


def category_names() -> tuple[str, ...]:
    return tuple(sorted({*base_categories().names, "school_block"}))


def detect_format(path: Path) -> str | None:
    """The log format of a file from its first lines, or None when it is not one we read."""
    from datetime import UTC, datetime

    from .engine.formats import detect
    from .engine.reader import iter_lines, open_log

    with open_log(str(path)) as handle:
        found = detect(iter_lines(handle), year=datetime.now(UTC).year)
    return found[0] if found else None


def engine_name() -> str:
    return getattr(settings, "HARBOUR_MONITORING_ENGINE", None) or "auto"


def run_scan(
    path: Path,
    *,
    fmt: str,
    school: School,
    flag_categories: frozenset[str],
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    """Scan one file (a chunk) for one school and return the engine's result.

    ``progress(n)`` is called as the scan advances (the chunk's lease is renewed from it).
    """
    return engine.scan(
        [str(path)],
        categories=school_categories(school),
        keywords=keyword_set(),
        fmt=fmt,
        workers=scan_workers(),
        engine=engine_name(),
        flag_categories=flag_categories,
        progress=progress,
    )
