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

A list tree of a million domains takes seconds to load, so each worker process loads it once and
keeps it while the folder's modification time stays the same; the school's own allow and block
entries are laid over it per scan, which costs little.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from harbour.schools.models import School

from . import engine
from .engine.keywords import KeywordError, KeywordSet, load_keywords
from .engine.lists import CategoryDB, ListError, load_categories
from .engine.types import ScanResult
from .models import ListEntry
from .services import live_entries

HERE = Path(__file__).resolve().parent
DEFAULT_LISTS_DIR = HERE / "demo_lists"
DEFAULT_KEYWORDS_FILE = HERE / "keywords" / "default.tsv"
FORMATS = ("auto", "squid", "combined", "e2guardian", "pihole", "csv")

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
        # A UT1 update replaces category folders: the newest mtime among them marks a change.
        if path.is_dir():
            return max([path.stat().st_mtime, *(p.stat().st_mtime for p in path.iterdir())])
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


def base_categories() -> CategoryDB:
    path = lists_dir()

    def load() -> CategoryDB:
        try:
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
    own = CategoryDB.build({}, allow=allow, block=block)
    domains, urls = base.domains, base.urls
    if block:
        domains = dict(base.domains)
        for host, cats in own.domains.items():
            domains[host] = tuple(sorted({*domains.get(host, ()), *cats}))
        urls = dict(base.urls)
        for host, entries in own.urls.items():
            urls[host] = tuple(sorted((*urls.get(host, ()), *entries)))
    return dataclasses.replace(
        base,
        domains=domains,
        urls=urls,
        allow_domains=own.allow_domains,
        allow_urls=own.allow_urls,
        sizes={**base.sizes, **own.sizes},
    )


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
