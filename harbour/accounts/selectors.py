"""Reads of memberships, invitations and tokens: the access door for "who is this user here?"."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from harbour.accounts.models import ApiToken, Invitation, Membership, TrustRole, User
from harbour.accounts.roles import Capability, Role, has_capability
from harbour.schools.models import School


def membership_resolve(*, user: User, school_slug: str) -> Membership:
    """The acting membership of ``user`` in the school with ``school_slug``, or 404.

    A trust safeguarding lead gets an unsaved, read-only membership for each school of the
    trust, so every caller can treat them like any other member.
    """
    if not user.is_authenticated or not user.is_active:
        raise Http404("No such school")
    membership = (
        Membership.objects.select_related("school__organisation", "user")
        .filter(user=user, school__slug=school_slug, school__is_active=True, is_active=True)
        .first()
    )
    if membership is not None:
        return membership
    trust_role = (
        TrustRole.objects.filter(user=user, is_active=True, organisation__schools__slug=school_slug)
        .select_related("organisation")
        .first()
    )
    if trust_role is None:
        raise Http404("No such school")
    school = School.objects.select_related("organisation").get(slug=school_slug)
    if not school.is_active:
        raise Http404("No such school")
    return Membership(user=user, school=school, role=trust_role.role, is_active=True)


def membership_list(*, actor: Membership) -> QuerySet[Membership]:
    """Everyone with a login in the actor's school, for those who may see the list."""
    if not has_capability(actor.role, Capability.VIEW_MEMBERSHIPS):
        return Membership.objects.none()
    return Membership.objects.filter(school=actor.school).select_related("user", "school")


def membership_search(
    *, actor: Membership, role: str = "", status: str = "active", query: str = ""
) -> QuerySet[Membership]:
    """The member register filtered by role, status (active, left or all) and name or email."""
    qs = membership_list(actor=actor)
    if role:
        qs = qs.filter(role=role)
    if status == "active":
        qs = qs.filter(is_active=True)
    elif status == "left":
        qs = qs.filter(is_active=False)
    for word in query.split()[:4]:
        qs = qs.filter(Q(user__full_name__icontains=word) | Q(user__email__icontains=word))
    return qs.order_by("-is_active", "user__full_name", "user__email")


def membership_get(*, actor: Membership, pk: int) -> Membership:
    try:
        return membership_list(actor=actor).get(pk=pk)
    except Membership.DoesNotExist as exc:
        raise Http404("No such membership") from exc


def memberships_of_user(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True, school__is_active=True).select_related("school")


def user_requires_mfa(*, user: User, mfa_roles: list[str]) -> bool:
    """True when any active role of the user, in any school or trust, demands MFA."""
    if not user.is_authenticated:
        return False
    if Membership.objects.filter(user=user, is_active=True, role__in=mfa_roles).exists():
        return True
    # The chair of governors receives allegations about the head (INC-STAFF-05): always MFA.
    if Membership.objects.filter(user=user, is_active=True, is_chair_of_governors=True).exists():
        return True
    return Role.TRUST_SAFEGUARDING_LEAD in mfa_roles and TrustRole.objects.filter(user=user, is_active=True).exists()


def invitation_list(*, actor: Membership) -> QuerySet[Invitation]:
    if not has_capability(actor.role, Capability.MANAGE_MEMBERSHIPS):
        return Invitation.objects.none()
    return Invitation.objects.filter(school=actor.school).select_related("invited_by")


def invitation_get(*, actor: Membership, pk: int) -> Invitation:
    try:
        return invitation_list(actor=actor).get(pk=pk)
    except Invitation.DoesNotExist as exc:
        raise Http404("No such invitation") from exc


def invitation_existing_user(*, invitation: Invitation) -> User | None:
    """The login that already uses the invited address, if any (it keeps its password)."""
    return User.objects.filter(email__iexact=invitation.email).first()


def invitation_open_by_token(*, raw_token: str) -> Invitation:
    """An invitation that can still be accepted, found from the secret in its link, or 404."""
    invitation = Invitation.objects.select_related("school").filter(token_hash=Invitation.hash_token(raw_token)).first()
    if invitation is None or not invitation.is_open:
        raise Http404("This invitation link is not valid")
    return invitation


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("school")


def api_token_get(*, user: User, pk: int) -> ApiToken:
    """One of the user's own tokens; anybody else's is 404."""
    try:
        return api_token_list(user=user).get(pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404("No such token") from exc


def api_token_schools(*, user: User) -> QuerySet[School]:
    """Schools where the user's role may use the API, i.e. where they may hold a token."""
    if not user.is_authenticated or not user.is_active:
        return School.objects.none()
    api_roles = [role for role in Role if has_capability(role, Capability.USE_API)]
    direct = Membership.objects.filter(user=user, is_active=True, role__in=api_roles).values("school_id")
    trusts = TrustRole.objects.filter(user=user, is_active=True, role__in=api_roles).values("organisation_id")
    return (
        School.objects.filter(is_active=True).filter(Q(pk__in=direct) | Q(organisation_id__in=trusts)).order_by("name")
    )


def user_by_email(*, email: str) -> User | None:
    """For the command line only: web pages reach users through memberships."""
    return User.objects.filter(email__iexact=email.strip()).first()


def safeguarding_contacts(*, school: School) -> list[Membership]:
    """ROL-03: the school's DSL(s) first, then deputies — named to every member of the school."""
    contacts = Membership.objects.filter(
        school=school, is_active=True, user__is_active=True, role__in=[Role.DSL, Role.DEPUTY_DSL]
    ).select_related("user")
    return sorted(contacts, key=lambda m: (m.role != Role.DSL, m.user.display_name))
