"""Checking a flat policy configuration against the schema (GOV-24) and listing missing key details
(GOV-19). Every error is reported, each at its YAML path. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from harbour.policy.rules import schema
from harbour.policy.rules.schema_types import ROW_ID_RE, check_value, is_iso_date, show, suggest


@dataclass(frozen=True, order=True)
class ConfigError:
    """One problem, at a YAML path (``devices.learners.phone_rule``, ``clauses.DEV-LRN-02[0]``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


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
    return errors


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
    for var in schema.VARIABLES:
        if not var.required_for_publication:
            continue
        value = flat.get(var.name)
        if value is None or (
            isinstance(value, (str, list))
            and not [v for v in ([value] if isinstance(value, str) else value) if str(v).strip()]
        ):
            missing.append(var.label or var.name)
    return missing
