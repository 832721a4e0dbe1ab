"""Errors the concern services raise with a message meant for the person at the keyboard."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class StaleConcern(ValidationError):
    """Someone else changed the concern since this page was loaded (optimistic locking)."""

    def __init__(self) -> None:
        super().__init__(
            "Someone else updated this concern while you were working on it. Your change was not saved: "
            "reload the page to see their update, then make your change again."
        )
