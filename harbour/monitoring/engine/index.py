"""A prebuilt, memory-mapped category index: the lists compiled once, opened in milliseconds (issue #19.1).

    harbour-monitor index build --lists DIR --out FILE
    harbour-monitor scan --index FILE [--lists DIR] ...

Loading a UT1 tree of millions of domains into Python dicts takes seconds and
hundreds of megabytes in every process.  ``build_index`` compiles the tree once
into one file; ``open_index`` maps it read-only and returns a ``CategoryDB``
whose ``domains`` and ``urls`` look entries up in the mapped file, so start-up
is a few milliseconds and every process on the machine shares the same pages
(forked workers, and separate processes through the page cache).

Results are identical to ``load_categories(DIR)``: the index is written from the
very ``CategoryDB`` that ``load_categories`` builds, and lookups go through the
same ``categorise`` and ``domain_walk``.  A test scans the same log both ways.

File layout (little-endian)::

    magic "HBRIDX01" | u64 meta length | u32 crc32 of meta | u32 0 | meta (JSON) | sections

The JSON meta holds the category names and sizes, the distinct category sets,
the position of each section, a checksum of the source lists (per file: name,
size, modification time, SHA-256) and a crc32 of every section.  Sections are
two open-addressing hash tables (crc32 of the key, linear probing, load at most
1/2): for domains, a slot holds the key's crc32, the offset of the key in a
blob and its category set number; for hosts with URL prefixes, the offset of a
record listing (prefix, category set) pairs.

Refused with ``IndexError_`` (a ``ListError``, so the CLI prints one clear line):
a file that is not an index, of another version, cut short, or whose meta or
sampled pages fail their checksum (``verify=True`` checks every byte); and,
when the source folder is given or still exists where it was built, an index
older than its lists.  Every lookup is bounds-checked, so even damage the
sampled check misses can give a wrong answer for one key, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

from .lists import CategoryDB, ListError, load_categories

MAGIC = b"HBRIDX01"
VERSION = 1
_HEAD = struct.Struct("<8sQI4x")
_SAMPLE_EVERY = 64  # pages: the cheap check at open reads one page in 64 of each section
_PAGE = 4096
_SECTIONS = ("d_fp", "d_off", "d_val", "d_keys", "u_fp", "u_off", "u_val", "u_keys", "u_records")


class IndexError_(ListError):  # named so: IndexError is a builtin
    """The index cannot be used (not an index, damaged, or older than its lists); the message says which."""


@dataclass(frozen=True)
class BuildInfo:
    path: Path
    domains: int
    url_hosts: int
    size: int
    seconds: float


# -- source checksum -------------------------------------------------------------------------------


def _list_files(lists_dir: Path) -> list[Path]:
    """The files ``load_categories`` reads, in its order."""
    files = []
    for child in sorted(lists_dir.iterdir()):
        if child.name.startswith(".") or not child.is_dir():
            continue
        files += [f for f in (child / "domains", child / "urls") if f.is_file()]
    return files


def _stat_key(path: Path, root: Path) -> list:
    st = path.stat()
    return [str(path.relative_to(root)), st.st_size, st.st_mtime_ns]


def source_checksum(lists_dir: str | os.PathLike) -> list[list]:
    """Per list file: [relative name, size, mtime_ns, sha256 of its content]."""
    root = Path(lists_dir)
    out = []
    for path in _list_files(root):
        out.append([*_stat_key(path, root), hashlib.sha256(path.read_bytes()).hexdigest()])
    return out


def _is_fresh(sources: list[list], lists_dir: Path) -> bool:
    """True when the folder still holds exactly the files the index was built from.

    Sizes and modification times are compared first (cheap); a file touched but unchanged is
    confirmed by its SHA-256, so copying a tree with new times does not make the index stale.
    """
    try:
        files = _list_files(lists_dir)
    except OSError:
        return False
    if [str(f.relative_to(lists_dir)) for f in files] != [s[0] for s in sources]:
        return False
    for path, (_name, size, mtime, digest) in zip(files, sources, strict=True):
        try:
            _, now_size, now_mtime = _stat_key(path, lists_dir)
            if now_size != size:
                return False
            if now_mtime != mtime and hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return False
        except OSError:
            return False
    return True


# -- building --------------------------------------------------------------------------------------


def _table(keys: list[bytes], values: list[int]) -> tuple[bytes, bytes, bytes, bytes, int]:
    """Open-addressing table: (fingerprints u32, key offsets u32, values u32, key blob, bits)."""
    import numpy as np

    bits = max(4, (2 * max(1, len(keys)) - 1).bit_length())
    size = 1 << bits
    mask = size - 1
    fp = np.zeros(size, np.uint32)
    off = np.zeros(size, np.uint32)
    val = np.zeros(size, np.uint32)
    blob = bytearray()
    crc = zlib.crc32
    fp_l, off_l, val_l = [0] * size, [0] * size, [0] * size
    for key, value in zip(keys, values, strict=True):
        h = crc(key)
        i = h & mask
        while val_l[i]:
            i = (i + 1) & mask
        fp_l[i], off_l[i], val_l[i] = h, len(blob), value
        blob += len(key).to_bytes(2, "little")
        blob += key
    if len(blob) >= 1 << 32:
        raise IndexError_("the lists are too large for one index file (over 4 GB of names)")
    fp[:] = fp_l
    off[:] = off_l
    val[:] = val_l
    return fp.tobytes(), off.tobytes(), val.tobytes(), bytes(blob), bits


def build_index(lists_dir: str | os.PathLike, out: str | os.PathLike) -> BuildInfo:
    """Compile a UT1/Shalla tree into one index file (written beside ``out``, then renamed over it)."""
    started = time.perf_counter()
    root = Path(lists_dir)
    sources = source_checksum(root) if root.is_dir() else []
    db = load_categories(root)  # ListError with a clear message for a bad folder
    if source_checksum(root) != sources:
        raise IndexError_(f"{root}: the lists changed while the index was being built; build it again")

    set_ids: dict[tuple[str, ...], int] = {}

    def set_id(cats: tuple[str, ...]) -> int:
        return set_ids.setdefault(cats, len(set_ids) + 1)

    d_keys = [d.encode("ascii") for d in db.domains]
    d_vals = [set_id(c) for c in db.domains.values()]
    records = bytearray()
    u_keys, u_vals = [], []
    for host, entries in db.urls.items():
        u_keys.append(host.encode("ascii"))
        u_vals.append(len(records) + 1)
        records += _encode_record([(prefix, set_id(cats)) for prefix, cats in entries])
    d_fp, d_off, d_val, d_blob, d_bits = _table(d_keys, d_vals)
    u_fp, u_off, u_val, u_blob, u_bits = _table(u_keys, u_vals)
    sections = dict(
        zip(_SECTIONS, (d_fp, d_off, d_val, d_blob, u_fp, u_off, u_val, u_blob, bytes(records)), strict=True)
    )

    layout: dict[str, list[int]] = {}
    pos = 0
    for name, data in sections.items():
        layout[name] = [pos, len(data), _full_crc(data), _sample_crc(memoryview(data))]
        pos += (len(data) + 7) // 8 * 8
    meta = {
        "version": VERSION,
        "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "lists_dir": str(root.resolve()),
        "sources": sources,
        "sets": [list(cats) for cats in sorted(set_ids, key=set_ids.__getitem__)],
        "sizes": {name: list(size) for name, size in db.sizes.items()},
        "skipped": db.skipped,
        "domains": len(d_keys),
        "url_hosts": len(u_keys),
        "bits": [d_bits, u_bits],
        "sections": layout,
    }
    meta_raw = json.dumps(meta, separators=(",", ":")).encode()
    head = _HEAD.pack(MAGIC, len(meta_raw), zlib.crc32(meta_raw))
    start = (len(head) + len(meta_raw) + 7) // 8 * 8

    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(head + meta_raw)
            f.write(b"\0" * (start - len(head) - len(meta_raw)))
            for data in sections.values():
                f.write(data)
                f.write(b"\0" * ((len(data) + 7) // 8 * 8 - len(data)))
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)  # readers see the old file or the new one, never half of one
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return BuildInfo(target, len(d_keys), len(u_keys), target.stat().st_size, time.perf_counter() - started)


def _encode_record(entries: list[tuple[str, int]]) -> bytes:
    """A host's URL entries: u32 count, then per entry u32 category set, u32 length, UTF-8 prefix."""
    out = bytearray(len(entries).to_bytes(4, "little"))
    for prefix, sid in entries:
        raw = prefix.encode("utf-8")
        out += sid.to_bytes(4, "little") + len(raw).to_bytes(4, "little") + raw
    return bytes(out)


