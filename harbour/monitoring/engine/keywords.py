"""Keyword phrases matched in search terms with Aho-Corasick (FLT-08, INC-FILT-06).

Harbour's own file format, one phrase per line::

    phrase<TAB>weight<TAB>category

``#`` at the start of a line is a comment; blank lines are ignored.  The
weight is a whole number (negative allowed).  A phrase made of parts joined by
`` + `` (space, plus, space) is a combination: it matches only when every part
is present.  The same phrase may appear in several categories.

e2guardian weighted phrase lists can be imported too (``load_e2guardian``):
``<phrase><weight>`` or ``<part1><part2>...<weight>`` lines (DansGuardian's
``<part1>,<part2><weight>`` spelling too), with an optional
``#listcategory: "name"`` line naming the category (otherwise the folder's
name); ``.Include<path>`` lines are followed when the path exists.

Matching: case-insensitive, whole words only: the characters just before and
after a match must not be letters or digits (or must be the string's edges).
Runs of whitespace count as one space in phrases and in search terms.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import ahocorasick

COMBINE = " + "
_SPACES = re.compile(r"\s+")
_E2_LINE = re.compile(r"^((?:<[^<>]*>\s*,?\s*)+)(?:#.*)?$")
_E2_PART = re.compile(r"<([^<>]*)>")
_E2_CATEGORY = re.compile(r'^#\s*listcategory:\s*"?([^"]*)"?\s*$', re.IGNORECASE)
_E2_INCLUDE = re.compile(r"^\.include<([^<>]+)>\s*$", re.IGNORECASE)


class KeywordError(Exception):
    """An invalid keywords file or line; the message starts with ``file:line:``."""


def normalise_phrase(text: str) -> str:
    return _SPACES.sub(" ", text).strip().lower()


@dataclass(frozen=True, slots=True)
class Entry:
    phrase: str  # display form: parts joined by " + "
    parts: tuple[str, ...]
    weight: int
    category: str


@dataclass
class KeywordSet:
    """Phrases by category, with an Aho-Corasick automaton built on first use."""

    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)  # (phrase, category) -> entry
    _automaton: object = field(default=None, repr=False, compare=False)

    def add(self, phrase: str, weight: int, category: str) -> None:
        if COMBINE in phrase:
            parts = tuple(sorted({normalise_phrase(p) for p in phrase.split(COMBINE)}))
        else:
            parts = (normalise_phrase(phrase),)
        if not all(_has_word(p) for p in parts):
            raise ValueError("a phrase needs at least one letter or digit")
        display = COMBINE.join(parts)
        category = category.strip()
        if not category:
            raise ValueError("the category is empty")
        self.entries[(display, category)] = Entry(display, parts, int(weight), category)
        self._automaton = None

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(sorted({e.category for e in self.entries.values()}))

    def __len__(self) -> int:
        return len(self.entries)

    def __getstate__(self) -> dict:
        # The automaton is rebuilt in each worker rather than pickled.
        return {"entries": self.entries}

    def __setstate__(self, state: dict) -> None:
        self.entries = state["entries"]
        self._automaton = None

    def _build(self) -> ahocorasick.Automaton:
        by_part: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            for part in entry.parts:
                by_part.setdefault(part, []).append(entry)
        automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY, ahocorasick.KEY_STRING)
        for part, entries in by_part.items():
            automaton.add_word(part, (part, tuple(entries)))
        if by_part:
            automaton.make_automaton()
        self._automaton = automaton
        return automaton

    def match(self, terms: str) -> dict[str, tuple[tuple[str, ...], int]]:
        """``{category: (sorted matched phrases, sum of their weights)}`` for the given search terms."""
        if not terms or not self.entries:
            return {}
        automaton = self._automaton if self._automaton is not None else self._build()
        text = normalise_phrase(terms)
        found_parts: set[str] = set()
        candidates: dict[tuple[str, str], Entry] = {}
        size = len(text)
        for end, (part, entries) in automaton.iter(text):  # type: ignore[attr-defined]
            start = end - len(part) + 1
            if start > 0 and text[start - 1].isalnum():
                continue
            if end + 1 < size and text[end + 1].isalnum():
                continue
            found_parts.add(part)
            for entry in entries:
                candidates[(entry.phrase, entry.category)] = entry
        hits: dict[str, tuple[list[str], int]] = {}
        for entry in candidates.values():
            if len(entry.parts) > 1 and not all(p in found_parts for p in entry.parts):
                continue
            phrases, weight = hits.get(entry.category, ([], 0))
            phrases.append(entry.phrase)
            hits[entry.category] = (phrases, weight + entry.weight)
        return {cat: (tuple(sorted(phrases)), weight) for cat, (phrases, weight) in hits.items()}


def _has_word(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _read_text(path: Path) -> list[str]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KeywordError(f"{path}: cannot read keywords file ({exc.strerror or exc})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")  # older e2guardian lists are Latin-1
    if "\x00" in text:
        raise KeywordError(f"{path}: not a text file (NUL bytes)")
    return text.splitlines()


def load_keywords(path: str | os.PathLike, into: KeywordSet | None = None) -> KeywordSet:
    """Read a ``phrase<TAB>weight<TAB>category`` file; KeywordError names the file and line of a bad line."""
    keywords = into if into is not None else KeywordSet()
    path = Path(path)
    for lineno, line in enumerate(_read_text(path), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) != 3:
            raise KeywordError(
                f"{path}:{lineno}: expected phrase<TAB>weight<TAB>category, found {len(fields)} tab-separated field(s)"
            )
        phrase, weight, category = fields
        try:
            value = int(weight.strip())
        except ValueError:
            raise KeywordError(f"{path}:{lineno}: the weight {weight.strip()!r} is not a whole number") from None
        try:
            keywords.add(phrase, value, category)
        except ValueError as exc:
            raise KeywordError(f"{path}:{lineno}: {exc}") from None
    return keywords


def load_e2guardian(
    path: str | os.PathLike,
    into: KeywordSet | None = None,
    *,
    category: str | None = None,
    _seen: set[Path] | None = None,
) -> KeywordSet:
    """Import an e2guardian weighted phrase list (see the module docstring)."""
    keywords = into if into is not None else KeywordSet()
    path = Path(path)
    seen = _seen if _seen is not None else set()
    resolved = path.resolve()
    if resolved in seen:
        return keywords  # include loops
    seen.add(resolved)
    current = category or path.parent.name or path.stem
    for lineno, line in enumerate(_read_text(path), start=1):
        stripped = line.strip()
        if not stripped:
            continue
        m = _E2_CATEGORY.match(stripped)
        if m:
            current = m.group(1).strip() or current
            continue
        if stripped.startswith("#"):
            continue
        m = _E2_INCLUDE.match(stripped)
        if m:
            target = Path(m.group(1))
            if not target.is_absolute():
                target = path.parent / target
            if not target.is_file():
                raise KeywordError(f"{path}:{lineno}: included list {m.group(1)} not found")
            load_e2guardian(target, keywords, category=None, _seen=seen)
            continue
        m = _E2_LINE.match(stripped)
        if m is None:
            raise KeywordError(f"{path}:{lineno}: expected <phrase><weight> or <phrase><phrase>...<weight>")
        parts = _E2_PART.findall(m.group(1))
        if len(parts) < 2:
            raise KeywordError(f"{path}:{lineno}: a weighted phrase needs a weight, as in <phrase><40>")
        try:
            weight = int(parts[-1].strip())
        except ValueError:
            raise KeywordError(f"{path}:{lineno}: the weight <{parts[-1]}> is not a whole number") from None
        phrases = [p for p in parts[:-1] if p.strip()]
        if not phrases:
            raise KeywordError(f"{path}:{lineno}: the phrase is empty")
        try:
            keywords.add(COMBINE.join(normalise_phrase(p) for p in phrases), weight, current)
        except ValueError as exc:
            raise KeywordError(f"{path}:{lineno}: {exc}") from None
    return keywords


def load_any(paths: Iterable[str | os.PathLike]) -> KeywordSet:
    """Load several files, guessing each one's format: e2guardian when its first phrase line starts with ``<``."""
    keywords = KeywordSet()
    for raw in paths:
        path = Path(raw)
        first = next((ln.strip() for ln in _read_text(path) if ln.strip() and not ln.lstrip().startswith("#")), "")
        if first.startswith(("<", ".Include", ".include")):
            load_e2guardian(path, keywords)
        else:
            load_keywords(path, keywords)
    return keywords
