"""The shape of a generated policy document: numbered sections of paragraphs, lists and tables (GOV-09).

Pure Python. Builders fill it from a school's flat configuration; renderers (HTML, PDF, DOCX, plain
text) only walk it, so every output says exactly the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["p", "list", "table", "note"]


@dataclass(frozen=True)
class Block:
    """One piece of body text.

    ``p`` a paragraph (``text``); ``list`` a bulleted list (``items``), optionally led by ``text``;
    ``table`` label/value rows (``rows``); ``note`` a paragraph set apart (a caution or a pointer).
    ``rows`` are requirement IDs the block puts into words, so a reader of the code can trace it.
    """

    kind: BlockKind
    text: str = ""
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()
    req: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """The block as plain lines: one paragraph or list item per line."""
        out = [self.text] if self.text else []
        if self.kind == "list":
            out += [f"- {item}" for item in self.items]
        elif self.kind == "table":
            out += [f"{label}: {value}" for label, value in self.rows]
        return out


def p(text: str, *req: str) -> Block:
    return Block("p", text=text, req=req)


def note(text: str, *req: str) -> Block:
    return Block("note", text=text, req=req)


def bullets(items: list[str] | tuple[str, ...], lead: str = "", *req: str) -> Block:
    """List items carry no trailing ";" or "."; a list with an item of several sentences ends every
    item with a full stop, so the list reads evenly."""
    cleaned = [i.strip().rstrip(";.").strip() for i in items if i and i.strip()]
    if any(". " in i for i in cleaned):
        cleaned = [i + "." for i in cleaned]
    return Block("list", text=lead, items=tuple(cleaned), req=req)


def table(rows: list[tuple[str, str]], lead: str = "", *req: str) -> Block:
    return Block("table", text=lead, rows=tuple(rows), req=req)


@dataclass
class Section:
    """A numbered section. ``number`` is filled in when the document is assembled ("6", "6.2").

    ``covers`` names the requirement rows this section speaks for beyond its blocks' own ``req``: row
    IDs ("GOV-16") or row-ID prefixes ending in "*" ("DEV-LRN-*"). With the school's clause map they
    give ``clauses``: the school's own clause references for this section (filled in by
    ``clauses.attach_clauses``), so a reader can match Harbour's numbering to the adopted policy's.
    """

    title: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    key: str = ""
    number: str = ""
    covers: tuple[str, ...] = ()
    clauses: tuple[str, ...] = ()
    anchor_id: str = ""

    @property
    def anchor(self) -> str:
        """The HTML id of the heading: from the section's key, so it stays the same when other
        sections come and go and the numbers shift (set, unique in the document, by ``number()``)."""
        if self.anchor_id:
            return self.anchor_id
        return "s-" + (slug(self.key) if self.key else self.number.replace(".", "-"))

    @property
    def level(self) -> int:
        return self.number.count(".") + 1 if self.number else 1

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def is_empty(self) -> bool:
        return not self.blocks and all(s.is_empty() for s in self.subsections)

    def walk(self) -> list[Section]:
        """This section and every subsection, in reading order."""
        out = [self]
        for sub in self.subsections:
            out += sub.walk()
        return out


@dataclass
class PolicyDocument:
    """A whole generated document: the policy itself or one of its audience pages."""

    title: str
    school_name: str
    subtitle: str = ""
    key_details: list[tuple[str, str]] = field(default_factory=list)
    intro: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    show_contents: bool = True
    key_details_covers: tuple[str, ...] = ()  # rows the key-details block speaks for (see Section.covers)
    key_details_clauses: tuple[str, ...] = ()

    def number(self) -> PolicyDocument:
        """Drop empty sections and number the rest: 1, 2 … and 1.1, 1.2 … (contents follow this).
        Every section also gets its anchor, unique in the document."""
        self.sections = [s for s in self.sections if not s.is_empty()]
        for i, section in enumerate(self.sections, start=1):
            _number(section, str(i))
        taken: set[str] = {KEY_DETAILS_ANCHOR}
        for section in self.all_sections():
            section.anchor_id = ""
            base = section.anchor
            anchor, n = base, 1
            while anchor in taken:
                n += 1
                anchor = f"{base}-{n}"
            taken.add(anchor)
            section.anchor_id = anchor
        return self

    def all_sections(self) -> list[Section]:
        out: list[Section] = []
        for section in self.sections:
            out += section.walk()
        return out

    def contents(self, depth: int = 2) -> list[Section]:
        return [s for s in self.all_sections() if s.level <= depth]


KEY_DETAILS_ANCHOR = "key-details"


def slug(text: str) -> str:
    """A key as a safe HTML id fragment: "type-Online hate (all)" -> "type-online-hate-all"."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _number(section: Section, number: str) -> None:
    section.number = number
    section.subsections = [s for s in section.subsections if not s.is_empty()]
    for i, sub in enumerate(section.subsections, start=1):
        _number(sub, f"{number}.{i}")
