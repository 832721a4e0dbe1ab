"""Compiled inner loop of the fast path for Squid native logs (FLT-08, issue #6 performance goal).

``squid_block`` walks a block of raw log bytes once, line by line, and for each
line either accepts it as a request it fully understands ("fast" lines) or
leaves it to the reference parser ("slow" lines: anything unusual).  Fast lines
are the ones whose result is obvious from the reference rules in formats.py and
hosts.py:

- printable ASCII and spaces only (so UTF-8 decoding and ``str.split`` are trivial),
  at most MAX_LINE bytes, not blank;
- at least 8 space-separated fields, the 4th holding a ``/``;
- an epoch timestamp ``\\d{1,10}(\\.\\d+)?`` of at most 15 digits in the range the
  reference accepts (with <= 15 digits, ``digits / 10**decimals`` is exactly
  Python's ``float(text)``, both being correctly rounded);
- a URL whose authority has no ``@`` or ``[`` and whose host, after dropping the
  port and leading/trailing dots, matches ``[0-9a-z_][0-9a-z_.-]*`` (no upper case), and
  that names a host the way ``split_url`` accepts.

Everything else (blank, binary, tabs, upper-case hosts, IPv6, odd timestamps,
over-long lines) is marked slow; the caller hands those lines to
``formats.classify`` so reasons and results are the reference's own.

Hosts and persons are interned into tables that outlive a block (open
addressing on a 64-bit multiply-xorshift hash, confirmed by comparing bytes against a
compact copy), so Python only ever sees each distinct host and person once.

Compiled by Numba (a wheel with its own LLVM: no C toolchain at install time);
``cache=True`` keeps the machine code in ``__pycache__`` between runs.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .fast_paths import has_param, prefix_masks

TS_MAX = 4102444800.0  # formats.TS_MAX: 2100-01-01 UTC
TABLE_START = 4096  # slots; tables double when half full


@njit(cache=True, nogil=True, inline="always")
def _hash(buf, s, e):
    """64-bit hash of buf[s:e], eight bytes per step (a multiply-xorshift mix; no byte-by-byte chain)."""
    h = np.uint64(0x9E3779B97F4A7C15) ^ np.uint64(e - s)
    m = np.uint64(0xFF51AFD7ED558CCD)
    k = s
    while k + 8 <= e:
        w = (
            np.uint64(buf[k])
            | (np.uint64(buf[k + 1]) << np.uint64(8))
            | (np.uint64(buf[k + 2]) << np.uint64(16))
            | (np.uint64(buf[k + 3]) << np.uint64(24))
            | (np.uint64(buf[k + 4]) << np.uint64(32))
            | (np.uint64(buf[k + 5]) << np.uint64(40))
            | (np.uint64(buf[k + 6]) << np.uint64(48))
            | (np.uint64(buf[k + 7]) << np.uint64(56))
        )
        h = (h ^ w) * m
        h ^= h >> np.uint64(32)
        k += 8
    w = np.uint64(0)
    sh = np.uint64(0)
    while k < e:
        w |= np.uint64(buf[k]) << sh
        sh += np.uint64(8)
        k += 1
    h = (h ^ w) * m
    h ^= h >> np.uint64(29)
    h *= np.uint64(0xC4CEB9FE1A85EC53)
    h ^= h >> np.uint64(32)
    return h


@njit(cache=True, nogil=True)
def _intern(buf, s, e, slots, arena, offsets, count):
    """Id of the bytes buf[s:e] in an open-addressing table; new ids get a copy in ``arena``.

    A slot is four words (hash, id + 1 or 0 when empty, arena offset, length), so a probe
    touches one cache line and the arena only to confirm a full 64-bit hash match.
    """
    h = _hash(buf, s, e)
    mask = np.uint64((slots.shape[0] >> 2) - 1)
    slot = np.int64(h & mask)
    size = e - s
    while True:
        base = slot << 2
        tag = slots[base + 1]
        if tag == 0:
            a = offsets[count]
            slots[base] = h
            slots[base + 1] = np.uint64(count + 1)
            slots[base + 2] = np.uint64(a)
            slots[base + 3] = np.uint64(size)
            for k in range(size):
                arena[a + k] = buf[s + k]
            offsets[count + 1] = a + size
            return count, count + 1
        if slots[base] == h and slots[base + 3] == np.uint64(size):
            a = np.int64(slots[base + 2])
            same = True
            for k in range(size):
                if arena[a + k] != buf[s + k]:
                    same = False
                    break
            if same:
                return np.int64(tag) - 1, count
        slot = np.int64((np.uint64(slot) + np.uint64(1)) & mask)


@njit(cache=True, nogil=True)
def _grow(slots):
    """Twice the table, same entries: keeps the table small (in cache) while few values are distinct."""
    size = slots.shape[0] >> 2
    new = np.zeros(slots.shape[0] * 2, np.uint64)
    mask = np.uint64(size * 2 - 1)
    for slot in range(size):
        base = slot << 2
        if slots[base + 1] != 0:
            j = np.int64(slots[base] & mask)
            while new[(j << 2) + 1] != 0:
                j = np.int64((np.uint64(j) + np.uint64(1)) & mask)
            for w in range(4):
                new[(j << 2) + w] = slots[base + w]
    return new


@njit(cache=True, nogil=True)
def _more_room(arena, offsets, need):
    """Double the arena and the offsets so that one more value of ``need`` bytes fits."""
    size = arena.shape[0] * 2
    while size < arena.shape[0] + need:
        size *= 2
    new_arena = np.empty(size, np.uint8)
    new_arena[: arena.shape[0]] = arena
    new_offsets = np.zeros(offsets.shape[0] * 2, np.int64)
    new_offsets[: offsets.shape[0]] = offsets
    return new_arena, new_offsets


def new_table():
    """An empty intern table for ``squid_block``: (slots, arena, offsets, count)."""
    return (
        np.zeros(TABLE_START * 4, np.uint64),
        np.empty(1 << 16, np.uint8),
        np.zeros(TABLE_START, np.int64),
        0,
    )


@njit(cache=True, nogil=True)
def squid_block(buf, start, max_lines, max_line, host_table, person_table):
    """Parse whole lines of ``buf`` from byte ``start``, at most ``max_lines`` of them.

    Returns per-line arrays (byte offsets are into ``buf``), the byte offset where it
    stopped (``buf.shape[0]`` once every line is done: the caller calls again from there
    otherwise) and the updated host and person tables.  A table is ``(slots, arena,
    offsets, count)``; it lives across blocks (and scans), so ids stay the same and Python
    only ever decodes values it has not seen before.
    """
    n = buf.shape[0]
    fast = np.zeros(max_lines, np.uint8)
    line_start = np.empty(max_lines, np.int32)
    line_end = np.empty(max_lines, np.int32)
    ts = np.zeros(max_lines, np.float64)
    host_id = np.zeros(max_lines, np.int32)
    person_id = np.zeros(max_lines, np.int32)
    # field spans: client ip (3rd field), URL (7th), user (8th); path start inside the URL
    ip_s = np.zeros(max_lines, np.int32)
    ip_e = np.zeros(max_lines, np.int32)
    url_s = np.zeros(max_lines, np.int32)
    url_e = np.zeros(max_lines, np.int32)
    user_s = np.zeros(max_lines, np.int32)
    user_e = np.zeros(max_lines, np.int32)
    path_s = np.zeros(max_lines, np.int32)
    has_query = np.zeros(max_lines, np.uint8)
    host_slots, host_arena, host_offsets, hosts = host_table
    person_slots, person_arena, person_offsets, persons = person_table
    fs = np.zeros(8, np.int64)
    fe = np.zeros(8, np.int64)
    li = 0
    pos = start
    while pos < n and li < max_lines:
        # -- the first 8 fields, split on spaces (only printable ASCII can be in a field)
        ls = pos
        nf = 0
        ok = True
        k = pos
        while k < n and nf < 8:
            c = buf[k]
            if c == 32:
                k += 1
                continue
            if c < 33 or c > 126:
                break  # end of line, or a byte the next loop judges
            fs[nf] = k
            k += 1
            while k < n:
                c = buf[k]
                if c <= 32 or c > 126:
                    break
                k += 1
            fe[nf] = k
            nf += 1
        # -- the rest of the line: every byte printable ASCII (a final "\r" before "\n" aside)
        while k < n:
            c = buf[k]
            if c == 10:
                break
            if (c < 32 or c > 126) and not (c == 13 and (k + 1 == n or buf[k + 1] == 10)):
                ok = False  # a control or non-ASCII byte: the reference decides
                while k < n and buf[k] != 10:
                    k += 1
                break
            k += 1
        end = k
        pos = end + 1
        le = end
        if le > ls and buf[le - 1] == 13:
            le -= 1
        line_start[li] = ls
        line_end[li] = le
        li_now = li
        li += 1
        if not ok or nf < 8 or le - ls > max_line:
            continue
        slash = False
        for q in range(fs[3], fe[3]):
            if buf[q] == 47:
                slash = True
                break
        if not slash:
            continue
        # -- timestamp
        v = np.int64(0)
        digits = 0
        dec = -1
        for q in range(fs[0], fe[0]):
            c = buf[q]
            if 48 <= c <= 57:
                v = v * 10 + (c - 48)
                digits += 1
                if dec >= 0:
                    dec += 1
            elif c == 46 and dec < 0 and digits > 0:
                dec = 0
            else:
                ok = False
                break
        if not ok or dec == 0 or digits > 15 or digits - max(dec, 0) > 10:
            continue
        div = 1.0
        for _ in range(max(dec, 0)):
            div *= 10.0
        t = v / div
        if not (t < TS_MAX):
            continue
        # -- URL: optional scheme, authority up to / ? #, host without port / trailing dots
        us = fs[6]
        ue = fe[6]
        a = us
        c = buf[us]
        if (65 <= c <= 90) or (97 <= c <= 122):
            q = us + 1
            while q < ue:
                c = buf[q]
                if (65 <= c <= 90) or (97 <= c <= 122) or (48 <= c <= 57) or c == 43 or c == 46 or c == 45:
                    q += 1
                else:
                    break
            if q + 2 < ue and buf[q] == 58 and buf[q + 1] == 47 and buf[q + 2] == 47:
                a = q + 3
        schemed = a != us
        b = a
        colon = -1
        dotted = False
        while b < ue:
            c = buf[b]
            if c == 47 or c == 63 or c == 35:
                break
            if c == 58 and colon < 0:
                colon = b
            elif c == 64 or c == 91:
                ok = False
                break
            b += 1
        if not ok:
            continue
        hb = b if colon < 0 else colon
        if colon >= 0:
            for q in range(colon + 1, b):
                c = buf[q]
                if c < 48 or c > 57:
                    ok = False
                    break
            if not ok:
                continue
        while hb > a and buf[hb - 1] == 46:
            hb -= 1
        while a < hb and buf[a] == 46:
            a += 1  # leading dots go too, as in hosts.normalise_host
        if hb <= a:
            continue
        c = buf[a]
        if not ((48 <= c <= 57) or (97 <= c <= 122) or c == 95):
            continue
        for q in range(a, hb):
            c = buf[q]
            if (48 <= c <= 57) or (97 <= c <= 122) or c == 95 or c == 45:
                continue
            if c == 46:
                dotted = True
                continue
            ok = False
            break
        if not ok:
            continue
        if not schemed and not dotted and colon < 0:
            continue
        query = 0
        for q in range(b, ue):
            if buf[q] == 63:
                query = 1
                break
        # -- accepted
        fast[li_now] = 1
        ts[li_now] = t
        if 8 * hosts >= host_slots.shape[0]:
            host_slots = _grow(host_slots)
        if hosts + 2 > host_offsets.shape[0] or host_offsets[hosts] + (hb - a) > host_arena.shape[0]:
            host_arena, host_offsets = _more_room(host_arena, host_offsets, hb - a)
        host_id[li_now], hosts = _intern(buf, a, hb, host_slots, host_arena, host_offsets, hosts)
        ps = fs[7]
        pe = fe[7]
        if pe - ps == 1 and buf[ps] == 45:
            ps = fs[2]
            pe = fe[2]
        if 8 * persons >= person_slots.shape[0]:
            person_slots = _grow(person_slots)
        if persons + 2 > person_offsets.shape[0] or person_offsets[persons] + (pe - ps) > person_arena.shape[0]:
            person_arena, person_offsets = _more_room(person_arena, person_offsets, pe - ps)
        person_id[li_now], persons = _intern(buf, ps, pe, person_slots, person_arena, person_offsets, persons)
        ip_s[li_now] = fs[2]
        ip_e[li_now] = fe[2]
        url_s[li_now] = us
        url_e[li_now] = ue
        user_s[li_now] = fs[7]
        user_e[li_now] = fe[7]
        path_s[li_now] = b
        has_query[li_now] = query
    return (
        li,
        fast[:li],
        line_start[:li],
        line_end[:li],
        ts[:li],
        host_id[:li],
        person_id[:li],
        ip_s[:li],
        ip_e[:li],
        url_s[:li],
        url_e[:li],
        user_s[:li],
        user_e[:li],
        path_s[:li],
        has_query[:li],
        min(pos, n),
        (host_slots, host_arena, host_offsets, hosts),
        (person_slots, person_arena, person_offsets, persons),
    )


def warm_up() -> None:
    """Compile (or load from the cache) every kernel now, e.g. at install time, not on the first upload.

    The argument types match fast_block's calls exactly (a writable block buffer, read-only
    prefixes), so no other specialisation is compiled later.
    """
    line = b"1795161720.123 5 10.0.0.9 TCP_MISS/200 10 GET http://www.example.org/a?q=x alice DIRECT/x text/html\n"
    buf = np.frombuffer(bytearray(line), np.uint8)
    out = squid_block(buf, 0, 2, 16384, new_table(), new_table())
    rows = np.zeros(1, np.int64)
    one = np.ones(1, np.int64)
    prefixes = np.frombuffer(b"/a", np.uint8)
    prefix_masks(buf, rows, out[5], out[13], out[10], rows, one, prefixes, np.array([0, 2], np.int64))
    params = np.frombuffer(b"q", np.uint8)
    has_param(buf, rows, out[5], out[13], out[10], rows, one, params, np.array([0, 1], np.int64))
    from . import fast_index

    fast_index.warm_up()


NEW = True
