"""Who receives allegations about the headteacher: the chair of governors, and a second route.

Issue 12 point 2, INC-STAFF-05. The chair of governors is a flag on a login's membership
(``Membership.is_chair_of_governors``); the school's second route (the trust's safeguarding lead,
or the LADO by email) is an ``AllegationRoute`` row. The head or the school admin sets both here,
and every change is audited.

Because a head could be the subject of an allegation, nobody may make themselves chair, a head can
never be chair, and whoever loses the chair is told (in-app, with no detail) so a quiet swap is seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse

from harbour.accounts.models import Membership
from harbour.accounts.roles import Capability, Role, has_capability
from harbour.audit import services as audit
from harbour.concerns import alerts, routing
from harbour.concerns.models import AllegationRoute, Concern
from harbour.schools.models import School


def can_set_route(actor: Membership) -> bool:
    """The head and the school admin (those who manage logins), never a trust-level reader."""
    return actor.pk is not None and has_capability(actor.role, Capability.MANAGE_MEMBERSHIPS)


@dataclass(frozen=True)
class RouteStatus:
    """What leaders' dashboards say about the route (shown to the head, DSL team, admin and trust lead)."""

    chair_set: bool
    route_missing: bool
    second_route: str


def route_status(*, school: School) -> RouteStatus:
    return RouteStatus(
        chair_set=bool(routing.chairs(school)),
        route_missing=routing.route_missing(school),
        second_route=routing.second_route(school),
    )


def chair_candidates(*, actor: Membership) -> QuerySet[Membership]:
    """Active governors of the school who could be chair, never the actor (finding 1: governors only)."""
    if not can_set_route(actor):
        return Membership.objects.none()
    return (
        Membership.objects.filter(school=actor.school, is_active=True, user__is_active=True, role=Role.GOVERNOR)
        .exclude(user=actor.user)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )


def current_chair(*, school: School) -> Membership | None:
    return (
        Membership.objects.filter(school=school, is_active=True, is_chair_of_governors=True)
        .select_related("user")
        .first()
    )


NAMED_REFUSAL = (
    "You are named in a concern that is still open, so you cannot change who receives allegations "
    "about the headteacher. Ask the trust or another leader."
)
HEAD_ALLEGATION_REFUSAL = (
    "An allegation about the headteacher is still open, so the chair of governors cannot be changed "
    "until it is closed. Contact the trust if the chair must change."
)


def _open(school: School) -> QuerySet[Concern]:
    return Concern.objects.filter(school=school).exclude(status=Concern.Status.CLOSED)


def _refuse(*, actor: Membership, field: str, message: str, reason: str) -> None:
    """Audit the refused change (no names, no concern) and raise a clear error (red-team findings 1, 8)."""
    audit.record(action="concern.allegation_route_refused", actor=actor, obj=actor.school, changes={"reason": reason})
    raise ValidationError({field: [message]})


def check_actor_may_change_route(*, actor: Membership) -> None:
    """Someone named in an open concern may not touch the route (chair or second route): finding 1b/8."""
    if _open(actor.school).filter(pk__in=routing.concern_ids_naming(actor.school, actor.user)).exists():
        _refuse(actor=actor, field="__all__", message=NAMED_REFUSAL, reason="actor_named_in_open_concern")


def check_chair_may_change(*, actor: Membership, membership: Membership | None) -> None:
    """While an allegation about the head is open the chair it went to stays put (finding 1).

    Visibility of head-route concerns follows the current chair flag, so changing the chair would
    hand every open allegation about the head to someone else and cut the real chair off.
    """
    current = set(
        Membership.objects.filter(school=actor.school, is_chair_of_governors=True).values_list("pk", flat=True)
    )
    if current == ({membership.pk} if membership else set()):
        return
    about_head = routing.head_subject_links(actor.school).values("concern_id")
    # Also one sent down the head route because no head could take it (every head named or conflicted).
    on_head_route = Q(pk__in=routing.subject_links(actor.school).values("concern_id")) & Q(
        routed_to__in=routing.HEAD_ROUTE_KINDS
    )
    if _open(actor.school).filter(Q(pk__in=about_head) | on_head_route).exists():
        _refuse(actor=actor, field="chair", message=HEAD_ALLEGATION_REFUSAL, reason="head_allegation_open")


