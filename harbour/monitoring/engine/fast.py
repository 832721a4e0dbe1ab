"""The fast scan: same ScanResult as reference.py, many times quicker on Squid logs (FLT-08, issue #6).

How (see docs/decisions/0006-monitoring-fast-path.md):

1. Raw bytes are read in large blocks cut at line ends (no per-line Python).
2. A compiled loop (fast_kernel.squid_block, Numba) parses every line of a
   block, accepts the ones it fully understands, and interns hosts and persons
   so that each distinct one reaches Python once (fast_state.FastState).
3. Categories are worked out once per distinct host (the same walk over the
   host and its parent domains as ``CategoryDB.categorise``), giving a small
   "category set" number per host; hosts with URL-prefix entries once per
   distinct pattern of matching prefixes (a second kernel finds the pattern).
4. Counting is done with NumPy: one integer key per request (person, category
   set, UTC day), counted with ``unique``; only the distinct keys are expanded
   into ``categories``, users and ``person_day`` in Python.
5. Search terms only for search-site URLs that carry one of the site's query
   parameters (a third kernel checks), cached per distinct (host, path); keyword
   matches cached per distinct terms (searchterms.py and keywords.py do the work).
   Flags are built only for requests that can still be among the MAX_FLAGS
   earliest, and every line the kernel declined goes to ``formats.classify``, so
   problems read the same.
6. The cyclic garbage collector is paused during a scan (``paused_gc``).

Anything else goes to the reference path: standard input, formats other than
Squid native, files whose format cannot be detected, and files that fail
while being read (the reference then reports the failure exactly as it does
alone).  Results are identical in every case; tests compare them with ``==``.
"""

from __future__ import annotations

import gc
import gzip
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from typing import BinaryIO

from .fast_block import Accumulator
from .fast_state import FastState
from .formats import FORMATS, detect
from .keywords import KeywordSet
from .lists import CategoryDB
from .reader import STDIN, iter_lines, open_log
from .reference import _Scanner, current_year, scan_reference
from .types import FLAG_ORDER, MAX_FLAGS, Chunk, ScanResult

__all__ = ["paused_gc", "scan_fast", "scan_part"]

BLOCK = 16 << 20  # bytes read at a time: big enough to amortise Python, small enough for memory
_HEAD_LINES = 200  # as reference.py: lines read for format detection
_DENSE_KEYS = 1 << 23  # up to this many possible keys, count with bincount instead of sorting

Source = str | os.PathLike | Chunk


class _Delegate(Exception):
    """This source is better scanned by the reference path (it will report any problem itself)."""


