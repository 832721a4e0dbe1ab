"""The access door for concerns: every read of a concern goes through ``concern_list``/``concern_get``.

The queryset encodes the same rules as ``permissions`` (REP-07, INC-STAFF-05, INC-RAD-04), so a
list, a page, the API, the chronology and a PDF export can never disagree about who sees what.
Opening a concern writes a ``concern.view`` audit event.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.concerns import permissions
from harbour.concerns.models import (
    Concern,
    ConcernEntry,
    ConcernLearner,
    ConcernShare,
)


def _head_user_ids(actor: Membership) -> QuerySet:
    return Membership.objects.filter(school=actor.school, role=Role.HEADTEACHER, is_active=True).values("user_id")


def _visibility(actor: Membership) -> Q:
    shared = Q(pk__in=ConcernShare.objects.filter(user=actor.user, revoked_at__isnull=True).values("concern_id"))
    visible = shared
    if permissions.reads_all_concerns(actor):
        visible |= Q(subject_staff__isnull=True)
    if actor.role == Role.HEADTEACHER:
        visible |= Q(subject_staff__isnull=False) & ~Q(subject_staff__user__in=_head_user_ids(actor))
    if actor.is_chair_of_governors:
        visible |= Q(subject_staff__user__in=_head_user_ids(actor))
    return visible


def concern_list(*, actor: Membership) -> QuerySet[Concern]:
    """Concerns of the actor's school that the actor may see — never one about themselves."""
    return (
        Concern.objects.filter(school=actor.school)
        .filter(_visibility(actor))
        .exclude(subject_staff__user=actor.user)
        .select_related("reported_by", "subject_staff", "acknowledged_by")
    )


def concern_get(*, actor: Membership, pk: int | str) -> Concern:
    """One concern, or 404 for anyone without need-to-know. Audited (REP-07)."""
    try:
        concern = (
            concern_list(actor=actor)
            .prefetch_related(
                Prefetch("involvements", queryset=ConcernLearner.objects.select_related("learner__school_class")),
            )
            .get(pk=pk)
        )
    except (Concern.DoesNotExist, ValueError) as exc:
        raise Http404("No such concern") from exc
    audit.record(action="concern.view", actor=actor, obj=concern)
    return concern


def concern_get_for_update(*, actor: Membership, pk: int | str) -> Concern:
    """The concern for a write: visible to the actor and manageable by them, else 404."""
    concern = concern_get(actor=actor, pk=pk)
    if not permissions.can_manage(actor, concern):
        raise Http404("No such concern")
    return concern


def concern_entries(*, concern: Concern) -> QuerySet[ConcernEntry]:
    """The action log of a concern the caller already obtained through ``concern_get``."""
    return concern.entries.select_related("author", "amends").order_by("created_at", "id")


def receipt_list(*, actor: Membership) -> QuerySet[Concern]:
    """What the actor reported: shown as receipts (what they sent, status), never the DSL's work."""
    return Concern.objects.filter(school=actor.school, reported_by=actor.user).order_by("-reported_at")


def receipt_get(*, actor: Membership, pk: int | str) -> Concern:
    try:
        return receipt_list(actor=actor).get(pk=pk)
    except (Concern.DoesNotExist, ValueError) as exc:
        raise Http404("No such report") from exc


def receipt_status(concern: Concern) -> str:
    """The three states a reporter may know (REP-07): received, being handled, closed."""
    if concern.status == Concern.Status.CLOSED:
        return "Closed"
    if concern.status == Concern.Status.OPEN:
        return "Being handled"
    return "Received"
