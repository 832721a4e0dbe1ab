"""Records of the monitoring app for the project's URL walk (harbour/core/tests/test_url_walk.py).

Kept here so the walk only needs two small hooks: one record of each kind a monitoring URL's
``<pk>`` names, per school, and the need-to-know question asked of the same selectors as the views.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.http import Http404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.monitoring import selectors
from harbour.monitoring.models import Alert, ListEntry, LogUpload

# URL-name words → kind of record, checked before the project's generic words ("learner", "import"…).
PK_KINDS: tuple[tuple[str, str], ...] = (
    ("monitoring:alert", "monitoring_alert"),
    ("api-monitoring-alert", "monitoring_alert"),
    ("monitoring:upload", "monitoring_upload"),
    ("api-monitoring-upload", "monitoring_upload"),
    ("monitoring:list_entry", "monitoring_list_entry"),
)


def walk_records(dsl: Membership, learner: models.Model) -> dict[str, models.Model]:
    """An upload, an open alert about ``learner`` and an allow-list entry in the DSL's school."""
    school, now = dsl.school, timezone.now()
    upload = LogUpload.objects.create(
        school=school,
        uploaded_by=dsl.user,
        original_name="walk.log",
        status="done",
        purge_after=now + timedelta(days=30),
    )
    alert = Alert.objects.create(
        school=school,
        person_key=f"learner:{learner.pk}",
        person_label="walk.user",
        learner=learner,
        kind=Alert.Kind.CATEGORY,
        category="gambling",
        severity="medium",
        first_seen=now - timedelta(hours=1),
        last_seen=now,
        count=2,
        hosts=["example-casino.test"],
        upload=upload,
    )
    entry = ListEntry.objects.create(
        school=school, kind="allow", entry="walk.example", reason="walk", added_by=dsl.user
    )
    return {"monitoring_upload": upload, "monitoring_alert": alert, "monitoring_list_entry": entry}


def may_see(actor: Membership, kind: str, record: models.Model) -> bool:
    lists = {
        "monitoring_alert": selectors.alert_list,
        "monitoring_upload": selectors.upload_list,
        "monitoring_list_entry": selectors.list_entries,
    }
    try:
        return lists[kind](actor=actor).filter(pk=record.pk).exists()
    except Http404:
        return False
