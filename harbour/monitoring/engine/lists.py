"""Category lists: UT1/Shalla trees plus the school's allow and block lists (FLT-08, FLT-09).

On disk (UT1 layout)::

    DIR/<category>/domains   one domain per line
    DIR/<category>/urls      optional, one ``host/path`` prefix per line

``#`` starts a comment; blank lines are ignored; only the first
whitespace-separated word of a line is read; a leading ``*.`` or ``.`` on a
domain is dropped.  Entries that are not host names are skipped and counted.

School lists (allow, block) hold one entry per line; an entry with a ``/`` is
a URL prefix, anything else is a domain.  Allow wins over everything: an
allowed request is in no category.  The block list adds the category
``school_block``.

The loaded structures are plain dicts so that the fast path can reuse them:
``domains`` maps a domain to the sorted tuple of its categories, ``urls`` maps
a host to ``((path_prefix, categories), ...)``.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from .hosts import _IPV4, normalise_host, parent_domains, split_url

__all__ = [
    "SCHOOL_BLOCK",
    "CategoryDB",
    "ListError",
    "domain_walk",
    "load_categories",
    "normalise_host",
    "parent_domains",
    "parse_entry",
    "read_list_file",
    "split_url",
]

SCHOOL_BLOCK = "school_block"
_HOST_CACHE = 1 << 17
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://")
_CATEGORY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")


class ListError(Exception):
    """A list folder or file that cannot be used; the message names it."""


def read_list_file(path: str | os.PathLike) -> Iterator[str]:
    """Yield the raw entries of one list file (comments, blanks and trailing words removed)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ListError(f"{path}: cannot read list file ({exc.strerror or exc})") from None
    for line in data.decode("utf-8", errors="replace").splitlines():
        hash_at = line.find("#")
        if hash_at >= 0:
            line = line[:hash_at]
        words = line.split(None, 1)
        if words:
            yield words[0]


def parse_entry(entry: str) -> tuple[str, str] | None:
    """``("example.com", "")`` for a domain, ``("example.com", "/path")`` for a URL prefix; None if invalid."""
    m = _SCHEME.match(entry)
    if m:
        entry = entry[m.end() :]
    if "/" in entry:
        parts = split_url(entry)
        if parts is None:
            # Single-label hosts are fine in lists even without a dot.
            authority, _, rest = entry.partition("/")
            host = normalise_host(authority)
            if host is None:
                return None
            return host, "/" + rest
        host, path = parts
        return host, path
    while entry.startswith(("*.", ".")):
        entry = entry[2:] if entry.startswith("*.") else entry[1:]
    host = normalise_host(entry)
    if host is None:
        return None
    return host, ""


def domain_walk(
    host: str, get: Callable[[str], tuple[str, ...] | None], allow: AbstractSet[str]
) -> tuple[tuple[str, ...], bool]:
    """(sorted categories of ``host`` by domain, allowed by domain): THE parent-domain walk (issue #19).

    The host and each parent domain (``a.b.c``, ``b.c``, ``c``; an IP literal only itself) are
    looked up with ``get``; the categories found are united, and the host is allowed when any of
    them is in ``allow``.  Both engine paths call this one function (the reference through
    ``CategoryDB.categorise``, the fast path once per distinct host), whatever ``get`` is: a dict,
    or the memory-mapped index.
    """
    found = get(host) or ()
    allowed = bool(allow) and host in allow
    many: set[str] | None = None
    if not ((host[-1:].isdigit() and _IPV4.match(host)) or ":" in host):
        dot = host.find(".")
        while dot >= 0:
            parent = host[dot + 1 :]
            if parent:
                if allow and parent in allow:
                    allowed = True
                cats = get(parent)
                if cats:
                    if not found:
                        found = cats
                    elif cats != found:
                        many = (many or set(found)) | set(cats)
            dot = host.find(".", dot + 1)
    if many is not None:
        return tuple(sorted(many)), allowed
    return found, allowed


