"""Forms for reporting and working filtering breaches (INC-FILT-03..10). No file field anywhere:
a picture of what was seen is never taken or kept."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from harbour.concerns.categories import CHOICES as CONCERN_CHOICES
from harbour.filtering.breach_steps import AGENCIES, ILLEGAL_CONCERN_CATEGORIES
from harbour.filtering.forms import DATETIME_FORMAT, Form, day, line, text, when
from harbour.filtering.models import Breach


class _LearnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.first_name} {obj.last_name}" + (f" ({obj.school_class.name})" if obj.school_class_id else "")


class BreachReportForm(Form):
    occurred_at = when("When it happened")
    category = forms.ChoiceField(label="What kind of thing it was", choices=Breach.Category.choices, initial="other")
    what_seen = text(
        "What was seen or what happened",
        help_text="Describe it in words. Do not go back to look again, and never photograph or copy it.",
        rows=4,
    )
    address = line(
        "Web address, if known",
        max_length=1000,
        help_text="Type it as plain text. Harbour never turns it into a link. Do not open it to check.",
    )
    device = line("Device", help_text="For example: Year 4 laptop 7, or the library PC by the window.")
    device_group = forms.ChoiceField(label="Kind of device", choices=Breach.DeviceGroup.choices, initial="other")
    location = forms.ChoiceField(label="Where", choices=Breach.Location.choices, initial="unknown")
    user_label = line("Who was using it", help_text="A name or a login, if you know it.")
    learner = _LearnerChoice(queryset=None, required=False, label="Learner involved (if one of yours)")
    immediate_action = text(
        "What you have done so far", required=False, help_text="For example: switched off the screen."
    )

    def __init__(self, *args: Any, learners: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["learner"].queryset = learners
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().strftime(DATETIME_FORMAT))

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        learner = data.pop("learner", None)
        data["learner_id"] = learner.pk if learner else None
        return data


class BreachFilterForm(Form):
    q = line("Search", max_length=100, help_text="Reference, description, device, user or ticket.")
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Any status"), *Breach.Status.choices])
    category = forms.ChoiceField(
        label="Category", required=False, choices=[("", "Any category"), *Breach.Category.choices]
    )
    location = forms.ChoiceField(label="Location", required=False, choices=[("", "Anywhere"), *Breach.Location.choices])
    device_group = forms.ChoiceField(
        label="Device group", required=False, choices=[("", "Any device"), *Breach.DeviceGroup.choices]
    )
    date_from = day("From", required=False)
    date_to = day("To", required=False)

    def filters(self) -> dict[str, Any]:
        data: dict[str, Any] = self.cleaned_data if self.is_bound and self.is_valid() else {}
        keys = ("status", "category", "location", "device_group")
        return {
            "query": data.get("q") or "",
            **{k: data.get(k) or "" for k in keys},
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }


class SummaryPeriodForm(Form):
    date_from = day("From", required=False)
    date_to = day("To", required=False)


# --- the handler's panels ----------------------------------------------------------------------


class _Versioned(Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class TriageForm(_Versioned):
    category = forms.ChoiceField(label="Category", choices=Breach.Category.choices)
    location = forms.ChoiceField(label="Location", choices=Breach.Location.choices)
    device_group = forms.ChoiceField(label="Device group", choices=Breach.DeviceGroup.choices)
    note = text("Note", required=False, rows=2)


class ProviderForm(_Versioned):
    provider_contact = line("Provider and who was contacted", required=True, max_length=300)
    ticket_reference = line("Provider's ticket reference", required=True, max_length=120)
    note = text("What was asked", required=False, rows=2)


class ParentsForm(_Versioned):
    told = forms.TypedChoiceField(
        label="Were the parents or carers told?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    how = line("Who told them and how", max_length=300)
    reason = line("Why not", max_length=500)


class IllegalForm(_Versioned):
    believed = forms.TypedChoiceField(
        label="Is the material believed to be illegal?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reason = line("Why", required=True, max_length=500)


class AgencyForm(Form):
    agency = forms.ChoiceField(label="Reported to", choices=list(AGENCIES.items()))
    reference = line("Report reference", required=True, max_length=120)
    note = line("Note", max_length=500)


class ExternalForm(_Versioned):
    system = line("Record system", required=True, max_length=120)
    reference = line("Reference in that system", required=True, max_length=120)


class ConcernForm(_Versioned):
    category = forms.ChoiceField(label="Kind of concern", choices=CONCERN_CHOICES, initial="filtering_breach")
    summary = line("Short title for the concern", required=True)

    def __init__(self, *args: Any, believed_illegal: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if believed_illegal:
            # INC-FILT-08: only the categories that never keep a picture are offered.
            self.fields["category"].choices = [c for c in CONCERN_CHOICES if c[0] in ILLEGAL_CONCERN_CATEGORIES]
            if not self.is_bound:
                self.initial["category"] = ILLEGAL_CONCERN_CATEGORIES[0]


class NoteForm(Form):
    text = text("Note", rows=2)


class AmendForm(Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    text = text("Corrected text", rows=2)
    reason = line("Reason for the correction", required=True, max_length=300)


class CloseForm(_Versioned):
    outcome = text("Outcome", rows=3)
