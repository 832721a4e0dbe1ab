"""The demo loader gives each demo school a few grouped alerts, through the real ingestion."""

from __future__ import annotations

import pytest

from harbour.monitoring.demo import load_demo
from harbour.monitoring.models import Alert, LogUpload

pytestmark = pytest.mark.django_db


def test_load_demo_makes_grouped_alerts(world, media):
    upload = load_demo(world.school)
    assert upload is not None
    assert (upload.status, upload.source) == ("done", LogUpload.Source.DEMO)
    alerts = {(a.category, a.kind): a for a in Alert.objects.filter(school=world.school)}
    gambling = alerts[("gambling", "category")]
    assert gambling.count == 3
    assert gambling.learner is not None
    search = alerts[("self_harm", "keyword")]
    assert search.count == 2  # two searches a minute apart: one alert
    assert search.learner is not None  # identified through the DHCP lease and the device register
    assert search.learner != gambling.learner
    assert alerts[("adult", "category")].learner is None  # an address nobody can be tied to
    assert ("vpn", "category") in alerts
