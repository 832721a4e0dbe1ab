"""The demo data: Joy Lane's register from its policy, St James' prompts (FLT-01)."""

from __future__ import annotations

import pytest

from harbour.accounts.roles import Role
from harbour.core.tests import factories as f
from harbour.filtering import selectors
from harbour.filtering.demo import load_demo
from harbour.filtering.models import Breach, Reminder
from harbour.schools.policy_defaults import JOY_LANE, ST_JAMES

pytestmark = pytest.mark.django_db


def _school(slug: str, config: dict):
    school = f.SchoolFactory(slug=slug, policy_settings=config)
    for role in (Role.DSL, Role.TECHNICIAN, Role.TEACHER):
        f.MembershipFactory(school=school, role=role)
    return school


def test_joy_lane_register_is_filled_from_its_policy():
    school = _school("joy-lane", JOY_LANE)
    made = load_demo(school, JOY_LANE)
    status = selectors.register_status(school=school)
    assert status.arrangement.broadband_provider.startswith("Kent Public Service Network")
    assert status.arrangement.filtering_provider == "LightSpeed Filtering"
    assert made["checks"] == 3
    assert made["breaches"] == 1
    assert status.check.overdue, "the demo shows one overdue check"
    assert Reminder.objects.filter(school=school, kind="check").exists()
    assert Breach.objects.filter(school=school).count() == 1


def test_st_james_shows_prompts_where_its_policy_is_silent():
    school = _school("st-james", ST_JAMES)
    load_demo(school, ST_JAMES)
    status = selectors.register_status(school=school)
    assert status.arrangement is None
    assert "Filtering provider: not recorded yet." in status.prompts
    assert not status.check.overdue