@dataclass
class CategoryDB:
    """Domains and URL prefixes by category, plus the school's allow list.

    Treat an instance as read-only once built (lookups are cached per host);
    to change the lists build a new one, e.g. with ``dataclasses.replace``.
    """

    domains: dict[str, tuple[str, ...]] = field(default_factory=dict)
    urls: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = field(default_factory=dict)
    allow_domains: frozenset[str] = frozenset()
    allow_urls: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # category -> (number of domains, number of url prefixes), for summaries
    sizes: dict[str, tuple[int, int]] = field(default_factory=dict)
    skipped: int = 0  # list lines that were not valid entries
    # host -> (categories by domain, URL entries of the host or None, allowed by domain); a cache only.
    # init=False: dataclasses.replace() must give a new, empty cache, never share this one.
    _hosts: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state["_hosts"] = {}
        return state

    def _host_info(self, host: str) -> tuple[tuple[str, ...], tuple | None, bool]:
        found, allowed = domain_walk(host, self.domains.get, self.allow_domains)
        info = (found, self.urls.get(host), allowed)
        if len(self._hosts) >= _HOST_CACHE:
            self._hosts.clear()
        self._hosts[host] = info
        return info

    def with_school_lists(self, *, allow: Iterable[str] = (), block: Iterable[str] = ()) -> CategoryDB:
        """These lists with a school's allow entries (allow wins) and block entries laid over them.

        Nothing is copied: the result looks entries up in the school's lists, then in these, so a
        memory-mapped index (index.py) stays shared.  Categories are the same as if the entries had
        been in the lists from the start.
        """
        own = CategoryDB.build({}, allow=allow, block=block)
        if not own.domains and not own.urls and not own.allow_domains and not own.allow_urls:
            return self
        return dataclasses.replace(
            self,
            domains=_Overlay(own.domains, self.domains) if own.domains else self.domains,
            urls=_Overlay(own.urls, self.urls, entries=True) if own.urls else self.urls,
            allow_domains=own.allow_domains,
            allow_urls=own.allow_urls,
            sizes={**self.sizes, **own.sizes},
            skipped=self.skipped + own.skipped,
        )

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self.sizes))

    def is_allowed(self, host: str, path: str) -> bool:
        allow = self.allow_domains
        if allow:
            for domain in parent_domains(host):
                if domain in allow:
                    return True
        prefixes = self.allow_urls.get(host)
        return bool(prefixes) and any(path.startswith(p) for p in prefixes)

    def categorise(self, host: str, path: str) -> tuple[str, ...]:
        """Sorted categories of a request; () when none or when allowed (allow wins)."""
        info = self._hosts.get(host)
        if info is None:
            info = self._host_info(host)
        found, entries, allowed = info
        if allowed:
            return ()
        if self.allow_urls:
            prefixes = self.allow_urls.get(host)
            if prefixes and any(path.startswith(p) for p in prefixes):
                return ()
        if not entries:
            return found
        many: set[str] | None = None
        for prefix, cats in entries:
            if path.startswith(prefix):
                if not found:
                    found = cats
                elif cats != found:
                    many = (many or set(found)) | set(cats)
        if many is not None:
            return tuple(sorted(many))
        return found

    @classmethod
    def build(
        cls,
        categories: Mapping[str, Iterable[str]],
        *,
        allow: Iterable[str] = (),
        block: Iterable[str] = (),
    ) -> CategoryDB:
        """Build from entries in memory: ``{category: [domain or host/path, ...]}``."""
        builder = _Builder()
        for name, entries in categories.items():
            builder.add(name, entries)
        builder.add(SCHOOL_BLOCK, block, keep_empty=False)
        allow_domains: set[str] = set()
        allow_urls: dict[str, list[str]] = {}
        for raw in allow:
            parsed = parse_entry(raw)
            if parsed is None:
                builder.skipped += 1
                continue
            host, path = parsed
            if path:
                allow_urls.setdefault(host, []).append(path)
            else:
                allow_domains.add(host)
        return cls(
            domains=builder.domains,
            urls={h: tuple((p, tuple(sorted(c))) for p, c in sorted(v.items())) for h, v in builder.urls.items()},
            allow_domains=frozenset(allow_domains),
            allow_urls={h: tuple(sorted(set(v))) for h, v in allow_urls.items()},
            sizes=builder.sizes,
            skipped=builder.skipped,
        )


