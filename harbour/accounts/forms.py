"""Forms for API tokens, invitations and the member register. They check input; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts, validate_password
from django.db.models import QuerySet

from harbour.accounts.models import Membership, User
from harbour.accounts.roles import TRUST_ROLES, Role, grantable_roles
from harbour.schools.models import School

# Trust safeguarding leads are appointed for a whole trust, never inside one school.
SCHOOL_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value not in TRUST_ROLES]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you recognise it later, for example 'MIS sync'.",
    )
    school = forms.ModelChoiceField(
        label="School",
        queryset=School.objects.none(),
        empty_label=None,
        help_text="A token only ever acts in one school.",
    )

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools


def _offer_only_grantable(field: forms.ChoiceField, actor_role: str | None, keep: str = "") -> None:
    """List only the roles the actor may give (plus ``keep``, the current one). Validation still
    accepts every school role, so a hand-made request reaches the service, which refuses it with
    its reason and audits the attempt."""
    if actor_role is None:
        return
    allowed = {str(role) for role in grantable_roles(actor_role)} | {keep}
    field.widget.choices = [(value, label) for value, label in field.choices if value in allowed or value == ""]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="Use their school address where they have one.")
    # No role is preselected: an invitation sent with the wrong role could open safeguarding records.
    role = forms.ChoiceField(label="Role", choices=[("", "Choose a role"), *SCHOOL_ROLE_CHOICES])
    job_title = forms.CharField(label="Job title", max_length=120, required=False, help_text="Optional.")

    def __init__(self, *args: Any, actor_role: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _offer_only_grantable(self.fields["role"], actor_role)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label="Role", choices=SCHOOL_ROLE_CHOICES)
    is_named_online_safety_governor = forms.BooleanField(
        label="Named governor for online safety",
        required=False,
        help_text="The governor who leads on online safety for the governing board.",
    )

    def __init__(self, *args: Any, membership: Membership, actor_role: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {"role": membership.role, "is_named_online_safety_governor": membership.is_named_online_safety_governor},
        )
        super().__init__(*args, **kwargs)
        _offer_only_grantable(self.fields["role"], actor_role, keep=membership.role)
        # The flag means something only for governors; the service clears it for anyone else.
        if membership.role != Role.GOVERNOR:
            del self.fields["is_named_online_safety_governor"]


class MemberDeactivateForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=200,
        help_text="For example 'left the school in July 2025'. Kept with the membership.",
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give a reason.")
        return reason


class MemberFilterForm(forms.Form):
    STATUS_CHOICES = [("active", "Current"), ("left", "Left"), ("all", "Everyone")]

    q = forms.CharField(label="Name or email", required=False, max_length=100)
    role = forms.ChoiceField(label="Role", required=False, choices=[("", "Any role"), *SCHOOL_ROLE_CHOICES])
    status = forms.ChoiceField(label="Status", required=False, choices=STATUS_CHOICES)

    def filters(self) -> dict[str, str]:
        """The filters to apply, falling back to 'current members, any role' on bad input."""
        if not self.is_valid():
            return {"role": "", "status": "active", "query": ""}
        data = self.cleaned_data
        return {"role": data["role"], "status": data["status"] or "active", "query": data["q"]}


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label="Your full name", max_length=200)
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=" ".join(password_validators_help_texts()),
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The two passwords are not the same.")
        elif password1:
            # An unsaved user, so the similarity check can compare the password with the name and address.
            probe = User(email=self.email, full_name=data.get("full_name", ""))
            try:
                validate_password(password1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data
