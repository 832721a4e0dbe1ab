"""Demo configurations and catalogue look-ups for the rules-engine tests (GOV-23).

The demo schools' configurations are read straight from harbour/policy/seeds/*.yaml with
``config_io.load_yaml`` (the single source); the catalogue checks read REQUIREMENTS.md when the
shared specification is present next to the repository.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from harbour.policy.rules import clausemap_build
from harbour.policy.rules.config_io import load_yaml
from harbour.policy.tests.spec import SPEC

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

SLUGS = ("st-james", "joy-lane")
SCHOOL_NAMES = {"st-james": "St James", "joy-lane": "Joy Lane"}


@functools.cache
def _demo(slug: str) -> dict[str, Any]:
    config, errors = load_yaml((SEEDS / f"{slug}.yaml").read_text(encoding="utf-8"))
    assert errors == [], errors
    return config


def demo_config(slug: str) -> dict[str, Any]:
    """A fresh copy of a demo school's flat configuration (tests may change it)."""
    config = dict(_demo(slug))
    config["clauses"] = {row: list(refs) for row, refs in (config.get("clauses") or {}).items()}
    return config


@functools.cache
def catalogue_maps() -> dict[str, dict[str, list[str]]] | None:
    """Clause maps built from REQUIREMENTS.md's Source clauses column, or None if the spec is absent."""
    path = SPEC / "REQUIREMENTS.md"
    if not path.exists():
        return None
    return clausemap_build.build(path.read_text(encoding="utf-8"), warn=lambda *_: None)


@functools.cache
def clause_index() -> dict[str, set[str]] | None:
    """Every clause reference of each school's document (REQUIREMENTS.md Appendix C)."""
    path = SPEC / "REQUIREMENTS.md"
    if not path.exists():
        return None
    return clausemap_build.clause_index(path.read_text(encoding="utf-8"))


def catalogue_refs(slug: str, *rows: str) -> set[str]:
    """The refs REQUIREMENTS.md gives these rows for a school (from the seed clause map if no spec)."""
    maps = catalogue_maps()
    source = maps[slug] if maps is not None else demo_config(slug)["clauses"]
    return {ref for row in rows for ref in source.get(row, [])}
