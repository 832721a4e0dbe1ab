"""Forms for the standards register. They check the shape of input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from harbour.accounts.models import Membership
from harbour.core.text_limits import form_text_kwargs
from harbour.core.widgets import IsoDateInput, IsoDateTimeInput
from harbour.filtering import wording
from harbour.filtering.models import Check, NoticeAcknowledgement, PrivacyAssessment, Review, UserGroup

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class Form(forms.Form):
    """Labels without Django's trailing colon: screen readers read it out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the field it names, else at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def text(label: str, *, required: bool = True, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        **form_text_kwargs(),
    )


def line(label: str, *, required: bool = False, max_length: int = 200, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text)


def day(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text, widget=IsoDateInput())


def when(label: str, *, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=IsoDateTimeInput(),
    )


class _MemberChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        return f"{obj.user.display_name} ({obj.get_role_display()})"


class ArrangementForm(Form):
    """FLT-01 and the named roles of the DfE standards."""

    broadband_provider = line("Broadband provider")
    filtering_provider = line("Filtering provider")
    filtering_product = line("Filtering product", help_text="The product name, if different from the provider.")
    monitoring_system = line("Monitoring system")
    monitoring_approach = text(
        "How use is monitored",
        required=False,
        help_text="For example: staff watch screens in lessons; software on school laptops; weekly log reports.",
    )
    ticket_portal = line("Provider's ticket portal or service desk", max_length=300)
    contacts = text(
        "Technical support contacts",
        required=False,
        help_text="One per line: name | role | email | phone | web address.",
        rows=4,
    )
    senior_lead = _MemberChoice(queryset=Membership.objects.none(), required=False, label="Senior leader responsible")
    senior_lead_name = line("…or their name, if they have no login")
    governor_lead = _MemberChoice(queryset=Membership.objects.none(), required=False, label="Governor responsible")
    governor_lead_name = line("…or the governor's name, if they have no login")
    dsl = _MemberChoice(queryset=Membership.objects.none(), required=False, label="Designated safeguarding lead")
    dsl_name = line("…or the DSL's name, if they have no login")
    it_lead = _MemberChoice(queryset=Membership.objects.none(), required=False, label="Technician")
    it_lead_name = line("…or the IT service provider", help_text="A company or person without a login.")
    check_frequency_days = forms.IntegerField(
        label="Check filtering and monitoring every (days)",
        required=False,
        min_value=1,
        max_value=366,
        help_text="Leave empty to use the school's policy, or Harbour's default of 30 days.",
    )
    review_frequency_days = forms.IntegerField(
        label="Review the provision every (days)", min_value=1, max_value=366, initial=365
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("senior_lead", "governor_lead", "dsl", "it_lead"):
            self.fields[name].queryset = members

    def clean_contacts(self) -> list[dict[str, str]]:
        contacts = []
        for number, raw in enumerate(self.cleaned_data.get("contacts", "").splitlines(), start=1):
            if not raw.strip():
                continue
            parts = [p.strip() for p in raw.split("|")] + [""] * 5
            if not parts[0]:
                raise ValidationError(f"Line {number}: start with the contact's name.")
            contacts.append(dict(zip(("name", "role", "email", "phone", "url"), parts[:5], strict=True)))
        return contacts

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for key in data:
            if isinstance(data[key], str):
                data[key] = data[key].strip()
        return data


def contacts_as_text(contacts: list[dict[str, Any]]) -> str:
    keys = ("name", "role", "email", "phone", "url")
    return "\n".join(" | ".join(str(c.get(k) or "") for k in keys).rstrip(" |") for c in contacts)


class UserGroupForm(Form):
    name = line("Group", required=True, max_length=120, help_text="For example: Key stage 2 learners.")
    audience = forms.ChoiceField(label="Who is in it", choices=UserGroup.Audience.choices)
    filtering_profile = text("Filtering profile", help_text="What the filter applies to this group.")
    social_media = forms.ChoiceField(label="Can they reach social media?", choices=UserGroup.SocialMedia.choices)
    social_media_note = line(
        "About social media", max_length=300, help_text="For example: YouTube in teacher mode only."
    )


class DecisionForm(Form):
    decided_on = day("Date of the decision")
    decided_by = line("Decided by", required=True, help_text="For example: the full governing body with the head.")
    summary = text("What was decided")
    age_and_ability = text("How the settings suit learners' ages and abilities")
    blocked_and_allowed = text("What is blocked or allowed, and why", required=False)
    risk_assessment_summary = text("The risk assessment it was based on")
    document = forms.FileField(
        label="Risk assessment document",
        required=False,
        help_text="A PDF or Word (.docx) file. Harbour checks what the file really is, whatever its name.",
    )


class PrivacyForm(Form):
    dpia_reference = line("DPIA reference", max_length=120)
    lawful_basis = forms.ChoiceField(label="Lawful basis", choices=PrivacyAssessment.LawfulBasis.choices)
    special_category_condition = line("Condition for special category data", max_length=300)
    retention = line("How long monitoring records are kept", required=True, max_length=300)
    summary = text("Summary of the assessment")
    reviewed_on = day("Reviewed on")
    next_review_on = day("Next review due", required=False)


class ReviewStartForm(Form):
    trigger = forms.ChoiceField(label="Why this review", choices=Review.Trigger.choices)
    trigger_note = line(
        "What prompted it", max_length=300, help_text="Needed for any review other than the annual one."
    )
    participants = line("Who is taking part", max_length=300, help_text="For example: head, DSL, technician, governor.")


class ReviewForm(Form):
    """The checklist: one status and one note per item, plus findings and actions (FLT-04, GOV-16)."""

    participants = line("Who took part", max_length=300)
    findings = text("What the review found", required=False, rows=4)
    actions = text("Actions agreed", required=False, rows=4)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in wording.REVIEW_CHECKLIST:
            self.fields[f"status_{item.key}"] = forms.ChoiceField(
                label=item.text, required=False, choices=[("", "Not answered yet"), *wording.ANSWER_CHOICES]
            )
            self.fields[f"note_{item.key}"] = line(f"Note on: {item.text}", max_length=1000)

    @staticmethod
    def initial_from(answers: dict[str, dict[str, str]], **extra: str) -> dict[str, str]:
        initial = dict(extra)
        for key, answer in answers.items():
            initial[f"status_{key}"] = answer.get("status", "")
            initial[f"note_{key}"] = answer.get("note", "")
        return initial

    def answers(self) -> dict[str, dict[str, str]]:
        data = self.cleaned_data
        return {
            item.key: {"status": data.get(f"status_{item.key}", ""), "note": data.get(f"note_{item.key}", "")}
            for item in wording.REVIEW_CHECKLIST
        }

    def rows(self) -> list[tuple[wording.ChecklistItem, Any, Any]]:
        return [(item, self[f"status_{item.key}"], self[f"note_{item.key}"]) for item in wording.REVIEW_CHECKLIST]


class CheckForm(Form):
    checked_at = when("When the check was made")
    system = forms.ChoiceField(label="What was checked", choices=Check.System.choices)
    method = forms.ChoiceField(label="Test used", choices=Check.Method.choices)
    test_detail = line(
        "What was tried",
        required=True,
        max_length=500,
        help_text="The test address, category or search words. It is stored as plain text and never opened.",
    )
    device = line("Device", required=True, help_text="For example: Class 4 laptop 12.")
    user_group = forms.ModelChoiceField(queryset=UserGroup.objects.none(), required=False, label="User group")
    location = line("Where", help_text="For example: Year 5 classroom.")
    result = forms.ChoiceField(label="Result", choices=Check.Result.choices, widget=forms.RadioSelect)
    follow_up = text("Follow-up action", required=False, help_text="Needed when a check fails.")
    checker_name = line("Checked by someone without a login", help_text="Leave empty if you made the check.")

    def __init__(self, *args: Any, groups: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_group"].queryset = groups

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        group = data.pop("user_group", None)
        data["user_group_id"] = group.pk if group else None
        return data


class CheckFilterForm(Form):
    q = line("Search", max_length=100)
    system = forms.ChoiceField(
        label="System", required=False, choices=[("", "Filtering and monitoring"), *Check.System.choices]
    )
    result = forms.ChoiceField(label="Result", required=False, choices=[("", "Any result"), *Check.Result.choices])
    date_from = day("From", required=False)
    date_to = day("To", required=False)

    def filters(self) -> dict[str, Any]:
        data: dict[str, Any] = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {
            "query": data.get("q") or "",
            "system": data.get("system") or "",
            "result": data.get("result") or "",
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class AcknowledgementRecordForm(Form):
    person_name = line("Name", required=True)
    person_kind = forms.ChoiceField(
        label="Who they are",
        choices=[c for c in NoticeAcknowledgement.PersonKind.choices if c[0] != "staff"],
    )
    method = forms.ChoiceField(
        label="How they confirmed it", choices=[c for c in NoticeAcknowledgement.Method.choices if c[0] != "in_app"]
    )
    acknowledged_on = day("Date")


class UsageReviewForm(Form):
    period_start = day("Period from")
    period_end = day("Period to")
    scope = line("What was looked at", required=True, max_length=300, help_text="Devices, systems or groups.")
    method = line("How", max_length=300, help_text="For example: the provider's weekly report and Harbour's alerts.")
    findings = text("What was found")
    safeguarding_finding = forms.BooleanField(label="Something here is a safeguarding worry", required=False)


class RaiseConcernForm(Form):
    category = forms.ChoiceField(label="Kind of concern", choices=())
    summary = line("Short title", required=True)
    description = text("What the review found that worries you")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from harbour.concerns.categories import CHOICES

        self.fields["category"].choices = CHOICES


class ReviewFilterForm(Form):
    q = line("Search findings and actions", max_length=100)
    trigger = forms.ChoiceField(label="Why", required=False, choices=[("", "Any reason"), *Review.Trigger.choices])
    state = forms.ChoiceField(
        label="Status", required=False, choices=[("", "Any"), ("open", "In progress"), ("completed", "Completed")]
    )

    def filters(self) -> dict[str, Any]:
        data: dict[str, Any] = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"query": data.get("q") or "", "trigger": data.get("trigger") or "", "state": data.get("state") or ""}


class UsageReviewFilterForm(Form):
    q = line("Search", max_length=100)
    findings_only = forms.BooleanField(label="Only reviews with a safeguarding finding", required=False)

    def filters(self) -> dict[str, Any]:
        data: dict[str, Any] = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {"query": data.get("q") or "", "findings_only": bool(data.get("findings_only"))}
