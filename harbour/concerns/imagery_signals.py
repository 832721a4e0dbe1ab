"""Raise the technician's block-and-isolate task when sexual imagery involved school equipment
(INC-YPSI-05), on report or when a concern is moved into that category.

Imported from ``ConcernsConfig.ready()``. Runs inside the service's transaction: a rolled-back
report raises no task, and the e-mail waits for the commit (``notify_users`` sends after commit).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from harbour.accounts.models import Membership
from harbour.concerns import imagery
from harbour.concerns.models import Concern
from harbour.concerns.signals import concern_recategorised, concern_reported


@receiver(concern_reported, dispatch_uid="concerns.imagery.task_on_report")
def task_on_report(sender: type, *, concern: Concern, **kwargs: Any) -> None:
    imagery.technician_task_raise(concern=concern)


@receiver(concern_recategorised, dispatch_uid="concerns.imagery.task_on_recategorise")
def task_on_recategorise(sender: type, *, concern: Concern, actor: Membership | None = None, **kwargs: Any) -> None:
    imagery.technician_task_raise(concern=concern, actor=actor)
