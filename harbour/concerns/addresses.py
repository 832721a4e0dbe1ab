"""Finding web addresses in free text, so they can be hidden or shown inert (INC-IIOC-07, INC-FILT-09).

Plain Python, no Django: the concern page, the API, the chronology and its PDF, and the filtering
breach records all hide addresses with this one detector, which errs on the side of hiding too much.

People type addresses in many shapes, and some shapes are chosen precisely to get past a filter or
a link detector. Besides ordinary addresses the detector finds:

- scheme-less IP-literal addresses: ``192.168.1.10/images``, ``10.0.0.5:8080``, and bracketed
  IPv6 ones with a port or a path (``[2001:db8::1]/x``);
- defanged dots: ``example[.]com``, ``example(.)com``, ``example{.}com``, ``example[dot]com``;
- look-alike dots and letters: the ideographic full stop ``。``, the fullwidth ``．`` and the
  halfwidth ideographic ``｡`` (and every other character that Unicode compatibility folding turns
  into a full stop, a slash, a colon or a Latin letter, such as fullwidth ``ｅｘａｍｐｌｅ``);
- protocol-relative ``//example.com/x`` and defanged schemes (``hxxp://``, ``https[://]``).

Matching runs on a copy of the text in which each character is folded on its own (NFKC), so every
position in the copy is the same position in the original and spans can be cut from either.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

HIDDEN_TEXT = "[web address hidden]"

# Dots people type instead of ".": after folding, the fullwidth and halfwidth forms become "." or
# the ideographic full stop, which is listed here with the defanged spellings.
_DOT = r"(?:\.|。|\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\))"
_LABEL = r"[^\W_](?:[\w\-]{0,61}[^\W_])?"
_TLD = r"(?:[a-z]{2,24}|xn--[a-z0-9\-]{1,59})"
_PORT_OR_PATH = r"(?:[/?\#:]\S*)?"
# A bare domain never starts in the middle of a chain of labels: not right after a dot (the
# lookbehind in _ADDRESS) and not right after a label followed by a disguised dot either. Without
# the second rule every label of "a[dot]a[dot]..." was a fresh start that scanned to the end of
# the chain, so the work grew with the square of the text (security finding 4: a long description
# hung the page). Each chain now has one start, so the detector stays linear. Python lookbehinds
# are fixed width, hence one per disguised dot.
_NOT_AFTER_LABEL_AND_DOT = "".join(
    rf"(?<![^\W_]{dot})" for dot in (r"。", r"\[\.\]", r"\(\.\)", r"\{\.\}", r"\[dot\]", r"\(dot\)")
)
# Any one to three digits: "999.1.1.1" is not a working address, but hiding it costs nothing.
_OCTET = r"\d{1,3}"

_ADDRESS = re.compile(
    rf"""
    \b[a-z][a-z0-9+.\-]{{1,20}}(?:://|\[://\]|\[:\]//)\S+       # a scheme, also defanged (hxxp://, https[://])
    | (?<![\w:/])//(?:{_LABEL}{_DOT})+{_TLD}\b{_PORT_OR_PATH}     # protocol-relative //example.com/x
    | \bwww\d{{0,3}}{_DOT}\S+                                    # www.example.com without a scheme
    | (?<![\w.])(?:{_OCTET}{_DOT}){{3}}{_OCTET}(?!\w)(?!{_DOT}\w) # an IP literal, with or without a path
      {_PORT_OR_PATH}
    | (?<![\w\[])\[(?:[0-9a-f]{{0,4}}:){{2,7}}[0-9a-f]{{0,4}}\]          # a bracketed IPv6 literal with a port or path
      (?=[:/?\#])(?::\d{{1,5}})?{_PORT_OR_PATH}
    | (?<![@\w.\-/]){_NOT_AFTER_LABEL_AND_DOT}                     # a bare domain, but not the end of an email
      (?:{_LABEL}{_DOT})+{_TLD}\b
      {_PORT_OR_PATH}
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Sentence punctuation that ends up glued to an address, as in "see example.com/page." (checked on
# the folded copy, so an ideographic full stop at the end of a sentence is trimmed too).
_TRAILING = ".,;:!?)]}'\"。"


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def fold(text: str) -> str:
    """``text`` with each character folded on its own (NFKC), so positions do not move.

    Fullwidth letters, dots, slashes and colons become their ASCII selves; a character whose folded
    form is longer than one character (a ligature) is kept as it is.
    """
    if text.isascii():
        return text
    return "".join(_fold_char(char) for char in text)


def address_spans(text: str) -> Iterator[tuple[int, int]]:
    """Start and end of every web address in ``text``. Errs on the side of hiding too much."""
    folded = fold(text)
    for match in _ADDRESS.finditer(folded):
        start, end = match.span()
        while end > start and folded[end - 1] in _TRAILING:
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


_ODD_DOTS = re.compile(r"\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|。", re.IGNORECASE)


def plain_dots(address: str) -> str:
    """An address with its look-alike and defanged dots written as ".", for defanging it again."""
    return _ODD_DOTS.sub(".", fold(address))
