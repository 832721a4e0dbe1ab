"""Filter forms for the people lists. Choices come from the actor's own view of the school, so a
filter can never offer (or confirm the existence of) a class or flag the actor may not see (ROL-01)."""

from __future__ import annotations

from typing import Any

from django import forms

from harbour.accounts.models import Membership
from harbour.people import permissions, selectors


def _valid_data(form: forms.Form) -> dict[str, Any]:
    if not form.is_bound:
        return {}
    # Validation keeps the fields that passed in cleaned_data and reports the rest as errors.
    form.is_valid()
    return form.cleaned_data


class LearnerFilterForm(forms.Form):
    q = forms.CharField(
        label="Search by name or UPN",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    year_group = forms.ChoiceField(label="Year group", required=False)
    school_class = forms.ChoiceField(label="Class", required=False)

    def __init__(self, *args: Any, actor: Membership, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["year_group"].choices = [("", "All years")] + [
            (year, f"Year {year}" if year.isdigit() else year) for year in selectors.learner_year_groups(actor=actor)
        ]
        self.fields["school_class"].choices = [("", "All classes")] + [
            (str(c.pk), c.name) for c in selectors.learner_filter_classes(actor=actor)
        ]
        # Only people cleared to see vulnerability flags get to filter by them; for anyone
        # else the field does not exist, so ?flag=... in a shared link is simply ignored.
        if permissions.sees_vulnerability(actor):
            self.fields["flag"] = forms.ChoiceField(
                label="Vulnerability",
                required=False,
                choices=[("", "Any"), *selectors.VULNERABILITY_FILTER_LABELS.items()],
            )

    def filters(self) -> dict[str, str]:
        """Keyword arguments for ``selectors.learner_search``; a field that failed to validate is left out."""
        data = _valid_data(self)
        return {
            "query": data.get("q") or "",
            "year_group": data.get("year_group") or "",
            "class_id": data.get("school_class") or "",
            "flag": data.get("flag") or "",
        }


class StaffFilterForm(forms.Form):
    STATUS_CHOICES = [("current", "Current staff"), ("left", "Staff who have left"), ("all", "Everyone")]

    q = forms.CharField(
        label="Search by name, job title or email",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label="Show", required=False, choices=STATUS_CHOICES)

    def filters(self) -> dict[str, str]:
        data = _valid_data(self)
        return {"query": data.get("q") or "", "status": data.get("status") or "current"}
