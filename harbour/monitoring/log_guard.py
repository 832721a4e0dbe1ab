"""Proving an upload is a text log before Harbour keeps it (FLT-08; INC-YPSI-12, INC-IIOC-06).

Security review finding 9: a format chosen by hand used to be the only check, so any bytes — a
picture included — could be stored under ``MEDIA_ROOT/monitoring``. This is an allow-list checked
with real parsers, never a search for picture signatures:

1. Optionally gzip: a bounded sample is decompressed with the ``gzip`` module. What comes out
   must itself be text (a gzip of a picture, or of another gzip, is refused).
2. The sample (``SAMPLE_BYTES`` of text, cut at the last whole line) must be valid UTF-8 with no
   control character but tab, CR and LF (``harbour.core.file_checks.decode_plain_text``, the same
   character check as the upload guard). Logs are ASCII in practice; UTF-8 covers the rest.
3. Of the first ``SAMPLE_LINES`` non-blank lines, at least ``MIN_PARSED`` must parse with the
   engine's own line parser for the chosen (or detected) format, and no more than
   ``MAX_MALFORMED_SHARE`` may fail. Real logs carry a few odd lines (start-up messages, a
   truncated last line); a picture, a document or prose parses at 0 %.
4. While the whole file is read (copying, then decompressing a gzip), every block must be free of
   NUL and other binary control bytes (``binary_block``), so a picture appended after a good
   sample is refused too and the folder removed.
"""

from __future__ import annotations

import gzip
import io
import re
import zlib
from datetime import UTC, datetime

from harbour.core.file_checks import Refused, decode_plain_text

from .engine.formats import DEFAULT_COLUMNS, csv_header, detect, make_parser

GZIP_MAGIC = b"\x1f\x8b"
HEAD_BYTES = 256 * 1024  # raw bytes read before anything is written (compressed, for a gzip)
SAMPLE_BYTES = 64 * 1024  # decompressed text checked line by line
SAMPLE_LINES = 200
MIN_PARSED = 1
MAX_MALFORMED_SHARE = 0.5
LOG_CONTROLS = frozenset({"\t", "\r", "\n"})
PIHOLE_NOT_A_QUERY = "not a DNS query line"  # engine.formats.make_pihole's reason for dnsmasq lines
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

NOT_A_LOG = (
    "This file does not look like a log we can read, so it was not kept. Upload the filter or proxy log "
    "itself (plain text or .gz), not a picture, document or archive."
)


class NotALog(Exception):
    """The upload is refused; ``message`` is safe to show to the technician."""

    def __init__(self, message: str = NOT_A_LOG) -> None:
        super().__init__(message)
        self.message = message


def _gunzip_sample(head: bytes) -> bytes:
    """Up to ``SAMPLE_BYTES`` decompressed from the start of a gzip; a cut-off stream is fine."""
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(head)) as handle:
            while len(out) < SAMPLE_BYTES:
                piece = handle.read(SAMPLE_BYTES - len(out))
                if not piece:
                    break
                out += piece
    except EOFError:
        pass  # the head ended inside the stream: keep what was decompressed
    except (OSError, zlib.error) as exc:
        raise NotALog("The file says it is gzip but does not decompress: it was not kept.") from exc
    return bytes(out)


def sample_text(head: bytes, *, complete: bool) -> list[str]:
    """The sample's non-blank lines, after the gzip and character checks. ``complete``: ``head``
    holds the whole file (so the last line is whole too)."""
    if head.startswith(GZIP_MAGIC):
        data = _gunzip_sample(head)
        cut = len(data) >= SAMPLE_BYTES or not complete
    else:
        data = head[:SAMPLE_BYTES]
        cut = len(head) > SAMPLE_BYTES or not complete
    if cut:
        end = data.rfind(b"\n")
        if end < 0:  # 64 KiB without a line break is no log (the engine's lines stop at 16 KiB)
            raise NotALog()
        data = data[: end + 1]
    if not data.strip():
        raise NotALog("The file is empty: there is nothing to scan.")
    try:
        text = decode_plain_text(data, LOG_CONTROLS)
    except Refused as exc:
        raise NotALog() from exc
    return [line.strip() for line in text.splitlines() if line.strip()][:SAMPLE_LINES]


def check_sample(head: bytes, fmt: str, *, complete: bool) -> str:
    """The format of a log whose first bytes are ``head`` (``fmt`` chosen, or "auto")."""
    lines = sample_text(head, complete=complete)
    year = datetime.now(UTC).year
    columns = DEFAULT_COLUMNS
    if fmt == "auto":
        found = detect((line.encode() for line in lines), year=year)
        if found is None:
            raise NotALog(
                "This does not look like a log we can read (Squid, Apache/combined, e2guardian, "
                "Pi-hole/dnsmasq or CSV with timestamp,username,client_ip,url). Choose the format "
                "by hand if you know it."
            )
        fmt, columns, _header = found
    if fmt == "csv":
        header = csv_header(lines[0])
        if header is not None:
            columns, lines = header, lines[1:]
    parser = make_parser(fmt, year=year, columns=columns)
    parsed = sum(1 for line in lines if _understood(parser(line)))
    if parsed < MIN_PARSED or (len(lines) - parsed) > MAX_MALFORMED_SHARE * len(lines):
        raise NotALog(
            f"Too few lines of this file read as a {fmt} log ({parsed} of the first {len(lines)}), "
            "so it was not kept. Check the format, or upload the log itself."
        )
    return fmt


def _understood(result: object) -> bool:
    """A request, or a dnsmasq line that is simply not a query (Pi-hole logs are mostly those)."""
    return not isinstance(result, str) or result == PIHOLE_NOT_A_QUERY


def binary_block(block: bytes) -> bool:
    """True if a block of log text holds a byte no text log has (NUL, other control bytes)."""
    return _BINARY.search(block) is not None
