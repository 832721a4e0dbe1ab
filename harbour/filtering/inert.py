"""Web addresses in breach records as inert, defanged text (INC-FILT-09). Plain Python, no Django.

An address in a breach may lead to the very material that got through the filter, so it is never
a link, never fetched and never previewed. On top of showing it as plain text, the address is
defanged (``hxxps://example[.]com``) so that neither a browser, a mail client nor a PDF reader can
turn it back into a link, and a copy and paste does not open it by accident. Detection is the
concerns app's one detector (``concerns.addresses``), which errs on the side of hiding too much.
"""

from __future__ import annotations

import re

from harbour.concerns.addresses import address_spans, plain_dots

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]{0,20})://", re.IGNORECASE)


def defang(address: str) -> str:
    """``https://bad.example/x`` -> ``hxxps://bad[.]example/x``: readable, but no longer an address."""
    # Look-alike and defanged dots (example。com, example[.]com) are written plainly first, so every
    # address comes out defanged the same way.
    text = plain_dots(address.strip())
    scheme = _SCHEME.match(text)
    prefix = ""
    if scheme:
        name = scheme.group(1).lower()
        prefix = {"http": "hxxp", "https": "hxxps", "ftp": "fxp"}.get(name, name) + "[://]"
        text = text[scheme.end() :]
    host, slash, rest = text.partition("/")
    host = host.replace(".", "[.]")
    return f"{prefix}{host}{slash}{rest.replace('.', '[.]') if rest else ''}"


def defang_text(text: str) -> str:
    """Free text with every web address in it defanged; everything else as written."""
    pieces: list[str] = []
    position = 0
    for start, end in address_spans(text):
        pieces.extend((text[position:start], defang(text[start:end])))
        position = end
    pieces.append(text[position:])
    return "".join(pieces)
