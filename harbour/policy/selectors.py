"""Reads of the policy app: the school's configuration, versions and registers.

``published_config`` is the one door every other app uses to read a school's policy variables.
Everything else is scoped to the actor's school and answers 404 (never 403) to anyone without
the capability, so nothing reveals what another school keeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.audit import services as audit
from harbour.policy import permissions
from harbour.policy.models import (
    Acknowledgement,
    GuidanceEdition,
    GuidanceFlag,
    LinkedPolicy,
    PeriodicReview,
    PolicyException,
    PolicyVersion,
    ReviewTask,
    ReviewTrigger,
)
from harbour.schools.models import School

EXPIRING_SOON = timedelta(days=30)


# --- configuration (used by every app) ---------------------------------------------------------


def published_version(*, school: School) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(school=school, status=PolicyVersion.Status.PUBLISHED).first()


def open_version(*, school: School) -> PolicyVersion | None:
    return PolicyVersion.objects.filter(school=school, status__in=PolicyVersion.OPEN_STATUSES).first()


def published_config(*, school: School) -> dict[str, Any]:
    """The flat policy configuration in force: the latest published version, else the school's
    settings as loaded before versions existed (GOV-24)."""
    version = published_version(school=school)
    if version is not None:
        return dict(version.config)
    return dict(school.policy_settings or {})


def working_config(*, school: School) -> dict[str, Any]:
    """The configuration being worked on: the open draft if there is one, else the one in force."""
    version = open_version(school=school)
    if version is not None:
        return dict(version.config)
    return published_config(school=school)


# --- versions ----------------------------------------------------------------------------------


def _need(allowed: bool) -> None:
    if not allowed:
        raise Http404


def version_list(*, actor: Membership) -> QuerySet[PolicyVersion]:
    """All versions of the actor's school, newest first (GOV-05)."""
    _need(permissions.can_view_records(actor))
    return (
        PolicyVersion.objects.filter(school=actor.school)
        .select_related("created_by")
        .annotate(flag_count=Count("guidance_flags", distinct=True))
        .order_by("-number")
    )


def version_get(*, actor: Membership, number: int) -> PolicyVersion:
    """One version by its number within the actor's school; 404 otherwise."""
    return get_object_or_404(version_list(actor=actor), number=number)


def version_transitions(*, version: PolicyVersion) -> QuerySet:
    return version.transitions.select_related("by").order_by("at", "id")


def version_flags(*, version: PolicyVersion) -> QuerySet[GuidanceFlag]:
    return version.guidance_flags.select_related("edition").order_by("edition__key")


# --- registers ---------------------------------------------------------------------------------


def guidance_list(*, actor: Membership) -> QuerySet[GuidanceEdition]:
    _need(permissions.can_view_records(actor))
    return (
        GuidanceEdition.objects.filter(school=actor.school)
        .annotate(flag_count=Count("flags"))
        .order_by("key", "-edition_year")
    )


def linked_policy_list(*, actor: Membership, include_retired: bool = False) -> QuerySet[LinkedPolicy]:
    _need(permissions.can_view_records(actor))
    qs = LinkedPolicy.objects.filter(school=actor.school)
    return qs if include_retired else qs.filter(is_active=True)


def linked_policy_get(*, actor: Membership, pk: int) -> LinkedPolicy:
    return get_object_or_404(linked_policy_list(actor=actor, include_retired=True), pk=pk)


def trigger_list(*, actor: Membership) -> QuerySet[ReviewTrigger]:
    _need(permissions.can_view_records(actor))
    return ReviewTrigger.objects.filter(school=actor.school).select_related("recorded_by")


def review_task_list(*, actor: Membership, open_only: bool = False) -> QuerySet[ReviewTask]:
    _need(permissions.can_view_records(actor))
    qs = ReviewTask.objects.filter(school=actor.school).select_related("trigger", "edition", "resolved_by_version")
    return qs.exclude(status__in=ReviewTask.CLOSED_STATUSES) if open_only else qs


def review_task_get(*, actor: Membership, pk: int) -> ReviewTask:
    return get_object_or_404(review_task_list(actor=actor), pk=pk)


def periodic_review_list(*, actor: Membership, kind: str | None = None) -> QuerySet[PeriodicReview]:
    _need(permissions.can_view_records(actor))
    qs = PeriodicReview.objects.filter(school=actor.school).select_related("recorded_by")
    return qs.filter(kind=kind) if kind else qs


