"""Glue between the versions code and the pure rules package: validation, key details, dates.

The CONFIG helper's ``harbour.policy.rules.config_io`` and ``schema`` are used when present; until
then (or if they fail to import) plain fallbacks keep versions working, so the two can land in
either order.
"""

from __future__ import annotations

import calendar
import importlib
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

# GOV-19: what must be filled in before a version may be published, with the label users see.
KEY_DETAILS: tuple[tuple[str, str], ...] = (
    ("school_name", "School name"),
    ("dsl_name", "Designated safeguarding lead"),
    ("named_governors", "Named governor"),
    ("date_agreed", "Approval date"),
    ("next_review_date", "Next review date"),
)

_DURATION = re.compile(r"^P(?:(?P<y>\d+)Y)?(?:(?P<m>\d+)M)?(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?$")


def _module(name: str) -> Any | None:
    try:
        return importlib.import_module(f"harbour.policy.rules.{name}")
    except ImportError:
        return None


def plain(config: dict[str, Any]) -> dict[str, Any]:
    """The config as JSON gives it back (tuples to lists, dates to strings), so stored and fresh compare equal."""
    return json.loads(json.dumps(config, default=str, sort_keys=True))


def validate(config: dict[str, Any]) -> list[str]:
    """Every problem with the config as ``path: message`` lines; empty when it is valid."""
    config_io = _module("config_io")
    if config_io is None or not hasattr(config_io, "validate"):
        return [] if isinstance(config, dict) else ["configuration: expected a mapping of variables"]
    errors = config_io.validate(config)
    return [f"{getattr(e, 'path', '')}: {getattr(e, 'message', e)}" if hasattr(e, "path") else str(e) for e in errors]


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | tuple | dict) and len(value) == 0)


def missing_key_details(config: dict[str, Any]) -> list[str]:
    """GOV-19: the human labels of the key details still missing from ``config``."""
    config_io = _module("config_io")
    if config_io is not None and hasattr(config_io, "missing_key_details"):
        return list(config_io.missing_key_details(config))
    return [label for name, label in KEY_DETAILS if _blank(config.get(name))]


@dataclass(frozen=True)
class VariableInfo:
    """How the diff page shows one variable: its YAML path, a short label, help and its section."""

    name: str
    path: str
    label: str
    help: str
    order: int


def variable_info() -> dict[str, VariableInfo]:
    """Variable name → display details, in schema order; empty when the schema is not there."""
    schema = _module("schema")
    variables = getattr(schema, "VARIABLES", ()) if schema is not None else ()
    info: dict[str, VariableInfo] = {}
    for order, var in enumerate(variables):
        name = getattr(var, "name", "")
        path = str(getattr(var, "path", "") or name)
        help_text = str(getattr(var, "help", "") or "")
        # Only the GOV-19 key details carry a label; the first sentence of the help says what the rest are.
        first = help_text.split(". ")[0].rstrip(".")
        label = getattr(var, "label", "") or (first if 0 < len(first) <= 90 else path.replace(".", " › "))
        info[name] = VariableInfo(name, path, label, help_text, order)
    return info


def parse_month_or_date(value: Any, *, end_of_month: bool = False) -> date | None:
    """``"2021-09"`` or ``"2021-09-15"`` (or a date) as a date; a bare month is its first or last day."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = int(text[:4]), int(text[5:])
            day = calendar.monthrange(year, month)[1] if end_of_month else 1
            return date(year, month, day)
    except ValueError:
        return None
    return None


def add_duration(start: date, duration: Any, *, default: str = "P12M") -> date:
    """``start`` plus an ISO 8601 duration (``P12M``, ``P1Y``, ``P6W``); "regular" or junk uses ``default``."""
    match = _DURATION.match(duration) if isinstance(duration, str) else None
    if match is None or not any(match.groupdict().values()):
        match = _DURATION.match(default)
    assert match is not None
    parts = {k: int(v or 0) for k, v in match.groupdict().items()}
    months = start.month - 1 + parts["m"] + 12 * parts["y"]
    year, month = start.year + months // 12, months % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(days=7 * parts["w"] + parts["d"])
