"""Fixtures shared by the policy tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from harbour.policy.rules import config_io

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def joy_lane_alpha(world):
    """The test school ("alpha") configured with Joy Lane's published policy."""
    config, errors = config_io.load_yaml((SEEDS / "joy-lane.yaml").read_text())
    assert not errors
    world.school.policy_settings = config
    world.school.save(update_fields=["policy_settings"])
    return world
