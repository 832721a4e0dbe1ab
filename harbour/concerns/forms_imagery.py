"""Forms for the image-viewing record, police preservation requests, technician tasks and linked
records (INC-YPSI-14, INC-IIOC-06, INC-YPSI-05, INC-CYB-04). Shape only: the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.concerns.forms_triage import VersionedForm, _now_local, _text, _when
from harbour.concerns.models import ImageViewing
from harbour.core.widgets import IsoDateInput


class ImageViewingForm(VersionedForm):
    viewed_at = _when("When you viewed it")
    justification = forms.ChoiceField(
        label="Why viewing it was justified",
        choices=ImageViewing.Justification.choices,
        widget=forms.RadioSelect,
    )
    explanation = _text(
        "Your explanation",
        rows=3,
        help_text="In your own words: why it could not be avoided or why it was needed, and what you did next.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("viewed_at", _now_local())
        super().__init__(*args, **kwargs)


class PreservationRequestForm(VersionedForm):
    officer = forms.CharField(label="Officer who asked", max_length=200)
    police_reference = forms.CharField(label="Police reference", max_length=100)
    custodian = forms.CharField(label="Who holds the copy", max_length=200)
    location = forms.CharField(
        label="Where it is kept",
        max_length=300,
        help_text="A secure place outside Harbour, e.g. a sealed envelope in the head's safe.",
    )
    requested_at = _when("When the police asked")
    keep_until = forms.DateField(
        label="Keep until",
        required=False,
        widget=IsoDateInput(),
        help_text="Leave empty if the police will say when it can be destroyed.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("requested_at", _now_local())
        super().__init__(*args, **kwargs)


class EscalateAbuseForm(VersionedForm):
    reason = _text(
        "Why this is abuse between children",
        rows=3,
        help_text="A new peer-on-peer abuse concern is opened for the DSL, linked to this one.",
    )


class TechnicianTaskDoneForm(forms.Form):
    confirmed_not_opened = forms.BooleanField(
        label="It is blocked for every user and isolated, and nobody opened, viewed or copied it",
        required=False,
    )
    note = forms.CharField(
        label="What you did (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Technical steps only. Do not describe the material.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ChecklistVariantForm(VersionedForm):
    variant = forms.ChoiceField(label="Checklist", widget=forms.RadioSelect)

    def __init__(self, *args: Any, variants: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = [(v.key, f"{v.title}: {v.when}") for v in variants]
