"""Forms of the versions, registers, reviews, exceptions and acknowledgement pages.

Forms only parse and check input; the services decide and write.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone

from harbour.core.widgets import IsoDateInput
from harbour.policy.acknowledgements import DEFAULT_GROUPS, GROUPS
from harbour.policy.models import PeriodicReview, PolicyException, ReviewTask, ReviewTrigger

DATE = IsoDateInput()


class NoteForm(forms.Form):
    """A workflow step with an optional note (consultation summary, who gave advice, why back to draft)."""

    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text="For example who was consulted, or what the specialist advised.",
    )


class ReturnToDraftForm(forms.Form):
    note = forms.CharField(label="Why is it going back to draft?", widget=forms.Textarea(attrs={"rows": 3}))


class ApprovalForm(forms.Form):
    """GOV-02, GOV-05: the governing body's approval with its date and minute reference."""

    approved_on = forms.DateField(label="Date the governing body approved it", widget=DATE)
    reference = forms.CharField(
        label="Minute reference", max_length=200, help_text="Where the approval is recorded, e.g. FGB 2026-10 item 7."
    )
    next_review_date = forms.DateField(
        label="Next review date",
        required=False,
        widget=DATE,
        help_text="Leave empty to set it from the approval date and the school's review interval (GOV-03).",
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_approved_on(self):
        value = self.cleaned_data["approved_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("The approval date cannot be in the future.")
        return value


class PublishForm(forms.Form):
    """ROL-09: which groups are asked to read and acknowledge the published version."""

    groups = forms.MultipleChoiceField(
        label="Ask these groups to read and acknowledge it",
        choices=[(key, label) for key, (label, _roles) in GROUPS.items()],
        initial=list(DEFAULT_GROUPS),
        widget=forms.CheckboxSelectMultiple,
    )
    effective_from = forms.DateField(
        label="In force from", required=False, widget=DATE, help_text="Leave empty for today."
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DiffForm(forms.Form):
    a = forms.TypedChoiceField(label="Older version", coerce=int)
    b = forms.TypedChoiceField(label="Newer version", coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, f"Version {n}") for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean(self):
        data = super().clean()
        if data.get("a") is not None and data.get("a") == data.get("b"):
            raise forms.ValidationError("Choose two different versions.")
        return data


class GuidanceForm(forms.Form):
    """GOV-06: one edition of a guidance document."""

    key = forms.SlugField(
        label="Short key",
        max_length=60,
        help_text="kcsie, eyfs or working_together link it to the policy's edition settings; any other key is kept "
        "as a record only.",
    )
    title = forms.CharField(label="Title", max_length=200)
    edition_year = forms.IntegerField(label="Edition year", min_value=1900, max_value=2100)
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LinkedPolicyForm(forms.Form):
    """GOV-08: a policy this one depends on."""

    name = forms.CharField(label="Policy", max_length=200)
    owner = forms.CharField(label="Owner", max_length=200, required=False)
    version = forms.CharField(label="Version", max_length=60, required=False)
    review_date = forms.DateField(label="Next review", required=False, widget=DATE)
    link = forms.URLField(label="Link", required=False, max_length=500, assume_scheme="https")
    notes = forms.CharField(label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_active = forms.BooleanField(label="Still in use", required=False, initial=True)


class TriggerForm(forms.Form):
    """GOV-04: what happened that calls for an out-of-cycle review."""

    kind = forms.ChoiceField(label="What happened", choices=ReviewTrigger.Kind.choices)
    description = forms.CharField(
        label="Describe it",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="No names of children: say what changed or what gap a concern showed.",
    )


class ReviewTaskForm(forms.Form):
    task = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label="Status", choices=ReviewTask.Status.choices)
    outcome = forms.CharField(label="Outcome", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PeriodicReviewForm(forms.Form):
    """GOV-21 (risk review) and GOV-14 (report to governors)."""

    kind = forms.ChoiceField(label="Kind", choices=PeriodicReview.Kind.choices)
    held_on = forms.DateField(label="Held on", widget=DATE)
    summary = forms.CharField(label="What was looked at", widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(label="New risks found", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    actions = forms.CharField(label="Actions agreed", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExceptionForm(forms.Form):
    """GOV-22: an exception or permission with its end date."""

    kind = forms.ChoiceField(label="Kind", choices=PolicyException.Kind.choices)
    person = forms.CharField(label="Who it applies to", max_length=200)
    granted_by = forms.CharField(label="Granted by", max_length=200)
    conditions = forms.CharField(label="Conditions", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    starts_on = forms.DateField(label="Starts", widget=DATE)
    ends_on = forms.DateField(label="Ends", required=False, widget=DATE, help_text="Leave empty only if open-ended.")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date.")
        return data


class WithdrawForm(forms.Form):
    exception = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Why is it withdrawn?", max_length=1000)


class AcknowledgeForm(forms.Form):
    """ROL-09: the member of staff's confirmation."""

    acknowledgement = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I have read the policy and will follow it and the acceptable use agreements.",
        error_messages={"required": "Tick the box to confirm you have read the policy."},
    )