def route_get(*, school: School) -> AllegationRoute:
    return AllegationRoute.objects.filter(school=school).first() or AllegationRoute(school=school)


def chair_set(*, actor: Membership, membership: Membership | None) -> Membership | None:
    """Make ``membership`` the school's chair of governors (or nobody). Audited; the old chair is told.

    Only a governor may be chair; nobody named in an open concern may change it; and it cannot
    change at all while an allegation about the head is open (red-team finding 1).
    """
    if not can_set_route(actor):
        raise PermissionDenied
    if membership is not None and membership.role != Role.GOVERNOR:
        raise ValidationError({"chair": ["Only a governor can be chair of governors."]})
    check_actor_may_change_route(actor=actor)
    check_chair_may_change(actor=actor, membership=membership)
    if membership is not None:
        if membership.school_id != actor.school.pk or not membership.is_active:
            raise ValidationError({"chair": ["Choose someone with a current login at this school."]})
        if membership.user_id == actor.user_id:
            raise ValidationError({"chair": ["You cannot make yourself chair of governors: ask another leader."]})
        if membership.role == Role.HEADTEACHER:
            raise ValidationError({"chair": ["A headteacher cannot also receive allegations about the head."]})
    with transaction.atomic():
        previous = list(Membership.objects.select_for_update().filter(school=actor.school, is_chair_of_governors=True))
        if [m.pk for m in previous] == ([membership.pk] if membership else []):
            return membership
        Membership.objects.filter(pk__in=[m.pk for m in previous]).update(is_chair_of_governors=False)
        if membership is not None:
            Membership.objects.filter(pk=membership.pk).update(is_chair_of_governors=True)
            membership.is_chair_of_governors = True
            # The chair must use MFA; it is set up only through an emailed one-time link (issue #12.5).
            from harbour.accounts import mfa_enrolment

            mfa_enrolment.enrolment_link_issue_if_needed(
                actor=actor, user=membership.user, school=actor.school, reason="chair_of_governors"
            )
        audit.record(
            action="membership.chair_of_governors",
            actor=actor,
            obj=membership or actor.school,
            changes={"chair": [[m.user.email for m in previous], membership.user.email if membership else None]},
        )
        leaving = [m.user for m in previous if membership is None or m.pk != membership.pk]
        if leaving:
            alerts.notify_users(
                school=actor.school,
                users=leaving,
                text="You are no longer recorded as chair of governors in Harbour. If this is wrong, tell the school.",
                link_path=reverse("core:dashboard", kwargs={"school_slug": actor.school.slug}),
                email_subject=f"Your role at {actor.school.name} changed in Harbour",
            )
    return membership


def second_route_set(*, actor: Membership, second_route: str, lado_email: str) -> AllegationRoute:
    """Set the route used when no chair of governors can take an allegation about the head. Audited."""
    if not can_set_route(actor):
        raise PermissionDenied
    check_actor_may_change_route(actor=actor)  # red-team finding 8
    if second_route not in ("", *AllegationRoute.Second.values):
        raise ValidationError({"second_route": ["Choose the trust's safeguarding lead or the LADO."]})
    lado_email = lado_email.strip()
    if lado_email:
        try:
            validate_email(lado_email)
        except ValidationError as exc:
            raise ValidationError({"lado_email": ["Enter the LADO's email address, like name@example.org."]}) from exc
    if second_route == AllegationRoute.Second.LADO and not lado_email and not routing.lado_emails(actor.school):
        raise ValidationError({"lado_email": ["Give the LADO's email address, or add the LADO to the agencies list."]})
    with transaction.atomic():
        route = AllegationRoute.objects.select_for_update().filter(school=actor.school).first()
        before = (route.second_route, route.lado_email) if route else ("", "")
        route = route or AllegationRoute(school=actor.school)
        route.second_route, route.lado_email, route.updated_by = second_route, lado_email, actor.user
        route.save()
        if before != (second_route, lado_email):
            audit.record(
                action="concern.allegation_route",
                actor=actor,
                obj=actor.school,
                changes={"second_route": [before[0], second_route], "lado_email": [before[1], lado_email]},
            )
    return route
