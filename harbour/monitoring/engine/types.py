"""Value types shared by every path of the monitoring engine (FLT-08, INC-FILT-06, INC-FILT-10).

The reference path (reference.py) and the fast path (fast.py) both return a
ScanResult; the two must be equal field for field, private fields included, so
that tests can compare them with ``==``.  Workers return partial results that
are combined with ``ScanResult.merge``; ``finalise`` recomputes every derived
field (user counts, top list, capped flags and problems), so merging is exact
and does not depend on how the work was split.

Pure Python: nothing here may import Django or another Harbour app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

MAX_FLAGS = 50_000
MAX_LINE_PROBLEMS = 100
TOP_SIZE = 20
KEYWORD_PREFIX = "kw:"


@dataclass(frozen=True, slots=True)
class Request:
    """One parsed log line that is a web (or DNS) request."""

    ts: float  # seconds since the epoch, UTC
    person: str  # username when the log has one, else the client IP
    client_ip: str
    url: str  # as logged
    host: str  # normalised: lower-case, no port, no trailing dot, no userinfo
    path: str  # path and query after the host ("/" if none); "" for DNS-only logs
    username: str  # "" when the log has none


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of one log file whose format is already known.

    ``scan()`` cuts large plain files into byte ranges so that several
    processes can share one file; each range starts at the beginning of a line.
    ``end == -1`` means "to the end of the file" (the only choice for ``.gz``
    files and standard input).  Line numbers in the problems of a chunk's
    result are counted from the chunk's first line; ``scan()`` shifts them.
    """

    path: str
    start: int = 0
    end: int = -1
    fmt: str = "auto"
    # CSV only: positions of the timestamp, username, client_ip and url columns.
    columns: tuple[int, int, int, int] = (0, 1, 2, 3)
    # CSV only: the chunk begins with the header line; it is read but not counted.
    skip_header: bool = False


@dataclass(slots=True)
class Flag:
    """One request worth showing to the DSL: a flagged category or a keyword hit."""

    ts: float
    person: str
    client_ip: str
    username: str
    kind: str  # "category" or "keyword"
    category: str  # list category (kind=category) or keyword category (kind=keyword)
    host: str
    url: str
    terms: str  # decoded search terms ("" for kind=category)
    phrases: tuple[str, ...]  # matched phrases (kind=keyword), sorted
    weight: int  # sum of the matched phrases' weights in that category (kind=keyword); 0 otherwise

    def sort_key(self) -> tuple:
        return (self.ts, self.person, self.kind, self.category, self.url, self.client_ip)

    def __reduce__(self) -> tuple:
        # A plain tuple of fields: workers send tens of thousands of flags back to the parent,
        # and the default dataclass pickling (slots, by attribute name) costs several times more.
        return (
            Flag,
            (
                self.ts,
                self.person,
                self.client_ip,
                self.username,
                self.kind,
                self.category,
                self.host,
                self.url,
                self.terms,
                self.phrases,
                self.weight,
            ),
        )


# The same order as Flag.sort_key, computed in C (sorting 50,000+ flags is on the fast path).
FLAG_ORDER = attrgetter("ts", "person", "kind", "category", "url", "client_ip")
_FLAG_FIELDS = attrgetter(*Flag.__slots__)


