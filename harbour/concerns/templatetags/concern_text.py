"""Show text from concerns with every web address made inert (INC-IIOC-07, INC-FILT-09).

Addresses in a concern can lead to illegal images or to the very content that was reported, so
they are never turned into links, fetched or previewed. On categories that hide addresses they are
replaced by a placeholder until the DSL chooses to reveal them; revealed, they are plain text in
``<code>``. Django's ``urlize`` must never be applied to this text: this filter is the only way
concern text is rendered.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from harbour.concerns.addresses import HIDDEN_TEXT, address_spans

register = template.Library()

_LINE_BREAK = SafeString("<br>")


def _plain(text: str) -> SafeString:
    lines = text.split("\n")
    return format_html_join(_LINE_BREAK, "{}", ((line,) for line in lines))


@register.filter(is_safe=True)
def inert_addresses(value: object, hide: bool = False) -> SafeString:
    """Escaped text, line breaks kept, with web addresses hidden (``hide``) or shown as inert code."""
    text = "" if value is None else str(value).replace("\r\n", "\n").replace("\r", "\n")
    pieces: list[SafeString] = []
    position = 0
    for start, end in address_spans(text):
        pieces.append(_plain(text[position:start]))
        if hide:
            pieces.append(format_html('<span class="muted">{}</span>', HIDDEN_TEXT))
        else:
            pieces.append(format_html('<code class="inert-address">{}</code>', text[start:end]))
        position = end
    pieces.append(_plain(text[position:]))
    return format_html_join("", "{}", ((piece,) for piece in pieces))


_STATUS_BADGES = {"new": "danger", "open": "info", "closed": "ok"}
_RISK_BADGES = {"immediate": "danger", "high": "danger", "medium": "warn", "low": "ok"}


@register.filter
def status_badge(status: str) -> str:
    """The badge modifier for a concern status: new ones stand out until someone takes them on."""
    return _STATUS_BADGES.get(status, "info")


@register.filter
def risk_badge(risk: str) -> str:
    return _RISK_BADGES.get(risk, "info")