def _decode_record(blob: memoryview, at: int) -> list[tuple[str, int]]:
    """The inverse of _encode_record, every length checked against the blob (IndexError if damaged)."""

    def u32(pos: int) -> int:
        if pos < 0 or pos + 4 > len(blob):
            raise IndexError("record out of bounds")
        return int.from_bytes(blob[pos : pos + 4], "little")

    count = u32(at)
    pos = at + 4
    out = []
    for _ in range(count):
        sid, size = u32(pos), u32(pos + 4)
        if pos + 8 + size > len(blob):
            raise IndexError("record out of bounds")
        out.append((bytes(blob[pos + 8 : pos + 8 + size]).decode("utf-8"), sid))
        pos += 8 + size
    return out


def _full_crc(data) -> int:
    return zlib.crc32(data)


def _sample_crc(view: memoryview) -> int:
    """crc32 of one page in _SAMPLE_EVERY: a cut-short, zeroed or overwritten region is caught at open."""
    crc = 0
    step = _PAGE * _SAMPLE_EVERY
    for at in range(0, len(view), step):
        crc = zlib.crc32(view[at : at + _PAGE], crc)
    return crc


# -- opening ---------------------------------------------------------------------------------------


class _Table:
    """Read-only lookups in one mapped hash table (Python side; bounds-checked)."""

    __slots__ = ("arrays", "blob", "fp", "mask", "off", "val")

    def __init__(self, fp: memoryview, off: memoryview, val: memoryview, blob: memoryview, bits: int) -> None:
        self.fp, self.off, self.val, self.blob = fp.cast("I"), off.cast("I"), val.cast("I"), blob
        self.mask = (1 << bits) - 1
        self.arrays: tuple | None = None  # NumPy views for the compiled lookups, made on first use
        if not (len(self.fp) == len(self.off) == len(self.val) == self.mask + 1):
            raise IndexError_("damaged (table sizes disagree)")

    def find_many(self, keys: list[str]) -> list[tuple[int, int]] | None:
        """(position, value) of the keys present, in one compiled call; None without Numba."""
        try:
            import numpy as np

            from .fast_index import CRC_TABLE, lookup_many
        except ImportError:
            return None
        raw = [k.encode("ascii", "replace") for k in keys]
        offsets = np.zeros(len(raw) + 1, np.int64)
        np.cumsum([len(r) for r in raw], out=offsets[1:])
        data = np.frombuffer(b"".join(raw) or b"\0", np.uint8)
        if self.arrays is None:
            words = [np.frombuffer(m, np.uint32) for m in (self.fp, self.off, self.val)]
            self.arrays = (*words, np.frombuffer(self.blob, np.uint8))
        found = lookup_many(data, offsets, *self.arrays, CRC_TABLE)
        at = np.flatnonzero(found)
        return list(zip(at.tolist(), found[at].tolist(), strict=True))

    def find(self, key: bytes) -> int:
        """The stored value of ``key``, 0 when absent."""
        fp, off, val, blob, mask = self.fp, self.off, self.val, self.blob, self.mask
        h = zlib.crc32(key)
        i = h & mask
        n = len(key)
        for _ in range(mask + 1):
            v = val[i]
            if not v:
                return 0
            if fp[i] == h:
                o = off[i]
                if blob[o : o + 2] == n.to_bytes(2, "little") and blob[o + 2 : o + 2 + n] == key:
                    return v
            i = (i + 1) & mask
        return 0


