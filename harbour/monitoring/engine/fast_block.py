"""Per-block work of the fast path: from the kernel's arrays to ScanResult counts (FLT-08, INC-FILT-06).

The reference's rules are applied once per distinct thing wherever they can be:

- categories once per distinct host (``FastState.host``, the same walk as
  ``CategoryDB.categorise``), as a small "category set" id; hosts with URL-prefix
  entries (UT1 ``urls`` lists, allow-list URLs) once per distinct (host, set of
  matching prefixes), by calling ``CategoryDB.categorise`` on the first request
  of each pattern: its answer depends on nothing else;
- counts per (person, category set, UTC day) with NumPy, expanded into
  ``categories``, users and ``person_day`` once per source (``finish``);
- search terms only for search-site URLs holding one of the site's query
  parameters, once per distinct (host, path); keyword matches once per distinct terms;
- Flag objects only for requests that can still be among the MAX_FLAGS earliest.
"""

from __future__ import annotations

import numpy as np

from .fast_kernel import squid_block
from .fast_paths import has_param, prefix_masks
from .fast_state import FIELD_MASK, FastState, _path
from .formats import classify, parse_squid
from .reader import MAX_LINE
from .reference import _Scanner
from .types import FLAG_ORDER, KEYWORD_PREFIX, MAX_FLAGS, Flag, ScanResult

PERSON_SHIFT, SET_SHIFT = 40, 20  # key = person << 40 | category set << 20 | day
_MIN_LINE = 40  # bytes: the kernel gets room for size // _MIN_LINE lines a call, and is called again if short


