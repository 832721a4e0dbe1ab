"""The access door for concerns: every read of a concern goes through ``concern_list``/``concern_get``.

The queryset encodes the same rules as ``permissions`` (REP-07, INC-STAFF-05, INC-RAD-04), so a
list, a page, the API, the chronology and a PDF export can never disagree about who sees what.
Opening a concern writes a ``concern.view`` audit event.
"""

from __future__ import annotations

from django.db.models import Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value
from django.http import Http404

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.concerns import permissions, routing
from harbour.concerns.models import (
    Concern,
    ConcernEntry,
    ConcernLearner,
    ConcernShare,
    ConcernStaffSubject,
)


def _visibility(actor: Membership) -> Q:
    """What the actor's role lets them see, before the people named and the conflicted are taken out.

    Concerns naming members of staff (any category) go to the head; those naming the head, or
    arriving when the school has no head in post, go to the head route (the chair of governors, else
    the school's second route or the trust lead) (INC-STAFF-05, INC-RAD-04, INC-IIOC-09).
    """
    links = routing.subject_links(actor.school)
    about_staff = links.values("concern_id")
    heads = routing.head_user_ids(actor.school)
    about_head = routing.head_subject_links(actor.school).values("concern_id")
    visible = Q(pk__in=[])
    if permissions.reads_all_concerns(actor):
        visible |= ~Q(pk__in=about_staff)
    if actor.role in (Role.DSL, Role.DEPUTY_DSL) and actor.is_active:
        # Only when the school set no route at all and had no trust lead or LADO (``routing``).
        visible |= Q(pk__in=about_staff) & Q(routed_to=routing.TEAM_FALLBACK)
    if actor.role == Role.HEADTEACHER and actor.is_active:
        visible |= Q(pk__in=about_staff) & ~Q(pk__in=about_head)
    if _on_head_route(actor):
        # About the head; or every concern about staff when no head is in post; or one that was
        # sent down the head route because no head could take it (all heads named or conflicted).
        visible |= Q(pk__in=about_head if heads.exists() else about_staff)
        visible |= Q(pk__in=about_staff) & Q(routed_to__in=routing.HEAD_ROUTE_KINDS)
    return visible


def _on_head_route(actor: Membership) -> bool:
    """Only a chair or a trust lead can be on the head route: others cost no query here."""
    if actor.is_chair_of_governors and actor.is_active and actor.role == Role.GOVERNOR:
        return True
    if actor.role == Role.TRUST_SAFEGUARDING_LEAD:
        return actor.user_id in routing.head_route(actor.school).user_ids
    return False


def concern_list(*, actor: Membership) -> QuerySet[Concern]:
    """Concerns of the actor's school that the actor may see — never one about themselves.

    A member of staff who is a parent or carer of a learner in the concern is left out of it too
    (REP-20, issue 12 point 4), unless the DSL shared it with them by name with a reason.
    """
    shared = Q(pk__in=ConcernShare.objects.filter(user=actor.user, revoked_at__isnull=True).values("concern_id"))
    conflicted = Q(pk__in=routing.conflicted_concern_ids(school=actor.school, user=actor.user))
    about_me = routing.concern_ids_naming(actor.school, actor.user)
    return (
        Concern.objects.filter(school=actor.school)
        .filter((_visibility(actor) & ~conflicted) | shared)
        .exclude(pk__in=about_me)
        .annotate(
            # Read by ``permissions.can_manage``: this row already passed the door for this user.
            ntk_checked_for=Value(actor.user_id, output_field=IntegerField()),
            ntk_has_subjects=Exists(ConcernStaffSubject.objects.filter(concern=OuterRef("pk"))),
        )
        .select_related("reported_by", "acknowledged_by")
    )


def concern_get(*, actor: Membership, pk: int | str) -> Concern:
    """One concern, or 404 for anyone without need-to-know. Audited (REP-07)."""
    try:
        concern = (
            concern_list(actor=actor)
            .prefetch_related(
                Prefetch("involvements", queryset=ConcernLearner.objects.select_related("learner__school_class")),
                "subject_staff",
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
