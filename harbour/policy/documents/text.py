"""The policy as plain text, one paragraph or list item per line (used for rendered-text diffs).

Stable: the same configuration always gives the same text, and nothing in it depends on the time
or the order of a dict, so two versions' texts diff cleanly (GOV-05 diff of rendered text).
"""

from __future__ import annotations

from typing import Any

from .builder import build_policy
from .model import PolicyDocument


def document_lines(doc: PolicyDocument) -> list[str]:
    lines = [doc.school_name, doc.title]
    if doc.subtitle:
        lines.append(doc.subtitle)
    if doc.key_details:
        lines.append("Key details")
        lines += [f"{label}: {value}" for label, value in doc.key_details]
    for block in doc.intro:
        lines += block.lines()
    if doc.show_contents:
        lines.append("Contents")
        lines += [s.heading for s in doc.contents()]
    for section in doc.all_sections():
        lines.append(section.heading)
        for block in section.blocks:
            lines += block.lines()
    return [" ".join(line.split()) for line in lines if line.strip()]


def render_policy_text(config: dict[str, Any], *, school_name: str | None = None) -> str:
    """GOV-09: the whole policy as text, ending with a newline."""
    return "\n".join(document_lines(build_policy(config, school_name=school_name))) + "\n"
