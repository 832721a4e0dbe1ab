"""Reading log files as raw lines: plain, gzip (by content, not name) or standard input ("-").

Lines are read as bytes and never trusted: a line longer than ``MAX_LINE``
bytes is not kept in memory whole; ``iter_lines`` yields None for it and
skips to the next newline.  Decoding and the other checks happen in
formats.py so that both engine paths share them.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
from collections.abc import Iterator
from typing import BinaryIO

MAX_LINE = 16 * 1024  # bytes, not counting the line ending
_READ_LIMIT = MAX_LINE + 2  # room for "\r\n"
_SKIP_BLOCK = 1 << 16
GZIP_MAGIC = b"\x1f\x8b"
STDIN = "-"


def is_gzip(path: str) -> bool:
    if path == STDIN:
        return False
    try:
        with open(path, "rb") as f:
            return f.read(2) == GZIP_MAGIC
    except OSError:
        return False


def open_log(path: str) -> BinaryIO:
    """Open a log for reading bytes; gzip is recognised by its magic number; "-" is standard input."""
    if path == STDIN:
        raw: BinaryIO = sys.stdin.buffer
        if not isinstance(raw, io.BufferedReader):
            raw = io.BufferedReader(raw)  # type: ignore[arg-type]
        if raw.peek(2)[:2] == GZIP_MAGIC:
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw
    f = open(path, "rb")  # noqa: SIM115 - the caller closes it
    if f.read(2) == GZIP_MAGIC:
        f.close()
        return gzip.open(path, "rb")  # type: ignore[return-value]
    f.seek(0)
    return f


def iter_lines(f: BinaryIO, start: int = 0, end: int = -1) -> Iterator[bytes | None]:
    """Yield each line's bytes without its line ending; None for a line over MAX_LINE bytes.

    With ``start``/``end`` (plain files only) read the lines beginning in
    ``[start, end)``; ``start`` must be the beginning of a line.
    """
    if start:
        f.seek(start)
    pos = start
    readline = f.readline
    while end < 0 or pos < end:
        line = readline(_READ_LIMIT)
        if not line:
            return
        pos += len(line)
        if line[-1:] != b"\n":
            if len(line) == _READ_LIMIT:
                # Over-long: drop the rest of it without holding it in memory.
                while True:
                    rest = readline(_SKIP_BLOCK)
                    pos += len(rest)
                    if not rest or rest[-1:] == b"\n":
                        break
                yield None
                continue
            # Last line of the file without a newline.
        else:
            line = line[:-1]
        if line[-1:] == b"\r":
            line = line[:-1]
        yield line if len(line) <= MAX_LINE else None


def file_size(path: str) -> int:
    """Size on disk (compressed size for .gz); 0 for standard input or when unknown."""
    if path == STDIN:
        return 0
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def find_boundaries(path: str, start: int, size: int, pieces: int) -> list[int]:
    """Cut ``[start, size)`` of a plain file into about ``pieces`` ranges that begin at line starts."""
    if pieces <= 1 or size - start < 2:
        return [start, size]
    step = (size - start) // pieces
    cuts = [start]
    with open(path, "rb") as f:
        for i in range(1, pieces):
            target = start + i * step
            if target <= cuts[-1]:
                continue
            f.seek(target - 1)
            # Find the first newline at or after target-1: the next line starts right after it.
            while True:
                block = f.read(_SKIP_BLOCK)
                if not block:
                    cut = size
                    break
                nl = block.find(b"\n")
                if nl >= 0:
                    cut = f.tell() - len(block) + nl + 1
                    break
            if cut >= size:
                break
            if cut > cuts[-1]:
                cuts.append(cut)
    cuts.append(size)
    return cuts