class MappedDomains:
    """``CategoryDB.domains`` read from the index: ``get(domain)`` → sorted category tuple or None."""

    source = ""

    def __init__(self, table: _Table, sets: list[tuple[str, ...]], count: int) -> None:
        self._table, self._sets, self._count = table, sets, count

    def __reduce__(self):
        return (_reopen, (self.source, "domains"))

    def get(self, domain: str, default=None):
        try:
            v = self._table.find(domain.encode("ascii"))
        except UnicodeEncodeError:
            return default
        if not v or v >= len(self._sets):
            return default
        return self._sets[v]

    def __contains__(self, domain: object) -> bool:
        return isinstance(domain, str) and self.get(domain) is not None

    def __len__(self) -> int:
        return self._count

    def get_many(self, domains: list[str]) -> dict[str, tuple[str, ...]]:
        """The listed ones among ``domains`` with their categories: one compiled call for all of them."""
        found = self._table.find_many(domains)
        if found is None:  # no Numba: one lookup at a time
            return {d: c for d in domains if (c := self.get(d)) is not None}
        sets = self._sets
        return {domains[i]: sets[v] for i, v in found if v < len(sets)}


class MappedUrls:
    """``CategoryDB.urls`` read from the index: ``get(host)`` → ((prefix, categories), ...) or None."""

    source = ""

    def __init__(self, table: _Table, records: memoryview, sets: list[tuple[str, ...]], count: int) -> None:
        self._table, self._records, self._sets, self._count = table, records, sets, count
        self._cache: dict[str, tuple | None] = {}

    def __reduce__(self):
        return (_reopen, (self.source, "urls"))

    def get(self, host: str, default=None):
        hit = self._cache.get(host, self)
        if hit is self:
            hit = self._cache[host] = self._load(host)
        return default if hit is None else hit

    def _load(self, host: str) -> tuple | None:
        try:
            v = self._table.find(host.encode("ascii"))
        except UnicodeEncodeError:
            return None
        if not v:
            return None
        try:
            return tuple((prefix, self._sets[sid]) for prefix, sid in _decode_record(self._records, v - 1))
        except (ValueError, IndexError, UnicodeDecodeError) as exc:
            raise IndexError_(f"the index is damaged (URL entries of {host}); rebuild it") from exc

    def __contains__(self, host: object) -> bool:
        return isinstance(host, str) and self.get(host) is not None

    def __len__(self) -> int:
        return self._count

    def has_many(self, hosts: list[str]) -> set[str]:
        """Which of ``hosts`` have URL entries, in one compiled call."""
        found = self._table.find_many(hosts)
        if found is None:
            return {h for h in hosts if h in self}
        return {hosts[i] for i, _v in found}


