"""The "About a member of staff" panel of the concern page builds its own form (staff choices)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def name_staff_form(context: dict[str, Any]) -> Any:
    """The bound form after a refused post, else a fresh one for the concern on the page."""
    from harbour.concerns.views_subjects import name_staff_form as build

    given = context.get("name_staff_form")
    if given is not None:
        return given
    request = context["request"]
    return build(actor=request.membership, concern=context["concern"])
