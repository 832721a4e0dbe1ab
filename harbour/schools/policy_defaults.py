"""The policy configuration of the two demo schools, as the demo loads it (GOV-24).

The single source is the YAML files in ``harbour/policy/seeds/`` (one per school, reproducing each seed
policy's positions and clause numbering); this module reads them once into flat configurations, the
shape described in ``harbour.policy.rules.schema``. Edit the YAML files, never this module.

How values are written (see the schema for every variable's type):

* ``None`` means the school's policy is silent (or the feature does not exist there); an empty list
  means the policy says "none".
* ``year-month`` values are ISO strings ("2020-09"); editions are plain years (ints).
* ``duration`` values are ISO 8601 periods ("P12M"), or "regular" where the policy gives no period.
* ``role`` values are role keys ("dsl", "headteacher", "pta_chair"...); what a school calls its head is
  ``head_role_title``, so Joy Lane's Executive Headteacher is still the ``headteacher`` role.
* ``clauses`` maps requirement IDs to the school's own clause references.
* ``deputy_dsl_names`` lists the demo deputies: St James' policy mentions deputies without naming them
  and Joy Lane's names none, but a school using Harbour records the deputies it has (ROL-01, ROL-02).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from harbour.policy.rules.config_io import load_yaml

SEEDS_DIR = Path(__file__).resolve().parent.parent / "policy" / "seeds"
SLUGS = ("st-james", "joy-lane")


def load_seed(slug: str) -> dict[str, Any]:
    """The flat configuration of one demo school, read from its YAML file; a broken file is a bug."""
    text = (SEEDS_DIR / f"{slug}.yaml").read_text(encoding="utf-8")
    config, errors = load_yaml(text)
    if errors:
        listed = "\n".join(str(e) for e in errors)
        raise ValueError(f"harbour/policy/seeds/{slug}.yaml is not a valid policy configuration:\n{listed}")
    return config


# Looked up by school slug when the demo loads.
BY_SLUG: dict[str, dict[str, Any]] = {slug: load_seed(slug) for slug in SLUGS}
ST_JAMES: dict[str, Any] = BY_SLUG["st-james"]
JOY_LANE: dict[str, Any] = BY_SLUG["joy-lane"]

# The demo logins' names that the policies also name; demo.py creates these people.
ST_JAMES_DSL: str = ST_JAMES["dsl_name"]
ST_JAMES_DEPUTY_DSL: str = ST_JAMES["deputy_dsl_names"][0]
ST_JAMES_GOVERNORS: list[str] = list(ST_JAMES["named_governors"])
JOY_LANE_DSL: str = JOY_LANE["dsl_name"]
JOY_LANE_DEPUTY_DSL: str = JOY_LANE["deputy_dsl_names"][0]
JOY_LANE_GOVERNORS: list[str] = list(JOY_LANE["named_governors"])
