"""Two numberings, one document: the school's own clause references on Harbour's sections (GOV-09, GOV-23).

The rules engine and the "Can I…?" guide cite a school's adopted policy in the school's numbering
(its clause map, ``config["clauses"]``: requirement row -> the school's refs). The generated document
numbers its sections its own way. Each section therefore declares the requirement rows it speaks for
(its blocks' ``req`` plus ``Section.covers``), and from the clause map this module works out:

* ``Section.clauses``: the school's refs for that section, shown under it as "School policy clauses: …";
* ``clause_index(config)``: ref -> the anchor of the section that holds it, so a citation can link there.

Which section a row belongs to: a row named exactly (a block's ``req`` or an ID in ``covers``) belongs to
every section naming it; a row no section names exactly goes to the sections whose ``covers`` prefix
matches it most specifically ("DEV-LRN-*" beats "DEV-*"). A ref held by rows in several sections is
indexed to the section holding it most strongly (rows named exactly weigh most); on a tie, to the one
holding more of its neighbouring clauses, then the earliest.

Pure Python, like the builders.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .model import KEY_DETAILS_ANCHOR, PolicyDocument, Section

LABEL = "School policy clauses"
EXACT = 3  # weight of a row a section names exactly; a prefix weighs its number of parts (1 or 2)

_NUMBER = re.compile(r"(\d+)")
_LETTER = re.compile(r"^(?P<stem>.*)\((?P<n>[a-z])\)$")
_PARA = re.compile(r"^(?P<stem>\S+) p(?P<n>\d+)$")
_DOTTED = re.compile(r"^(?P<stem>(?:\d+\.)*)(?P<n>\d+)$")


def clause_sort_key(ref: str) -> tuple[Any, ...]:
    """Reading order of clause refs in either numbering: "6.3.5" < "6.3.5(a)", "9.2 p3" < "9.2 p10";
    named parts (Title, KD(a), Contents) first. The same order as the rules engine's
    ``clause_sort_key`` (a test holds them together); kept here so builders import nothing outside."""
    parts = _NUMBER.split(ref)
    named = 0 if parts[0] else 1
    return (named, *[int(p) if i % 2 else p for i, p in enumerate(parts)])


def _step(ref: str) -> tuple[str, str, int] | None:
    """(kind, stem, position) of a ref that can be part of a run, e.g. ("para", "9.3", 4)."""
    if m := _LETTER.match(ref):
        return ("letter", m["stem"], ord(m["n"]))
    if m := _PARA.match(ref):
        return ("para", m["stem"], int(m["n"]))
    if m := _DOTTED.match(ref):
        return ("dotted", m["stem"], int(m["n"]))
    return None


def _range(first: str, last: str, kind: str) -> str:
    if kind == "letter":
        return f"{first}–({last[-2]})"
    if kind == "para":
        return f"{first}–p{last.rsplit(' p', 1)[1]}"
    return f"{first}–{last}"


def compress(refs: Iterable[str]) -> list[str]:
    """Refs in reading order, runs of three or more written as ranges, the way REQUIREMENTS.md writes
    them: "6.3.8(a)–(c)", "9.3 p3–p5", "1.4–1.7"; a paragraph of the same clause as the one before it
    drops the clause ("9.3 p2, p7")."""
    ordered = sorted(dict.fromkeys(refs), key=clause_sort_key)
    runs: list[list[str]] = []
    for ref in ordered:
        step, prev = _step(ref), _step(runs[-1][-1]) if runs else None
        if step and prev and step[:2] == prev[:2] and step[2] == prev[2] + 1:
            runs[-1].append(ref)
        else:
            runs.append([ref])
    out: list[str] = []
    last_para_stem = ""
    for run in runs:
        step = _step(run[0])
        kind = step[0] if step else ""
        pieces = [_range(run[0], run[-1], kind)] if len(run) >= 3 else list(run)
        stem = step[1] if step and kind == "para" else ""
        for piece in pieces:
            if stem and stem == last_para_stem:
                piece = piece.split(" ", 1)[1]  # "9.3 p7" after another 9.3 paragraph reads "p7"
            out.append(piece)
            last_para_stem = stem
    return out


def clause_line(refs: Iterable[str]) -> str:
    """ "6.3.2, 6.3.5(a)–(c)"; empty when there are no refs."""
    return ", ".join(compress(refs))


def _prefix(pattern: str) -> str | None:
    return pattern[:-1] if pattern.endswith("*") else None


def _places(doc: PolicyDocument) -> list[tuple[str, tuple[str, ...], Section | None]]:
    """Everything that can hold clauses, in reading order: the key details, then every section."""
    places: list[tuple[str, tuple[str, ...], Section | None]] = [(KEY_DETAILS_ANCHOR, doc.key_details_covers, None)]
    for section in doc.all_sections():
        covers = (*{r for b in section.blocks for r in b.req}, *section.covers)
        places.append((section.anchor, covers, section))
    return places


def _weighted_rows(doc: PolicyDocument, clause_map: Mapping[str, Any]) -> list[tuple[str, dict[str, int]]]:
    """(anchor, {row: weight}) per place, for the rows of the clause map each place holds."""
    places = _places(doc)
    exact = {p for _, covers, _ in places for p in covers if _prefix(p) is None}
    best: dict[str, int] = {}  # row -> length of the longest prefix naming it
    for _, covers, _ in places:
        for pattern in covers:
            prefix = _prefix(pattern)
            if prefix is None:
                continue
            for row in clause_map:
                if row not in exact and row.startswith(prefix):
                    best[row] = max(best.get(row, 0), len(prefix))
    out = []
    for anchor, covers, _ in places:
        rows: dict[str, int] = {}
        for pattern in covers:
            prefix = _prefix(pattern)
            if prefix is None:
                if pattern in clause_map:
                    rows[pattern] = EXACT
                continue
            for row in clause_map:
                if row not in exact and row.startswith(prefix) and len(prefix) == best[row]:
                    rows.setdefault(row, min(prefix.count("-"), EXACT - 1))
        out.append((anchor, rows))
    return out


def _refs(clause_map: Mapping[str, Any], rows: Iterable[str]) -> tuple[str, ...]:
    refs = {str(ref) for row in rows for ref in clause_map.get(row) or ()}
    return tuple(sorted(refs, key=clause_sort_key))


def attach_clauses(doc: PolicyDocument, clause_map: Mapping[str, Any] | None) -> PolicyDocument:
    """Fill ``clauses`` of every section and of the key details from the school's clause map."""
    clause_map = clause_map or {}
    sections = {s.anchor: s for s in doc.all_sections()}
    for anchor, rows in _weighted_rows(doc, clause_map):
        refs = _refs(clause_map, rows)
        if anchor == KEY_DETAILS_ANCHOR:
            doc.key_details_clauses = refs
        else:
            sections[anchor].clauses = refs
    return doc


