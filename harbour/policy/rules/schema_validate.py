"""Checking a flat policy configuration against the schema (GOV-24) and listing missing key details
(GOV-19). Every error is reported, each at its YAML path. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harbour.policy.rules import document_text, rule_rows, schema
from harbour.policy.rules.requirement_ids import REQUIREMENT_IDS
from harbour.policy.rules.schema_types import ROW_ID_RE, YEAR_MONTH_RE, check_value, is_iso_date, show, suggest
from harbour.policy.rules.vocabulary import SECTIONS as VOCAB_SECTIONS


@dataclass(frozen=True, order=True)
class ConfigError:
    """One problem, at a YAML path (``devices.learners.phone_rule``, ``clauses.DEV-LRN-02[0]``)."""

    path: str
    message: str
    # Where the problem is in the file and what to do about it (issue #21 point 6); not part of equality
    # so a test can name an error by its path and message alone.
    line: int | None = field(default=None, compare=False)
    hint: str = field(default="", compare=False)

    def __str__(self) -> str:
        text = f"{self.path}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def describe(self) -> str:
        """The error as a person reads it: line, YAML path, what is wrong, how to fix it."""
        where = f"line {self.line}: " if self.line and not self.path.startswith("line ") else ""
        return where + str(self)


# --- validating ---------------------------------------------------------------------------------------


def validate(flat: dict[str, Any]) -> list[ConfigError]:
    """Every problem with a flat configuration, each at its YAML path (GOV-24)."""
    errors: list[ConfigError] = []
    if not isinstance(flat, dict):
        return [ConfigError("file", f"expected a configuration mapping; got {show(flat)}")]
    names = list(schema.BY_NAME)
    for key in flat:
        if key in schema.RESERVED_KEYS or key in schema.BY_NAME:
            continue
        errors.append(ConfigError(str(key), f"unknown setting{suggest(str(key), names)}"))
    for var in schema.VARIABLES:
        if var.name in flat:
            errors.extend(ConfigError(p, m) for p, m in check_value(var, flat[var.name], var.path))
    errors.extend(_check_clauses(flat.get(schema.CLAUSES_KEY, {})))
    errors.extend(_check_effective_dates(flat.get(schema.EFFECTIVE_DATES_KEY, {})))
    errors.extend(ConfigError(p, m) for p, m in rule_rows.check_rules(flat.get(rule_rows.RULES_KEY)))
    errors.extend(_check_text_map(flat.get(rule_rows.RULE_SECTIONS_KEY), rule_rows.RULE_SECTIONS_KEY, VOCAB_SECTIONS))
    errors.extend(document_text.check_sections(flat.get(document_text.SECTIONS_KEY)))
    return errors


def _check_text_map(value: Any, key: str, allowed: dict[str, str]) -> list[ConfigError]:
    """``rule_sections``: the school's own heading for each part of the question vocabulary."""
    if value is None:
        return []
    if not isinstance(value, dict):
        return [ConfigError(key, f"expected a mapping such as '4.1: Mobile phones'; got {show(value)}")]
    errors = []
    for part, heading in value.items():
        if not isinstance(part, str):
            errors.append(
                ConfigError(
                    f"{key}.{part}",
                    "a part number must be quoted",
                    hint=f'write "{part}": so YAML does not read it as a number ("4.10" would become 4.1)',
                )
            )
        elif part not in allowed:
            errors.append(
                ConfigError(
                    f"{key}.{part}",
                    f"unknown part{suggest(str(part), allowed)}; parts: {', '.join(allowed)}",
                )
            )
        elif not isinstance(heading, str) or not heading.strip():
            errors.append(ConfigError(f"{key}.{part}", f"expected the heading as text; got {show(heading)}"))
    return errors


# Dates that must come in this order when both are given (issue #21 point 6: cross-field checks).
_DATE_ORDER = (
    ("date_written", "date_agreed", "the date agreed is before the date written"),
    ("date_agreed", "next_review_date", "the next review is before the date agreed"),
    ("date_written", "next_review_date", "the next review is before the date written"),
)


