"""The policy configuration schema (GOV-24): every school-specific choice, its place in the YAML file,
its type, allowed values, help text, default and whether publication needs it (GOV-19).

Pure Python. The variables themselves live in the ``schema_vars_*`` modules, one per group of sections;
this module assembles them and answers lookups.

Shapes
------
* Flat configuration (what Python code passes around and the database stores)::

      {"school_name": "...", "learner_phone_rule": "hand_in_at_office", ...,
       "clauses": {"DEV-LRN-02": ["9.3 p2"], ...},
       "effective_dates": {"learner_phone_rule": "2025-09-01"}}     # only when some value has one

* YAML file: the same variables nested by section (``devices.learners.phone_rule``), then ``clauses``.

Effective dates (GOV-24)
------------------------
The whole configuration takes effect on the top-level ``effective_from`` date. A single value may take
effect later: write it as ``{value: X, effective_from: 2025-09-01}`` instead of ``X``. In the flat form
the value stays under its own name (so every reader sees a plain value) and the date goes into
``effective_dates[name]``.
"""

from __future__ import annotations

from typing import Any

from harbour.policy.rules.schema_types import ROLE_VALUES, ROW_ID_RE, TYPES, Variable
from harbour.policy.rules.schema_vars_conduct import ACCESS, REMOTE_LEARNING, REPORTING
from harbour.policy.rules.schema_vars_devices import DEVICES
from harbour.policy.rules.schema_vars_guidance import GUIDANCE, STATUTORY_GUIDANCE_BY_NATION
from harbour.policy.rules.schema_vars_identity import IDENTITY, PEOPLE, VERSION
from harbour.policy.rules.schema_vars_practice import SOCIAL_MEDIA, TECHNOLOGY

__all__ = [
    "BY_NAME",
    "BY_PATH",
    "CLAUSES_KEY",
    "EFFECTIVE_DATES_KEY",
    "FORMAT_KEY",
    "FORMAT_VERSION",
    "RESERVED_KEYS",
    "ROLE_VALUES",
    "ROW_ID_RE",
    "SECTIONS",
    "STATUTORY_GUIDANCE_BY_NATION",
    "TYPES",
    "VARIABLES",
    "Variable",
    "blank_config",
    "row_sort_key",
    "statutory_guidance_title",
]

# The marker at the top of every file, so a later schema can tell old files apart.
FORMAT_KEY = "harbour_policy"
FORMAT_VERSION = 1
CLAUSES_KEY = "clauses"
EFFECTIVE_DATES_KEY = "effective_dates"
# Issue #21: the school's rule rows, its own headings for them, its own section text and its preset.
RULES_KEY = "rules"
RULE_SECTIONS_KEY = "rule_sections"
SECTIONS_TEXT_KEY = "sections"
PRESET_KEY = "preset"
RESERVED_KEYS = (CLAUSES_KEY, EFFECTIVE_DATES_KEY, RULES_KEY, RULE_SECTIONS_KEY, SECTIONS_TEXT_KEY, PRESET_KEY)

# Sections in file order, with the heading written above each in the YAML file.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("identity", "1. The school, the policy document and its review"),
    ("people", "2. People and roles"),
    ("guidance", "3. Guidance editions, agencies and contacts"),
    ("technology", "4. Technology, providers, systems and AI tools"),
    ("social_media", "5. Social media"),
    ("devices", "6. Devices and mobile phones"),
    ("reporting", "7. Reporting, incidents and staff conduct"),
    ("access", "8. Access, acceptable use, training and engagement"),
    ("remote_learning", "9. Remote learning"),
)

VARIABLES: tuple[Variable, ...] = tuple(
    VERSION + IDENTITY + PEOPLE + GUIDANCE + TECHNOLOGY + SOCIAL_MEDIA + DEVICES + REPORTING + ACCESS + REMOTE_LEARNING
)
BY_NAME: dict[str, Variable] = {v.name: v for v in VARIABLES}
BY_PATH: dict[str, Variable] = {v.path: v for v in VARIABLES}

# Catalogue order of requirement-ID prefixes (REQUIREMENTS.md), so clause maps are written in the order
# a reader of the catalogue expects; unknown prefixes follow alphabetically.
ROW_PREFIX_ORDER: tuple[str, ...] = (
    "GOV",
    "ROL",
    "REP",
    "INC-YPSI",
    "INC-CSAE",
    "INC-IIOC",
    "INC-CYB",
    "INC-HATE",
    "INC-RAD",
    "INC-FILT",
    "INC-STAFF",
    "FLT",
    "DEV-GEN",
    "DEV-STF",
    "DEV-LRN",
    "DEV-VIS",
    "DEV-OFF",
    "DEV-CNF",
    "DEV-SRC",
    "DEV-EXM",
    "SOC-GEN",
    "SOC-STF",
    "SOC-LRN",
    "SOC-OFF",
    "ACC",
    "DPS",
    "WEB",
    "IMG",
    "EML",
    "VC",
    "LP",
    "APP",
    "TOOL",
    "EDU-LRN",
    "EDU-STF",
    "EDU-PAR",
    "RML",
)


def row_sort_key(row_id: str) -> tuple[int, str, int]:
    """Sort key putting requirement IDs in catalogue order (GOV-01 … RML-09)."""
    prefix, _, number = row_id.rpartition("-")
    rank = ROW_PREFIX_ORDER.index(prefix) if prefix in ROW_PREFIX_ORDER else len(ROW_PREFIX_ORDER)
    return (rank, prefix, int(number) if number.isdigit() else 0)


def blank_config() -> dict[str, Any]:
    """A configuration with every variable at its default and no clauses: the start for a new school."""
    config: dict[str, Any] = {v.name: _copy(v.default) for v in VARIABLES}
    config[CLAUSES_KEY] = {}
    return config


def statutory_guidance_title(config: dict[str, Any]) -> str:
    """The statutory guidance title to show: the school's own, else its nation's."""
    own = config.get("statutory_guidance_title")
    if own:
        return str(own)
    return STATUTORY_GUIDANCE_BY_NATION.get(config.get("school_nation") or "england", "")


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _check_schema() -> None:
    """Catch schema mistakes at import: duplicate names or paths, a path that is both leaf and section."""
    assert len(BY_NAME) == len(VARIABLES), "duplicate variable name"
    assert len(BY_PATH) == len(VARIABLES), "duplicate variable path"
    sections = {name for name, _ in SECTIONS}
    for var in VARIABLES:
        assert var.type in TYPES, (var.name, var.type)
        assert var.section in sections or "." not in var.path, var.path
        assert var.name not in RESERVED_KEYS
        for other in BY_PATH:
            assert not other.startswith(var.path + "."), (var.path, other)


_check_schema()