def open_index(
    path: str | os.PathLike, *, lists_dir: str | os.PathLike | None = None, verify: bool = False
) -> CategoryDB:
    """Map an index read-only and return its ``CategoryDB``; IndexError_ when it cannot be trusted.

    ``lists_dir``: the folder the index must match (default: the folder it was built from, when it
    still exists there). ``verify``: check the crc32 of every byte, not only of sampled pages.
    """
    name = os.fspath(path)
    try:
        with open(name, "rb") as f:
            mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError:
        raise IndexError_(f"{name}: no such index file (build it with: harbour-monitor index build)") from None
    except (OSError, ValueError) as exc:  # ValueError: an empty file cannot be mapped
        raise IndexError_(f"{name}: cannot read the index ({getattr(exc, 'strerror', None) or exc})") from None
    try:
        meta, view = _check(name, mapped, verify)
    except IndexError_:
        mapped.close()
        raise
    source = Path(lists_dir) if lists_dir is not None else Path(meta["lists_dir"])
    if lists_dir is not None and not source.is_dir():
        view.release()
        mapped.close()
        raise IndexError_(f"{source}: list folder not found")
    if source.is_dir() and not _is_fresh(meta["sources"], source):
        view.release()
        mapped.close()
        raise IndexError_(
            f"{name}: the index is older than the lists in {source} (or was built from other lists); "
            "rebuild it with: harbour-monitor index build"
        )
    sets = [(), *(tuple(s) for s in meta["sets"])]
    d_bits, u_bits = meta["bits"]
    parts = {key: view[a : a + n] for key, (a, n, _crc, _sample) in meta["sections"].items()}
    domains = MappedDomains(
        _Table(parts["d_fp"], parts["d_off"], parts["d_val"], parts["d_keys"], d_bits), sets, meta["domains"]
    )
    urls = MappedUrls(
        _Table(parts["u_fp"], parts["u_off"], parts["u_val"], parts["u_keys"], u_bits),
        parts["u_records"],
        sets,
        meta["url_hosts"],
    )
    domains.source = urls.source = name
    # The memoryviews keep the mapping alive as long as the db lives.
    return CategoryDB(
        domains=domains,  # type: ignore[arg-type]
        urls=urls,  # type: ignore[arg-type]
        sizes={k: tuple(v) for k, v in meta["sizes"].items()},
        skipped=meta["skipped"],
    )


