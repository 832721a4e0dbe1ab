"""Forms for the concern list and the DSL's panels on the concern page.

Forms only check the shape of the input; the services in ``services`` and ``triage`` decide what is
allowed and raise errors keyed by the same field names, which ``apply_errors`` puts back on the form.
Forms that change the concern itself carry the ``version`` the user saw (optimistic locking).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from harbour.accounts.models import Membership
from harbour.concerns.categories import CHOICES as CATEGORY_CHOICES
from harbour.concerns.models import (
    Concern,
    ConcernLearner,
    Consultation,
    Decision,
    ParentDecision,
    Referral,
)
from harbour.core.text_limits import form_text_kwargs
from harbour.core.widgets import IsoDateInput, IsoDateTimeInput

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _text(label: str, *, required: bool = True, help_text: str = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        **form_text_kwargs(),
    )


def _line(label: str, *, required: bool = False, max_length: int = 200, help_text: str = "") -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length, help_text=help_text)


def _when(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=IsoDateTimeInput(),
    )


def _now_local() -> str:
    return timezone.localtime().strftime(DATETIME_FORMAT)


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else at the top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class _Form(forms.Form):
    """Labels without Django's trailing colon: screen readers read it out."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


# --- the list ----------------------------------------------------------------------------------


class ConcernFilterForm(_Form):
    q = forms.CharField(
        label="Reference or summary",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Concern.Status.choices])
    category = forms.ChoiceField(label="Category", required=False, choices=[("", "Any category"), *CATEGORY_CHOICES])
    risk = forms.ChoiceField(
        label="Risk",
        required=False,
        choices=[("", "Any risk"), ("none", "Not graded yet"), *Concern.Risk.choices],
    )
    reported_from = forms.DateField(label="Reported from", required=False, widget=IsoDateInput())
    reported_to = forms.DateField(label="Reported to", required=False, widget=IsoDateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("reported_from"), data.get("reported_to")
        if start and end and start > end:
            self.add_error("reported_to", "The end date is before the start date.")
        return data

    def filters(self) -> dict[str, str | date | None]:
        """Keyword arguments for ``concern_search``; a filter that failed to validate is left out."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return {
            "query": data.get("q") or "",
            "status": data.get("status") or "",
            "category": data.get("category") or "",
            "risk": data.get("risk") or "",
            "reported_from": data.get("reported_from"),
            "reported_to": data.get("reported_to"),
        }


# --- panels on the concern page ----------------------------------------------------------------


class VersionedForm(_Form):
    """Carries the concern version the page was built from, so a stale change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AcknowledgeForm(VersionedForm):
    pass


class RiskForm(VersionedForm):
    risk = forms.ChoiceField(label="Risk", choices=[("", "Choose a level"), *Concern.Risk.choices])
    reason = _text("Why this level", help_text="What you know that puts the risk at this level.")
    no_police_reason = _text(
        "If you are lowering the risk: why the police have not been told",
        required=False,
        rows=2,
        help_text="Needed to lower the risk of this kind of concern while no police contact is recorded "
        "(as for closing it).",
    )

    def __init__(self, *args: Any, needs_police_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_police_reason:
            del self.fields["no_police_reason"]


class NoteForm(VersionedForm):
    text = _text("Note", rows=4, help_text="Facts, with times. It is added to the action log and cannot be deleted.")
    viewed_image = forms.BooleanField(
        label="I viewed an image or video connected with this concern",
        required=False,
        help_text="Tick this if you saw one, even by accident. The DSL is told, because only the DSL may view "
        "a suspected image.",
    )

    def __init__(self, *args: Any, asks_about_viewing: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not asks_about_viewing:
            del self.fields["viewed_image"]


class AmendForm(VersionedForm):
    text = _text("Corrected text", rows=3)
    reason = _line("Reason for the correction", required=True, max_length=300)


class CategoryForm(VersionedForm):
    category = forms.ChoiceField(label="New category", choices=CATEGORY_CHOICES)
    reason = _text("Why the category is changing", rows=2)
    no_police_reason = _text(
        "Why the police have not been told",
        required=False,
        rows=2,
        help_text="Needed because this kind of concern normally goes to the police and no police contact is "
        "recorded yet.",
    )

    def __init__(self, *args: Any, needs_police_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_police_reason:
            del self.fields["no_police_reason"]


class DecisionForm(VersionedForm):
    kind = forms.ChoiceField(label="Decision", choices=[("", "Choose a decision"), *Decision.Kind.choices])
    reasons = _text(
        "Reasons",
        rows=4,
        help_text="Why you decided this, including why you decided not to refer if that is the decision.",
    )
    sanction = _line("Sanction applied", help_text="Only for a behaviour-policy decision.", max_length=300)
    support = _line(
        "Support offered",
        help_text="Only for a behaviour-policy decision: the pastoral or welfare support that goes with it.",
        max_length=300,
    )
    sanctioned_learners = forms.MultipleChoiceField(
        label="Learners the sanction applies to",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_affected_sanction = forms.BooleanField(
        label="I confirm a sanction is right for a learner recorded as harmed in this incident",
        required=False,
    )
    trauma_note = _text(
        "How further harm or distress will be avoided",
        required=False,
        rows=2,
        help_text="Needed only when a learner recorded as harmed is sanctioned.",
    )

    def __init__(self, *args: Any, involvements: Iterable[ConcernLearner] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sanctioned_learners"].choices = [
            (str(i.learner_id), f"{i.learner.full_name} ({i.get_part_display().lower()})") for i in involvements
        ]


class ReferralForm(VersionedForm):
    agency = forms.ChoiceField(label="Agency", choices=[("", "Choose an agency"), *Referral.Agency.choices])
    police_call = forms.ChoiceField(
        label="How the police were contacted",
        required=False,
        choices=Referral.PoliceCall.choices,
        widget=forms.RadioSelect,
        help_text="Police referrals only.",
    )
    made_at = _when("When the referral was made")
    contact_name = _line("Who you spoke to")
    reference = _line(
        "Their reference", max_length=100, help_text="Required for the police: the incident or crime number."
    )
    reported_address = _text(
        "Web address reported",
        required=False,
        rows=2,
        help_text="For an IWF report: the web address only. Never send, save or attach the image itself.",
    )
    notes = _text("Notes", required=False, rows=3)
    decision = forms.ChoiceField(label="Decision it follows", required=False)

    def __init__(self, *args: Any, decisions: Iterable[Decision] = (), **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("made_at", _now_local())
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [("", "None")] + [
            (str(d.pk), f"{d.get_kind_display()} ({timezone.localtime(d.decided_at):%d %b %Y})") for d in decisions
        ]


class ReferralAcknowledgeForm(VersionedForm):
    acknowledged_at = _when("When they acknowledged it")
    reference = _line("Their reference", max_length=100, help_text="If you did not have one before.")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("acknowledged_at", _now_local())
        super().__init__(*args, **kwargs)


class ConsultationForm(VersionedForm):
    consulted = forms.ChoiceField(label="Advice from", choices=[("", "Choose who"), *Consultation.With.choices])
    contact_name = _line("Who you spoke to")
    consulted_at = _when("When")
    question = _text("What you asked", rows=3)
    advice = _text("The advice given", rows=3)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("consulted_at", _now_local())
        super().__init__(*args, **kwargs)


class ParentDecisionForm(VersionedForm):
    choice = forms.ChoiceField(
        label="Parents and carers", choices=ParentDecision.Choice.choices, widget=forms.RadioSelect
    )
    reason = _text("Reason", rows=3)
    what_was_said = _text(
        "What they were told", required=False, rows=3, help_text="If they have been told: what, and by whom."
    )
    told_at = _when("When they were told", required=False)


class ExternalShareForm(VersionedForm):
    recipient = _line("Shared with", required=True, max_length=300, help_text="For example another school.")
    what_was_shared = _text("What was shared", rows=3)
    reason = _text("Why", rows=2)


class ShareForm(VersionedForm):
    user = forms.ChoiceField(label="Colleague")
    reason = _line("Why they need to know", required=True, max_length=300)

    def __init__(self, *args: Any, candidates: Iterable[Membership] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Choose a colleague")] + [
            (str(m.user_id), f"{m.user.display_name} ({m.get_role_display()})") for m in candidates
        ]


class RevokeShareForm(VersionedForm):
    pass


class CloseForm(VersionedForm):
    outcome = _text("Outcome", rows=4, help_text="What happened in the end and what is in place now.")
    no_police_reason = _text(
        "Why the police have not been told",
        required=False,
        rows=2,
        help_text="Needed because this kind of concern cannot be closed without police contact or a reason.",
    )

    def __init__(self, *args: Any, needs_police_reason: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_police_reason:
            del self.fields["no_police_reason"]


class ReopenForm(VersionedForm):
    reason = _text("Why it is being reopened", rows=2)


class FollowUpForm(VersionedForm):
    outcome = _text("Outcome", required=False, rows=3)
    not_needed_reason = _text(
        "Or: why a debrief is not needed",
        required=False,
        rows=2,
        help_text="Your school's policy holds a debrief only where it is appropriate. Leave the outcome empty.",
    )

    def __init__(self, *args: Any, may_skip: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not may_skip:
            del self.fields["not_needed_reason"]
