"""Pages for logins: personal API tokens, accepting an invitation, and the school's register of
people with a login — invite, change role, deactivate leavers (ROL-01, ROL-02, GOV-18)."""

from __future__ import annotations

from allauth.account.utils import perform_login
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from harbour.accounts import mfa_enrolment, selectors, services
from harbour.accounts.forms import (
    InvitationAcceptForm,
    InviteForm,
    MemberDeactivateForm,
    MemberFilterForm,
    MemberRoleForm,
    TokenCreateForm,
)
from harbour.accounts.models import Invitation, Membership
from harbour.accounts.roles import (
    Capability,
    deactivation_refusal,
    grantable_roles,
    has_capability,
    role_change_refusal,
)

MEMBERS_PER_PAGE = 50


def _require(actor: Membership, capability: Capability) -> None:
    """404, not 403: a colleague without the capability learns nothing about the register."""
    if not has_capability(actor.role, capability):
        raise Http404


# --- Personal API tokens ------------------------------------------------------------------


@login_required
@never_cache
def token_list(request: HttpRequest) -> HttpResponse:
    """List the user's tokens and create one. The secret appears in this response only."""
    schools = selectors.api_token_schools(user=request.user)
    form = TokenCreateForm(request.POST or None, schools=schools)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(
                user=request.user, school=form.cleaned_data["school"], name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            form.add_error("name", exc)
        except (PermissionDenied, Http404):
            form.add_error("school", "Your role in that school does not include the API.")
        else:
            form = TokenCreateForm(schools=schools)
    context = {
        "form": form,
        "issued": issued,
        "tokens": selectors.api_token_list(user=request.user),
        "has_schools": schools.exists(),
    }
    return render(request, "accounts/token_list.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get(user=request.user, pk=pk)
    services.api_token_revoke(user=request.user, token=token)
    messages.success(request, f"The token “{token.name}” is revoked. Anything still using it will be refused.")
    return redirect("accounts:token_list")


# --- Accepting an invitation (public page) ------------------------------------------------


@never_cache
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Open an emailed invitation: choose a name and password, then land signed in at home.

    A link that was used, withdrawn or has expired answers 404 with an explanation.
    """
    try:
        invitation = selectors.invitation_open_by_token(raw_token=token)
    except Http404:
        return _invitation_invalid(request)
    context = {"invitation": invitation, "school": invitation.school}
    if request.user.is_authenticated and request.user.email.lower() != invitation.email.lower():
        return render(request, "accounts/invitation_wrong_user.html", context)
    existing = selectors.invitation_existing_user(invitation=invitation)
    if existing is not None and existing.is_active:
        return _accept_with_existing_login(request, invitation, context)
    return _accept_with_new_password(request, invitation, context, existing_name=existing and existing.full_name)


def _invitation_invalid(request: HttpRequest) -> HttpResponse:
    context = {"days": settings.HARBOUR_INVITATION_DAYS}
    return render(request, "accounts/invitation_invalid.html", context, status=404)


def _accept_with_existing_login(request: HttpRequest, invitation: Invitation, context: dict) -> HttpResponse:
    """Someone who already signs in to Harbour (e.g. at another school) confirms while signed in,
    so the link alone never opens their account."""
    if not request.user.is_authenticated:
        context["login_url"] = f"{reverse('account_login')}?{urlencode({'next': request.path})}"
        return render(request, "accounts/invitation_sign_in.html", context)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, full_name="", password="")
        except ValidationError:
            return _invitation_invalid(request)
        # The emailed invitation link proves the mailbox, as the MFA set-up link would.
        mfa_enrolment.grant_set(request, request.user)
        messages.success(request, f"You now have access to {invitation.school.name}.")
        return redirect("home")
    return render(request, "accounts/invitation_confirm.html", context)


def _accept_with_new_password(
    request: HttpRequest, invitation: Invitation, context: dict, existing_name: str | None
) -> HttpResponse:
    form = InvitationAcceptForm(
        request.POST or None, email=invitation.email, initial={"full_name": existing_name or ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # Through allauth, so a returning leaver who still has an authenticator must pass MFA.
            response = perform_login(request, user, redirect_url=reverse("home"))
            if request.user.is_authenticated and request.user.pk == user.pk:
                # The emailed invitation link proves the mailbox: this session may set up MFA.
                mfa_enrolment.grant_set(request, user)
            return response
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


# --- The school's member register --------------------------------------------------------


def member_list(request: HttpRequest, school_slug: str) -> HttpResponse:
    """Everyone with a login here, filterable; managers also see open invitations (ROL-01)."""
    actor = request.membership
    _require(actor, Capability.VIEW_MEMBERSHIPS)
    filter_form = MemberFilterForm(request.GET or None)
    members = selectors.membership_search(actor=actor, **filter_form.filters())
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    can_manage = has_capability(actor.role, Capability.MANAGE_MEMBERSHIPS)
    invitations = [i for i in selectors.invitation_list(actor=actor)[:100] if i.is_open] if can_manage else []
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter_form": filter_form,
        "page": page,
        "query": query.urlencode(),
        "can_manage": can_manage,
        "invitations": invitations,
    }
    template = "accounts/member_list.html#results" if request.htmx else "accounts/member_list.html"
    return render(request, template, context)


def member_invite(request: HttpRequest, school_slug: str) -> HttpResponse:
    actor = request.membership
    _require(actor, Capability.MANAGE_MEMBERSHIPS)
    form = InviteForm(request.POST or None, actor_role=actor.role)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.invitation_create(
                actor=actor,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                job_title=form.cleaned_data["job_title"],
            )
        except ValidationError as exc:
            form.add_error("email", exc)
        except PermissionDenied as exc:
            form.add_error("role", str(exc) or "You cannot give that role.")
        else:
            messages.success(
                request,
                f"Invitation emailed to {issued.invitation.email}. The link works once and expires in "
                f"{settings.HARBOUR_INVITATION_DAYS} days.",
            )
            return redirect("members:member_list", school_slug=school_slug)
    return render(request, "accounts/member_invite.html", {"form": form})


def member_detail(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    """One membership; managers change the role or end the access of a leaver here (ROL-02)."""
    actor = request.membership
    _require(actor, Capability.VIEW_MEMBERSHIPS)
    member = selectors.membership_get(actor=actor, pk=pk)
    is_self = member.user_id == request.user.pk
    # Nobody changes their own role (issue #12.5); the trust lead may appoint DSLs and deputies.
    can_change_role = (
        member.is_active
        and not is_self
        and any(
            role_change_refusal(actor_role=actor.role, current_role=member.role, new_role=role, is_self=False) is None
            for role in grantable_roles(actor.role)
        )
    )
    can_manage = has_capability(actor.role, Capability.MANAGE_MEMBERSHIPS) and member.is_active
    # The "End access" form only where the service would allow it (issue #12 point 5).
    can_end_access = can_manage and deactivation_refusal(actor_role=actor.role, member_role=member.role) is None
    role_form = MemberRoleForm(membership=member, actor_role=actor.role)
    deactivate_form = MemberDeactivateForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "change_role":
            # The service explains (and audits) a refused change, one's own role included.
            if not member.is_active or not (can_manage or grantable_roles(actor.role)):
                raise Http404
            role_form = MemberRoleForm(request.POST, membership=member, actor_role=actor.role)
            status = _change_role(request, actor, member, role_form)
            if status == 302:
                return redirect("members:member_detail", school_slug=school_slug, pk=member.pk)
        elif not can_manage:
            raise Http404
        elif action == "deactivate":
            deactivate_form = MemberDeactivateForm(request.POST)
            if _deactivate(request, actor, member, deactivate_form):
                return redirect("members:member_detail", school_slug=school_slug, pk=member.pk)
        else:
            return HttpResponseBadRequest("Unknown action")
    context = {
        "member": member,
        "can_manage": can_manage,
        "can_change_role": can_change_role,
        "can_end_access": can_end_access,
        "role_form": role_form,
        "deactivate_form": deactivate_form,
        "is_self": is_self,
    }
    return render(request, "accounts/member_detail.html", context, status=status)


def _change_role(request: HttpRequest, actor: Membership, member: Membership, form: MemberRoleForm) -> int:
    """302 when saved; otherwise the status to show the form again with its errors."""
    if not form.is_valid():
        return 200
    try:
        services.membership_change_role(
            actor=actor,
            membership=member,
            role=form.cleaned_data["role"],
            is_named_online_safety_governor=form.cleaned_data.get("is_named_online_safety_governor"),
        )
    except ValidationError as exc:
        form.add_error(None, exc)
        return 200
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or "You cannot make this change.")
        return 403
    messages.success(request, f"{member.user.display_name}'s role is saved.")
    return 302


def _deactivate(request: HttpRequest, actor: Membership, member: Membership, form: MemberDeactivateForm) -> bool:
    if not form.is_valid():
        return False
    try:
        services.membership_deactivate(actor=actor, membership=member, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or "You cannot end this person's access.")
        return False
    messages.success(
        request,
        f"{member.user.display_name} no longer has access to {actor.school.name}. "
        "Everything they recorded keeps their name.",
    )
    return True


@require_POST
def invitation_revoke(request: HttpRequest, school_slug: str, pk: int) -> HttpResponse:
    actor = request.membership
    _require(actor, Capability.MANAGE_MEMBERSHIPS)
    invitation = selectors.invitation_get(actor=actor, pk=pk)
    try:
        services.invitation_revoke(actor=actor, invitation=invitation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The invitation for {invitation.email} is withdrawn; its link no longer works.")
    return redirect("members:member_list", school_slug=school_slug)
