"""The reference scan: plain Python, one line at a time.  It defines the semantics (FLT-08, INC-FILT-06).

Counting rules (the fast path must give the same ScanResult):
- ``lines`` counts every physical line read, blank ones included, except a
  CSV header line; ``requests`` the lines that parse as requests;
  ``malformed = lines - requests``.  Pi-hole/dnsmasq lines other than
  ``query[...]`` (replies, forwards, start-up messages) are malformed too.
- A file whose format cannot be detected is reported in ``problems`` and
  skipped: its lines are not counted.  An empty file is reported as empty.
- Categories come from ``CategoryDB.categorise`` (allow wins); keyword
  categories from the search terms of known search/video sites only.  The
  allow list does not silence keywords: a school allowing a search engine
  must still see what was searched for on it.
- ``person_day`` counts requests per (person, category, UTC day); keyword
  categories appear there as ``"kw:" + category``.
- ``flags`` holds one Flag per request and flagged list category, and one
  per request and matched keyword category; the earliest MAX_FLAGS are kept.
"""

from __future__ import annotations

import gzip
import os
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import chain, islice

from .formats import DEFAULT_COLUMNS, FORMATS, classify, csv_header, detect, make_parser
from .keywords import KeywordSet
from .lists import CategoryDB
from .reader import STDIN, iter_lines, open_log
from .searchterms import search_terms
from .types import FLAG_ORDER, KEYWORD_PREFIX, MAX_FLAGS, Chunk, Flag, Request, ScanResult

Source = str | os.PathLike | Chunk
Progress = Callable[[int], None]
_HEAD_LINES = 200  # raw lines buffered for format detection
_PROGRESS_EVERY = 1 << 14


def current_year() -> int:
    return datetime.now(UTC).year


class _DayCache(dict):
    """int(ts // 86400) -> "YYYY-MM-DD" (UTC)."""

    def __missing__(self, key: int) -> str:
        value = self[key] = time.strftime("%Y-%m-%d", time.gmtime(key * 86400))
        return value


def scan_reference(
    sources: Iterable[Source],
    *,
    categories: CategoryDB,
    keywords: KeywordSet,
    fmt: str = "auto",
    flag_categories: frozenset[str] = frozenset(),
    year: int | None = None,
    progress: Progress | None = None,
) -> ScanResult:
    """Scan log files (paths, "-" for standard input, or Chunks) and return the finalised ScanResult."""
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"unknown log format {fmt!r}; choose auto or one of {', '.join(FORMATS)}")
    result = ScanResult()
    scanner = _Scanner(result, categories, keywords, frozenset(flag_categories), year or current_year(), progress)
    for source in sources:
        scanner.scan_source(source if isinstance(source, Chunk) else Chunk(os.fspath(source), fmt=fmt))
    return result.finalise()


