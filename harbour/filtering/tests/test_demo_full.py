"""The filtering demo as the project's full demo loads it (harbour/schools/demo.py calls it per school)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from harbour.filtering import selectors, selectors_breaches
from harbour.schools import policy_defaults
from harbour.schools.demo import load_demo
from harbour.schools.models import School

pytestmark = pytest.mark.django_db


def test_filtering_demo_loads_on_the_project_demo():
    load_demo()
    for school in School.objects.filter(slug__in=policy_defaults.SLUGS):
        assert selectors_breaches.breach_count_since(school=school, since=datetime(2000, 1, 1, tzinfo=UTC)) == 1
    joy = selectors.register_status(school=School.objects.get(slug="joy-lane"))
    st_james = selectors.register_status(school=School.objects.get(slug="st-james"))
    assert joy.arrangement.filtering_provider == "LightSpeed Filtering"
    assert joy.check.overdue
    assert st_james.arrangement is None
    assert "Filtering provider: not recorded yet." in st_james.prompts
