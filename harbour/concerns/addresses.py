"""Finding web addresses in free text, so they can be hidden or shown inert (INC-IIOC-07, INC-FILT-09).

Plain Python, no Django: the concern page, the API, the chronology and its PDF all hide addresses
with this one detector, which errs on the side of hiding too much.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

HIDDEN_TEXT = "[web address hidden]"

_ADDRESS = re.compile(
    r"""
    \b[a-z][a-z0-9+.\-]{1,20}://\S+               # anything with a scheme, including defanged ones (hxxp://)
    | \bwww\d{0,3}\.\S+                             # www.example.com without a scheme
    | (?<![@\w.\-/])                                # a bare domain, but not the end of an email address
      (?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b
      (?:[/?\#:]\S*)?
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Sentence punctuation that ends up glued to an address, as in "see example.com/page."
_TRAILING = ".,;:!?)]}'\""


def address_spans(text: str) -> Iterator[tuple[int, int]]:
    """Start and end of every web address in ``text``. Errs on the side of hiding too much."""
    for match in _ADDRESS.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _TRAILING:
            end -= 1
        if end > start:
            yield start, end


def hide_addresses(text: str, placeholder: str = HIDDEN_TEXT) -> str:
    """Plain text with every web address replaced by the placeholder (for the API and exports)."""
    pieces: list[str] = []
    position = 0
    for start, end in address_spans(text):
        pieces.extend((text[position:start], placeholder))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
