"""Terminal output of the CLI: a progress bar on standard error and the readable summary (FLT-08)."""

from __future__ import annotations

import re
import time
from typing import TextIO

from .keywords import KeywordSet
from .lists import CategoryDB
from .types import ScanResult

_SHOWN_PROBLEMS = 10
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _safe(text: str) -> str:
    """Log fields are untrusted: never let them send terminal control sequences."""
    return _CONTROL.sub("?", text)


class ProgressBar:
    """``[#####.....]  48%  12.0/25.0 MB``, redrawn at most ten times a second; bytes read when size unknown."""

    def __init__(self, total: int, stream: TextIO, width: int = 30) -> None:
        self.total, self.stream, self.width = total, stream, width
        self.done = 0
        self._last = 0.0

    def advance(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if now - self._last >= 0.1:
            self._last = now
            self._draw()

    def _draw(self) -> None:
        mb = self.done / 1e6
        if self.total > 0:
            share = min(1.0, self.done / self.total)
            filled = int(share * self.width)
            text = f"[{'#' * filled}{'.' * (self.width - filled)}] {share:4.0%}  {mb:.1f}/{self.total / 1e6:.1f} MB"
        else:
            text = f"read {mb:.1f} MB"
        self.stream.write("\r" + text)
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * (self.width + 40) + "\r")
        self.stream.flush()


def _n(value: int) -> str:
    return f"{value:,}"


def summary(result: ScanResult, *, elapsed: float, categories: CategoryDB, keywords: KeywordSet) -> str:
    """The readable report printed without --json."""
    out: list[str] = []
    rate = result.lines / elapsed if elapsed > 0 else 0.0
    out.append(f"Scanned {_n(result.lines)} lines in {elapsed:.2f} s ({_n(int(rate))} lines/s)")
    for source, fmt in result.formats.items():
        out.append(f"  {source}: {fmt}")
    out.append(f"  requests   {_n(result.requests)}")
    out.append(f"  malformed  {_n(result.malformed)}")
    out.append(
        f"Lists: {len(categories.sizes)} categories, {_n(len(categories.domains))} domains; "
        f"keywords: {_n(len(keywords))} phrases in {len(keywords.categories)} categories"
    )
    out.append("")
    if result.categories:
        width = max(len(name) for name in result.categories)
        out.append(f"{'Category':<{width}}  {'requests':>10}  {'users':>7}")
        ranked = sorted(result.categories.items(), key=lambda item: (-item[1]["requests"], item[0]))
        for name, entry in ranked:
            out.append(f"{name:<{width}}  {_n(entry['requests']):>10}  {_n(entry['users']):>7}")
    else:
        out.append("No request fell in a listed category.")
    out.append("")
    if result.keyword_hits:
        width = max(len(name) for name in result.keyword_hits)
        out.append(f"{'Keyword category':<{max(width, 16)}}  {'searches':>10}")
        ranked_kw = sorted(result.keyword_hits.items(), key=lambda item: (-item[1], item[0]))
        for name, n in ranked_kw:
            out.append(f"{_safe(name):<{max(width, 16)}}  {_n(n):>10}")
    else:
        out.append("No search matched a keyword.")
    if result.top:
        out.append("")
        out.append("Top persons by category:")
        width = max(len(_safe(person)) for person, _, _ in result.top)
        for person, category, n in result.top:
            out.append(f"  {_safe(person):<{width}}  {_safe(category):<20}  {_n(n):>8}")
    flagged = [f for f in result.flags if f.kind == "category"]
    if flagged:
        out.append("")
        out.append(f"Flagged requests ({_n(len(flagged))}, earliest first, up to 20 shown):")
        for flag in flagged[:20]:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(flag.ts))
            out.append(f"  {stamp}  {_safe(flag.person)}  {flag.category}  {flag.host}")
    if result.problems:
        out.append("")
        out.append(f"Problems (first {min(_SHOWN_PROBLEMS, len(result.problems))} of {len(result.problems)} recorded):")
        out.extend(f"  {_safe(p)}" for p in result.problems[:_SHOWN_PROBLEMS])
    return "\n".join(out) + "\n"
