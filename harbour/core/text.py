"""Control characters never enter Harbour (issue #12 point 8).

A NUL byte cannot be stored in a PostgreSQL text or JSON column, so one in a search box used to
crash the audit write behind it; other control characters are invisible, can hide text from a
reader and break exported files. No Harbour field has a use for them. Tabs and line breaks are
kept: multi-line text (a concern's description, a policy's configuration) needs them.

``clean_text`` is applied once, at the edge (``harbour.core.middleware_input`` for forms and
query strings, ``harbour.core.api_parsers`` for API bodies), and again by the audit trail, which
also stores text that never came through a form (file names, user agents, log lines).
"""

from __future__ import annotations

import re
from typing import Any

# C0 controls except tab (\x09), line feed (\x0a) and carriage return (\x0d); DEL; C1 controls;
# and lone UTF-16 surrogates, which a JSON "\ud800" escape can smuggle in and no database can store.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Word's manual line break (vertical tab) and page break (form feed) arrive in pasted text:
# they become ordinary line breaks rather than disappearing and gluing two words together.
_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n"})


def has_control(text: str) -> bool:
    return bool(_CONTROL.search(text)) or "\x0b" in text or "\x0c" in text


def clean_text(text: str) -> str:
    """``text`` without control characters; tabs and line breaks stay."""
    if not has_control(text):
        return text
    return _CONTROL.sub("", text.translate(_BREAKS))


def clean_data(value: Any) -> Any:
    """Every string (keys too) of a parsed JSON value through ``clean_text``."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(key)): clean_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(item) for item in value]
    return value


def has_control_in_keys(value: Any) -> bool:
    """Whether any object key of a parsed JSON value holds a control character."""
    if isinstance(value, dict):
        return any(has_control(str(key)) or has_control_in_keys(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(has_control_in_keys(item) for item in value)
    return False
