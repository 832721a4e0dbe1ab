"""Looking many keys up in the memory-mapped index with one compiled call (issue #19.2).

``lookup_many`` takes a block of keys (one byte blob and their offsets) and probes the index's
open-addressing table for each: crc32 of the key (the same function as ``zlib.crc32``, which
wrote the table), linear probing, and a byte comparison with the stored key, every offset
checked against the blob's length.  The walk over parent domains stays ``lists.domain_walk``:
the fast path asks for all the suffixes of a block's new hosts at once, then runs the walk on
the answers (fast_state.FastState.learn).
"""

from __future__ import annotations

import numpy as np
from numba import njit


def _crc_table() -> np.ndarray:
    table = np.zeros(256, np.uint32)
    for n in range(256):
        c = n
        for _ in range(8):
            c = (0xEDB88320 ^ (c >> 1)) if c & 1 else c >> 1
        table[n] = c
    return table


CRC_TABLE = _crc_table()


@njit(cache=True, nogil=True)
def lookup_many(keys, offsets, fp, off, val, blob, table):
    """The stored value of each key (0 when absent); keys[offsets[i]:offsets[i+1]] is key i."""
    n = offsets.shape[0] - 1
    out = np.zeros(n, np.uint32)
    mask = np.uint32(fp.shape[0] - 1)
    size = blob.shape[0]
    for i in range(n):
        s = offsets[i]
        e = offsets[i + 1]
        c = np.uint32(0xFFFFFFFF)
        for k in range(s, e):
            c = table[(c ^ np.uint32(keys[k])) & np.uint32(0xFF)] ^ (c >> np.uint32(8))
        h = c ^ np.uint32(0xFFFFFFFF)
        slot = h & mask
        length = e - s
        for _ in range(fp.shape[0]):
            v = val[slot]
            if v == 0:
                break
            if fp[slot] == h:
                o = np.int64(off[slot])
                if o + 2 + length <= size and np.int64(blob[o]) + (np.int64(blob[o + 1]) << 8) == length:
                    same = True
                    for k in range(length):
                        if blob[o + 2 + k] != keys[s + k]:
                            same = False
                            break
                    if same:
                        out[i] = v
                        break
            slot = (slot + np.uint32(1)) & mask
    return out


def warm_up() -> None:
    keys = np.frombuffer(b"ab", np.uint8)
    offsets = np.array([0, 2], np.int64)
    z = np.zeros(16, np.uint32)
    lookup_many(keys, offsets, z, z, z, np.zeros(4, np.uint8), CRC_TABLE)
