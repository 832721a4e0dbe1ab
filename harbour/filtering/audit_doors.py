"""Audit door of the filtering app (harbour.audit.doors): events about a reported filtering
breach are shown only to people who may open the breach."""

from __future__ import annotations

from django.db.models import QuerySet

from harbour.accounts.models import Membership
from harbour.audit.doors import register
from harbour.filtering.models import Breach
from harbour.filtering.selectors_breaches import breach_list


@register("filtering.breach")
def visible_breaches(actor: Membership) -> QuerySet[Breach]:
    return breach_list(actor=actor)  # a 404 from the door means "none of them" to the audit selectors
