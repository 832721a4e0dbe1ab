"""Every change to logins, roles, invitations and API tokens. Each writes an audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from harbour.accounts import mfa_enrolment
from harbour.accounts.models import ApiToken, Invitation, Membership, User
from harbour.accounts.roles import (
    SAFEGUARDING_LEAD_ROLES,
    TRUST_ROLES,
    Capability,
    Role,
    deactivation_refusal,
    has_capability,
    role_change_refusal,
)
from harbour.audit import services as audit
from harbour.schools.models import School


def _require(actor: Membership, capability: Capability) -> None:
    if actor.pk is None or not has_capability(actor.role, capability):
        raise PermissionDenied


def _mfa_roles() -> frozenset[str]:
    return frozenset(settings.HARBOUR_MFA_REQUIRED_ROLES)


def _refuse_role_change(
    *, actor: Membership, current_role: str | None, new_role: str, target_user_id: int | None
) -> None:
    """Issue #12 point 5: nobody changes their own role, grants a role above their own, or
    appoints a DSL or deputy unless they are the head (or the trust's safeguarding lead).

    The refusal is audited (it is how a colleague trying to promote themselves shows up)."""
    refusal = role_change_refusal(
        actor_role=actor.role,
        current_role=current_role,
        new_role=new_role,
        is_self=target_user_id is not None and target_user_id == actor.user.pk,
    )
    if refusal is None:
        return
    audit.record(
        action="membership.change_role_refused",
        actor=actor,
        changes={"role": [current_role, new_role], "reason": [None, refusal]},
    )
    raise PermissionDenied(refusal)


def _lock_school(school: School) -> None:
    """Serialise role changes per school, so two simultaneous changes cannot each remove one of
    the last two DSLs (ROL-02). Locking the school row first keeps the lock order fixed."""
    School.objects.select_for_update().filter(pk=school.pk).first()


def _ensure_school_keeps_a_dsl(*, school: School, excluding: Membership) -> None:
    """ROL-02: a school must always have at least one active DSL."""
    others = Membership.objects.filter(school=school, role=Role.DSL, is_active=True, user__is_active=True).exclude(
        pk=excluding.pk
    )
    if not others.exists():
        raise ValidationError(
            "This change would leave the school without an active designated safeguarding lead. "
            "Appoint another DSL first."
        )


def membership_create(
    *, actor: Membership | None, school: School, user: User, role: str, job_title: str = ""
) -> Membership:
    """Give a user a role in a school. ``actor`` is None only for system set-up (demo, invitations)."""
    if role not in Role.values or role in TRUST_ROLES:
        raise ValidationError(f"'{role}' is not a school role.")
    if actor is not None:
        _require(actor, Capability.MANAGE_MEMBERSHIPS)
        _refuse_role_change(actor=actor, current_role=None, new_role=role, target_user_id=user.pk)
    with transaction.atomic():
        if Membership.objects.filter(user=user, school=school).exists():
            raise ValidationError(f"{user.email} already has a role at {school}.")
        membership = Membership.objects.create(user=user, school=school, role=role, job_title=job_title)
        audit.record(
            action="membership.create",
            actor=actor,
            user=None if actor else user,
            school=school,
            obj=membership,
            changes={"role": [None, role]},
        )
        if role in _mfa_roles():
            mfa_enrolment.enrolment_link_issue_if_needed(actor=actor, user=user, school=school, reason="new_role")
    return membership


def _may_try_role_change(actor: Membership) -> None:
    """The head and administrators manage roles; the trust's safeguarding lead (an unsaved,
    trust-level membership) may only appoint or remove the DSL and deputies."""
    if actor.is_trust_level and has_capability(actor.role, Capability.APPOINT_SAFEGUARDING_LEADS):
        return
    _require(actor, Capability.MANAGE_MEMBERSHIPS)


def membership_change_role(
    *, actor: Membership, membership: Membership, role: str, is_named_online_safety_governor: bool | None = None
) -> Membership:
    """Change someone's role (web member page and API both come here).

    Refuses (PermissionDenied with the reason) a change of one's own role, a role above the
    actor's own, and appointing or removing a DSL or deputy by anyone but the head or trust lead;
    refuses (ValidationError) removing the school's last DSL (ROL-02). A new DSL, deputy or other
    MFA role without MFA is emailed a one-time set-up link (issue #12 point 5).
    """
    _may_try_role_change(actor)
    if membership.school_id != actor.school.pk:
        raise PermissionDenied
    if role not in Role.values or role in TRUST_ROLES:
        raise ValidationError(f"'{role}' is not a school role.")
    named_governor = (
        membership.is_named_online_safety_governor
        if is_named_online_safety_governor is None
        else is_named_online_safety_governor
    )
    if role != Role.GOVERNOR:
        named_governor = False
    # Checked (and a refusal audited) before the transaction, so the refusal's event is kept.
    previous = Membership.objects.filter(pk=membership.pk).values_list("role", flat=True).first() or ""
    if role != previous or membership.user_id == actor.user.pk:
        _refuse_role_change(actor=actor, current_role=previous, new_role=role, target_user_id=membership.user_id)
    elif not has_capability(actor.role, Capability.MANAGE_MEMBERSHIPS):
        raise PermissionDenied("Your role cannot change other people's roles.")
    with transaction.atomic():
        _lock_school(actor.school)
        locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
        if locked.role != previous:
            raise ValidationError("Someone else changed this role a moment ago. Look again and retry.")
        if previous == Role.DSL and role != Role.DSL:
            _ensure_school_keeps_a_dsl(school=locked.school, excluding=locked)
        diff = audit.changed_fields(locked, {"role": role, "is_named_online_safety_governor": named_governor})
        locked.role = role
        locked.is_named_online_safety_governor = named_governor
        locked.save(update_fields=["role", "is_named_online_safety_governor"])
        audit.record(action="membership.change_role", actor=actor, obj=locked, changes=diff)
        if role != previous and role in SAFEGUARDING_LEAD_ROLES:
            # A separate event, so "who appointed our DSLs" is one filter in the audit browser.
            audit.record(
                action="membership.appoint_safeguarding_lead",
                actor=actor,
                obj=locked,
                changes={"role": [previous, role]},
            )
        if role != previous and role in _mfa_roles():
            mfa_enrolment.enrolment_link_issue_if_needed(
                actor=actor, user=locked.user, school=locked.school, reason="new_role"
            )
    return locked


def membership_deactivate(*, actor: Membership, membership: Membership, reason: str) -> Membership:
    """A leaver loses access; everything they recorded keeps their name (ROL-01, ROL-02).

    The same ceiling as role changes (issue #12 point 5): nobody ends the access of someone ranked
    above them, and only the head (or trust lead) ends a DSL's or deputy's.
    """
    _require(actor, Capability.MANAGE_MEMBERSHIPS)
    if membership.school_id != actor.school.pk:
        raise PermissionDenied
    refusal = deactivation_refusal(actor_role=actor.role, member_role=membership.role)
    if refusal is not None:
        audit.record(
            action="membership.deactivate_refused", actor=actor, obj=membership, changes={"reason": [None, refusal]}
        )
        raise PermissionDenied(refusal)
    if not reason.strip():
        raise ValidationError("Give a reason, for example 'left the school in July'.")
    with transaction.atomic():
        _lock_school(actor.school)
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if not locked.is_active:
            raise ValidationError("This person's access is already ended.")
        if locked.role == Role.DSL:
            _ensure_school_keeps_a_dsl(school=locked.school, excluding=locked)
        locked.is_active = False
        locked.ended_on = timezone.localdate()
        locked.ended_reason = reason.strip()[:200]
        locked.save(update_fields=["is_active", "ended_on", "ended_reason"])
        user = locked.user
        if (
            not user.memberships.filter(is_active=True).exists()
            and not user.trust_roles.filter(is_active=True).exists()
        ):
            user.is_active = False
            user.save(update_fields=["is_active"])
        ApiToken.objects.filter(user=user, school=locked.school, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit.record(
            action="membership.deactivate",
            actor=actor,
            obj=locked,
            changes={"is_active": [True, False], "reason": [None, locked.ended_reason]},
        )
    return locked


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    link: str


def invitation_create(*, actor: Membership, email: str, role: str, job_title: str = "") -> IssuedInvitation:
    """Email a one-time link to join the actor's school. The email names no pupil or concern."""
    _require(actor, Capability.MANAGE_MEMBERSHIPS)
    email = email.strip().lower()
    if role not in Role.values or role in TRUST_ROLES:
        raise ValidationError(f"'{role}' is not a school role.")
    # The same rule as changing a role: an administrator cannot invite a DSL, nor anyone (themselves
    # at another address included) into a role above their own.
    _refuse_role_change(
        actor=actor,
        current_role=None,
        new_role=role,
        target_user_id=actor.user.pk if email == actor.user.email.lower() else None,
    )
    # A leaver (inactive membership) may be invited back; accepting reopens their membership.
    if Membership.objects.filter(school=actor.school, user__email__iexact=email, is_active=True).exists():
        raise ValidationError(f"{email} already has a role at {actor.school}.")
    raw, token_hash = Invitation.new_token()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            school=actor.school,
            email=email,
            role=role,
            job_title=job_title,
            token_hash=token_hash,
            invited_by=actor.user,
            expires_at=timezone.now() + timedelta(days=settings.HARBOUR_INVITATION_DAYS),
        )
        audit.record(action="invitation.create", actor=actor, obj=invitation, changes={"role": [None, role]})
    link = settings.SITE_URL + reverse("accounts:invitation_accept", kwargs={"token": raw})
    transaction.on_commit(
        lambda: send_mail(
            subject=f"You are invited to Harbour for {actor.school.name}",
            message=(
                f"{actor.user.display_name} has invited you to use Harbour, the online safety system "
                f"of {actor.school.name}.\n\nOpen this link to choose your password and sign in:\n{link}\n\n"
                f"The link works once and expires in {settings.HARBOUR_INVITATION_DAYS} days."
            ),
            from_email=None,
            recipient_list=[email],
        )
    )
    return IssuedInvitation(invitation=invitation, link=link)


def invitation_revoke(*, actor: Membership, invitation: Invitation) -> Invitation:
    _require(actor, Capability.MANAGE_MEMBERSHIPS)
    if invitation.school_id != actor.school.pk or not invitation.is_open:
        raise ValidationError("This invitation can no longer be withdrawn.")
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(action="invitation.revoke", actor=actor, obj=invitation)
    return invitation


def invitation_accept(*, invitation: Invitation, full_name: str, password: str) -> User:
    """Create (or reopen) the invitee's login and give them the invited role.

    A new login, or one closed when its owner left, takes the name and password chosen here: the
    link proves the invitee holds the address. An active login keeps its own password.
    """
    from django.contrib.auth.password_validation import validate_password

    with transaction.atomic():
        # Locked and re-checked so the same link cannot be accepted twice at once.
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_open:
            raise ValidationError("This invitation link is not valid any more.")
        user = User.objects.filter(email__iexact=invitation.email).first()
        if user is None:
            user = User(email=invitation.email, full_name=full_name.strip())
            validate_password(password, user)
            user.set_password(password)
            user.save()
        elif not user.is_active:
            user.full_name = full_name.strip() or user.full_name
            validate_password(password, user)
            user.set_password(password)
            user.is_active = True
            user.save(update_fields=["full_name", "password", "is_active"])
        existing = Membership.objects.filter(user=user, school=invitation.school).first()
        if existing is not None:
            existing.role = invitation.role
            existing.is_active = True
            existing.ended_on = None
            existing.ended_reason = ""
            existing.save(update_fields=["role", "is_active", "ended_on", "ended_reason"])
            membership = existing
        else:
            membership = Membership.objects.create(
                user=user, school=invitation.school, role=invitation.role, job_title=invitation.job_title
            )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit.record(action="invitation.accept", user=user, school=invitation.school, obj=membership)
    return user


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw_key: str


def api_token_create(*, user: User, school: School, name: str) -> IssuedToken:
    """A new personal API token for one school. The raw key is returned once and never stored."""
    from harbour.accounts.selectors import membership_resolve

    membership = membership_resolve(user=user, school_slug=school.slug)
    if not has_capability(membership.role, Capability.USE_API):
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError("Give the token a name, for example 'MIS sync'.")
    raw, prefix, key_hash = ApiToken.new_key()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, school=school, name=name[:100], key_prefix=prefix, key_hash=key_hash)
        audit.record(action="api_token.create", user=user, school=school, obj=token)
    return IssuedToken(token=token, raw_key=raw)


def api_token_revoke(*, user: User, token: ApiToken) -> ApiToken:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(action="api_token.revoke", user=user, school=token.school, obj=token)
    return token
