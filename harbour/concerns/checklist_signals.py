"""Open checklists when a concern is reported or moved to another category (INC-YPSI-02, INC-FILT-08).

Imported from ``ConcernsConfig.ready()``. Receivers run inside the reporting service's transaction,
so a concern never exists without its checklist.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from harbour.accounts.models import Membership
from harbour.concerns import checklists
from harbour.concerns.models import Concern
from harbour.concerns.signals import concern_recategorised, concern_reported


@receiver(concern_reported, dispatch_uid="concerns.checklists.open_on_report")
def open_on_report(sender: type, *, concern: Concern, **kwargs: Any) -> None:
    checklists.checklist_open(concern=concern)


@receiver(concern_recategorised, dispatch_uid="concerns.checklists.open_on_recategorise")
def open_on_recategorise(sender: type, *, concern: Concern, actor: Membership | None = None, **kwargs: Any) -> None:
    # The old category's steps stay on the concern: what was done under them is part of the record.
    checklists.checklist_open(concern=concern, actor=actor)