# --- exceptions (GOV-22) -----------------------------------------------------------------------


@dataclass(frozen=True)
class ExceptionRow:
    exception: PolicyException
    state: str  # "expiring", "live", "no_end", "ended", "withdrawn", "future"


def exception_list(*, actor: Membership, include_ended: bool = False, today: date | None = None) -> list[ExceptionRow]:
    """GOV-22: the head's list of live exceptions and permissions, those ending soonest first.

    Ones with no end date follow the dated ones (they need a look too); ended and withdrawn ones
    are shown only on request. The list names people, so each viewing is audited.
    """
    _need(permissions.can_view_exceptions(actor))
    today = today or timezone.localdate()
    rows: list[ExceptionRow] = []
    for exc in PolicyException.objects.filter(school=actor.school).order_by("ends_on", "starts_on", "id"):
        if exc.withdrawn_at is not None:
            state = "withdrawn"
        elif exc.ends_on is not None and exc.ends_on < today:
            state = "ended"
        elif exc.starts_on > today:
            state = "future"
        elif exc.ends_on is None:
            state = "no_end"
        elif exc.ends_on - today <= EXPIRING_SOON:
            state = "expiring"
        else:
            state = "live"
        if include_ended or state not in ("ended", "withdrawn"):
            rows.append(ExceptionRow(exc, state))
    order = {"expiring": 0, "live": 1, "future": 2, "no_end": 3, "ended": 4, "withdrawn": 5}
    rows.sort(key=lambda r: (order[r.state], r.exception.ends_on or date.max, r.exception.pk))
    audit.record(action="policy_exception.list", actor=actor, changes={"shown": [None, len(rows)]})
    return rows


def exception_get(*, actor: Membership, pk: int) -> PolicyException:
    _need(permissions.can_view_exceptions(actor))
    return get_object_or_404(PolicyException.objects.filter(school=actor.school), pk=pk)


# --- acknowledgements (ROL-09) -----------------------------------------------------------------


def my_acknowledgements(*, actor: Membership) -> QuerySet[Acknowledgement]:
    """The actor's own requests in this school, newest version first."""
    if actor is None or actor.pk is None:
        return Acknowledgement.objects.none()
    return (
        Acknowledgement.objects.filter(school=actor.school, user=actor.user)
        .select_related("version")
        .order_by("-version__number")
    )


def my_acknowledgement_get(*, actor: Membership, pk: int) -> Acknowledgement:
    """One of the actor's own requests; anyone else's is a 404."""
    return get_object_or_404(my_acknowledgements(actor=actor), pk=pk)


@dataclass(frozen=True)
class AcknowledgementReport:
    version: PolicyVersion
    cycle: int
    done: list[Acknowledgement]
    pending: list[Acknowledgement]

    @property
    def total(self) -> int:
        return len(self.done) + len(self.pending)

    @property
    def percent(self) -> int:
        return round(100 * len(self.done) / self.total) if self.total else 0


def _latest_cycle(version: PolicyVersion) -> int:
    return (
        Acknowledgement.objects.filter(version=version).order_by("-cycle").values_list("cycle", flat=True).first() or 1
    )


def acknowledgement_report(
    *, actor: Membership, version: PolicyVersion, cycle: int | None = None
) -> AcknowledgementReport:
    """Who has and has not acknowledged ``version`` in its latest yearly round, or in ``cycle`` (ROL-09)."""
    _need(permissions.can_view_records(actor) and version.school_id == actor.school_id)
    cycle = cycle or _latest_cycle(version)
    acks = list(
        Acknowledgement.objects.filter(version=version, cycle=cycle)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    return AcknowledgementReport(
        version=version,
        cycle=cycle,
        done=[a for a in acks if a.acknowledged_at is not None],
        pending=[a for a in acks if a.acknowledged_at is None],
    )


def acknowledgement_counts(*, school: School) -> dict[int, tuple[int, int]]:
    """Version number → (acknowledged, asked) in its latest yearly round, for the version list."""
    rows = (
        Acknowledgement.objects.filter(school=school)
        .values("version__number", "cycle")
        .annotate(asked=Count("id"), done=Count("id", filter=Q(acknowledged_at__isnull=False)))
        .order_by("version__number", "cycle")
    )
    # Later cycles overwrite earlier ones: the latest round is what the school is chasing now.
    return {row["version__number"]: (row["done"], row["asked"]) for row in rows}