class _Overlay:
    """A school's few entries over the shared lists, read-only: ``get`` unites both answers."""

    def __init__(self, own: Mapping, base: Mapping, *, entries: bool = False) -> None:
        self.own, self.base, self.entries = own, base, entries

    def get(self, key: str, default=None):
        mine = self.own.get(key)
        theirs = self.base.get(key)
        if mine is None:
            return default if theirs is None else theirs
        if theirs is None:
            return mine
        if self.entries:  # URL entries: ((prefix, categories), ...), each prefix's categories kept
            return tuple(sorted((*theirs, *mine)))
        return tuple(sorted({*theirs, *mine}))

    def __contains__(self, key: object) -> bool:
        return key in self.own or key in self.base

    def get_many(self, keys: list[str]) -> dict:
        """As ``MappedDomains.get_many`` (the base's batched lookup), with the school's entries laid over."""
        many = getattr(self.base, "get_many", None)
        found = many(keys) if many is not None else {k: v for k in keys if (v := self.base.get(k)) is not None}
        for key in keys:
            if key in self.own:
                found[key] = self.get(key)
        return found

    def has_many(self, keys: list[str]) -> set[str]:
        many = getattr(self.base, "has_many", None)
        found = many(keys) if many is not None else {k for k in keys if k in self.base}
        return found | {k for k in keys if k in self.own}

    def __len__(self) -> int:
        return len(self.base) + sum(1 for key in self.own if key not in self.base)


class _Builder:
    """Accumulates entries; shares one tuple object per distinct set of categories."""

    def __init__(self) -> None:
        self.domains: dict[str, tuple[str, ...]] = {}
        self.urls: dict[str, dict[str, set[str]]] = {}
        self.sizes: dict[str, tuple[int, int]] = {}
        self.skipped = 0
        self._tuples: dict[tuple[str, ...], tuple[str, ...]] = {}

    def _union(self, current: tuple[str, ...], name: str) -> tuple[str, ...]:
        merged = tuple(sorted({*current, name}))
        return self._tuples.setdefault(merged, merged)

    def add(self, name: str, entries: Iterable[str], *, keep_empty: bool = True) -> None:
        single = self._tuples.setdefault((name,), (name,))
        domains = self.domains
        n_domains = n_urls = 0
        for raw in entries:
            parsed = parse_entry(raw)
            if parsed is None:
                self.skipped += 1
                continue
            host, path = parsed
            if path:
                self.urls.setdefault(host, {}).setdefault(path, set()).add(name)
                n_urls += 1
                continue
            n_domains += 1
            current = domains.get(host)
            if current is None:
                domains[host] = single
            elif name not in current:
                domains[host] = self._union(current, name)
        if keep_empty or n_domains or n_urls:
            old = self.sizes.get(name, (0, 0))
            self.sizes[name] = (old[0] + n_domains, old[1] + n_urls)


def load_categories(
    lists_dir: str | os.PathLike,
    *,
    allow: str | os.PathLike | None = None,
    block: str | os.PathLike | None = None,
) -> CategoryDB:
    """Load a UT1/Shalla tree and optional allow/block files; ListError with a clear message otherwise."""
    root = Path(lists_dir)
    if not root.is_dir():
        raise ListError(f"{root}: list folder not found")
    categories: dict[str, Iterable[str]] = {}
    for child in sorted(root.iterdir()):
        if child.name.startswith(".") or not child.is_dir():
            continue
        files = [child / "domains", child / "urls"]
        present = [f for f in files if f.is_file()]
        if not present:
            continue
        if not _CATEGORY_NAME.match(child.name):
            raise ListError(f"{child}: category folder names may use letters, digits, '_', '-' and '.' only")
        categories[child.name] = _chain(present)
    if not categories:
        raise ListError(f"{root}: no categories found (expected {root}/<category>/domains)")
    return CategoryDB.build(
        categories,
        allow=read_list_file(allow) if allow is not None else (),
        block=read_list_file(block) if block is not None else (),
    )


def _chain(paths: list[Path]) -> Iterator[str]:
    for path in paths:
        yield from read_list_file(path)
