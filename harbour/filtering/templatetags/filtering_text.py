"""Template filters for breach records: every web address inert and defanged (INC-FILT-09).

Django's ``urlize`` must never touch breach text; these filters are the only way it is rendered.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from harbour.filtering.inert import defang, defang_text

register = template.Library()


@register.filter(is_safe=True)
def inert_address(value: object) -> SafeString:
    """One address, defanged, in ``<code>``; never an ``<a>``."""
    text = "" if value is None else str(value)
    if not text.strip():
        return format_html('<span class="muted">{}</span>', "Not known")
    return format_html('<code class="inert-address" translate="no">{}</code>', defang(text))


@register.filter(is_safe=True)
def inert_text(value: object) -> SafeString:
    """Escaped free text, line breaks kept, with any address in it defanged."""
    text = defang_text("" if value is None else str(value).replace("\r\n", "\n"))
    return format_html_join(SafeString("<br>"), "{}", ((line,) for line in text.split("\n")))
