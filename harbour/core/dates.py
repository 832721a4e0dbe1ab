"""Every date Harbour accepts lies between 1900 and the end of next year (issue #12 point 8).

A chronology back-dated to the year 8, or an incident "on" 2999-01-01, is a typo or an attack,
never a fact: it sorts a record to the wrong end of a child's history and outlives every
retention rule. Dates of birth of the oldest staff and policy reviews a year ahead both fit.

One place: ``install`` (called by ``CoreConfig.ready``) makes the bound a default validator of
every date and date-time field, in Django forms (so every form, model form and django-filter
filter) and in DRF serializers (declared or generated). A field that truly needs a wider
range can replace the validator with its own ``PlausibleDate(...)``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from rest_framework import serializers

EARLIEST_YEAR = 1900


@deconstructible
class PlausibleDate:
    """Refuses a date (or date-time) before ``earliest_year`` or after the end of next year."""

    code = "date_out_of_range"

    def __init__(self, earliest_year: int = EARLIEST_YEAR, years_ahead: int = 1) -> None:
        self.earliest_year = earliest_year
        self.years_ahead = years_ahead

    def latest_year(self) -> int:
        return timezone.localdate().year + self.years_ahead

    def __call__(self, value: dt.date | None) -> None:
        if value is None:
            return
        latest = self.latest_year()
        if not self.earliest_year <= value.year <= latest:
            raise ValidationError(
                f"Enter a date between {self.earliest_year} and the end of {latest}.",
                code=self.code,
                params={"value": value},
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, PlausibleDate)
            and other.earliest_year == self.earliest_year
            and other.years_ahead == self.years_ahead
        )


PLAUSIBLE_DATE = PlausibleDate()

_FIELD_CLASSES: tuple[type, ...] = (
    forms.DateField,
    forms.DateTimeField,
    serializers.DateField,
    serializers.DateTimeField,
)


def install() -> None:
    """Make ``PLAUSIBLE_DATE`` a default validator of every date field class (idempotent).

    Django form fields copy their default validators when they are built, so this runs before any
    form module is imported (first thing in ``CoreConfig.ready``); DRF fields read them when they
    first validate.
    """
    for field_class in _FIELD_CLASSES:
        current = list(field_class.__dict__.get("default_validators", field_class.default_validators))
        if not any(isinstance(v, PlausibleDate) for v in current):
            field_class.default_validators = [*current, PLAUSIBLE_DATE]


def is_bounded(field: object) -> bool:
    """Whether a form or serializer field carries the date bound (for the project-wide test)."""
    return any(isinstance(v, PlausibleDate) for v in getattr(field, "validators", []))