def check_dates_in_order(flat: dict[str, Any]) -> list[ConfigError]:
    """Cross-field checks for a file being read (issue #21 point 6). Not part of ``validate``: a stored
    version may hold an overdue review on purpose while its review is under way."""
    errors = []
    for first, second, message in _DATE_ORDER:
        a, b = _comparable(flat.get(first)), _comparable(flat.get(second))
        if a and b and b < a:
            var = schema.BY_NAME[second]
            errors.append(
                ConfigError(var.path, f"{message} ({flat[second]} < {flat[first]})", hint="check the year of each date")
            )
    return errors


def _comparable(value: Any) -> str | None:
    """A month or a day as text that sorts in time order ("2025-09" sorts before "2025-09-01")."""
    if isinstance(value, str) and (YEAR_MONTH_RE.match(value) or is_iso_date(value)):
        return value
    return None


def _check_clauses(clauses: Any) -> list[ConfigError]:
    key = schema.CLAUSES_KEY
    if clauses is None:
        return []
    if not isinstance(clauses, dict):
        return [ConfigError(key, f"expected a mapping of requirement IDs to clause lists; got {show(clauses)}")]
    errors: list[ConfigError] = []
    for row_id, refs in clauses.items():
        path = f"{key}.{row_id}"
        if not isinstance(row_id, str) or not ROW_ID_RE.match(row_id):
            errors.append(ConfigError(path, "expected a requirement ID such as DEV-LRN-02 or GOV-19"))
            continue
        if row_id not in REQUIREMENT_IDS:
            errors.append(
                ConfigError(
                    path,
                    f"unknown requirement ID{suggest(row_id, sorted(REQUIREMENT_IDS))}",
                    hint="the IDs are those of the requirements catalogue (REQUIREMENTS.md)",
                )
            )
            continue
        if not isinstance(refs, list):
            errors.append(ConfigError(path, f"expected a list of clause references; got {show(refs)}"))
            continue
        for index, ref in enumerate(refs):
            if not isinstance(ref, str) or not ref.strip():
                errors.append(
                    ConfigError(
                        f"{path}[{index}]", f'expected a clause reference such as "6.3.2" or "9.3 p2"; got {show(ref)}'
                    )
                )
    return errors


def _check_effective_dates(dates: Any) -> list[ConfigError]:
    if not dates:
        return []
    if not isinstance(dates, dict):
        return [
            ConfigError(schema.EFFECTIVE_DATES_KEY, f"expected a mapping of setting names to dates; got {show(dates)}")
        ]
    errors: list[ConfigError] = []
    for name, when in dates.items():
        var = schema.BY_NAME.get(name)
        if var is None:
            errors.append(ConfigError(f"{schema.EFFECTIVE_DATES_KEY}.{name}", "unknown setting"))
        elif not is_iso_date(when):
            errors.append(
                ConfigError(f"{var.path}.effective_from", f"expected a date such as 2025-09-01; got {show(when)}")
            )
    return errors


def missing_key_details(flat: dict[str, Any]) -> list[str]:
    """The key details publication needs that are empty, as labels (GOV-19)."""
    missing = []
    people = [p for p in flat.get("key_people") or [] if isinstance(p, dict) and p.get("name")]
    roles = {p.get("role") for p in people}
    bodies = [b for b in flat.get("governance_bodies") or [] if isinstance(b, dict)]
    # Issue #21: a DSL named in the key-people list counts; a setting governed only by a trust board,
    # proprietor or management committee has no governing board whose named governor could be required.
    governed_without_governors = bool(bodies) and not any(
        b.get("kind") in ("governing_board", "local_governing_body", "committee") for b in bodies
    )
    satisfied = {
        "dsl_name": "dsl" in roles,
        "named_governors": "link_governor" in roles or governed_without_governors,
    }
    for var in schema.VARIABLES:
        if not var.required_for_publication or satisfied.get(var.name):
            continue
        value = flat.get(var.name)
        if value is None or (
            isinstance(value, (str, list))
            and not [v for v in ([value] if isinstance(value, str) else value) if str(v).strip()]
        ):
            missing.append(var.label or var.name)
    return missing
