"""Template families as presets (issue #21 point 2, GOV-24).

Most English schools start from a published template (The Education People/Kent, LGfL, SWGfL…) and
then change it. A preset is a YAML file in ``harbour/policy/presets/`` with the same shape as a school's
configuration, holding the template family's defaults for every setting, rule row, section heading and
clause number. A school's file names its preset (``preset: lgfl-2024``) and writes only what differs;
:func:`merge` lays the school's file over the preset before it is read.

Merging, in plain words:

* settings: the school's value wins, ``null`` included (``null`` = "our policy does not say");
  a section left empty keeps the preset's settings;
* ``clauses`` and ``rules``: merged row by row; a row set to ``null`` (rules) or ``[]`` (clauses)
  removes the preset's row;
* ``rule_sections`` and ``sections``: merged key by key.

Pure module: reads files next to the package, no Django.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

PRESET_KEY = "preset"
PRESET_DIR = Path(__file__).resolve().parents[1] / "presets"
ROW_MERGED_KEYS = ("clauses", "rules", "rule_sections", "sections")


def names() -> list[str]:
    """The presets Harbour ships, by file name."""
    return sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))


@functools.cache
def _raw(name: str) -> dict[str, Any]:
    data = yaml.safe_load((PRESET_DIR / f"{name}.yaml").read_text(encoding="utf-8")) or {}
    data.pop(PRESET_KEY, None)
    return data


def raw(name: str) -> dict[str, Any]:
    """A preset's nested data (a deep copy; callers may change it). KeyError for an unknown name."""
    if name not in names():
        raise KeyError(name)
    return _deep_copy(_raw(name))


def merge(preset: dict[str, Any], school: dict[str, Any]) -> dict[str, Any]:
    """The school's nested data laid over the preset's (see the module docstring)."""
    out = _deep_copy(preset)
    for key, value in school.items():
        if key in ROW_MERGED_KEYS and isinstance(value, dict) and isinstance(out.get(key), dict):
            merged = dict(out[key])
            merged.update(value)
            out[key] = {k: v for k, v in merged.items() if not (key == "rules" and v is None)}
        elif isinstance(value, dict) and isinstance(out.get(key), dict) and key not in ROW_MERGED_KEYS:
            if "value" in value and "effective_from" in value:  # a dated leaf replaces, never merges
                out[key] = value
            else:
                out[key] = merge(out[key], value)
        elif value is None and isinstance(out.get(key), dict):
            continue  # an empty section keeps the preset's settings
        else:
            out[key] = value
    return out


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


def flat_of(name: str) -> dict[str, Any]:
    """A preset read as a school configuration (the flat form), without naming itself as a preset."""
    from harbour.policy.rules.config_io import load_yaml
    from harbour.policy.rules.schema import PRESET_KEY as KEY

    config, errors = load_yaml(yaml.safe_dump({"harbour_policy": 1, KEY: name}))
    # A preset leaves the school's own details (its name above all) for the school to fill in.
    errors = [e for e in errors if e.message != "a value is required here"]
    if errors:
        raise ValueError(f"preset {name} is not valid: {errors[:3]}")
    config.pop(KEY, None)
    return config