def scan_fast(
    sources: Iterable[Source],
    *,
    categories: CategoryDB,
    keywords: KeywordSet,
    fmt: str = "auto",
    flag_categories: frozenset[str] = frozenset(),
    year: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    """Scan like ``scan_reference`` (same arguments, same result), Squid native logs at compiled speed."""
    with paused_gc():
        return scan_part(
            sources,
            categories=categories,
            keywords=keywords,
            fmt=fmt,
            flag_categories=flag_categories,
            year=year,
            progress=progress,
        ).finalise()


def scan_part(
    sources: Iterable[Source],
    *,
    categories: CategoryDB,
    keywords: KeywordSet,
    fmt: str = "auto",
    flag_categories: frozenset[str] = frozenset(),
    year: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> ScanResult:
    """``scan_fast`` without the final ``finalise()``: a part that ``scan()`` merges and finalises once.

    Its flags are sorted and cut to the MAX_FLAGS earliest, so a worker sends no more than that back.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"unknown log format {fmt!r}; choose auto or one of {', '.join(FORMATS)}")
    year = year or current_year()
    flag_categories = frozenset(flag_categories)
    state = _state(categories, keywords, flag_categories)
    result: ScanResult | None = None
    for source in sources:
        chunk = source if isinstance(source, Chunk) else Chunk(os.fspath(source), fmt=fmt)
        try:
            part = _scan_squid(chunk, state, year)
        except _Delegate:
            part = scan_reference(
                [chunk],
                categories=categories,
                keywords=keywords,
                fmt=fmt,
                flag_categories=flag_categories,
                year=year,
                progress=progress,
            )
        if result is None:
            result = part  # the first source's counts become the result: nothing to copy
        else:
            result.merge(part, finalise=False)
    if result is None:
        return ScanResult()
    # Sorted here (in the worker): the parent's sort of several sorted runs is then a cheap merge.
    result.flags.sort(key=FLAG_ORDER)
    del result.flags[MAX_FLAGS:]
    return result


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while scanning.

    A scan makes hundreds of thousands of small, acyclic objects (strings, tuples, flags)
    while a million-domain CategoryDB is alive; each full collection walks all of it, which
    cost about 0.2 CPU-s per 2 M lines.  Reference counting still frees everything.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_LAST: list[FastState] = []


def _state(categories: CategoryDB, keywords: KeywordSet, flag_categories: frozenset[str]) -> FastState:
    """Reuse what was learnt about hosts when the same lists are scanned again (a worker takes many chunks).

    Lists are not changed while loaded; a new CategoryDB or KeywordSet object starts afresh.
    """
    if _LAST:
        last = _LAST[0]
        if last.db is categories and last.keywords is keywords and last.flag_categories == flag_categories:
            return last
    state = FastState(categories, keywords, flag_categories)
    _LAST[:] = [state]
    return state


def _scan_squid(chunk: Chunk, state: FastState, year: int) -> ScanResult:
    """Scan one Squid native source with the kernel; _Delegate when the reference should do it."""
    name = chunk.path
    if name == STDIN or chunk.fmt not in ("auto", "squid"):
        raise _Delegate
    try:
        if chunk.fmt == "auto":
            with open_log(name) as f:
                head = list(islice(iter_lines(f, chunk.start, chunk.end), _HEAD_LINES))
            found = detect(head, year=year)
            if found is None or found[0] != "squid":
                raise _Delegate
        part = ScanResult()
        part.formats[name] = "squid"
        scanner = _Scanner(part, state.db, state.keywords, state.flag_categories, year, None)
        acc = Accumulator(name, part, state, scanner)
        with open_log(name) as f:
            for data, size in _blocks(f, chunk):
                acc.block(data, size)
        acc.finish()
        if acc.lineno == 0 and chunk.start == 0:
            part.note_file_problem(name, "empty file")  # as the reference says it
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile):
        raise _Delegate from None
    return part


def _fill(f: BinaryIO, view: memoryview) -> int:
    """Read into ``view`` until it is full or the file ends (gzip and pipes return short reads)."""
    got = 0
    while got < len(view):
        n = f.readinto(view[got:])
        if not n:
            break
        got += n
    return got


def _blocks(f: BinaryIO, chunk: Chunk) -> Iterator[tuple[bytearray, int]]:
    """Yield (buffer, size): ``buffer[:size]`` holds whole lines of ``[chunk.start, chunk.end)``.

    One buffer is reused; the partial line at its end moves to its front for the next read.
    """
    if chunk.start:
        f.seek(chunk.start)
    end = chunk.end
    pos = chunk.start  # file offset of buffer[0] (plain files)
    buffer = bytearray(BLOCK)
    have = 0
    while True:
        if have == len(buffer):
            if len(buffer) >= 4 * BLOCK:
                raise _Delegate  # one enormous line: the reference skips it without holding it
            buffer.extend(bytes(len(buffer)))
        got = _fill(f, memoryview(buffer)[have:])
        total = have + got
        last = total < len(buffer)
        size = total if last else buffer.rfind(b"\n", 0, total) + 1
        if size == 0:
            if last:
                return  # nothing (left) to read: an empty file or chunk (issue #13: this used to spin)
            have = total
            continue
        if end >= 0 and pos + size > end:
            # Lines that begin before ``end`` belong to this chunk; later ones to the next chunk.
            nl = buffer.find(b"\n", max(0, end - pos - 1), size)
            size = nl + 1 if nl >= 0 else size
            last = True
        if size:
            yield buffer, size
        if last:
            return
        pos += size
        rest = total - size
        buffer[:rest] = buffer[size:total]
        have = rest
