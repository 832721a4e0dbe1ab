"""Every "Differs —" row of REQUIREMENTS.md is held by configuration (GOV-24), and the demo YAML files
reproduce both schools' positions."""

from __future__ import annotations

import re

import pytest

from harbour.policy.rules import schema
from harbour.policy.rules.schema_differs import DIFFERS_ROWS
from harbour.policy.tests.spec import REQUIREMENTS, requires_spec
from harbour.schools import policy_defaults


def _differs_rows() -> list[str]:
    rows = []
    for line in REQUIREMENTS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\| ([A-Z]+(?:-[A-Z]+)?-\d+) \|", line)
        if m and "Differs —" in line:
            rows.append(m[1])
    return rows


@requires_spec
def test_the_catalogue_has_34_differs_rows_and_each_has_variables():
    """GOV-24: every Differs row names the variables that hold it."""
    rows = _differs_rows()
    assert len(rows) == 34
    assert sorted(rows) == sorted(DIFFERS_ROWS)


@pytest.mark.parametrize("row", sorted(DIFFERS_ROWS))
def test_each_differs_row_is_a_difference_between_the_demo_yamls(row):
    """GOV-24: the variables of each Differs row are known and take different values at the two schools."""
    names = DIFFERS_ROWS[row]
    assert names
    assert all(n in schema.BY_NAME for n in names)
    st_james, joy_lane = policy_defaults.ST_JAMES, policy_defaults.JOY_LANE
    assert any(st_james[n] != joy_lane[n] for n in names), row
