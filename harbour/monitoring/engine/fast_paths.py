"""Compiled checks on the paths of requests, for the fast path (FLT-08, FLT-09, issue #6).

``prefix_masks`` finds which URL-prefix entries (UT1 ``urls``, allow-list URLs) each
path starts with; ``has_param`` finds whether a search-site URL carries one of the
site's query parameters.  Both are Numba kernels cached like fast_kernel's;
``fast_kernel.warm_up()`` compiles them too.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def prefix_masks(buf, rows, host_id, path_s, url_e, first, count, prefixes, offsets):
    """For each row, a bit mask of the URL prefixes of its host that its path starts with.

    The path is compared as ``split_url`` gives it: "/" when empty, "/" put in
    front when it starts with "?" or "#".  Prefixes are UTF-8 bytes; byte-wise
    prefix tests give the same answer as ``str.startswith``.  Host ``h``'s
    prefixes are ``first[h] .. first[h] + count[h] - 1`` (at most 62).
    """
    out = np.zeros(rows.shape[0], np.int64)
    for r in range(rows.shape[0]):
        i = rows[r]
        h = host_id[i]
        ps = path_s[i]
        size = url_e[i] - ps
        lead = 1 if size == 0 or buf[ps] != 47 else 0
        total = size + lead
        mask = np.int64(0)
        for j in range(count[h]):
            p = first[h] + j
            a = offsets[p]
            length = offsets[p + 1] - a
            if length > total:
                continue
            same = True
            for k in range(length):
                c = 47 if (lead == 1 and k == 0) else buf[ps + k - lead]
                if c != prefixes[a + k]:
                    same = False
                    break
            if same:
                mask |= np.int64(1) << j
        out[r] = mask
    return out


@njit(cache=True, nogil=True)
def has_param(buf, rows, host_id, path_s, url_e, first, count, params, offsets):
    """For each row, whether its path holds ``?name=`` or ``&name=`` for one of its host's query parameters.

    The same test as searching the path for ``[?&](?:name1|name2)=``: ``search_terms`` only finds
    terms after such a parameter.  Host ``h``'s names are ``first[h] .. first[h] + count[h] - 1``.
    """
    out = np.zeros(rows.shape[0], np.bool_)
    for r in range(rows.shape[0]):
        i = rows[r]
        h = host_id[i]
        e = url_e[i]
        found = False
        for q in range(path_s[i], e):
            c = buf[q]
            if c != 63 and c != 38:
                continue
            for j in range(count[h]):
                p = first[h] + j
                a = offsets[p]
                length = offsets[p + 1] - a
                if q + 1 + length >= e or buf[q + 1 + length] != 61:
                    continue
                same = True
                for k in range(length):
                    if buf[q + 1 + k] != params[a + k]:
                        same = False
                        break
                if same:
                    found = True
                    break
            if found:
                break
        out[r] = found
    return out
