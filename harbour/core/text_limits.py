"""Upper bound on long free text (descriptions, notes, what was seen), web and API alike.

Security finding 4: free text had no length limit, and everything typed is scanned for web
addresses on every page that shows it. 20,000 characters (roughly eight pages) still holds a long
first-hand account; anything bigger is refused with a clear message and nothing is stored.
"""

from __future__ import annotations

LONG_TEXT_MAX = 20_000

# Django form fields: ``show_value`` is the length that was sent.
FORM_ERRORS = {
    "max_length": "This is too long: keep it to 20,000 characters or fewer (it has %(show_value)d). "
    "Shorten it, or split the rest into a second entry."
}
# DRF serializer fields.
API_ERRORS = {
    "max_length": "Too long: keep it to 20,000 characters or fewer. Shorten it, or split the rest into a second entry."
}


def form_text_kwargs() -> dict:
    """Keyword arguments for a long-text ``forms.CharField``."""
    return {"max_length": LONG_TEXT_MAX, "error_messages": dict(FORM_ERRORS)}


def api_text_kwargs() -> dict:
    """Keyword arguments for a long-text ``serializers.CharField``."""
    return {"max_length": LONG_TEXT_MAX, "error_messages": dict(API_ERRORS)}
