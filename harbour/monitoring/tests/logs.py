"""Tiny generated logs for the Django-side tests (the engine's own samples live in samples/)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

BASE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC).timestamp()


def squid_line(ts: float, user: str, url: str, ip: str = "10.0.0.5") -> str:
    return f"{ts:.3f}    120 {ip} TCP_MISS/200 1234 GET {url} {user} HIER_DIRECT/192.0.2.1 text/html"


def squid_log(path: Path, rows: list[tuple[float, str, str] | tuple[float, str, str, str]]) -> Path:
    """rows: (seconds after BASE, user or '-', url[, client ip])."""
    lines = [squid_line(BASE + row[0], row[1], row[2], *(row[3:] or ())) for row in rows]
    path.write_text("\n".join(lines) + "\n")
    return path


def grouped_log(path: Path, user: str = "ada.q") -> Path:
    """Three casino visits within ten minutes, one search for self-harm words, and ordinary traffic."""
    return squid_log(
        path,
        [
            (0, user, "http://example-casino.test/"),
            (60, user, "http://www.example-casino.test/slots"),
            (600, user, "http://spin-and-win.test/play"),
            (700, user, "https://www.google.com/search?q=ways+to+self+harm"),
            (800, "ben.m", "http://www.bbc.co.uk/news"),
            (900, "ben.m", "http://chatterbox.example.test/feed"),
        ],
    )
