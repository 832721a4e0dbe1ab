"""Audit door of the people app (harbour.audit.doors): events about a learner (views, chronology,
pins) are shown only to people who may open the learner's record (issue 12 point 3)."""

from __future__ import annotations

from django.db.models import QuerySet

from harbour.accounts.models import Membership
from harbour.audit.doors import register
from harbour.people.models import Learner
from harbour.people.selectors import learner_list


@register("people.learner")
def visible_learners(actor: Membership) -> QuerySet[Learner]:
    # Leavers too: their trail stays readable to those who may still open their record.
    return learner_list(actor=actor, include_leavers=True)
