"""Reacts to a change of category: files the new category refuses become unreachable (INC-YPSI-13).

Connected by ``ConcernsConfig.ready()``. Runs inside the re-categorisation's transaction, so the
category change and the withholding stand or fall together.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from harbour.concerns import attachments, signals


@receiver(signals.concern_recategorised, dispatch_uid="concerns.attachments.withhold_on_recategorise")
def withhold_on_recategorise(sender: Any, *, concern: Any, actor: Any = None, **kwargs: Any) -> None:
    attachments.attachments_withhold_for_category(actor=actor, concern=concern)