class _Scanner:
    def __init__(
        self,
        result: ScanResult,
        categories: CategoryDB,
        keywords: KeywordSet,
        flag_categories: frozenset[str],
        year: int,
        progress: Progress | None,
    ) -> None:
        self.result = result
        self.categories = categories
        self.keywords = keywords
        self.flag_categories = flag_categories
        self.year = year
        self.progress = progress
        self.days = _DayCache()

    def scan_source(self, chunk: Chunk) -> None:
        result, name = self.result, chunk.path
        try:
            f = open_log(name)
        except OSError as exc:
            result.note_file_problem(name, f"cannot open ({exc.strerror or exc})")
            return
        done = 0
        lineno = 0
        try:
            with f:
                raw_lines: Iterator[bytes | None] = iter_lines(f, chunk.start, chunk.end)
                fmt, columns, header = chunk.fmt, chunk.columns, chunk.skip_header
                if fmt == "auto" or (fmt == "csv" and chunk.start == 0 and not header):
                    head = list(islice(raw_lines, _HEAD_LINES))
                    raw_lines = chain(head, raw_lines)
                    if fmt == "auto":
                        found = detect(head, year=self.year)
                        if found is None:
                            if not head:
                                result.formats.setdefault(name, "empty")
                                result.note_file_problem(name, "empty file")
                            else:
                                result.formats.setdefault(name, "unknown")
                                result.note_file_problem(
                                    name, f"unknown log format (none of {', '.join(FORMATS)}); choose one with --format"
                                )
                            return
                        fmt, columns, header = found
                    elif head and head[0] is not None:
                        found_columns = csv_header(head[0].decode("utf-8", "replace").strip())
                        if found_columns is not None:
                            columns, header = found_columns, True
                result.formats.setdefault(name, fmt)
                parser = make_parser(fmt, year=self.year, columns=columns or DEFAULT_COLUMNS)
                handle = self.handle
                for raw in raw_lines:
                    lineno += 1
                    if header and lineno == 1:
                        continue
                    result.lines += 1
                    found_request = classify(raw, parser)
                    if isinstance(found_request, str):
                        result.note_line_problem(name, lineno, found_request)
                    else:
                        result.requests += 1
                        handle(found_request)
                    if self.progress is not None and lineno % _PROGRESS_EVERY == 0:
                        done = self._report(f, chunk, done)
                if lineno == 0 and chunk.start == 0:
                    result.note_file_problem(name, "empty file")  # a forced format still says so
        except (EOFError, zlib.error, gzip.BadGzipFile):
            result.note_file_problem(name, f"compressed data damaged or cut short after line {lineno}")
        except OSError as exc:
            result.note_file_problem(name, f"read error after line {lineno}: {exc.strerror or exc}")
        finally:
            if self.progress is not None:
                self._report(None, chunk, done)

    def _report(self, f: object, chunk: Chunk, done: int) -> int:
        """Tell the progress callback how many more bytes of this source were read (compressed bytes for gzip)."""
        if f is None:
            total = _unit_bytes(chunk)
        else:
            raw = getattr(f, "fileobj", None) or f  # a GzipFile reports progress through its compressed file
            try:
                total = raw.tell() - chunk.start  # type: ignore[attr-defined]
            except (OSError, AttributeError, ValueError):
                return done  # pipes cannot tell their position
        if total > done:
            self.progress(total - done)  # type: ignore[misc]
            return total
        return done

    def handle(self, req: Request) -> None:
        result = self.result
        person = req.person
        day = self.days[int(req.ts // 86400)]
        person_day = result.person_day
        for cat in self.categories.categorise(req.host, req.path):
            result.add_category(cat, person)
            key = (person, cat, day)
            person_day[key] = person_day.get(key, 0) + 1
            if cat in self.flag_categories:
                self._flag(req, "category", cat, "", (), 0)
        if not req.path:
            return
        terms = search_terms(req.host, req.path)
        if not terms:
            return
        for cat, (phrases, weight) in self.keywords.match(terms).items():
            result.keyword_hits[cat] = result.keyword_hits.get(cat, 0) + 1
            key = (person, KEYWORD_PREFIX + cat, day)
            person_day[key] = person_day.get(key, 0) + 1
            self._flag(req, "keyword", cat, terms, phrases, weight)

    def _flag(self, req: Request, kind: str, cat: str, terms: str, phrases: tuple[str, ...], weight: int) -> None:
        flags = self.result.flags
        flags.append(
            Flag(req.ts, req.person, req.client_ip, req.username, kind, cat, req.host, req.url, terms, phrases, weight)
        )
        if len(flags) >= 2 * MAX_FLAGS:
            # Keep memory bounded: the earliest MAX_FLAGS so far are the only ones that can survive.
            flags.sort(key=FLAG_ORDER)
            del flags[MAX_FLAGS:]


def _unit_bytes(chunk: Chunk) -> int:
    if chunk.path == STDIN:
        return 0
    try:
        size = os.path.getsize(chunk.path)
    except OSError:
        return 0
    end = size if chunk.end < 0 else min(chunk.end, size)
    return max(0, end - chunk.start)
