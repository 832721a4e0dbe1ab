"""Audit door of the monitoring app (harbour.audit.doors): events about a filtering alert, which
names a child and what they looked at, are shown only to people who work the alert queue."""

from __future__ import annotations

from django.db.models import QuerySet

from harbour.accounts.models import Membership
from harbour.audit.doors import register
from harbour.monitoring.models import Alert
from harbour.monitoring.selectors import alert_list


@register("monitoring.alert")
def visible_alerts(actor: Membership) -> QuerySet[Alert]:
    return alert_list(actor=actor)  # a 404 from the door means "none of them" to the audit selectors