@dataclass
class ScanResult:
    """Counts and findings of one scan.  ``to_json`` gives the CLI's ``--json`` object.

    Building one by hand (the fast path does): fill ``lines``, ``requests``,
    ``categories[name]["requests"]``, ``_users``, ``keyword_hits``,
    ``person_day``, ``flags``, ``formats``, ``_line_problems`` and
    ``_file_problems``; then call ``finalise()``, which derives ``malformed``,
    the user counts, ``top``, the flag cap/order and ``problems``.
    """

    lines: int = 0
    requests: int = 0
    malformed: int = 0
    categories: dict[str, dict[str, int]] = field(default_factory=dict)
    keyword_hits: dict[str, int] = field(default_factory=dict)
    top: list[tuple[str, str, int]] = field(default_factory=list)
    person_day: dict[tuple[str, str, str], int] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    formats: dict[str, str] = field(default_factory=dict)
    # Distinct persons per list category; needed so that merged user counts are exact.
    _users: dict[str, set[str]] = field(default_factory=dict, repr=False)
    # (file, line number, reason) of the first MAX_LINE_PROBLEMS malformed lines, in reading order.
    _line_problems: list[tuple[str, int, str]] = field(default_factory=list, repr=False)
    # "file: message" problems about a whole file (unreadable, unknown format, empty...).
    _file_problems: list[str] = field(default_factory=list, repr=False)

    # -- building -------------------------------------------------------------

    def note_line_problem(self, source: str, lineno: int, reason: str) -> None:
        if len(self._line_problems) < MAX_LINE_PROBLEMS:
            self._line_problems.append((source, lineno, reason))

    def note_file_problem(self, source: str, message: str) -> None:
        self._file_problems.append(f"{source}: {message}")

    def shift_lines(self, offset: int) -> None:
        """Turn chunk-relative line numbers into file line numbers."""
        if offset:
            self._line_problems = [(src, n + offset, why) for src, n, why in self._line_problems]

    def add_category(self, name: str, person: str) -> None:
        """Count one request in list category ``name`` (used by the reference path)."""
        entry = self.categories.get(name)
        if entry is None:
            entry = self.categories[name] = {"requests": 0, "users": 0}
            self._users[name] = set()
        entry["requests"] += 1
        self._users[name].add(person)

    def finalise(self) -> ScanResult:
        """Recompute the derived fields; idempotent.  Returns self."""
        self.malformed = self.lines - self.requests
        for name, entry in self.categories.items():
            entry["users"] = len(self._users.get(name, ()))
        self.categories = dict(sorted(self.categories.items()))
        self.keyword_hits = dict(sorted(self.keyword_hits.items()))
        totals: dict[tuple[str, str], int] = {}
        get, skip = totals.get, len(KEYWORD_PREFIX)
        for key, n in self.person_day.items():
            if key[1][:skip] != KEYWORD_PREFIX:
                pair = key[:2]
                totals[pair] = get(pair, 0) + n
        ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0][0], item[0][1]))
        self.top = [(person, category, n) for (person, category), n in ranked[:TOP_SIZE]]
        self.flags.sort(key=FLAG_ORDER)
        del self.flags[MAX_FLAGS:]
        del self._line_problems[MAX_LINE_PROBLEMS:]
        self.problems = list(self._file_problems) + [f"{src}:{n}: {why}" for src, n, why in self._line_problems]
        return self

    def merge(self, other: ScanResult, *, finalise: bool = True) -> ScanResult:
        """Add ``other`` into self (in place) and return self.

        Merge results in reading order (file by file, chunk by chunk) so that
        the "first 100 malformed lines" are the same as in a single pass.
        """
        self.lines += other.lines
        self.requests += other.requests
        for name, entry in other.categories.items():
            mine = self.categories.get(name)
            if mine is None:
                mine = self.categories[name] = {"requests": 0, "users": 0}
            mine["requests"] += entry["requests"]
            self._users.setdefault(name, set()).update(other._users.get(name, ()))
        for name, n in other.keyword_hits.items():
            self.keyword_hits[name] = self.keyword_hits.get(name, 0) + n
        for key, n in other.person_day.items():
            self.person_day[key] = self.person_day.get(key, 0) + n
        self.flags.extend(other.flags)
        for source, fmt in other.formats.items():
            self.formats.setdefault(source, fmt)
        self._line_problems.extend(other._line_problems)
        self._file_problems.extend(other._file_problems)
        if len(self.flags) >= 2 * MAX_FLAGS:
            self.flags.sort(key=FLAG_ORDER)
            del self.flags[MAX_FLAGS:]
        return self.finalise() if finalise else self

    # -- sending between processes ----------------------------------------------

    def __getstate__(self) -> dict:
        # Workers send their parts to the parent: flags go as plain tuples of fields, which pickle
        # several times faster than dataclass objects (strings shared by many flags are pickled
        # once, by reference).
        state = dict(self.__dict__)
        state["flags"] = list(map(_FLAG_FIELDS, self.flags))
        return state

    def __setstate__(self, state: dict) -> None:
        state["flags"] = [Flag(*fields) for fields in state["flags"]]
        self.__dict__.update(state)

    # -- output ---------------------------------------------------------------

    def to_json(self) -> dict:
        """The object printed by ``harbour-monitor scan --json`` (issue 6), nothing more."""
        return {
            "lines": self.lines,
            "requests": self.requests,
            "malformed": self.lines - self.requests,
            "categories": {
                name: {"requests": entry["requests"], "users": len(self._users.get(name, ()))}
                for name, entry in sorted(self.categories.items())
            },
            "keyword_hits": dict(sorted(self.keyword_hits.items())),
            "top": [[person, category, n] for person, category, n in self.top],
        }
