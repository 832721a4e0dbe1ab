"""Reads for the concern page and the triage API: the list with its filters, and the parts of one
concern (decisions, referrals, advice, parents, follow-ups, shares).

Every function that takes a ``concern`` expects one the caller already obtained through
``selectors.concern_get`` (which checks need-to-know and audits the view), so these never widen
access. Each one is a single query, so the concern page stays at a fixed number of queries
however long its history grows.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.accounts.roles import Role
from harbour.audit import services as audit
from harbour.concerns import permissions, routing, selectors
from harbour.concerns.models import (
    Concern,
    ConcernEntry,
    ConcernShare,
    Consultation,
    Decision,
    FollowUp,
    ParentDecision,
    Referral,
)


def may_open_concern_list(*, actor: Membership) -> bool:
    """The team (and a trust lead) always have the list; anyone else only once something is shared
    with them or routed to them (REP-07, INC-STAFF-05). Everyone else gets 404."""
    if permissions.reads_all_concerns(actor):
        return True
    return selectors.concern_list(actor=actor).exists()


def concern_search(
    *,
    actor: Membership,
    query: str = "",
    status: str = "",
    category: str = "",
    risk: str = "",
    reported_from: date | None = None,
    reported_to: date | None = None,
) -> QuerySet[Concern]:
    """The concerns the actor may see, filtered. Listing them is audited: summaries are sensitive."""
    qs = selectors.concern_list(actor=actor)
    for word in query.split()[:4]:
        qs = qs.filter(Q(reference__icontains=word) | Q(summary__icontains=word))
    if status:
        qs = qs.filter(status=status)
    if category:
        qs = qs.filter(category=category)
    if risk == "none":
        qs = qs.filter(risk="")
    elif risk:
        qs = qs.filter(risk=risk)
    if reported_from:
        qs = qs.filter(reported_at__gte=_start_of(reported_from))
    if reported_to:
        qs = qs.filter(reported_at__lt=_start_of(reported_to) + timedelta(days=1))
    filters = {
        "query": query,
        "status": status,
        "category": category,
        "risk": risk,
        "reported_from": reported_from.isoformat() if reported_from else "",
        "reported_to": reported_to.isoformat() if reported_to else "",
    }
    audit.record(action="concern.list", actor=actor, changes={"filters": {k: v for k, v in filters.items() if v}})
    return qs.order_by("-reported_at", "-id")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def concern_decisions(*, concern: Concern) -> QuerySet[Decision]:
    return concern.decisions.select_related("decided_by").order_by("decided_at", "id")


def concern_referrals(*, concern: Concern) -> QuerySet[Referral]:
    return concern.referrals.select_related("made_by", "decision").order_by("made_at", "id")


def concern_consultations(*, concern: Concern) -> QuerySet[Consultation]:
    return concern.consultations.select_related("recorded_by").order_by("consulted_at", "id")


def concern_parent_decisions(*, concern: Concern) -> QuerySet[ParentDecision]:
    return concern.parent_decisions.select_related("decided_by").order_by("decided_at", "id")


def concern_follow_ups(*, concern: Concern, open_only: bool = False) -> QuerySet[FollowUp]:
    qs = concern.follow_ups.select_related("done_by", "referral").order_by("due_at", "id")
    return qs.filter(done_at__isnull=True) if open_only else qs


def concern_live_shares(*, concern: Concern) -> QuerySet[ConcernShare]:
    return concern.shares.filter(revoked_at__isnull=True).select_related("user", "granted_by").order_by("granted_at")


def share_candidates(*, actor: Membership, concern: Concern) -> QuerySet[Membership]:
    """Colleagues the concern could be shared with: active in the school, not the actor, not the
    person it is about, not already sharing it. Offered only to those who manage the concern."""
    if not permissions.can_manage(actor, concern):
        return Membership.objects.none()
    qs = (
        Membership.objects.filter(school=concern.school_id, is_active=True)
        .exclude(user=actor.user)
        .exclude(user__in=concern.shares.filter(revoked_at__isnull=True).values("user"))
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    # Nobody named in it; nobody with a conflict of interest is offered unless the DSL means it, so
    # they stay on the list (a share is how the DSL clears them, REP-20).
    qs = qs.exclude(user_id__in=routing.subject_user_ids(concern))
    return qs


def consultation_allows_external_sharing(*, concern: Concern) -> bool:
    """REP-17, INC-CSAE-08: advice from the police or the safeguarding service is on record."""
    return concern.consultations.filter(
        consulted__in=[Consultation.With.POLICE, Consultation.With.ADVICE_SERVICE]
    ).exists()


def entry_get(*, concern: Concern, pk: int | str) -> ConcernEntry:
    try:
        return concern.entries.select_related("concern", "author").get(pk=pk)
    except (ConcernEntry.DoesNotExist, ValueError) as exc:
        raise Http404("No such entry") from exc


def referral_get(*, concern: Concern, pk: int | str) -> Referral:
    try:
        return concern.referrals.select_related("concern").get(pk=pk)
    except (Referral.DoesNotExist, ValueError) as exc:
        raise Http404("No such referral") from exc


def follow_up_get(*, concern: Concern, pk: int | str) -> FollowUp:
    try:
        return concern.follow_ups.select_related("concern__school").get(pk=pk)
    except (FollowUp.DoesNotExist, ValueError) as exc:
        raise Http404("No such follow-up") from exc


def share_get(*, concern: Concern, pk: int | str) -> ConcernShare:
    try:
        return concern.shares.select_related("concern", "user").get(pk=pk)
    except (ConcernShare.DoesNotExist, ValueError) as exc:
        raise Http404("No such share") from exc


def police_informed(*, concern: Concern) -> bool:
    """Whether a police referral is on record: decides if a "why not" reason is needed (INC-CSAE-03)."""
    return concern.referrals.filter(agency=Referral.Agency.POLICE).exists()


def may_reveal_addresses(*, actor: Membership, concern: Concern) -> bool:
    """INC-IIOC-07: only the DSL reveals hidden web addresses, and only on a concern they manage.

    Deputies and the head work these concerns but do not reveal addresses: the policy gives that
    judgement to the designated lead alone (Joy Lane names no deputy for it).
    """
    return actor.pk is not None and actor.role == Role.DSL and permissions.can_manage(actor, concern)


def concern_reveal_addresses(*, actor: Membership, concern: Concern) -> bool:
    """Show the hidden web addresses of a concern to the DSL, and audit that they looked
    (INC-IIOC-07). Anyone else keeps seeing the placeholder, and their attempt is audited too."""
    if not may_reveal_addresses(actor=actor, concern=concern):
        audit.record(action="concern.reveal_addresses_refused", actor=actor, obj=concern)
        return False
    audit.record(action="concern.reveal_addresses", actor=actor, obj=concern)
    return True
