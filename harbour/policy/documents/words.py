"""Turning configuration values into words: names of roles, lists, dates and "not yet set" markers.

Pure Python. Every name a document prints comes from the school's configuration through here, so
no school's value is written into a builder (GOV-24).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

MISSING_PREFIX = "[not yet set: "
MISSING_RE = re.compile(r"\[not yet set: [^\]]*\]")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def missing(label: str) -> str:
    """The marker printed where a value the text needs is not configured. Renderers highlight it."""
    return f"{MISSING_PREFIX}{label}]"


def join(items: Iterable[str], conj: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    items = [str(i).strip() for i in items if i and str(i).strip()]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


def the(name: Any) -> str:
    """ "KCC Education Safeguarding Team" -> "the KCC Education Safeguarding Team"; names that already
    start with an article are left alone."""
    text = str(name).strip()
    if text.lower().startswith(("the ", "a ", "an ")):
        return text
    return f"the {text}"


def without_brackets(text: Any) -> str:
    """ "County Police (101; 999 in an emergency)" -> "County Police"."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", str(text)).strip()


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def month(value: Any) -> str:
    """ "2020-09" or a date -> "September 2020"; anything else is shown as given."""
    if isinstance(value, date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value.strip())
        if match:
            year, mon, day = match.groups()
            if 1 <= int(mon) <= 12:
                prefix = f"{int(day)} " if day else ""
                return f"{prefix}{MONTHS[int(mon) - 1]} {year}"
        return value
    return str(value)


def months_in(duration: Any) -> int | None:
    """ "P12M" -> 12, "P1Y" -> 12; None for "regular" or anything not a fixed period."""
    if not isinstance(duration, str):
        return None
    match = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?", duration.strip())
    if not match or not any(match.groups()):
        return None
    return int(match.group(1) or 0) * 12 + int(match.group(2) or 0)


def add_months(value: Any, n: int) -> str | None:
    """ "2018-06" + 12 -> "2019-06"."""
    if not isinstance(value, str):
        return None
    match = re.match(r"(\d{4})-(\d{2})", value.strip())
    if not match:
        return None
    total = int(match.group(1)) * 12 + int(match.group(2)) - 1 + n
    return f"{total // 12:04d}-{total % 12 + 1:02d}"


def frequency(duration: Any, default: str = "regularly") -> str:
    """ "P12M" -> "at least once a year"; "regular" -> "regularly"."""
    n = months_in(duration)
    if n is None:
        return default
    if n == 12:
        return "at least once a year"
    if n == 1:
        return "at least once a month"
    if n and 12 % n == 0:
        return f"at least {12 // n} times a year"
    return f"at least every {n} months"


class Config:
    """Read access to a flat policy configuration with the school's own names for roles."""

    def __init__(self, data: dict[str, Any], *, school_name: str | None = None) -> None:
        self.data = data or {}
        self.fallback_school_name = school_name

    # ------------------------------------------------------------------ raw values
    def get(self, name: str, default: Any = None) -> Any:
        value = self.data.get(name)
        return default if value is None else value

    def has(self, name: str) -> bool:
        """Set and not empty: the school's policy says something about it."""
        value = self.data.get(name)
        return value not in (None, "", [], {})

    def text(self, name: str, label: str) -> str:
        value = self.data.get(name)
        if value in (None, "", []):
            return missing(label)
        if isinstance(value, list):
            return join(str(v) for v in value)
        return str(value)

    def items(self, name: str) -> list[str]:
        value = self.data.get(name)
        if not value:
            return []
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value if v not in (None, "")]

    def items_raw(self, name: str) -> list:
        """A list variable as stored (e.g. ``contact[]`` dicts), never None."""
        value = self.data.get(name)
        return list(value) if isinstance(value, list) else []

    def flag(self, name: str) -> bool | None:
        value = self.data.get(name)
        return None if value is None else bool(value)

    def is_(self, name: str, value: str) -> bool:
        return self.data.get(name) == value

    # ------------------------------------------------------------------ identity
    @property
    def school(self) -> str:
        return self.get("school_name") or self.fallback_school_name or missing("school name")

    @property
    def title(self) -> str:
        return self.get("policy_title") or "Online Safety Policy"

    @property
    def whole_school(self) -> bool:
        return self.get("policy_scope") != "topic_mobile_and_social_media"

    @property
    def head(self) -> str:
        """What the school calls its head, e.g. "Headteacher" or "Executive Headteacher"."""
        title = self.get("head_role_title") or "Headteacher"
        return {"headteacher": "Headteacher", "executive_headteacher": "Executive Headteacher"}.get(title, title)

    @property
    def governing_body(self) -> str:
        """What the school calls its governing body, e.g. "governing body" or "local governing board"."""
        return self.get("governing_body_name") or "governing body"

    @property
    def leadership(self) -> str:
        names = self.items("leadership_body_names")
        return names[0] if names else "leadership team"

    @property
    def senior_leadership(self) -> str:
        names = self.items("leadership_body_names")
        for name in names:
            if "senior" in name.lower():
                return name
        return names[0] if names else "senior leadership team"

    @property
    def technical(self) -> str:
        return self.get("technical_role_name") or "technical staff"

    @property
    def dsl_name(self) -> str:
        return self.text("dsl_name", "DSL's name")

    @property
    def deputies(self) -> list[str]:
        return self.items("deputy_dsl_names")

    @property
    def governors(self) -> list[str]:
        return self.items("named_governors")

    # ------------------------------------------------------------------ roles in sentences
    def role(self, key: str, *, named: bool = False) -> str:
        """A role key of the configuration as words: "dsl" -> "the DSL", "headteacher" -> "the
        Executive Headteacher". ``named`` adds the person's name where the configuration has one."""
        key = str(key)
        if key == "dsl":
            name = self.get("dsl_name")
            return f"the DSL ({name})" if named and name else "the DSL"
        if key == "deputy_dsl":
            deputies = self.deputies
            if named and deputies:
                return f"a deputy DSL ({join(deputies, 'or')})"
            return "a deputy DSL"
        if key == "headteacher":
            return f"the {self.head}"
        if key == "slt":
            return f"the {self.senior_leadership}"
        if key == "technician":
            return f"the {self.technical}" if self.has("technical_role_name") else "the technical staff"
        if key == "governor":
            return "the named governor" if len(self.governors) <= 1 else "the named governors"
        if key == "pta_chair":
            return "the Chair of the PTA"
        if key == "pta_member":
            return "another PTA member"
        if key == "line_manager":
            return "their line manager"
        if key == "colleague":
            return "another colleague"
        if key == "school":
            return "the school"
        if key == "learning_platform_site_administrator":
            return "the learning platform's site administrator"
        # A free-text entry (e.g. "leadership team", "County Police") is used as written.
        words = key.replace("_", " ")
        if words and words[0].islower() and not words.lower().startswith(("the ", "a ", "an ")):
            return f"the {words}"
        return words

    def roles(self, name: str, conj: str = "or", *, named: bool = False, label: str = "") -> str:
        """A role[] variable as words; the "not yet set" marker when it is empty."""
        value = self.data.get(name)
        if isinstance(value, str):
            value = [value]
        if not value:
            return missing(label or name.replace("_", " "))
        return join([self.role(v, named=named) for v in value], conj)

    def role_of(self, name: str, label: str = "", *, named: bool = False) -> str:
        value = self.data.get(name)
        if not value:
            return missing(label or name.replace("_", " "))
        return self.role(value, named=named)
