"""What changes between two flat configurations, variable by variable (GOV-05, GOV-24).

Used by the import command and the web import preview; pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harbour.policy.rules import schema


@dataclass(frozen=True)
class Change:
    """One changed setting: its YAML path, flat name ('' for a clause-map row) and both values."""

    path: str
    name: str
    old: Any
    new: Any

    @property
    def old_text(self) -> str:
        return display(self.old)

    @property
    def new_text(self) -> str:
        return display(self.new)


def config_changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every variable whose value or effective date differs, in schema order, then clause-map rows."""
    changes: list[Change] = []
    old_dates = old.get(schema.EFFECTIVE_DATES_KEY) or {}
    new_dates = new.get(schema.EFFECTIVE_DATES_KEY) or {}
    for var in schema.VARIABLES:
        before, after = old.get(var.name), new.get(var.name)
        if _same(before, after) and old_dates.get(var.name) == new_dates.get(var.name):
            continue
        if old_dates.get(var.name) or new_dates.get(var.name):
            before = _dated(before, old_dates.get(var.name))
            after = _dated(after, new_dates.get(var.name))
        changes.append(Change(var.path, var.name, before, after))
    old_clauses = old.get(schema.CLAUSES_KEY) or {}
    new_clauses = new.get(schema.CLAUSES_KEY) or {}
    for row in sorted(set(old_clauses) | set(new_clauses), key=lambda r: schema.row_sort_key(str(r))):
        if old_clauses.get(row) != new_clauses.get(row):
            changes.append(Change(f"{schema.CLAUSES_KEY}.{row}", "", old_clauses.get(row), new_clauses.get(row)))
    return changes


def display(value: Any) -> str:
    """A value in a few plain words, for previews and diffs."""
    if value is None:
        return "(not stated)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        if not value:
            return "(none)"
        return "; ".join(display(v) for v in value)
    if isinstance(value, dict):
        if "name" in value:  # a contact
            extra = ", ".join(str(value[k]) for k in ("role", "email", "phone", "url") if value.get(k))
            return f"{value['name']} ({extra})" if extra else str(value["name"])
        return ", ".join(f"{k}: {display(v)}" for k, v in value.items())
    return str(value)


def _same(a: Any, b: Any) -> bool:
    # Stored configs come back from JSON, so a missing key and an explicit None mean the same.
    return a == b


def _dated(value: Any, when: str | None) -> Any:
    return {"value": value, "effective_from": when} if when else value
