"""Sends the first alert once a reported concern is safely stored (REP-01, INC-YPSI-03).

The alert waits for the report's transaction to commit: a rolled-back report must never have
told anyone, and the worker must be able to read the concern it is asked about.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from harbour.concerns.models import Concern
from harbour.concerns.signals import concern_reported
from harbour.concerns.tasks import notify_new_concern


@receiver(concern_reported, dispatch_uid="harbour.concerns.alert_new_concern")
def alert_on_report(sender: type, concern: Concern, **kwargs: Any) -> None:
    concern_id = concern.pk
    transaction.on_commit(lambda: notify_new_concern.enqueue(concern_id))
