"""Side-by-side differences between two policy versions: configuration and rendered text (GOV-05).

The configuration is compared variable by variable (labels and YAML paths from the schema), the
clause map row by row. The text is the policy as the documents package renders it, compared line
by line with ``difflib``; lines that changed are compared again word by word so the page can
highlight exactly what moved.
"""

from __future__ import annotations

import difflib
import importlib
import json
import re
from dataclasses import dataclass
from typing import Any

from harbour.policy import config_support

CLAUSES_KEY = "clauses"


@dataclass(frozen=True)
class ConfigRow:
    name: str
    label: str
    path: str
    help: str
    old: str
    new: str
    change: str  # "changed", "added", "removed", "same"


def show(value: Any) -> str:
    """A value as a reader sees it: lists one per line, empty as an em dash."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "\n".join(show(item) if not isinstance(item, dict) else _contact(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def _contact(item: dict[str, Any]) -> str:
    parts = [str(item.get(k)) for k in ("name", "role", "email", "phone", "url") if item.get(k)]
    return ", ".join(parts) or json.dumps(item, sort_keys=True)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def config_diff(old: dict[str, Any], new: dict[str, Any], *, include_same: bool = False) -> list[ConfigRow]:
    """One row per variable (and per clause-map row) that differs, in schema order (GOV-05)."""
    info = config_support.variable_info()
    names = [n for n in (set(old) | set(new)) if n != CLAUSES_KEY]
    names.sort(key=lambda n: (info[n].order if n in info else len(info), n))
    rows: list[ConfigRow] = []
    for name in names:
        a, b = old.get(name), new.get(name)
        change = "same" if a == b else "added" if _empty(a) else "removed" if _empty(b) else "changed"
        if change == "same" and not include_same:
            continue
        meta = info.get(name)
        rows.append(
            ConfigRow(
                name=name,
                label=meta.label if meta else name.replace("_", " ").capitalize(),
                path=meta.path if meta else name,
                help=meta.help if meta else "",
                old=show(a),
                new=show(b),
                change=change,
            )
        )
    old_clauses, new_clauses = old.get(CLAUSES_KEY) or {}, new.get(CLAUSES_KEY) or {}
    for row_id in sorted(set(old_clauses) | set(new_clauses)):
        a, b = old_clauses.get(row_id), new_clauses.get(row_id)
        if a == b and not include_same:
            continue
        change = "same" if a == b else "added" if not a else "removed" if not b else "changed"
        rows.append(
            ConfigRow(
                name=f"{CLAUSES_KEY}.{row_id}",
                label=f"Clauses for {row_id}",
                path=f"{CLAUSES_KEY}.{row_id}",
                help="Where the school's document states this requirement.",
                old=", ".join(a or []) or "—",
                new=", ".join(b or []) or "—",
                change=change,
            )
        )
    return rows


# --- rendered text -----------------------------------------------------------------------------


def render_text(config: dict[str, Any], *, school_name: str | None = None) -> str | None:
    """The policy as plain text from the documents package; None while that package is missing."""
    for module_name in ("harbour.policy.documents", "harbour.policy.documents.text"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        render = getattr(module, "render_policy_text", None)
        if render is not None:
            try:
                return render(config, school_name=school_name)
            except TypeError:
                return render(config)
    return None


@dataclass(frozen=True)
class Segment:
    text: str
    changed: bool


@dataclass(frozen=True)
class TextRow:
    kind: str  # "same", "changed", "added", "removed"
    old_no: int | None
    new_no: int | None
    old: tuple[Segment, ...]
    new: tuple[Segment, ...]


_WORDS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> tuple[tuple[Segment, ...], tuple[Segment, ...]]:
    """Both lines cut into segments, the changed words marked (whitespace kept, so text reads as is)."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    left: list[Segment] = []
    right: list[Segment] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if i2 > i1:
            left.append(Segment("".join(a[i1:i2]), tag != "equal"))
        if j2 > j1:
            right.append(Segment("".join(b[j1:j2]), tag != "equal"))
    return tuple(left), tuple(right)


def text_diff(old_text: str, new_text: str, *, context: int | None = 2) -> list[TextRow | None]:
    """Side-by-side rows; ``None`` marks skipped unchanged lines when ``context`` is set."""
    a, b = old_text.splitlines(), new_text.splitlines()
    rows: list[TextRow] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [
                TextRow("same", i1 + k + 1, j1 + k + 1, (Segment(a[i1 + k], False),), (Segment(b[j1 + k], False),))
                for k in range(i2 - i1)
            ]
            continue
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            i, j = i1 + k, j1 + k
            has_old, has_new = i < i2, j < j2
            if has_old and has_new:
                left, right = word_diff(a[i], b[j])
                rows.append(TextRow("changed", i + 1, j + 1, left, right))
            elif has_old:
                rows.append(TextRow("removed", i + 1, None, (Segment(a[i], True),), ()))
            else:
                rows.append(TextRow("added", None, j + 1, (), (Segment(b[j], True),)))
    if context is None:
        return list(rows)
    keep = [False] * len(rows)
    for index, row in enumerate(rows):
        if row.kind != "same":
            for near in range(max(0, index - context), min(len(rows), index + context + 1)):
                keep[near] = True
    shown: list[TextRow | None] = []
    for index, row in enumerate(rows):
        if keep[index]:
            shown.append(row)
        elif (shown and shown[-1] is not None) or (not shown and index == 0):
            shown.append(None)
    return shown
