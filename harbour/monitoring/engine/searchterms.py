"""Search terms from search-engine and video-site URLs (FLT-08).

Only the sites listed in ``SITES`` (and Google/Yandex on any country domain)
yield terms; every other URL yields "".  The terms are the value of the
site's query parameter (the first non-empty one, in query order), decoded:
``+`` becomes a space, then ``%xx`` escapes are decoded as UTF-8 (invalid
bytes become U+FFFD).  Double-encoded values (``%2520``) are decoded again,
at most three rounds in all, so a hostile value cannot make us loop.  Control
characters become spaces, runs of whitespace one space, and the ends are
trimmed.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from .hosts import parent_domains

# domain -> (path prefixes that are searches, or () for any path; query parameters holding the terms)
SITES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bing.com": (("/search", "/images/search", "/videos/search", "/news/search"), ("q",)),
    "duckduckgo.com": ((), ("q",)),
    "search.yahoo.com": (("/search",), ("p", "q")),
    "video.search.yahoo.com": (("/search",), ("p",)),
    "youtube.com": (("/results", "/search"), ("search_query", "q")),
    "ecosia.org": (("/search", "/images", "/videos"), ("q",)),
    "startpage.com": (("/do/search", "/sp/search", "/search"), ("query", "q")),
    "baidu.com": (("/s",), ("wd", "word")),
    "ask.com": (("/web", "/search"), ("q",)),
    "search.aol.com": (("/aol/search", "/search"), ("q",)),
    "search.brave.com": (("/search", "/images", "/videos"), ("q",)),
    "qwant.com": ((), ("q",)),
    "swisscows.com": (("/web", "/images", "/video"), ("query",)),
    "vimeo.com": (("/search",), ("q",)),
    "tiktok.com": (("/search",), ("q",)),
    "dailymotion.com": (("/search",), ("q",)),
    "twitch.tv": (("/search",), ("term",)),
    "reddit.com": (("/search", "/r/"), ("q",)),
    "x.com": (("/search",), ("q",)),
    "twitter.com": (("/search",), ("q",)),
    "pinterest.com": (("/search",), ("q",)),
    "pinterest.co.uk": (("/search",), ("q",)),
    "wikipedia.org": (("/w/index.php", "/wiki/special:search", "/wiki/Special:Search"), ("search",)),
}
_GOOGLE = re.compile(r"(?:^|\.)google\.(?:[a-z]{2,3}|co\.[a-z]{2}|com\.[a-z]{2})\Z")
_GOOGLE_PATHS = ("/search", "/webhp", "/images", "/videos", "/")
_YANDEX = re.compile(r"(?:^|\.)yandex\.(?:[a-z]{2,3}|com\.[a-z]{2})\Z")
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_ROUNDS = 3


def decode_terms(value: str) -> str:
    """Decode one query-string value as described in the module docstring."""
    text = value.replace("+", " ")
    for _ in range(MAX_ROUNDS):
        if "%" not in text:
            break
        decoded = unquote(text, errors="replace")
        if decoded == text:
            break
        text = decoded
    text = _CONTROL.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _site(host: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    if _GOOGLE.search(host):
        return _GOOGLE_PATHS, ("q",)
    if _YANDEX.search(host):
        return ("/search", "/images/search", "/video/search"), ("text",)
    for domain in parent_domains(host):
        site = SITES.get(domain)
        if site is not None:
            return site
    return None


def _route_ok(route: str, prefixes: tuple[str, ...]) -> bool:
    """``/search`` covers ``/search`` and ``/search/...``; ``/r/`` covers ``/r/...``; ``/`` only ``/``."""
    for p in prefixes:
        if route == p:
            return True
        if p == "/":
            continue
        if route.startswith(p if p.endswith("/") else p + "/"):
            return True
    return False


def search_terms(host: str, path: str) -> str:
    """Decoded search terms when ``host``+``path`` is a search on a known site, else ""."""
    if "?" not in path:
        return ""
    return site_terms(_site(host), path)


def site_terms(site: tuple[tuple[str, ...], tuple[str, ...]] | None, path: str) -> str:
    """``search_terms`` once the host's site (``_site(host)``) is known: the fast path looks it up once per host."""
    q = path.find("?")
    if q < 0 or site is None:
        return ""
    prefixes, params = site
    route = path[:q]
    if prefixes and not _route_ok(route, prefixes):
        return ""
    query = path[q + 1 :]
    hash_at = query.find("#")
    if hash_at >= 0:
        query = query[:hash_at]
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key in params and value:
            terms = decode_terms(value)
            if terms:
                return terms
    return ""
