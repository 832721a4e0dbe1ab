"""Date and time inputs that always carry ISO values (issue 20).

A browser's ``<input type="date">`` only understands ``value="2026-12-07"`` and always submits that
form, whatever language it shows the date in. Django's plain ``DateInput`` renders a value in the
first input format of the active locale (``07/12/2026`` in en-gb), which the browser throws away:
the field opens empty, and saving the form can quietly clear a date. Every date or date-and-time
field uses these widgets instead, so the value shown is the value stored.
"""

from __future__ import annotations

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class IsoDateInput(forms.DateInput):
    """``<input type="date">`` with its value as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class IsoDateTimeInput(forms.DateTimeInput):
    """``<input type="datetime-local">`` with its value as YYYY-MM-DDTHH:MM (local time)."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATETIME_LOCAL)
