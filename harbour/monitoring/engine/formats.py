"""Log formats: line parsers and per-file detection (FLT-08).

Each parser turns one decoded line into a Request, or returns a short reason
why the line is not one.  ``classify`` adds the checks shared by every
format (blank, over-long, NUL bytes, invalid UTF-8).  The fast path calls
``classify`` for the lines it rejects so that problems read the same.

Formats (see docs/features/monitoring-engine.md for examples):
- ``squid``: Squid native access.log, ``time elapsed client code/status bytes method URL user hierarchy type``;
- ``combined``: Squid/Apache combined, optionally with Apache's leading ``vhost:port``;
- ``e2guardian``: e2guardian/DansGuardian access log, ``yyyy.m.d H:M:S user ip URL ...`` (local time read as UTC);
- ``pihole``: Pi-hole/dnsmasq query log; only ``query[TYPE] name from ip`` lines are requests;
- ``csv``: header ``timestamp,username,client_ip,url`` (any order, extra columns ignored).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from .hosts import split_url
from .types import Request

FORMATS = ("squid", "combined", "e2guardian", "pihole", "csv")
TS_MIN, TS_MAX = 0.0, 4102444800.0  # 1970-01-01 .. 2100-01-01 UTC
DETECT_LINES = 50
DEFAULT_COLUMNS = (0, 1, 2, 3)
CSV_COLUMNS = ("timestamp", "username", "client_ip", "url")

R_BLANK = "blank line"
R_LONG = "line longer than 16 KiB"
R_NUL = "binary data (NUL byte)"
R_UTF8 = "not valid UTF-8 text"
R_TIME = "invalid timestamp"
R_HOST = "no host in the URL"

Parser = Callable[[str], "Request | str"]
_MONTHS = {
    m: i
    for i, m in enumerate(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], start=1)
}
_EPOCH = re.compile(r"\d{1,10}(?:\.\d+)?\Z")


def _ts(year: int, month: int, day: int, hour: int, minute: int, second: int, offset: int = 0) -> float | None:
    """Seconds since the epoch for a UTC wall-clock time minus ``offset`` seconds; None if impossible."""
    try:
        ts = datetime(year, month, day, hour, minute, second, tzinfo=UTC).timestamp() - offset
    except (ValueError, OverflowError):
        return None
    return ts if TS_MIN <= ts < TS_MAX else None


def epoch(text: str) -> float | None:
    if not _EPOCH.match(text):
        return None
    ts = float(text)
    return ts if math.isfinite(ts) and TS_MIN <= ts < TS_MAX else None


def _request(ts: float, client_ip: str, user: str, url: str) -> Request | str:
    parts = split_url(url)
    if parts is None:
        return R_HOST
    username = "" if user == "-" else user
    return Request(ts, username or client_ip, client_ip, url, parts[0], parts[1], username)


# -- Squid native ---------------------------------------------------------------


def parse_squid(line: str) -> Request | str:
    f = line.split()
    if len(f) < 8 or "/" not in f[3]:
        return "not a Squid access.log line"
    ts = epoch(f[0])
    if ts is None:
        return R_TIME
    return _request(ts, f[2], f[7], f[6])


# -- combined ---------------------------------------------------------------------

_COMBINED = re.compile(
    r"(?:(?P<vhost>\S+):\d+ )?(?P<ip>\S+) (?P<ident>\S+) (?P<user>\S+) \[(?P<ts>[^\]]*)\] "
    r'"(?P<req>(?:[^"\\]|\\.)*)" (?:\d{3}|-) (?:\d+|-)'
)
_CLF_TS = re.compile(r"(\d{1,2})/([A-Z][a-z]{2})/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?: ([+-])(\d{2})(\d{2}))?\Z")


def clf_timestamp(text: str) -> float | None:
    m = _CLF_TS.match(text)
    if m is None or m.group(2) not in _MONTHS:
        return None
    offset = 0
    if m.group(7):
        offset = (int(m.group(8)) * 3600 + int(m.group(9)) * 60) * (1 if m.group(7) == "+" else -1)
    return _ts(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)), *map(int, m.group(4, 5, 6)), offset)


def parse_combined(line: str) -> Request | str:
    m = _COMBINED.match(line)
    if m is None:
        return "not a combined-format line"
    ts = clf_timestamp(m.group("ts"))
    if ts is None:
        return R_TIME
    req = m.group("req").split()
    if len(req) < 2:
        return R_HOST
    target = req[1]
    if target.startswith("/") and m.group("vhost"):
        target = m.group("vhost") + target  # Apache vhost_combined logs only the path
    user = m.group("user")
    if user == "-":
        user = m.group("ident")
    return _request(ts, m.group("ip"), user, target)


# -- e2guardian -------------------------------------------------------------------

_E2_DATE = re.compile(r"(\d{4})\.(\d{1,2})\.(\d{1,2})\Z")
_E2_TIME = re.compile(r"(\d{1,2}):(\d{1,2}):(\d{1,2})\Z")


def parse_e2guardian(line: str) -> Request | str:
    f = line.split(None, 5)
    if len(f) < 6:
        return "not an e2guardian access log line"
    d, t = _E2_DATE.match(f[0]), _E2_TIME.match(f[1])
    if d is None or t is None:
        return "not an e2guardian access log line"
    ts = _ts(*map(int, d.groups()), *map(int, t.groups()))
    if ts is None:
        return R_TIME
    return _request(ts, f[3], f[2], f[4])


# -- Pi-hole / dnsmasq ------------------------------------------------------------

_PIHOLE = re.compile(
    r"([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (?:\S+ )?(?:dnsmasq|pihole-FTL)\[\d+\]: "
    r"(?:\d+ \S+ )?(\S+) (\S+) (\S+) (\S+)\Z"
)
_DNSMASQ = re.compile(r"[A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} (?:\S+ )?(?:dnsmasq|pihole-FTL)\[\d+\]: ")


def make_pihole(year: int) -> Parser:
    def parse_pihole(line: str) -> Request | str:
        m = _PIHOLE.match(line)
        if m is None or not m.group(6).startswith("query[") or m.group(8) != "from":
            return "not a DNS query line" if _DNSMASQ.match(line) else "not a Pi-hole/dnsmasq line"
        if m.group(1) not in _MONTHS:
            return R_TIME
        ts = _ts(year, _MONTHS[m.group(1)], int(m.group(2)), *map(int, m.group(3, 4, 5)))
        if ts is None:
            return R_TIME
        name, ip = m.group(7), m.group(9)
        parts = split_url("dns://" + name)
        if parts is None:
            return R_HOST
        return Request(ts, ip, ip, name, parts[0], "", "")

    return parse_pihole


# -- CSV --------------------------------------------------------------------------


def csv_header(line: str) -> tuple[int, int, int, int] | None:
    """Column positions (timestamp, username, client_ip, url) if ``line`` is a CSV header; username may be -1."""
    names = [c.strip().strip('"').strip().lower() for c in line.split(",")]
    if not {"timestamp", "client_ip", "url"} <= set(names):
        return None
    pos = {name: i for i, name in reversed(list(enumerate(names)))}
    return (pos["timestamp"], pos.get("username", -1), pos["client_ip"], pos["url"])


def csv_timestamp(text: str) -> float | None:
    """Epoch seconds, or ISO 8601 (a time without a zone is UTC)."""
    if not text:
        return None
    if text[0].isdigit() and _EPOCH.match(text):
        return epoch(text)
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    try:
        ts = dt.timestamp()
    except (OverflowError, ValueError):
        return None
    return ts if TS_MIN <= ts < TS_MAX else None


def make_csv(columns: tuple[int, int, int, int]) -> Parser:
    t_col, u_col, ip_col, url_col = columns
    need = max(columns) + 1
    url_last = url_col == max(columns)

    def parse_csv(line: str) -> Request | str:
        if '"' in line:
            try:
                fields = next(csv.reader([line]))
            except (csv.Error, StopIteration):
                return "invalid CSV quoting"
        else:
            fields = line.split(",")
        if len(fields) < need:
            return "too few CSV fields"
        if url_last and len(fields) > need:
            fields[url_col] = ",".join(fields[url_col:])  # commas inside an unquoted URL
        ts = csv_timestamp(fields[t_col].strip())
        if ts is None:
            return R_TIME
        ip = fields[ip_col].strip()
        if not ip:
            return "empty client_ip"
        user = fields[u_col].strip() if u_col >= 0 else ""
        return _request(ts, ip, user or "-", fields[url_col].strip())

    return parse_csv


# -- shared -----------------------------------------------------------------------


def make_parser(fmt: str, *, year: int, columns: tuple[int, int, int, int] = DEFAULT_COLUMNS) -> Parser:
    if fmt == "squid":
        return parse_squid
    if fmt == "combined":
        return parse_combined
    if fmt == "e2guardian":
        return parse_e2guardian
    if fmt == "pihole":
        return make_pihole(year)
    if fmt == "csv":
        return make_csv(columns)
    raise ValueError(f"unknown log format {fmt!r}; choose one of {', '.join(FORMATS)}")


def classify(raw: bytes | None, parser: Parser) -> Request | str:
    """Request, or the reason this raw line (None = over-long) is malformed."""
    if raw is None:
        return R_LONG
    if b"\x00" in raw:
        return R_NUL
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError:
        return R_UTF8
    if not line.strip():
        return R_BLANK
    return parser(line.strip())


def detect(sample: Iterable[bytes | None], *, year: int) -> tuple[str, tuple[int, int, int, int], bool] | None:
    """Guess the format from a file's first lines: (format, CSV columns, first line is a CSV header) or None.

    The format that parses the most of the first ``DETECT_LINES`` lines wins
    (ties go to the order of FORMATS); a Pi-hole log whose first lines are all
    dnsmasq start-up messages is still recognised by their prefix.
    """
    lines: list[str] = []
    first = True
    for raw in sample:
        if raw is None or b"\x00" in raw:
            first = False
            continue
        try:
            text = raw.decode("utf-8").strip()
        except UnicodeDecodeError:
            first = False
            continue
        if first:
            first = False
            columns = csv_header(text)
            if columns is not None:
                return "csv", columns, True
        if text:
            lines.append(text)
        if len(lines) >= DETECT_LINES:
            break
    if not lines:
        return None
    best, best_score = None, 0
    for fmt in FORMATS:
        parser = make_parser(fmt, year=year)
        score = sum(1 for text in lines if not isinstance(parser(text), str))
        if score > best_score:
            best, best_score = fmt, score
    if best is None and any(_DNSMASQ.match(text) for text in lines):
        best = "pihole"
    return (best, DEFAULT_COLUMNS, False) if best else None
