"""The in-browser settings editor's forms, generated from the schema (GOV-24, GOV-19).

One form per schema section. Each variable becomes a field whose widget follows its type; every
field is a plain text/choice input, and ``SectionForm.values()`` turns what was typed into the flat
configuration's values *without judging them*: the schema's ``validate()`` is the one judge, so the
editor and the YAML import give the same messages for the same mistake.

Empty and "not stated" mean ``None`` (the policy is silent). A list written as the single line
``(none)`` is an empty list: the policy says there are none.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django import forms

from harbour.core.widgets import IsoDateInput
from harbour.policy import config_support
from harbour.policy.rules import schema
from harbour.policy.rules.schema_types import CONTACT_FIELDS, ROLE_VALUES

NONE_LINE = "(none)"  # how an empty list ("the policy names none") is written in a list box
NOT_STATED = ("", "Not stated (the policy does not say)")
# A contact is one line of these parts; a literal "|" inside a part is written "\|".
CONTACT_PARTS = CONTACT_FIELDS  # name, role, email, phone, url, last_verified
_PIPE = re.compile(r"(?<!\\)\|")
_WHOLE = re.compile(r"^-?\d+$")
LONG_TEXT = 70  # text longer than this is edited in a small box rather than one line

TYPE_HINTS: dict[str, str] = {
    "text[]": f"One item per line. Leave empty if the policy does not say; write {NONE_LINE} if it names none.",
    "role[]": f"One role per line, from the list below. Leave empty if the policy does not say; write {NONE_LINE} "
    "if it names none.",
    "contact[]": "One contact per line: name | role | email | phone | web address | last checked (YYYY-MM-DD). "
    f"Leave parts empty but keep the bars, e.g. “KSCB | | | | https://example.org”. Write {NONE_LINE} if "
    "there are none; a bar inside a part is written \\|.",
    "duration": "A period such as P12M (12 months), P1Y (a year), P6W (six weeks) or P14D (14 days); "
    "“regular” records that the policy gives no period. Leave empty if the policy does not say.",
    "year-month": "Year and month, such as 2025-09.",
    "date": "A date, such as 2025-09-01.",
    "year": "A year, such as 2024.",
    "int": "A whole number.",
}


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    variables: tuple[schema.Variable, ...]


def _sections() -> tuple[Section, ...]:
    keys = [key for key, _ in schema.SECTIONS]
    # Top-level variables (effective_from) are not in any section: they open the first one.
    # Lists of records (key people, bodies; issue #21) are edited in the YAML file, not in this form.
    editable = tuple(v for v in schema.VARIABLES if not v.extra.get("yaml_only"))
    loose = tuple(v for v in editable if v.section not in keys)
    return tuple(
        Section(key, title, (loose if index == 0 else ()) + tuple(v for v in editable if v.section == key))
        for index, (key, title) in enumerate(schema.SECTIONS)
    )


SECTIONS: tuple[Section, ...] = _sections()
SECTIONS_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}


def is_set(value: Any) -> bool:
    """Whether the policy states something for this value (an empty list counts: it says 'none')."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    return True


def label_for(var: schema.Variable) -> str:
    """The schema's label, else the first sentence of its help, else its key in plain words (the
    field sits under a heading naming the rest of its path)."""
    info = config_support.variable_info().get(var.name)
    if info is not None and info.label != info.path.replace(".", " › "):
        return info.label
    return var.key.replace("_", " ").capitalize()


def subgroup(var: schema.Variable) -> str:
    """The part of the path between the section and the key (``devices.learners.x`` -> ``learners``)."""
    parts = var.path.split(".")
    return " ".join(parts[1:-1]).replace("_", " ") if len(parts) > 2 else ""


# --- value <-> text ------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


def _escape(part: Any) -> str:
    return "" if part is None else str(part).replace("|", "\\|")


def contact_line(contact: Any) -> str:
    if not isinstance(contact, dict):
        return str(contact)
    parts = [_escape(contact.get(key)) for key in CONTACT_PARTS]
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()  # trailing empty parts are optional
    return " | ".join(parts)


def parse_contact(line: str) -> dict[str, Any] | str:
    """One contact line as the flat form's mapping; a line with too many parts is kept as text so that
    ``validate()`` reports it as not a contact."""
    parts = [p.strip().replace("\\|", "|") for p in _PIPE.split(line)]
    if len(parts) > len(CONTACT_PARTS):
        return line
    contact: dict[str, Any] = dict.fromkeys(CONTACT_PARTS, "")
    contact.update(zip(CONTACT_PARTS, parts, strict=False))
    contact["last_verified"] = contact["last_verified"] or None
    return contact


def to_text(var: schema.Variable, value: Any) -> Any:
    """A stored value as the field shows it."""
    if value is None:
        return ""
    if var.is_list:
        if not isinstance(value, list):
            return str(value)
        if not value:
            return NONE_LINE
        items = [contact_line(c) for c in value] if var.type == "contact[]" else [str(v) for v in value]
        return "\n".join(items)
    if var.type == "bool":
        return "yes" if value is True else "no" if value is False else ""
    return str(value)


