"""Every read of monitoring data, scoped to the actor's school and role (FLT-08).

Alerts name children and what they searched for: only the DSL team (HANDLE_FILTER_ALERTS) reads
them, and anyone else gets 404, never the record. Opening an alert is audited. Uploads and the
device mappings are the technician's (UPLOAD_FILTER_LOGS); they hold counts, not findings.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.concerns.linked import within_concern_door

from . import permissions
from .models import AccountMapping, Alert, DeviceAssignment, DeviceLease, ListEntry, LogUpload, PersonDay
from .severity import RANK


def alert_list(*, actor: Membership) -> QuerySet[Alert]:
    if not permissions.can_handle_alerts(actor):
        raise Http404("No such page")
    alerts = Alert.objects.filter(school=actor.school).select_related("learner__school_class", "staff", "concern")
    # An alert that became a concern naming staff closes to whoever may not open it (finding 6).
    return within_concern_door(alerts, actor=actor)


def alert_search(
    *, actor: Membership, severity: str = "", status: str = "", category: str = "", q: str = ""
) -> QuerySet[Alert]:
    """The alert queue with its filters; person search covers names and the logged username or IP.

    Listing names children and what they looked at, so it is audited with the filters used."""
    alerts = alert_list(actor=actor)
    filters = {"severity": severity, "status": status, "category": category, "q": q}
    audit.record(
        action="monitoring.alert_list", actor=actor, changes={"filters": {k: v for k, v in filters.items() if v}}
    )
    if severity:
        alerts = alerts.filter(severity=severity)
    if status:
        alerts = alerts.filter(status=status)
    if category:
        alerts = alerts.filter(category=category)
    for word in q.split()[:5]:
        alerts = alerts.filter(
            Q(person_label__icontains=word)
            | Q(learner__first_name__icontains=word)
            | Q(learner__last_name__icontains=word)
            | Q(learner__preferred_name__icontains=word)
            | Q(staff__first_name__icontains=word)
            | Q(staff__last_name__icontains=word)
        )
    return alerts


def by_urgency(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Most severe first, then the most recent: the order the DSL should read them in."""
    rank = Case(*[When(severity=s, then=Value(r)) for s, r in RANK.items()], output_field=IntegerField())
    return alerts.annotate(rank=rank).order_by("-rank", "-last_seen", "-pk")


def alert_categories(*, actor: Membership) -> list[str]:
    return sorted(set(alert_list(actor=actor).values_list("category", flat=True)))


def alert_get(*, actor: Membership, pk: int | str) -> Alert:
    """One alert of the actor's school, or 404. Audited as a view."""
    try:
        alert = alert_list(actor=actor).select_related("upload", "status_by").get(pk=pk)
    except (Alert.DoesNotExist, ValueError) as exc:
        raise Http404("No such alert") from exc
    audit.record(action="monitoring.alert_view", actor=actor, obj=alert)
    return alert


def person_days(*, actor: Membership, alert: Alert) -> QuerySet[PersonDay]:
    """The daily counts behind an alert's person, for the days around it (the DSL's context)."""
    rows = PersonDay.objects.filter(
        school=actor.school, day__gte=alert.first_seen.date(), day__lte=alert.last_seen.date()
    )
    if alert.learner_id:
        return rows.filter(Q(learner_id=alert.learner_id) | Q(person=alert.person_label))
    if alert.staff_id:
        return rows.filter(Q(staff_id=alert.staff_id) | Q(person=alert.person_label))
    return rows.filter(person=alert.person_label)


def upload_list(*, actor: Membership) -> QuerySet[LogUpload]:
    if not permissions.can_upload(actor):
        raise Http404("No such page")
    return LogUpload.objects.filter(school=actor.school).select_related("uploaded_by")


def upload_get(*, actor: Membership, pk: int | str) -> LogUpload:
    try:
        return upload_list(actor=actor).get(pk=pk)
    except (LogUpload.DoesNotExist, ValueError) as exc:
        raise Http404("No such upload") from exc


def list_entries(*, actor: Membership, include_removed: bool = False) -> QuerySet[ListEntry]:
    if not permissions.can_manage_lists(actor):
        raise Http404("No such page")
    entries = ListEntry.objects.filter(school=actor.school).select_related("added_by", "removed_by")
    return entries if include_removed else entries.filter(removed_at__isnull=True)


def list_entry_get(*, actor: Membership, pk: int | str) -> ListEntry:
    try:
        return list_entries(actor=actor).get(pk=pk)
    except (ListEntry.DoesNotExist, ValueError) as exc:
        raise Http404("No such entry") from exc


def mapping_counts(*, actor: Membership) -> dict[str, int]:
    """How many leases, device assignments and usernames the school holds (no names)."""
    if not permissions.can_upload(actor):
        raise Http404("No such page")
    school = actor.school
    return {
        "leases": DeviceLease.objects.filter(school=school).count(),
        "devices": DeviceAssignment.objects.filter(school=school).count(),
        "usernames": AccountMapping.objects.filter(school=school).count(),
    }
