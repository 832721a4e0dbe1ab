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
    "person[]",
    "body[]",
)

# Issue #21 point 3: the people a policy names, by role, as many as it names (a federation names one
# per school), and the bodies that adopt and review it.
KEY_ROLES: tuple[str, ...] = (
    "dsl",
    "deputy_dsl",
    "online_safety_lead",
    "data_protection_officer",
    "data_protection_lead",
    "pshe_rshe_lead",
    "computing_lead",
    "network_manager",
    "it_provider",
    "link_governor",
    "chair_of_governors",
    "trust_safeguarding_lead",
    "headteacher",
    "executive_headteacher",
    "head_of_school",
    "senco",
)
KEY_ROLE_LABELS: dict[str, str] = {
    "dsl": "Designated safeguarding lead (DSL)",
    "deputy_dsl": "Deputy DSL",
    "online_safety_lead": "Online safety lead",
    "data_protection_officer": "Data protection officer (DPO)",
    "data_protection_lead": "Data protection lead",
    "pshe_rshe_lead": "PSHE/RSHE lead",
    "computing_lead": "Computing lead",
    "network_manager": "Network manager",
    "it_provider": "IT support provider",
    "link_governor": "Link governor for safeguarding and online safety",
    "chair_of_governors": "Chair of governors",
    "trust_safeguarding_lead": "Trust safeguarding lead",
    "headteacher": "Headteacher",
    "executive_headteacher": "Executive headteacher",
    "head_of_school": "Head of school",
    "senco": "Special educational needs coordinator (SENCO)",
}
PERSON_FIELDS: tuple[str, ...] = ("role", "name", "contact", "notes", "school")
BODY_KINDS: tuple[str, ...] = (
    "governing_board",
    "committee",
    "local_governing_body",
    "trust_board",
    "proprietor",
    "management_committee",
)
BODY_FIELDS: tuple[str, ...] = ("kind", "name", "adopts", "reviews")

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
            elif base in ("person", "body"):
                problems.extend(_check_record(base, item, item_path))
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


def _check_record(base: str, item: Any, path: str) -> list[tuple[str, str]]:
    """A key person (role, name, contact, notes, school) or a governance body (kind, name, adopts, reviews)."""
    fields, key, allowed = (PERSON_FIELDS, "role", KEY_ROLES) if base == "person" else (BODY_FIELDS, "kind", BODY_KINDS)
    if not isinstance(item, dict):
        return [(path, f"expected a mapping with {', '.join(fields)}; got {show(item)}")]
    problems: list[tuple[str, str]] = []
    for field_name in item:
        if field_name not in fields:
            problems.append((f"{path}.{field_name}", f"unknown field{suggest(str(field_name), fields)}"))
    word = item.get(key)
    if word not in allowed:
        hint = suggest(str(word), allowed) if isinstance(word, str) else ""
        problems.append((f"{path}.{key}", f"expected one of {', '.join(allowed)}; got {show(word)}{hint}"))
    for field_name in ("name", "contact", "notes", "school"):
        value = item.get(field_name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            problems.append((f"{path}.{field_name}", f"expected text (quote phone numbers); got {show(value)}"))
    for flag in ("adopts", "reviews"):
        if flag in item and not isinstance(item[flag], bool):
            problems.append((f"{path}.{flag}", f"expected true or false; got {show(item[flag])}"))
    return problems
