"""Date inputs show the value they hold, as ISO, whatever the language (issue 20.4, GOV-08).

A browser's date picker only reads ``value="YYYY-MM-DD"``; anything else opens the field empty, and
saving such a form can clear a date nobody meant to touch.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from harbour.core.widgets import IsoDateInput, IsoDateTimeInput


class _Dates(forms.Form):
    day = forms.DateField(widget=IsoDateInput())
    moment = forms.DateTimeField(widget=IsoDateTimeInput())


@pytest.mark.parametrize("language", ["en-gb", "en-us", "de", "fr"])
def test_values_render_as_iso_in_every_language(language):
    with translation.override(language):
        html = str(_Dates(initial={"day": date(2027, 3, 31), "moment": datetime(2027, 3, 31, 9, 5)}))
    assert 'type="date"' in html
    assert 'value="2027-03-31"' in html
    assert 'type="datetime-local"' in html
    assert 'value="2027-03-31T09:05"' in html


def test_iso_values_come_back_as_dates():
    form = _Dates(data={"day": "2027-03-31", "moment": "2027-03-31T09:05"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == date(2027, 3, 31)


def test_no_form_builds_a_date_input_of_its_own():
    """One place for date widgets: a plain DateInput would render the locale's format again."""
    plain = re.compile(r"forms\.(DateInput|DateTimeInput)\(|[\"']type[\"']\s*:\s*[\"'](date|datetime-local)[\"']")
    offenders = [
        str(path.relative_to(settings.BASE_DIR))
        for path in (Path(settings.BASE_DIR) / "harbour").rglob("*.py")
        if "tests" not in path.parts and path.name != "widgets.py" and plain.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use harbour.core.widgets.IsoDateInput / IsoDateTimeInput"


@pytest.mark.django_db
def test_linked_policy_edit_form_opens_with_its_review_date(world, client_for):
    """GOV-08: editing a linked policy shows its next review date, so saving keeps it."""
    client = client_for("dsl")
    page = reverse("policy:linked", kwargs={"school_slug": world.school.slug})
    client.post(page, {"name": "Behaviour", "review_date": "2027-03-31", "is_active": "on"})
    linked = world.school.linked_policies.get()
    assert linked.review_date == date(2027, 3, 31)
    with translation.override("en-gb"):
        html = client.get(page, {"edit": linked.pk}).content.decode()
    assert re.search(r'<input type="date" name="review_date" value="2027-03-31"', html)
    # Saving the form as it opened (only the version changed) keeps the date.
    client.post(page, {"linked": linked.pk, "name": "Behaviour", "review_date": "2027-03-31", "version": "v2"})
    linked.refresh_from_db()
    assert (linked.version, linked.review_date) == ("v2", date(2027, 3, 31))
