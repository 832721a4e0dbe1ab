"""The school's own Markdown in its generated document (issue #21 point 5).

Kept here as well as in ``harbour.policy.rules.document_text`` (which checks the configuration) because
the document builders import nothing from outside this package: paragraphs and "- " bullet lists only.
"""

from __future__ import annotations

from typing import Any

SECTIONS_KEY = "sections"


def markdown_blocks(text: str) -> list[tuple[str, Any]]:
    """Paragraphs and bullet lists of a small Markdown text: [("p", text) | ("list", [items])]."""
    out: list[tuple[str, Any]] = []
    for chunk in [c.strip() for c in text.replace("\r\n", "\n").split("\n\n") if c.strip()]:
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        if all(line.startswith(("- ", "* ")) for line in lines):
            out.append(("list", [line[2:].strip() for line in lines]))
        else:
            out.append(("p", " ".join(lines)))
    return out