_OPENED: dict[str, CategoryDB] = {}


def _reopen(path: str, part: str):
    """A mapped part in a worker started fresh (spawn/forkserver): the same file, mapped again, shared
    through the page cache; checked once per process."""
    db = _OPENED.get(path)
    if db is None:
        db = _OPENED[path] = open_index(path, lists_dir=None)
    return db.domains if part == "domains" else db.urls


def _check(name: str, mapped: mmap.mmap, verify: bool) -> tuple[dict, memoryview]:
    size = len(mapped)
    if size < _HEAD.size or mapped[:8] != MAGIC:
        if mapped[:6] == MAGIC[:6]:
            raise IndexError_(f"{name}: an index of another version; rebuild it with: harbour-monitor index build")
        raise IndexError_(f"{name}: not a harbour-monitor index file")
    _magic, meta_len, meta_crc = _HEAD.unpack_from(mapped, 0)
    if _HEAD.size + meta_len > size:
        raise IndexError_(f"{name}: the index is cut short; rebuild it")
    meta_raw = mapped[_HEAD.size : _HEAD.size + meta_len]
    if zlib.crc32(meta_raw) != meta_crc:
        raise IndexError_(f"{name}: the index is damaged (header checksum); rebuild it")
    try:
        meta = json.loads(meta_raw)
    except ValueError:
        raise IndexError_(f"{name}: the index is damaged (header unreadable); rebuild it") from None
    if meta.get("version") != VERSION:
        raise IndexError_(f"{name}: an index of another version; rebuild it with: harbour-monitor index build")
    start = (_HEAD.size + meta_len + 7) // 8 * 8
    view = memoryview(mapped)[start:]
    for key in _SECTIONS:
        a, n, crc, sample = meta["sections"][key]
        if a + n > len(view):
            view.release()
            raise IndexError_(f"{name}: the index is cut short; rebuild it")
        part = view[a : a + n]
        if (zlib.crc32(part) if verify else _sample_crc(part)) != (crc if verify else sample):
            part.release()
            view.release()
            raise IndexError_(f"{name}: the index is damaged ({key} checksum); rebuild it")
        part.release()
    return meta, view


def verify_index(path: str | os.PathLike) -> dict:
    """Check every byte of an index; its meta (without the large parts) when sound."""
    db = open_index(path, verify=True)
    return {"domains": len(db.domains), "url_hosts": len(db.urls), "categories": len(db.sizes)}
