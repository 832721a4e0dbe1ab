"""The daily digest: counts and a link, never a name, an address or a search term (FLT-08)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from harbour.monitoring import digest
from harbour.monitoring.tests.logs import grouped_log

pytestmark = pytest.mark.django_db


def _at(hour: int) -> datetime:
    local = timezone.localtime(timezone.now()).replace(hour=hour, minute=5)
    return local


def _digests() -> list:
    """Digest e-mails only: the critical alert in the sample log also sends its own notice at once."""
    return [m for m in mail.outbox if "digest" in m.subject]


def test_digest_goes_to_the_dsl_and_deputy_with_counts_only(world, known_learner, ingest_file, tmp_path):
    ingest_file(grouped_log(tmp_path / "access.log"))
    assert digest.digest_send_due(now=_at(6)) == []  # not before 07:00
    sent = digest.digest_send_due(now=_at(8))
    assert sent == [world.school]
    assert sorted(m.to[0] for m in _digests()) == ["deputy@alpha.test", "dsl@alpha.test"]
    message = _digests()[0]
    text = message.subject + message.body
    assert "Critical: 1 new" in text
    assert "Medium: 1 new" in text
    assert "Alerts waiting for a decision: 2" in text
    assert "/s/alpha/monitoring/alerts/" in text
    for secret in ("ada.q", world.learner.first_name, world.learner.last_name, "casino", "self harm", "google"):
        assert secret.lower() not in text.lower(), secret
    assert digest.digest_send_due(now=_at(9)) == []  # once a day
    assert len(_digests()) == 2


def test_no_digest_without_news_or_when_switched_off(world, known_learner, ingest_file, tmp_path):
    from harbour.monitoring.services import settings_for

    settings_for(world.school)
    assert digest.digest_send_due(now=_at(8)) == []
    config = settings_for(world.school)
    config.digest_enabled = False
    config.last_digest_on = None
    config.save()
    ingest_file(grouped_log(tmp_path / "access.log"))
    assert digest.digest_send_due(now=_at(8) + timedelta(days=1)) == []
    assert _digests() == []