def parent_clause(ref: str) -> str:
    """The clause a ref sits in: "7.1.4" -> "7.1", "9.3 p2" -> "9.3", "6.3.5(a)" -> "6.3.5"."""
    for pattern in (_LETTER, _PARA, _DOTTED):
        if m := pattern.match(ref):
            return m["stem"].rstrip(".")
    return ref


def document_clause_index(doc: PolicyDocument, clause_map: Mapping[str, Any] | None) -> dict[str, str]:
    """ref -> anchor of the place in ``doc`` that holds it most strongly. On a tie, the place holding
    more of the ref's neighbours (refs of the same parent clause) wins, then the earlier one."""
    clause_map = clause_map or {}
    scores: dict[str, tuple[int, int, int, str]] = {}
    for order, (anchor, rows) in enumerate(_weighted_rows(doc, clause_map)):
        weight: dict[str, int] = {}
        for row, w in rows.items():
            for ref in dict.fromkeys(str(r) for r in clause_map.get(row) or ()):
                weight[ref] = weight.get(ref, 0) + w
        parents: dict[str, int] = {}
        for ref in weight:
            parents[parent_clause(ref)] = parents.get(parent_clause(ref), 0) + 1
        for ref, w in weight.items():
            score = (w, parents[parent_clause(ref)], -order)
            if ref not in scores or score > scores[ref][:3]:
                scores[ref] = (*score, anchor)
    return {ref: scores[ref][3] for ref in sorted(scores, key=clause_sort_key)}


def clause_index(config: Mapping[str, Any], *, school_name: str | None = None) -> dict[str, str]:
    """GOV-23: for each clause ref of the school's clause map that the generated policy holds, the
    anchor of the section holding it (``/s/<slug>/policy/#<anchor>``). Refs of rows the generated
    document does not cover are absent, so a citation of them stays plain text."""
    from .builder import build_policy  # the builder attaches clauses with this module

    return document_clause_index(build_policy(dict(config), school_name=school_name), config.get("clauses"))
