"""The building blocks of the policy configuration schema (GOV-24): what a variable is and how a value
of each type is checked.

Pure Python: no Django, nothing from harbour outside ``harbour.policy.rules``.

A *flat* configuration is one dict ``{variable_name: value, ..., "clauses": {...}}``; the YAML file nests
the same variables by section. Values in the flat dict are JSON-friendly (dates are ISO strings), so
the dict can be stored as it is in a JSON column.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Base types of policy-variables.md ("date?" there is a date that may be empty: every variable here may
# be empty unless ``nullable`` is False, so "?" is not a type of its own).
TYPES = (
    "text",
    "text[]",
    "bool",
    "int",
    "year",
    "year-month",
    "month-or-date",
    "date",
    "duration",
    "enum",
    "role",
    "role[]",
    "contact[]",
)

# The roles a rule or route may name. The first block is the role register (harbour.accounts.roles.Role);
# the second names people outside it that the seed templates route things to. A closed list is what lets
# the rules engine route by role, never by a person's name (ROL-01).
ROLE_VALUES: tuple[str, ...] = (
    "dsl",
    "deputy_dsl",
    "headteacher",
    "slt",
    "teacher",
    "support_staff",
    "technician",
    "office",
    "governor",
    "trust_safeguarding_lead",
    "school_admin",
    # outside the register
    "online_safety_lead",
    "chair_of_governors",
    "line_manager",
    "colleague",
    "pta_chair",
    "pta_member",
    "learning_platform_site_administrator",
    "data_protection_officer",
    "senco",
    "school",
)

CONTACT_FIELDS: tuple[str, ...] = ("name", "role", "email", "phone", "url", "last_verified")

YEAR_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# ISO 8601 periods in whole years, months, weeks and days: enough for review and training cycles.
DURATION_RE = re.compile(r"^P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
# "regular" is what both seed policies say without a period (REQUIREMENTS.md G10); it is kept as a value
# so the product can flag it as still to be decided rather than invent a period.
DURATION_WORDS = ("regular",)
ROW_ID_RE = re.compile(r"^[A-Z]{2,5}(-[A-Z]{2,6})?-\d{2,3}$")


@dataclass(frozen=True)
class Variable:
    """One configuration point.

    ``name`` is the flat key; ``path`` the dotted place in the YAML file (``section.sub.key``);
    ``section`` the first part of the path. ``rows`` are the requirement rows that read it.
    ``required_for_publication`` marks the GOV-19 key details, ``label`` the words used to list them.
    ``since`` is the schema version that introduced the variable.
    """

    name: str
    path: str
    type: str
    help: str
    choices: tuple[str, ...] = ()
    nullable: bool = True
    default: Any = None
    required_for_publication: bool = False
    label: str = ""
    rows: tuple[str, ...] = ()
    since: str = "1"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def section(self) -> str:
        return self.path.split(".")[0]

    @property
    def key(self) -> str:
        return self.path.split(".")[-1]

    @property
    def is_list(self) -> bool:
        return self.type.endswith("[]")

    @property
    def allowed(self) -> tuple[str, ...]:
        """The closed set of values, for enum and role types (empty for the others)."""
        if self.type == "enum":
            return self.choices
        if self.type in ("role", "role[]"):
            return ROLE_VALUES
        return ()

    @property
    def type_label(self) -> str:
        """How the type reads in help pages and error messages."""
        if self.type == "enum":
            return "one of: " + ", ".join(self.choices)
        return self.type


def suggest(word: str, options: Iterable[str]) -> str:
    """' Did you mean "x"?' for a near miss, else an empty string."""
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f'; did you mean "{close[0]}"?' if close else ""


def show(value: Any) -> str:
    """A value as it would read in the YAML file, for error messages."""
    if isinstance(value, str):
        return f'"{value}"'
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return str(value)


def is_iso_date(text: Any) -> bool:
    if not isinstance(text, str) or not DATE_RE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def check_value(var: Variable, value: Any, path: str) -> list[tuple[str, str]]:
    """Every problem with one value, as (path, message) pairs; empty when the value is good."""
    if value is None:
        return [] if var.nullable else [(path, "a value is required here")]
    if var.is_list:
        if not isinstance(value, list):
            return [(path, f"expected a list; got {show(value)}")]
        base = var.type[:-2]
        problems: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if base == "contact":
                problems.extend(_check_contact(item, item_path))
            else:
                problems.extend(_check_scalar(base, var, item, item_path))
        return problems
    return _check_scalar(var.type, var, value, path)


def _check_scalar(base: str, var: Variable, value: Any, path: str) -> list[tuple[str, str]]:
    if value is None:
        return [(path, "an empty item is not allowed in a list")]
    if base == "text":
        if not isinstance(value, str):
            return [(path, f"expected text (quote it if it looks like a number or yes/no); got {show(value)}")]
        if not value.strip():
            return [(path, "expected text; got an empty string (leave the value empty with null instead)")]
        return []
    if base == "bool":
        return [] if isinstance(value, bool) else [(path, f"expected true or false; got {show(value)}")]
    if base == "int":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return [] if ok else [(path, f"expected a whole number of 0 or more; got {show(value)}")]
    if base == "year":
        ok = isinstance(value, int) and not isinstance(value, bool) and 1990 <= value <= 2100
        return [] if ok else [(path, f"expected a year such as 2024; got {show(value)}")]
    if base == "year-month":
        ok = isinstance(value, str) and bool(YEAR_MONTH_RE.match(value))
        return [] if ok else [(path, f"expected a year and month such as 2025-09; got {show(value)}")]
    if base == "month-or-date":
        # Policies print "June 2018" or "16 January 2024": keep the precision the school's text has (#21).
        ok = is_iso_date(value) or (isinstance(value, str) and bool(YEAR_MONTH_RE.match(value)))
        message = f"expected a date such as 2025-09-01 or a month such as 2025-09; got {show(value)}"
        return [] if ok else [(path, message)]
    if base == "date":
        return [] if is_iso_date(value) else [(path, f"expected a date such as 2025-09-01; got {show(value)}")]
    if base == "duration":
        ok = isinstance(value, str) and (value in DURATION_WORDS or bool(DURATION_RE.match(value)))
        if ok:
            return []
        return [(path, f'expected a period such as P12M (12 months), P1Y, P6W, P14D, or "regular"; got {show(value)}')]
    if base in ("enum", "role"):
        allowed = var.allowed
        if isinstance(value, str) and value in allowed:
            return []
        hint = suggest(value, allowed) if isinstance(value, str) else ""
        return [(path, f"expected one of {', '.join(allowed)}; got {show(value)}{hint}")]
    raise ValueError(f"unknown variable type {base!r}")  # a schema bug, not bad input


def _check_contact(item: Any, path: str) -> list[tuple[str, str]]:
    if not isinstance(item, dict):
        return [(path, f"expected a contact (a mapping with name, role, email, phone, url); got {show(item)}")]
    problems: list[tuple[str, str]] = []
    for key in item:
        if key not in CONTACT_FIELDS:
            problems.append((f"{path}.{key}", f"unknown contact field{suggest(key, CONTACT_FIELDS)}"))
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append((f"{path}.name", "every contact needs a name"))
    for key in ("role", "email", "phone", "url"):
        value = item.get(key, "")
        if value is not None and not isinstance(value, str):
            problems.append((f"{path}.{key}", f"expected text; got {show(value)}"))
    email = item.get("email")
    if isinstance(email, str) and email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        problems.append((f"{path}.email", f"expected an email address; got {show(email)}"))
    url = item.get("url")
    if isinstance(url, str) and url and not re.match(r"^https?://\S+$", url):
        problems.append((f"{path}.url", f"expected a web address starting http:// or https://; got {show(url)}"))
    verified = item.get("last_verified")
    if verified is not None and not is_iso_date(verified):
        problems.append((f"{path}.last_verified", f"expected a date such as 2025-09-01; got {show(verified)}"))
    return problems
