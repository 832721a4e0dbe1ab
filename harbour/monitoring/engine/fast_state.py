"""What the fast path learns once per distinct host, person, search URL and search terms (FLT-08, issue #6).

``FastState`` lives for a whole scan (and for later pieces of the same lists in
the same process: see fast._state).  The kernel interns hosts and persons into
tables kept here; each new host is categorised once (``_categorise_by_domain``,
the same walk as ``CategoryDB.categorise``), and its search site looked up once.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np

from .fast_kernel import new_table
from .hosts import parent_domains
from .keywords import KeywordSet
from .lists import CategoryDB, domain_walk
from .reference import _DayCache
from .searchterms import SITES, _site, site_terms

FIELD_MASK = (1 << 20) - 1  # category set ids and days fit in 20 bits of a counting key
# Caches of search terms and keyword matches: at most this many entries each, and only for paths
# of at most _CACHED_LEN characters, so they stay under about 40 MB each whatever the log holds.
_CACHE_MAX = 1 << 16
_CACHED_LEN = 512


_SITE_ENDS = tuple(SITES)


def _maybe_site(host: str) -> bool:
    """Cheap necessary condition for ``searchterms._site(host)`` not being None (Google, Yandex or SITES)."""
    return "google." in host or "yandex." in host or host.endswith(_SITE_ENDS)


class FastState:
    """What is learnt once per scan: each distinct host's category set and kind."""

    def __init__(self, categories: CategoryDB, keywords: KeywordSet, flag_categories: frozenset[str]) -> None:
        self.db = categories
        self.keywords = keywords
        self.flag_categories = flag_categories
        self.catsets: list[tuple[str, ...]] = [()]
        self._catset_ids: dict[tuple[str, ...], int] = {(): 0}
        self.flagged: list[tuple[str, ...]] = [()]  # per category set: its flagged categories
        # host -> (category set id, URL prefixes matter, search site)
        self.hosts: dict[str, tuple[int, bool, bool]] = {}
        # (host, allowed by an allow-list URL, matching list prefixes) -> category set id
        self.patterns: dict[tuple[str, bool, tuple[int, ...]], int] = {}
        self.days = _DayCache()
        # Hosts and persons interned by the kernel across blocks, with what is known of each host.
        self.host_table = new_table()
        self.person_table = new_table()
        self.host_names: list[str] = []
        self.person_names: list[str] = []
        self.h_cat = np.zeros(0, np.int32)
        self.h_by_path = np.zeros(0, np.bool_)
        self.h_search = np.zeros(0, np.bool_)
        # search host -> its site as searchterms._site gives it
        self.sites: dict[str, tuple] = {}
        # per host: its search parameter names (first index, count) in ``param_names``, for has_param
        self.p_first = np.zeros(0, np.int64)
        self.p_count = np.zeros(0, np.int64)
        self.param_names: list[bytes] = []
        self.param_blob = np.frombuffer(b"\0", np.uint8)
        self.param_offsets = np.zeros(1, np.int64)
        # (host id, path and query) -> decoded search terms ("" when none); terms -> keyword matches
        self.terms: dict[tuple[int, str], str] = {}
        self.matches: dict[str, dict] = {}
        # Answers of the index for the suffixes of the block's new hosts (see _prefetch).
        self._found: Callable[[str], tuple[str, ...] | None] | None = None
        self._url_hosts: set[str] | None = None

    def learn(self, host_table: tuple, person_table: tuple) -> None:
        """Take the kernel's updated tables; decode and look up only the hosts and persons new to them."""
        old_hosts, old_persons = len(self.host_names), len(self.person_names)
        self.host_table, self.person_table = host_table, person_table
        new_hosts = _strings(host_table[1], host_table[2], old_hosts, host_table[3])
        self.person_names += _strings(person_table[1], person_table[2], old_persons, person_table[3])
        if len(self.person_names) >= 1 << 23:
            raise OverflowError("too many distinct persons")
        if new_hosts:
            self.host_names += new_hosts
            self._prefetch(new_hosts)
            host = self.host
            infos = [host(h) for h in new_hosts]
            self._found = self._url_hosts = None
            self.h_cat = np.concatenate([self.h_cat, np.array([i[0] for i in infos], np.int32)])
            self.h_by_path = np.concatenate([self.h_by_path, np.array([i[1] for i in infos], np.bool_)])
            self.h_search = np.concatenate([self.h_search, np.array([i[2] for i in infos], np.bool_)])
            self._learn_params(new_hosts, infos)

    def _prefetch(self, new_hosts: list[str]) -> None:
        """With a memory-mapped index, look up every suffix of the block's new hosts in one compiled call.

        The walk (``domain_walk``) then runs on the answers, unchanged.
        """
        many = getattr(self.db.domains, "get_many", None)
        if many is not None:
            keys = {suffix for h in new_hosts for suffix in parent_domains(h)}
            found = many(list(keys))
            direct = self.db.domains.get

            def get(key: str) -> tuple[str, ...] | None:
                # Every key the walk asks for was asked in the batch; should one not be, ask the index.
                return found.get(key) if key in keys else direct(key)

            self._found = get
        has = getattr(self.db.urls, "has_many", None)
        if has is not None:
            self._url_hosts = has(new_hosts)

    def _learn_params(self, new_hosts: list[str], infos: list[tuple[int, bool, bool]]) -> None:
        """Record the search parameter names of new search hosts for the has_param kernel."""
        names = self.param_names
        first = np.zeros(len(new_hosts), np.int64)
        count = np.zeros(len(new_hosts), np.int64)
        before = len(names)
        for j in [j for j, info in enumerate(infos) if info[2]]:
            params = [p.encode("utf-8") for p in self.sites[new_hosts[j]][1]]
            first[j], count[j] = len(names), len(params)
            names += params
        self.p_first = np.concatenate([self.p_first, first])
        self.p_count = np.concatenate([self.p_count, count])
        if len(names) > before:
            self.param_blob = np.frombuffer(b"".join(names) or b"\0", np.uint8)
            self.param_offsets = np.zeros(len(names) + 1, np.int64)
            self.param_offsets[1:] = np.cumsum([len(n) for n in names])

    def catset(self, cats: tuple[str, ...]) -> int:
        cid = self._catset_ids.get(cats)
        if cid is None:
            if len(self.catsets) > FIELD_MASK:
                raise OverflowError("too many distinct category combinations")
            cid = self._catset_ids[cats] = len(self.catsets)
            self.catsets.append(cats)
            self.flagged.append(tuple(c for c in cats if c in self.flag_categories))
        return cid

    def host(self, host: str) -> tuple[int, bool, bool]:
        info = self.hosts.get(host)
        if info is None:
            db = self.db
            url_hosts = self._url_hosts
            by_path = (host in url_hosts if url_hosts is not None else host in db.urls) or host in db.allow_urls
            cid = 0 if by_path else self.catset(_categorise_by_domain(db, host, self._found))
            site = _site(host) if _maybe_site(host) else None
            if site is not None:
                self.sites[host] = site
            info = self.hosts[host] = (cid, by_path, site is not None)
        return info

    def search(self, host_id: int, path: str) -> str:
        """``searchterms.search_terms`` of a request to a search site, cached per distinct (host, path)."""
        if len(path) > _CACHED_LEN:
            return site_terms(self.sites[self.host_names[host_id]], _path(path))
        key = (host_id, path)
        terms = self.terms.get(key)
        if terms is None:
            terms = site_terms(self.sites[self.host_names[host_id]], _path(path))
            if len(self.terms) >= _CACHE_MAX:
                self.terms.clear()
            self.terms[key] = terms
        return terms

    def match(self, terms: str) -> dict:
        """``KeywordSet.match``, cached per distinct search terms."""
        if len(terms) > _CACHED_LEN:
            return self.keywords.match(terms)
        found = self.matches.get(terms)
        if found is None:
            found = self.keywords.match(terms)
            if len(self.matches) >= _CACHE_MAX:
                self.matches.clear()
            self.matches[terms] = found
        return found

    def by_path(self, host: str, path: str) -> int:
        """Category set of a request to a host with URL-prefix entries."""
        db = self.db
        allowed = any(path.startswith(p) for p in db.allow_urls.get(host, ()))
        matched = tuple(i for i, (prefix, _cats) in enumerate(db.urls.get(host, ())) if path.startswith(prefix))
        key = (host, allowed, matched)
        cid = self.patterns.get(key)
        if cid is None:
            cid = self.patterns[key] = self.catset(db.categorise(host, path))
        return cid


def _strings(arena: np.ndarray, offsets: np.ndarray, first: int, end: int) -> list[str]:
    """Values ``first .. end-1`` of an intern table, decoded."""
    if end <= first:
        return []
    off = offsets[first : end + 1].tolist()
    raw = arena[off[0] : off[-1]].tobytes()
    base = off[0]
    return [raw[a - base : b - base].decode("ascii") for a, b in pairwise(off)]


def _path(path: str) -> str:
    """As hosts.split_url: the path starts with "/" ("/" alone when the URL has none)."""
    if not path:
        return "/"
    return path if path[0] == "/" else "/" + path


def _categorise_by_domain(db: CategoryDB, host: str, get=None) -> tuple[str, ...]:
    """``db.categorise(host, "/")`` for a host with no URL entries and no allow-list URLs.

    The walk is ``lists.domain_walk``, the one the reference uses; only its per-host cache is the
    fast path's own.
    """
    found, allowed = domain_walk(host, get or db.domains.get, db.allow_domains)
    return () if allowed else found
