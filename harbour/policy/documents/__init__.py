"""Generated policy documents (GOV-09): the policy and its audience pages, from a school's flat
configuration, as HTML, PDF, DOCX and plain text.

Builders (``build_*``), the model, words and text are pure Python; ``html``, ``pdf`` and ``docx``
need Django templates, WeasyPrint and docxtpl and are imported lazily by the functions below.
"""

from __future__ import annotations

from typing import Any

from .builder import build_policy
from .clauses import clause_index
from .text import render_policy_text


def render_policy_pdf(config: dict[str, Any], school_name: str | None = None) -> bytes:
    from .pdf import render_policy_pdf as render

    return render(config, school_name)


def render_policy_docx(config: dict[str, Any], school_name: str | None = None) -> bytes:
    from .docx import render_policy_docx as render

    return render(config, school_name)


def render_policy_html_context(config: dict[str, Any], school_name: str | None = None) -> dict[str, Any]:
    from .html import render_policy_html_context as render

    return render(config, school_name=school_name)


__all__ = [
    "build_policy",
    "clause_index",
    "render_policy_docx",
    "render_policy_html_context",
    "render_policy_pdf",
    "render_policy_text",
]
