"""The school's policy variables that the filtering app reads (policy-variables.md section 4, GOV-24).

One place turns the flat configuration from ``policy.selectors.published_config`` into typed
values with safe defaults, so a silent policy (St James names no provider) never breaks a page:
the register shows "not recorded yet" prompts instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from harbour.accounts.roles import Role
from harbour.schools.models import School

# Harbour's defaults where the policy gives no period (Joy Lane says only "regular").
DEFAULT_CHECK_DAYS = 30
DEFAULT_REVIEW_DAYS = 365
DEFAULT_FIRST_RECIPIENTS = ("dsl", "technician")

_ISO = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def duration_days(value: Any) -> int | None:
    """ "P1M" -> 30, "P2W" -> 14, "P1Y" -> 365; "regular", None or anything unreadable -> None."""
    if not isinstance(value, str):
        return None
    match = _ISO.match(value.strip().upper())
    if not match or not any(match.groups()):
        return None
    years, months, weeks, days = (int(part or 0) for part in match.groups())
    total = years * 365 + months * 30 + weeks * 7 + days
    return total or None


@dataclass(frozen=True)
class FilteringConfig:
    broadband_provider: str = ""
    filtering_provider: str = ""
    monitoring_system: str = ""
    check_frequency_days: int | None = None
    check_frequency_text: str = ""
    technical_role_name: str = ""
    technical_contacts: list[dict[str, Any]] = field(default_factory=list)
    first_recipients: tuple[str, ...] = DEFAULT_FIRST_RECIPIENTS
    first_recipients_stated: bool = False
    escalation: tuple[str, ...] = ()
    parent_notice: str = ""  # "always", "as_appropriate" or "" when the policy is silent
    recording_system: str = ""
    dsl_name: str = ""
    governor_names: tuple[str, ...] = ()

    @property
    def parents_always_told(self) -> bool:
        return self.parent_notice == "always"

    @property
    def technician_label(self) -> str:
        return self.technical_role_name or "technician"


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _roles(value: Any) -> tuple[str, ...]:
    valid = set(Role.values)
    return tuple(v for v in value if isinstance(v, str) and v in valid) if isinstance(value, list) else ()


def from_dict(data: dict[str, Any]) -> FilteringConfig:
    """Typed values from a flat configuration; unknown or malformed values fall back to defaults."""
    first = _roles(data.get("filtering_breach_first_recipients"))
    contacts = [c for c in data.get("technical_support_contacts") or [] if isinstance(c, dict) and c.get("name")]
    frequency = data.get("filtering_check_frequency")
    return FilteringConfig(
        broadband_provider=_text(data.get("broadband_provider")),
        filtering_provider=_text(data.get("filtering_provider")),
        monitoring_system=_text(data.get("monitoring_system")),
        check_frequency_days=duration_days(frequency),
        check_frequency_text=_text(frequency),
        technical_role_name=_text(data.get("technical_role_name")),
        technical_contacts=contacts,
        first_recipients=first or DEFAULT_FIRST_RECIPIENTS,
        first_recipients_stated=bool(first),
        escalation=tuple(_text(v) for v in data.get("filtering_breach_escalation") or [] if _text(v)),
        parent_notice=_text(data.get("filtering_breach_parent_notice")),
        recording_system=_text(data.get("safeguarding_recording_system")),
        dsl_name=_text(data.get("dsl_name")),
        governor_names=tuple(_text(v) for v in data.get("named_governors") or [] if _text(v)),
    )


def for_school(school: School) -> FilteringConfig:
    """The configuration in force for ``school`` (the published policy version, GOV-24)."""
    from harbour.policy.selectors import published_config

    return from_dict(published_config(school=school))
