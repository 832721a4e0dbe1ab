"""The audit browser's filters: one form for the page, the live htmx refresh and the CSV export."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from django import forms
from django.apps import apps
from django.core.validators import MaxLengthValidator

from harbour.core.widgets import IsoDateInput


@lru_cache(maxsize=256)
def object_type_label(object_type: str) -> str:
    """``people.learner`` → ``Learner``; falls back to the raw label for a model that no longer exists."""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return str(model._meta.verbose_name).capitalize()


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label="Action",
        required=False,
        max_length=80,
        help_text="A full action or its start, such as learner or learner.view.",
        widget=forms.TextInput(attrs={"list": "audit-actions", "autocomplete": "off", "spellcheck": "false"}),
    )
    actor = forms.CharField(
        label="Person",
        required=False,
        max_length=254,
        help_text="All or part of an email address.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    # A select of the types seen lately, but any value is accepted: an older type simply matches nothing new.
    # (No max_length: it would put a meaningless maxlength attribute on the <select>.)
    object_type = forms.CharField(
        label="Record type", required=False, validators=[MaxLengthValidator(80)], widget=forms.Select
    )
    object_id = forms.CharField(label="Record number", required=False, max_length=64)
    date_from = forms.DateField(label="From", required=False, widget=IsoDateInput())
    date_to = forms.DateField(label="To", required=False, widget=IsoDateInput())
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=100,
        help_text="Words in the record's name or the action.",
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args: Any, object_types: list[str] | tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = set(object_types)
        current = self.data.get("object_type", "") if self.is_bound else ""
        if current:
            offered.add(current[:80])
        choices = sorted(((value, object_type_label(value)) for value in offered), key=lambda c: c[1])
        self.fields["object_type"].widget.choices = [("", "Any"), *choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        date_from: date | None = cleaned.get("date_from")
        date_to: date | None = cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", "The end date must be on or after the start date.")
        return cleaned

    def search_kwargs(self) -> dict[str, Any]:
        """The cleaned filters, named as ``audit_event_search`` expects them."""
        data = self.cleaned_data
        return {
            "action": data["action"],
            "actor_email": data["actor"],
            "object_type": data["object_type"],
            "object_id": data["object_id"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "query": data["q"],
        }
