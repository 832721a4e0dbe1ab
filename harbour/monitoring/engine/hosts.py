"""Host normalisation and URL splitting (FLT-08).

Every log format ends in the same two questions: which host was asked for,
and what path (with query) followed it.  The answers must be identical in the
reference and fast paths, so both call these functions.

Rules:
- the host is lower-cased; userinfo (``user:pw@``), the port and leading and
  trailing dots are removed (Squid logs ``CONNECT .example.com:443`` when a
  client asks for a name with a leading dot: it is a request for example.com);
  an IPv6 literal in brackets is kept without the brackets;
- only ASCII letters, digits, ``_``, ``-`` and ``.`` are accepted in a host
  name (IDNs appear in logs as punycode); anything else is not a request;
- a URL with a scheme (``http://``, ``https://``, ...) may name any host; a
  URL without one (Squid's ``CONNECT host:443``) must carry a port or a dotted
  host, so that Squid's ``error:invalid-request`` placeholders are not requests;
- the path is everything after the host, starting with ``/`` (``/`` if none).
"""

from __future__ import annotations

import re
from functools import lru_cache

_NAME = re.compile(r"[0-9a-z_][0-9a-z_.\-]*\Z")
_IPV6 = re.compile(r"[0-9a-f]*:[0-9a-f:.]*\Z")
_IPV4 = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}\Z")
# optional scheme, then the authority up to the first "/", "?" or "#", then the rest
_URL = re.compile(r"(?:([A-Za-z][A-Za-z0-9+.\-]*)://)?([^/?#]*)(.*)", re.DOTALL)


@lru_cache(maxsize=1 << 16)
def normalise_host(authority: str) -> str | None:
    """Return the normalised host of ``[userinfo@]host[:port]``, or None when it is not a host."""
    at = authority.rfind("@")
    if at >= 0:
        authority = authority[at + 1 :]
    if authority.startswith("["):
        end = authority.find("]")
        if end < 0:
            return None
        host = authority[1:end].lower()
        rest = authority[end + 1 :]
        if rest and not (rest[0] == ":" and rest[1:].isdigit()):
            return None
        return host if _IPV6.match(host) else None
    colon = authority.find(":")
    if colon >= 0:
        port = authority[colon + 1 :]
        if port and not (port.isascii() and port.isdigit()):
            return None
        authority = authority[:colon]
    host = authority.strip(".").lower()
    if not host.isascii() or not _NAME.match(host):
        return None
    return host


def split_url(url: str) -> tuple[str, str] | None:
    """Split a logged URL into (host, path); None when no host can be found."""
    m = _URL.match(url)
    scheme, authority, path = m.group(1, 2, 3)  # type: ignore[union-attr]  # the pattern always matches
    if not path:
        path = "/"
    elif path[0] != "/":
        path = "/" + path
    host = normalise_host(authority)
    if host is None:
        return None
    if scheme is None and "." not in host and ":" not in authority:
        return None
    return host, path


def is_ip_literal(host: str) -> bool:
    """IPv4 dotted quad or IPv6: looked up exactly, never by parent domain."""
    return bool(_IPV4.match(host)) or ":" in host


def parent_domains(host: str) -> list[str]:
    """``a.b.c`` -> ``["a.b.c", "b.c", "c"]``; an IP literal gives only itself."""
    if is_ip_literal(host):
        return [host]
    out = [host]
    dot = host.find(".")
    while dot >= 0:
        host = host[dot + 1 :]
        if host:
            out.append(host)
        dot = host.find(".")
    return out