class Accumulator:
    """Counts for one source, built block by block."""

    def __init__(self, name: str, part: ScanResult, state: FastState, scanner: _Scanner) -> None:
        self.name = name
        self.part = part
        self.state = state
        self.scanner = scanner
        self.lineno = 0
        self.persons = state.person_names
        self.keys: list[np.ndarray] = []
        self.counts: list[np.ndarray] = []
        # Once MAX_FLAGS flags are held, a request later than the MAX_FLAGS-th earliest of them
        # cannot make the capped list (flags are ordered by time first), so none is built for it.
        self.flag_cut = np.inf
        self._cut_at = 0

    def block(self, data: bytearray, size: int) -> None:
        """Scan ``data[:size]`` (whole lines)."""
        buf = np.frombuffer(data, np.uint8, size)
        pos = 0
        while pos < size:
            state = self.state
            room = min(size - pos + 1, (size - pos) // _MIN_LINE + 4096)
            k = squid_block(buf, pos, room, MAX_LINE, state.host_table, state.person_table)
            pos = k[15]
            state.learn(k[16], k[17])
            self._lines(data, buf, k)

    def _lines(self, data: bytearray, buf: np.ndarray, k: tuple) -> None:
        part, state = self.part, self.state
        n, fast, line_s, line_e, ts, host_id, person_id = k[:7]
        ip_s, ip_e, url_s, url_e, user_s, user_e, path_s, has_query = k[7:15]
        part.lines += n
        ok = fast.view(np.bool_)
        part.requests += int(np.count_nonzero(ok))

        hosts = state.host_names
        h_cat, h_by_path, h_search = state.h_cat, state.h_by_path, state.h_search
        person = person_id.astype(np.int64)
        if not len(h_cat):
            # No host learnt yet, so no line was accepted: the per-host tables are empty and
            # indexing them with the declined lines' placeholder ids (0) would fail (issue #13).
            self._declined(data, line_s, line_e, ok, n)
            return
        row_cat = h_cat[host_id]

        def paths(rows: np.ndarray) -> list[str]:
            return [_path(p) for p in _spans(data, path_s, url_e, rows)]

        # Hosts with URL-prefix entries: the category set depends on which prefixes the path starts with.
        rows = np.flatnonzero(ok & h_by_path[host_id])
        if len(rows):
            row_cat[rows] = self._by_path(rows, hosts, h_by_path, buf, host_id, path_s, url_e, paths)

        self._declined(data, line_s, line_e, ok, n)

        counted = ok & (row_cat > 0)
        rows = np.flatnonzero(counted)
        if len(rows):
            day = np.floor_divide(ts[rows], 86400.0).astype(np.int64)
            key = (person[rows] << PERSON_SHIFT) | (row_cat[rows].astype(np.int64) << SET_SHIFT) | day
            keys, counts = np.unique(key, return_counts=True)
            self.keys.append(keys)
            self.counts.append(counts)

        rows = np.flatnonzero(ok & h_search[host_id] & has_query.view(np.bool_))
        if len(rows):
            # search_terms only finds terms after "?param=" or "&param=": the kernel skips the other URLs.
            rows = rows[
                has_param(
                    buf,
                    rows,
                    host_id,
                    path_s,
                    url_e,
                    state.p_first,
                    state.p_count,
                    state.param_blob,
                    state.param_offsets,
                )
            ]
        if len(rows):
            search = state.search
            hit: list[int] = []
            hit_terms: list[str] = []
            for i, h, p in zip(rows.tolist(), host_id[rows].tolist(), _spans(data, path_s, url_e, rows), strict=True):
                terms = search(h, p)
                if terms:
                    hit.append(i)
                    hit_terms.append(terms)
            if hit:
                self._keywords(np.array(hit, np.int64), hit_terms, data, k)

        flagged_sets = [c for c, cats in enumerate(state.flagged) if cats]
        if flagged_sets:
            rows = np.flatnonzero(counted & np.isin(row_cat, flagged_sets) & (ts <= self.flag_cut))
            if len(rows):
                flags, flagged, persons = part.flags, state.flagged, self.persons
                for t, p, ip, url, h, u, c in zip(
                    ts[rows].tolist(),
                    person[rows].tolist(),
                    _spans(data, ip_s, ip_e, rows),
                    _spans(data, url_s, url_e, rows),
                    host_id[rows].tolist(),
                    _spans(data, user_s, user_e, rows),
                    row_cat[rows].tolist(),
                    strict=True,
                ):
                    for cat in flagged[c]:
                        flags.append(
                            Flag(t, persons[p], ip, "" if u == "-" else u, "category", cat, hosts[h], url, "", (), 0)
                        )
        self._cut()

    def _declined(self, data: bytearray, line_s: np.ndarray, line_e: np.ndarray, ok: np.ndarray, n: int) -> None:
        """Lines the kernel declined go to the reference parser, in order, so that problems keep reading order."""
        part, scanner = self.part, self.scanner
        for i in np.flatnonzero(~ok).tolist():
            raw = bytes(data[line_s[i] : line_e[i]])
            found = classify(raw if len(raw) <= MAX_LINE else None, parse_squid)
            if isinstance(found, str):
                part.note_line_problem(self.name, self.lineno + i + 1, found)
            else:
                part.requests += 1
                scanner.handle(found)
        self.lineno += n

    def _keywords(self, rows: np.ndarray, terms: list[str], data: bytearray, k: tuple) -> None:
        """Keyword hits of requests with search terms, as reference ``_Scanner.handle`` counts them."""
        ts, host_id, person_id = k[4], k[5], k[6]
        ip_s, ip_e, url_s, url_e, user_s, user_e = k[7:13]
        part, state = self.part, self.state
        match = state.match
        hits, person_day, day_names, flags = part.keyword_hits, part.person_day, state.days, part.flags
        persons, hosts, cut = self.persons, state.host_names, self.flag_cut
        for i, t, p, text in zip(rows.tolist(), ts[rows].tolist(), person_id[rows].tolist(), terms, strict=True):
            found = match(text)
            if not found:
                continue
            person = persons[p]
            day = day_names[int(t // 86400)]
            for cat, (phrases, weight) in found.items():
                hits[cat] = hits.get(cat, 0) + 1
                key = (person, KEYWORD_PREFIX + cat, day)
                person_day[key] = person_day.get(key, 0) + 1
                if t <= cut:
                    u = data[user_s[i] : user_e[i]].decode("ascii")
                    flags.append(
                        Flag(
                            t,
                            person,
                            data[ip_s[i] : ip_e[i]].decode("ascii"),
                            "" if u == "-" else u,
                            "keyword",
                            cat,
                            hosts[host_id[i]],
                            data[url_s[i] : url_e[i]].decode("ascii"),
                            text,
                            phrases,
                            weight,
                        )
                    )

    def _cut(self) -> None:
        """Trim the flags when they are twice the cap, and move ``flag_cut`` down when more arrived."""
        flags = self.part.flags
        if len(flags) >= 2 * MAX_FLAGS:
            _trim(flags)
        if len(flags) >= MAX_FLAGS and len(flags) != self._cut_at:
            times = np.fromiter((f.ts for f in flags), np.float64, len(flags))
            self.flag_cut = min(self.flag_cut, float(np.partition(times, MAX_FLAGS - 1)[MAX_FLAGS - 1]))
            self._cut_at = len(flags)

    def _by_path(self, rows, hosts, h_by_path, buf, host_id, path_s, url_e, paths) -> np.ndarray:
        """Category sets of requests to hosts with URL prefixes: one ``categorise`` per distinct pattern."""
        db, state = self.state.db, self.state
        n_hosts = len(hosts)
        first = np.zeros(n_hosts, np.int64)
        count = np.zeros(n_hosts, np.int64)
        chunks: list[bytes] = []
        slow = np.zeros(n_hosts, np.bool_)
        for h in np.unique(host_id[rows]).tolist():
            host = hosts[h]
            entries = [p.encode("utf-8") for p in db.allow_urls.get(host, ())]
            entries += [p.encode("utf-8") for p, _cats in db.urls.get(host, ())]
            if len(entries) > 62:
                slow[h] = True
                continue
            first[h], count[h] = len(chunks), len(entries)
            chunks += entries
        offsets = np.zeros(len(chunks) + 1, np.int64)
        offsets[1:] = np.cumsum([len(c) for c in chunks]) if chunks else 0
        blob = np.frombuffer(b"".join(chunks) or b"\0", np.uint8)
        masks = prefix_masks(buf, rows, host_id, path_s, url_e, first, count, blob, offsets)
        hosts_of_rows = host_id[rows].astype(np.int64)
        if slow.any():
            masks[slow[hosts_of_rows]] = (1 << 40) + rows[slow[hosts_of_rows]]  # one pattern per request
        if int(masks.max()) < (1 << 41) and n_hosts < (1 << 22):
            _, index, inverse = np.unique((masks << 22) | hosts_of_rows, return_index=True, return_inverse=True)
        else:
            pairs = np.stack([hosts_of_rows, masks], axis=1)
            _, index, inverse = np.unique(pairs, axis=0, return_index=True, return_inverse=True)
        samples = rows[index]
        cids = np.array(
            [state.by_path(hosts[h], p) for h, p in zip(host_id[samples].tolist(), paths(samples), strict=True)],
            np.int32,
        )
        return cids[inverse.reshape(-1)]

    def finish(self) -> None:
        """Expand the (person, category set, day) counts into categories, users and person_day."""
        if not self.keys:
            return
        keys = np.concatenate(self.keys)
        counts = np.concatenate(self.counts)
        if len(self.keys) > 1:
            keys, inverse = np.unique(keys, return_inverse=True)
            counts = np.bincount(inverse, weights=counts).astype(np.int64)
        _expand(keys, counts, self.part, self.state)


def _expand(keys: np.ndarray, counts: np.ndarray, part: ScanResult, state: FastState) -> None:
    """Add (person, category set, day) counts to ``part``: one row per category of each set, with NumPy.

    Python only builds the final ``person_day`` keys, and one set of users per category.
    """
    catsets = state.catsets
    set_ids = (keys >> SET_SHIFT) & FIELD_MASK
    used = np.unique(set_ids).tolist()
    names = sorted({cat for c in used for cat in catsets[c]})
    number = {cat: i for i, cat in enumerate(names)}
    set_len = np.zeros(len(catsets), np.int64)
    set_first = np.zeros(len(catsets), np.int64)
    flat: list[int] = []
    for c in used:
        set_first[c], set_len[c] = len(flat), len(catsets[c])
        flat += [number[cat] for cat in catsets[c]]
    lens = set_len[set_ids]
    row = np.repeat(np.arange(len(keys)), lens)
    within = np.arange(len(row)) - np.repeat(np.cumsum(lens) - lens, lens)
    cat = np.array(flat, np.int64)[set_first[set_ids[row]] + within]
    person = keys[row] >> PERSON_SHIFT
    day = keys[row] & FIELD_MASK
    n = counts[row]

    # person_day: (person, category, day) may come from several category sets
    combined, inverse = np.unique((person << PERSON_SHIFT) | (cat << SET_SHIFT) | day, return_inverse=True)
    sums = np.bincount(inverse.reshape(-1), weights=n).astype(np.int64)
    person_str = np.array(state.person_names, dtype=object)
    cat_str = np.array(names, dtype=object)
    days = np.unique(day)
    day_str = np.empty(int(days[-1]) + 1, dtype=object)
    day_str[days] = [state.days[d] for d in days.tolist()]
    new = dict(
        zip(
            zip(
                person_str[combined >> PERSON_SHIFT].tolist(),
                cat_str[(combined >> SET_SHIFT) & FIELD_MASK].tolist(),
                day_str[combined & FIELD_MASK].tolist(),
                strict=True,
            ),
            sums.tolist(),
            strict=True,
        )
    )
    person_day = part.person_day
    for key in person_day.keys() & new.keys():  # counted before by the reference parser (declined lines)
        new[key] += person_day[key]
    person_day.update(new)

    # categories: requests, and the distinct persons of each
    totals = np.bincount(cat, weights=n, minlength=len(names)).astype(np.int64).tolist()
    pairs = np.unique((cat << PERSON_SHIFT) | person)
    pair_cat = pairs >> PERSON_SHIFT
    bounds = np.searchsorted(pair_cat, np.arange(len(names) + 1)).tolist()
    pair_person = person_str[pairs & ((1 << PERSON_SHIFT) - 1)].tolist()
    categories, users = part.categories, part._users
    for i, name in enumerate(names):
        entry = categories.get(name)
        if entry is None:
            entry = categories[name] = {"requests": 0, "users": 0}
            users[name] = set()
        entry["requests"] += totals[i]
        users[name].update(pair_person[bounds[i] : bounds[i + 1]])


def _spans(data: bytearray, starts: np.ndarray, ends: np.ndarray, rows: np.ndarray) -> list[str]:
    return [data[s:e].decode("ascii") for s, e in zip(starts[rows].tolist(), ends[rows].tolist(), strict=True)]


def _trim(flags: list[Flag]) -> None:
    """As the reference: only the earliest MAX_FLAGS can survive, so memory stays bounded."""
    flags.sort(key=FLAG_ORDER)
    del flags[MAX_FLAGS:]
