"""The document as template context: sections with their text already escaped, "not yet set" markers
highlighted, and anchors for the contents list (GOV-09, GOV-19).

Renderers share this context: the web page (``policy/document.html``), the PDF
(``policy/document_pdf.html``) and the audience pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .builder import build_policy
from .clauses import LABEL, clause_line
from .model import KEY_DETAILS_ANCHOR, Block, PolicyDocument, Section
from .words import MISSING_RE

URL_RE = re.compile(r"https?://[^\s<>()\"']+?(?=[.,;:]?(?:\s|\)|$))")


def rich(text: str) -> SafeString:
    """Escape, link web addresses, and mark every "not yet set" marker so it stands out.

    Our own small linker rather than Django's ``urlize``, which loses a full stop after ")"."""
    html = URL_RE.sub(lambda m: f'<a href="{m.group(0)}" rel="nofollow">{m.group(0)}</a>', escape(text))
    return mark_safe(MISSING_RE.sub(lambda m: f'<mark class="missing">{m.group(0)}</mark>', html))  # noqa: S308


@dataclass
class BlockView:
    kind: str
    text: SafeString
    items: list[SafeString] = field(default_factory=list)
    rows: list[tuple[SafeString, SafeString]] = field(default_factory=list)


@dataclass
class SectionView:
    number: str
    title: str
    heading: str
    anchor: str
    level: int
    blocks: list[BlockView]
    clauses: str = ""  # the school's own clause refs for this section, compressed ("6.3.2, 6.3.5(a)–(c)")


def _block(block: Block) -> BlockView:
    return BlockView(
        kind=block.kind,
        text=rich(block.text),
        items=[rich(i) for i in block.items],
        rows=[(rich(label), rich(value)) for label, value in block.rows],
    )


def _section(section: Section) -> SectionView:
    return SectionView(
        number=section.number,
        title=section.title,
        heading=section.heading,
        anchor=section.anchor,
        level=section.level,
        blocks=[_block(b) for b in section.blocks],
        clauses=clause_line(section.clauses),
    )


def document_context(doc: PolicyDocument) -> dict[str, Any]:
    missing = sorted({m for line in _texts(doc) for m in MISSING_RE.findall(line)})
    return {
        "doc": doc,
        "title": doc.title,
        "school_name": doc.school_name,
        "subtitle": doc.subtitle,
        "key_details": [(rich(label), rich(value)) for label, value in doc.key_details],
        "intro": [_block(b) for b in doc.intro],
        "contents": [_section(s) for s in doc.contents()] if doc.show_contents else [],
        "sections": [_section(s) for s in doc.all_sections()],
        "missing": [m.removeprefix("[not yet set: ").removesuffix("]") for m in missing],
        "key_details_anchor": KEY_DETAILS_ANCHOR,
        "key_details_clauses": clause_line(doc.key_details_clauses),
        "clauses_label": LABEL,
    }


def _texts(doc: PolicyDocument) -> list[str]:
    from .text import document_lines

    return document_lines(doc)


def render_policy_html_context(config: dict[str, Any], *, school_name: str | None = None) -> dict[str, Any]:
    """GOV-09: everything ``policy/document.html`` needs to show the policy."""
    return document_context(build_policy(config, school_name=school_name))
