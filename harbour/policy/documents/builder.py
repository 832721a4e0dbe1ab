"""Assemble the school's policy document from its flat configuration (GOV-09).

``build_policy(config)`` is the single entry point every renderer uses. Sections adapt to the
configuration (topic or whole-school policy, where incident procedures live, remote learning on or
off); nothing here knows any particular school.
"""

from __future__ import annotations

from typing import Any

from . import (
    build_ai,
    build_contacts,
    build_devices,
    build_education,
    build_front,
    build_reporting,
    build_roles,
    build_social,
    build_systems,
)
from .clauses import attach_clauses
from .model import Block, PolicyDocument, bullets, p
from .own_text import SECTIONS_KEY, markdown_blocks
from .words import Config


def build_policy(config: dict[str, Any], *, school_name: str | None = None) -> PolicyDocument:
    """The whole policy: key details, contents and numbered sections, each section carrying the
    school's own clause references for what it covers (``clauses.attach_clauses``)."""
    cfg = Config(config, school_name=school_name)
    doc = PolicyDocument(
        title=cfg.title,
        school_name=cfg.school,
        key_details=build_front.key_details(cfg),
        intro=[p(build_front.review_statement(cfg), "GOV-03")],
        key_details_covers=build_front.KEY_DETAILS_ROWS,
        sections=[
            build_front.aims(cfg),
            build_front.scope(cfg),
            build_front.linked_policies(cfg),
            build_front.monitoring_and_review(cfg),
            build_roles.roles(cfg),
            build_reporting.reporting(cfg),
            build_education.education(cfg),
            build_education.technology(cfg),
            build_systems.filtering(cfg),
            build_devices.devices(cfg),
            build_social.social(cfg),
            build_systems.email(cfg),
            build_systems.images(cfg),
            build_ai.ai(cfg),
            build_systems.remote_learning(cfg),
            build_contacts.contacts(cfg),
        ],
    )
    apply_own_text(doc, (config or {}).get(SECTIONS_KEY))
    return attach_clauses(doc.number(), (config or {}).get("clauses"))


def apply_own_text(doc: PolicyDocument, own: dict[str, Any] | None) -> None:
    """Issue #21 point 5: the school's own Markdown before, after or instead of Harbour's text, and its
    own heading. A section replaced by the school's text loses Harbour's subsections too."""
    if not own:
        return
    for section in doc.all_sections():
        parts = own.get(section.key)
        if not parts:
            continue
        if parts.get("title"):
            section.title = str(parts["title"])
        if parts.get("instead"):
            section.blocks = _blocks(parts["instead"])
            section.subsections = []
        if parts.get("before"):
            section.blocks = _blocks(parts["before"]) + section.blocks
        if parts.get("after"):
            section.blocks = section.blocks + _blocks(parts["after"])


def _blocks(text: str) -> list[Block]:
    out: list[Block] = []
    for kind, body in markdown_blocks(str(text)):
        out.append(bullets(body) if kind == "list" else p(body))
    return out