def from_text(var: schema.Variable, raw: Any) -> Any:
    """What was typed, as a flat-config value. Never raises: bad input goes on to ``validate()``."""
    text = "" if raw is None else str(raw)
    if var.is_list:
        lines = _lines(text)
        if not lines:
            return None
        if lines == [NONE_LINE]:
            return []
        return [parse_contact(line) for line in lines] if var.type == "contact[]" else lines
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return None
    if var.type == "bool":
        return {"yes": True, "no": False}.get(text, text)
    if var.type in ("int", "year") and _WHOLE.match(text):
        return int(text)
    return text


# --- the form ------------------------------------------------------------------------------------


def _choice_label(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _field(var: schema.Variable, current: Any) -> forms.Field:
    hint = TYPE_HINTS.get(var.type, "")
    if var.type in ("role", "role[]"):
        hint = (hint + " " if hint else "") + "Roles: " + ", ".join(ROLE_VALUES) + "."
    help_text = f"{var.help} {hint}".strip() if var.help != label_for(var) + "." else hint
    kwargs: dict[str, Any] = {"label": label_for(var), "required": False, "help_text": help_text}
    if var.type == "bool":
        choices = [NOT_STATED, ("yes", "Yes"), ("no", "No")]
        return forms.CharField(widget=forms.Select(choices=choices), **kwargs)
    if var.type in ("enum", "role"):
        choices = ([NOT_STATED] if var.nullable else []) + [(c, f"{_choice_label(c)} ({c})") for c in var.allowed]
        return forms.CharField(widget=forms.Select(choices=choices), **kwargs)
    if var.is_list:
        rows = min(12, max(3, len(current) + 1 if isinstance(current, list) else 3))
        return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), strip=False, **kwargs)
    attrs: dict[str, Any] = {}
    widget: forms.Widget
    if var.type == "date":
        widget = IsoDateInput()
    elif var.type == "year-month":
        widget = forms.TextInput(attrs={"type": "month", "placeholder": "2025-09"})
    elif var.type in ("year", "int"):
        attrs = {"inputmode": "numeric", "placeholder": "2024" if var.type == "year" else "0"}
        widget = forms.TextInput(attrs=attrs)
    elif var.type == "duration":
        widget = forms.TextInput(attrs={"placeholder": "P12M"})
    elif isinstance(current, str) and (len(current) > LONG_TEXT or "\n" in current):
        widget = forms.Textarea(attrs={"rows": 3})
    else:
        widget = forms.TextInput(attrs={"size": 60})
    return forms.CharField(widget=widget, **kwargs)


class SectionForm(forms.Form):
    """Every variable of one schema section, starting from the working configuration."""

    def __init__(self, *args: Any, section: Section, config: dict[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {v.name: to_text(v, config.get(v.name)) for v in section.variables})
        super().__init__(*args, **kwargs)
        self.section = section
        for var in section.variables:
            self.fields[var.name] = _field(var, config.get(var.name))

    def values(self) -> dict[str, Any]:
        """The section's values as typed (call after ``is_valid()``)."""
        return {v.name: from_text(v, self.cleaned_data.get(v.name)) for v in self.section.variables}

    def add_config_errors(self, errors: list[Any]) -> list[dict[str, str]]:
        """Put each schema error on the field of its variable. Returns every error for the list at the
        top of the page, with the field it belongs to ('' when no field of this section owns it)."""
        by_path = {v.path: v.name for v in self.section.variables}
        rows: list[dict[str, str]] = []
        for error in errors:
            name = _owner(error.path, by_path) or ""
            if name:
                where = error.path[len(schema.BY_NAME[name].path) :]
                self.add_error(name, f"{_where(where)}{error.message}")
            rows.append({"path": error.path, "message": error.message, "name": name})
        return rows


def _owner(path: str, by_path: dict[str, str]) -> str | None:
    for var_path, name in by_path.items():
        if path == var_path or path.startswith((var_path + "[", var_path + ".")):
            return name
    return None


def _where(rest: str) -> str:
    """``[2].email`` -> 'line 3, email: ' (lists are edited one item per line)."""
    match = re.match(r"^\[(\d+)\](?:\.(\w+))?", rest)
    if match is None:
        return ""
    line = f"line {int(match.group(1)) + 1}"
    return f"{line}, {match.group(2)}: " if match.group(2) else f"{line}: "


class EditConfirmForm(forms.Form):
    """Step 2: save the previewed changes. Only the changed values travel; they are applied again to
    the configuration as it is when confirmed, and checked again."""

    section = forms.CharField(widget=forms.HiddenInput, max_length=64)
    changes = forms.CharField(widget=forms.HiddenInput, max_length=2_000_000, strip=False)
    base = forms.CharField(widget=forms.HiddenInput, max_length=64)
    note = forms.CharField(
        label="What changed and why",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Kept with the draft, for example 'New DSL from September'.",
    )

    def clean_section(self) -> str:
        key = self.cleaned_data["section"]
        if key not in SECTIONS_BY_KEY:
            raise forms.ValidationError("Unknown section.")
        return key

    def clean_changes(self) -> dict[str, Any]:
        try:
            data = json.loads(self.cleaned_data["changes"])
        except ValueError as exc:
            raise forms.ValidationError("The preview was damaged.") from exc
        if not isinstance(data, dict) or not data or any(k not in schema.BY_NAME for k in data):
            raise forms.ValidationError("The preview was damaged.")
        return data
