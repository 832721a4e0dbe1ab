"""The school's own words in its generated document (issue #21 point 5, GOV-09).

A configuration may give, for any section of the generated policy (by the section's key, as shown in
the document's anchors: ``devices-learners``, ``social-staff``…), the school's own Markdown text to put
``before`` or ``after`` Harbour's text, or ``instead`` of it, and its own ``title``::

    sections:
      devices-learners:
        instead: |
          Pupils in Years 5 and 6 who walk home alone may bring a phone. It is handed in at the office.
      review:
        after: The policy is reviewed with the school council each spring.

Markdown is kept to what a policy needs: paragraphs (blank line between) and ``- `` bullet lists. The
text is stored and rendered as text (the renderers escape it), never as HTML.

Pure module: no Django.
"""

from __future__ import annotations

import difflib
from typing import Any

SECTIONS_KEY = "sections"
PLACES = ("before", "after", "instead", "title")
MAX_TEXT = 20_000

# The keys of the generated document's sections (harbour/policy/documents/build_*.py). A test checks
# this list against the builder so the two cannot drift apart; "type-…" keys follow the concern types.
SECTION_KEYS: tuple[str, ...] = (
    "aims", "scope", "linked", "review", "roles", "leadership", "dsl", "governors", "staff", "technical",
    "learners", "parents", "reporting", "raising", "types", "staff-conduct", "education", "edu-learners",
    "edu-vulnerable", "edu-staff", "edu-parents", "technology", "tech-classroom", "tech-accounts",
    "tech-platforms", "filtering", "monitoring", "devices", "devices-all", "devices-staff", "devices-learners",
    "devices-exams", "devices-visitors", "devices-official", "social", "social-all", "social-staff",
    "social-learners", "social-official", "email", "images", "ai", "remote", "contacts", "contacts-school",
    "contacts-police", "contacts-local", "contacts-technical", "contacts-national",
)  # fmt: skip


def check_sections(value: Any) -> list[Any]:
    """Every problem with a ``sections`` mapping, as ConfigErrors."""
    from harbour.policy.rules.schema_validate import ConfigError

    if value is None:
        return []
    if not isinstance(value, dict):
        return [ConfigError(SECTIONS_KEY, "expected a mapping of section keys to before/after/instead text")]
    errors = []
    for key, parts in value.items():
        path = f"{SECTIONS_KEY}.{key}"
        if not isinstance(key, str) or not (key in SECTION_KEYS or key.startswith("type-")):
            close = difflib.get_close_matches(str(key), SECTION_KEYS, n=3, cutoff=0.5)
            hint = f"did you mean {', '.join(close)}?" if close else "the keys are the anchors of the sections"
            errors.append(ConfigError(path, f"unknown section; sections: {', '.join(SECTION_KEYS)}", hint=hint))
            continue
        if not isinstance(parts, dict):
            errors.append(ConfigError(path, "expected before:, after:, instead: or title: with the school's text"))
            continue
        for place, text in parts.items():
            if place not in PLACES:
                errors.append(ConfigError(f"{path}.{place}", f"unknown place; use one of {', '.join(PLACES)}"))
            elif not isinstance(text, str) or not text.strip():
                errors.append(
                    ConfigError(f"{path}.{place}", "expected text (Markdown)", hint="quote it if it is a number")
                )
            elif len(text) > MAX_TEXT:
                errors.append(ConfigError(f"{path}.{place}", f"too long ({len(text)} characters; at most {MAX_TEXT})"))
    return errors
