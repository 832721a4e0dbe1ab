"""What a file is, proved by parsing it with a real parser: an allow-list, never a deny-list.

INC-YPSI-12, INC-CSAE-12, INC-IIOC-06. A file is accepted only when one of the parsers below reads
it completely *as one of the kinds the place allows*; anything else — a kind not on the list, a
file that does not parse, a file with bytes the parser did not account for — is refused. We never
try to recognise pictures in order to refuse them: an attacker only has to find one shape such a
recogniser misses (issue #13 found eleven). The only picture signatures below are a second layer
*inside* PDFs that have already passed the structural allow-list.

Plain Python and pypdf/Pillow-free where it can be (PNG and JPEG are walked chunk by chunk here),
no Django: ``harbour.core.uploads`` holds the decision table (place → kinds) and the plumbing.
docs/decisions/0014-upload-guard-allow-list.md explains the choices.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

logger = logging.getLogger(__name__)


class FileKind(StrEnum):
    """The kinds of file Harbour can accept anywhere. Each is proved by its own parser."""

    TEXT = "text"  # UTF-8 plain text, no markup, no run of encoded data (see ``check_text``)
    PDF_TEXT = "pdf_text"  # a PDF with text only: no picture, inline image, file, or unaccounted byte
    PDF = "pdf"  # a PDF that opens completely; pictures inside allowed
    OFFICE = "office"  # Word .docx, Excel .xlsx, OpenDocument .odt, without macros
    SCREENSHOT = "screenshot"  # a PNG or JPEG that parses to its end marker


@dataclass(frozen=True)
class Checked:
    """A file that passed: its kind and the type it is stored and served as."""

    kind: FileKind
    mime: str
    label: str
    extension: str


TEXT = Checked(FileKind.TEXT, "text/plain", "Plain text", "txt")
CSV = Checked(FileKind.TEXT, "text/csv", "CSV spreadsheet", "csv")
PDF_TEXT = Checked(FileKind.PDF_TEXT, "application/pdf", "PDF document", "pdf")
PDF = Checked(FileKind.PDF, "application/pdf", "PDF document", "pdf")
DOCX = Checked(
    FileKind.OFFICE,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "Word document",
    "docx",
)
XLSX = Checked(
    FileKind.OFFICE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet", "xlsx"
)
ODT = Checked(FileKind.OFFICE, "application/vnd.oasis.opendocument.text", "OpenDocument text", "odt")
PNG = Checked(FileKind.SCREENSHOT, "image/png", "PNG picture", "png")
JPEG = Checked(FileKind.SCREENSHOT, "image/jpeg", "JPEG picture", "jpg")

KNOWN: tuple[Checked, ...] = (TEXT, CSV, PDF, DOCX, XLSX, ODT, PNG, JPEG)
_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "text/plain": ("txt", "text", "log"),
    "text/csv": ("csv",),
    "application/pdf": ("pdf",),
    DOCX.mime: ("docx",),
    XLSX.mime: ("xlsx",),
    ODT.mime: ("odt",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg", "jfif"),
}


def by_mime(mime: str) -> Checked | None:
    """The stored type of an accepted file, from the content type recorded when it was checked."""
    return next((known for known in KNOWN if known.mime == mime), None)


def extensions_for(mime: str) -> tuple[str, ...]:
    return _EXTENSIONS.get(mime, ())


class Refused(Exception):
    """The file is not one of the allowed kinds. ``reason`` is a stable code; ``looks_like`` a
    harmless description of what the first bytes claim (never trusted, only said back)."""

    def __init__(self, reason: str, looks_like: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.looks_like = looks_like


# --- the entry point ---------------------------------------------------------------------------


def check(data: bytes, allowed: frozenset[FileKind]) -> Checked:
    """The checked type of ``data`` if a parser for one of the ``allowed`` kinds reads it all.

    The first bytes only choose which parser to try; the parser then decides. A PDF is tried as
    ``PDF_TEXT`` when only text-only PDFs are allowed, so the stricter rule always applies.
    """
    if not allowed:
        raise Refused("uploads_off", claims(data))
    if not data:
        raise Refused("empty")
    if data.startswith(b"%PDF-") and (allowed & {FileKind.PDF, FileKind.PDF_TEXT}):
        if FileKind.PDF in allowed:
            check_pdf(data, text_only=False)
            return PDF
        check_pdf(data, text_only=True)
        return PDF_TEXT
    if data.startswith(PNG_SIGNATURE) and FileKind.SCREENSHOT in allowed:
        check_png(data)
        return PNG
    if data.startswith(b"\xff\xd8\xff") and FileKind.SCREENSHOT in allowed:
        check_jpeg(data)
        return JPEG
    if data.startswith(b"PK\x03\x04") and FileKind.OFFICE in allowed:
        return check_office(data)
    if FileKind.TEXT in allowed and _could_be_text(data):
        return check_text(data)
    raise Refused("not_allowed", claims(data))


def claims(data: bytes) -> str:
    """What a file's first bytes claim to be, for the message only. Nothing is decided by it."""
    head = data[:16]
    for prefix, label in _CLAIMS:
        if head.startswith(prefix):
            return label
    if head[4:8] == b"ftyp":
        return "a video or phone photo"
    if head[:4] == b"RIFF":
        return "a video, sound or picture file"
    return ""


_CLAIMS = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF8", "a GIF picture"),
    (b"PK\x03\x04", "a Zip archive or an Office document"),
    (b"\x1a\x45\xdf\xa3", "a video"),
)


# --- plain text --------------------------------------------------------------------------------

# A picture small enough to be recognisable needs hundreds of bytes; 64 characters of base64 carry
# 48 bytes and 64 hex digits carry 32. Anything longer is refused, with or without line breaks.
ENCODED_RUN = 64
# Plain text is read character by character; more than this is not a note but a data dump.
MAX_TEXT_BYTES = 2 * 1024 * 1024
_ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f"}
_MARKUP = re.compile(r"<\s*[A-Za-z!?/]")
_DATA_URI = re.compile(r"data:[^\s,]{0,100}[;,]", re.IGNORECASE)
_CSV_SPLIT = re.compile(r"[,;\t]")


def _could_be_text(data: bytes) -> bool:
    return b"\x00" not in data[:8192]


def check_text(data: bytes) -> Checked:
    """UTF-8 plain text with nothing in it that could carry a picture.

    Refused: anything that is not valid UTF-8; control characters; markup of any kind (an SVG is
    text); ``data:`` addresses; and any run of base64, base32 or hex long enough to hold a picture,
    whether it sits on one line, is wrapped at any width, or is split into groups by spaces or
    other separators (a hex dump).
    """
    if len(data) > MAX_TEXT_BYTES:
        raise Refused("too_large", "a text file")
    text = decode_plain_text(data)
    if _MARKUP.search(text) or _DATA_URI.search(text) or "base64," in text.lower():
        raise Refused("markup")
    if has_encoded_run(text):
        raise Refused("encoded_data")
    return CSV if _looks_like_csv(text) else TEXT


def decode_plain_text(data: bytes, controls: frozenset[str] | set[str] = _ALLOWED_CONTROLS) -> str:
    """``data`` as text if it is valid UTF-8 with no control character other than ``controls``.

    The character-level half of ``check_text``, shared with the monitoring log guard (which adds
    its own line parsers instead of the markup and encoded-data rules: URLs in logs are full of
    long tokens).
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused("not_allowed", claims(data)) from exc
    if any(ch < " " and ch not in controls for ch in text) or "\x7f" in text:
        raise Refused("not_allowed", claims(data) or "a file with binary data")
    return text


def has_encoded_run(text: str, threshold: int = ENCODED_RUN) -> bool:
    """True if ``text`` holds ``threshold`` or more characters of what looks like encoded data.

    Tokens of the base64 alphabet that follow each other separated only by white space are joined
    (so a block wrapped at any width counts as one run); hex digits are joined across any
    separator that is not a letter or a digit (so ``xxd`` and ``hexdump -C`` output counts too).
    A window of ``threshold`` characters is "encoded" when its mix of characters is unlike
    language: upper and lower case and digits together with few vowels (base64), capitals with
    only the digits 2-7 (base32), or hex letters and digits only (hex). Regular expressions and
    ``str.count`` do the scanning, so a 2 MB file is checked in well under a second.
    """
    text = _HEX_PREFIX.sub(" ", text)  # 0x89, \x50 ...: the prefix would otherwise split the hex
    for match in _BASE64_RUN.finditer(text):
        if match.end() - match.start() < threshold:
            continue
        run = _WHITESPACE.sub("", match.group(0))
        if len(run) >= threshold and _any_window(run, threshold, _looks_base64):
            return True
    for match in _HEX_RUN.finditer(text):
        if match.end() - match.start() < threshold:
            continue
        run = _NOT_HEX.sub("", match.group(0))
        if len(run) >= threshold and _any_window(run, threshold, _looks_hex):
            return True
    # A hex dump keeps a column of printable characters beside the hex: join line by line too.
    for block in _hex_dump_blocks(text):
        if len(block) >= threshold and _any_window(block, threshold, _looks_hex):
            return True
    return False


# Token classes and separators are disjoint, so these match in linear time.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=_-]+(?:\s+[A-Za-z0-9+/=_-]+)*")
_HEX_WORD = r"(?<![0-9A-Za-z])[0-9A-Fa-f]+(?![0-9A-Za-z])"
# Four hex words in a row at least (a dump), or one long one: single words like "bad" or "10" are not.
_HEX_RUN = re.compile(_HEX_WORD + r"(?:[^0-9A-Za-z]+" + _HEX_WORD + r"){3,}|[0-9A-Fa-f]{16,}")
_HEX_PREFIX = re.compile(r"(?:0[xX]|\\x)(?=[0-9A-Fa-f])")
_WHITESPACE = re.compile(r"\s+")
_NOT_HEX = re.compile(r"[^0-9A-Fa-f]+")
_DUMP_GROUPS = re.compile(r"(?:(?<![0-9A-Za-z])[0-9A-Fa-f]{2,8}(?![0-9A-Za-z])[ \t:]*){4,}")


def _hex_dump_blocks(text: str) -> Iterator[str]:
    block: list[str] = []
    for line in text.splitlines():
        groups = _DUMP_GROUPS.search(line)
        if groups is None:
            if block:
                yield "".join(block)
            block = []
            continue
        block.append(_NOT_HEX.sub("", groups.group(0)))
    if block:
        yield "".join(block)


# Each character's class, so a window's mix is a handful of ``str.count`` calls.
_CLASSES = str.maketrans(
    {
        **dict.fromkeys("AEIOU", "V"),
        **dict.fromkeys("BCDFGHJKLMNPQRSTVWXYZ", "U"),
        **dict.fromkeys("aeiou", "v"),
        **dict.fromkeys("bcdfghjklmnpqrstvwxyz", "l"),
        **dict.fromkeys("234567", "d"),
        **dict.fromkeys("0189", "e"),
    }
)
_WINDOW_STEP = 32


def _any_window(run: str, width: int, looks_encoded: Any) -> bool:
    """Windows of ``width`` every half-width (and the last one) are enough: encoded data looks
    encoded almost everywhere, and a picture needs hundreds of characters."""
    classes = run.translate(_CLASSES)
    if classes.count("U") + classes.count("V") + classes.count("l") + classes.count("v") < width // 8:
        return False
    if classes.count("d") + classes.count("e") < 3:
        return False
    hexes = run.translate(_HEX_CLASSES) if looks_encoded is _looks_hex else classes
    starts = [*range(0, len(run) - width + 1, _WINDOW_STEP), len(run) - width]
    for start in starts:
        window = classes[start : start + width]
        upper = window.count("U") + window.count("V")
        lower = window.count("l") + window.count("v")
        digit = window.count("d") + window.count("e")
        vowel = window.count("V") + window.count("v")
        hexletter = hexes[start : start + width].count("x") if looks_encoded is _looks_hex else 0
        if looks_encoded(upper, lower, digit, hexletter, vowel, window.count("e"), width):
            return True
    return False


_HEX_CLASSES = str.maketrans(dict.fromkeys("abcdefABCDEF", "x"))


def _looks_base64(upper: int, lower: int, digit: int, hexletter: int, vowel: int, not_base32: int, width: int) -> bool:
    """Random base64 has about one vowel in five letters; words and names have one in three or more."""
    if vowel * 10 >= (upper + lower) * 3:
        return False
    mixed_case = upper >= width // 8 and lower >= width // 8 and digit >= 3
    base32 = lower == 0 and not_base32 == 0 and upper >= width // 8 and digit >= width // 8
    return mixed_case or base32


def _looks_hex(upper: int, lower: int, digit: int, hexletter: int, vowel: int, not_base32: int, width: int) -> bool:
    return upper + lower == hexletter and hexletter >= width // 8 and digit >= width // 8


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text[:16384].splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    widths = {len(_CSV_SPLIT.split(line)) for line in lines}
    return len(widths) == 1 and widths.pop() >= 2


# --- PNG and JPEG (screenshots, on the categories that take them) ------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_MAX_SIDE = 20000


def check_png(data: bytes) -> None:
    """Every chunk read, every checksum right, ``IEND`` last, and nothing after it."""
    position = len(PNG_SIGNATURE)
    seen_header = False
    while True:
        if position + 8 > len(data):
            raise Refused("unreadable", "a PNG picture")
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data) or zlib.crc32(data[position + 4 : position + 8 + length]) != int.from_bytes(
            data[position + 8 + length : end], "big"
        ):
            raise Refused("unreadable", "a PNG picture")
        if not seen_header:
            width, height = struct.unpack(">II", data[position + 8 : position + 16]) if length >= 8 else (0, 0)
            if kind != b"IHDR" or not (0 < width <= _PNG_MAX_SIDE and 0 < height <= _PNG_MAX_SIDE):
                raise Refused("unreadable", "a PNG picture")
            seen_header = True
        position = end
        if kind == b"IEND":
            break
    if data[position:].strip(b"\r\n"):
        raise Refused("trailing_data", "a PNG picture")


def check_jpeg(data: bytes) -> None:
    """Markers walked from start of image to end of image, and nothing after the end."""
    position = 2
    while True:
        if position + 2 > len(data) or data[position] != 0xFF:
            raise Refused("unreadable", "a JPEG picture")
        marker = data[position + 1]
        if marker == 0xD9:
            position += 2
            break
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            position += 2 if marker != 0xFF else 1
            continue
        if position + 4 > len(data):
            raise Refused("unreadable", "a JPEG picture")
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2:
            raise Refused("unreadable", "a JPEG picture")
        position += 2 + length
        if marker == 0xDA:  # entropy-coded data runs to the next marker that is not a stuffed byte
            position = _after_scan(data, position)
    if data[position:].strip(b"\x00\r\n"):
        raise Refused("trailing_data", "a JPEG picture")


def _after_scan(data: bytes, position: int) -> int:
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            raise Refused("unreadable", "a JPEG picture")
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
            continue
        return position


# --- Office documents (on the categories that take pictures) -----------------------------------

_MAX_MEMBERS = 5000
_MAX_UNPACKED = 200 * 1024 * 1024


def check_office(data: bytes) -> Checked:
    """A Word, Excel or OpenDocument file that opens as a zip with the right manifest, no macros,
    no password, a sane unpacked size and nothing before or after the archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > _MAX_MEMBERS or sum(m.file_size for m in members) > _MAX_UNPACKED:
                raise Refused("unreadable", "an Office document")
            if any(m.flag_bits & 0x1 for m in members):
                raise Refused("encrypted", "an Office document")
            if archive.testzip() is not None:
                raise Refused("unreadable", "an Office document")
            names = {m.filename for m in members}
            found = _office_type(archive, names)
            end = max(m.header_offset for m in members)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
        raise Refused("unreadable", "a Zip archive or an Office document") from exc
    if found is None:
        raise Refused("not_allowed", "a Zip archive or an Office document")
    if end >= len(data):
        raise Refused("unreadable", "an Office document")
    return found


def _office_type(archive: zipfile.ZipFile, names: set[str]) -> Checked | None:
    if any(name.lower().endswith(("vbaproject.bin", ".bin", ".exe", ".js")) for name in names):
        return None
    if "mimetype" in names:
        declared = archive.read("mimetype")[:200].strip()
        return ODT if declared == b"application/vnd.oasis.opendocument.text" else None
    if "[Content_Types].xml" not in names:
        return None
    manifest = archive.read("[Content_Types].xml")[:1_000_000]
    if b"macroEnabled" in manifest:
        return None
    if b"wordprocessingml.document.main+xml" in manifest:
        return DOCX
    if b"spreadsheetml.sheet.main+xml" in manifest:
        return XLSX
    return None


# --- PDF ----------------------------------------------------------------------------------------

_MAX_OBJECTS = 50_000
_MAX_DECODED = 64 * 1024 * 1024
_PDF_WHITESPACE = b" \t\r\n\x0c"
_FONT_FILE_KEYS = ("/FontFile", "/FontFile2", "/FontFile3")
_CONTENT = "content"
_INERT = "inert"
_FONT = "font"
# Second layer, inside streams that passed the structural allow-list: start-of-picture signatures.
_PICTURE_SIGNATURES = re.compile(
    rb"\xff\xd8\xff[\xc0-\xc4\xdb\xdd\xe0-\xef\xfe]|\x89PNG\r\n\x1a\n|GIF8[79]a"
    rb"|ftyp(?:heic|heix|mif1|avif|isom|mp4|qt  )|RIFF....WEBP"
    rb"|\x00\x00\x00\x0cjP  |II\*\x00|MM\x00\*",
    re.DOTALL,
)
_XREF_TABLE = re.compile(rb"xref[ \t\r\n]+(?:\d+[ \t]+\d+[ \t]*\r?\n(?:\d{10}[ \t]\d{5}[ \t][nf][ \t\r\n]{1,2})*)+")
_STARTXREF = re.compile(rb"startxref[ \t\r\n]+\d+[ \t\r\n]+%%EOF")


def check_pdf(data: bytes, *, text_only: bool) -> None:
    """A PDF that pypdf reads completely in strict mode, not encrypted, with no embedded file,
    nothing before ``%PDF-`` and nothing but white space after the last ``%%EOF``.

    ``text_only`` (INC-CSAE-12) adds: every byte of the file belongs to the header, an object, a
    cross-reference section or the trailer; no image object under any name spelling; no inline
    image in any content stream (pages, form XObjects, appearance streams, Type 3 glyphs, tiling
    patterns), however the stream is encoded; and every stream has a known, harmless role.
    """
    from pypdf import PdfReader

    if not data.startswith(b"%PDF-"):
        raise Refused("unreadable", claims(data))
    last_eof = data.rfind(b"%%EOF")
    if last_eof < 0:
        raise Refused("unreadable", "a PDF")
    if data[last_eof + 5 :].strip(_PDF_WHITESPACE):
        raise Refused("trailing_data", "a PDF")
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        if reader.is_encrypted:
            raise Refused("encrypted", "a PDF")
        objects = dict(_all_objects(reader))
        for obj in objects.values():
            _forbid_files(obj)
        if not text_only:
            for page in reader.pages:  # every page must resolve, or the file is not complete
                page.get("/Contents")
            return
        for obj in objects.values():
            for found in _dicts(obj):
                if any(_string_carries_picture(value) for value in found.values()):
                    raise Refused("picture_inside", "a PDF")
        roles = _stream_roles(reader, objects)
        _check_streams(reader, objects, roles)
        _check_every_byte_accounted_for(reader, data)
    except Refused:
        raise
    except Exception as exc:  # whatever a crafted file makes the parser raise, it is refused
        logger.info("PDF refused as unreadable: %s", type(exc).__name__)
        raise Refused("unreadable", "a PDF") from exc


def _all_objects(reader: Any) -> Iterator[tuple[tuple[int, int], Any]]:
    from pypdf.generic import IndirectObject

    count = 0
    for generation, entries in reader.xref.items():
        if generation == 65535:
            continue
        for number in entries:
            count += 1
            if count > _MAX_OBJECTS:
                raise Refused("unreadable", "a PDF")
            yield (number, generation), IndirectObject(number, generation, reader).get_object()
    for number in reader.xref_objStm:
        yield (number, 0), IndirectObject(number, 0, reader).get_object()


def _arrays(obj: Any, depth: int = 0) -> Iterator[Any]:
    """Every array directly inside ``obj`` (not following references)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    if depth > 64:
        raise Refused("unreadable", "a PDF")
    if isinstance(obj, ArrayObject):
        yield obj
        for value in obj:
            yield from _arrays(value, depth + 1)
    elif isinstance(obj, DictionaryObject):
        for value in obj.values():
            yield from _arrays(value, depth + 1)


def _dicts(obj: Any, depth: int = 0) -> Iterator[Any]:
    """Every dictionary directly inside ``obj`` (not following references)."""
    from pypdf.generic import ArrayObject, DictionaryObject

    if depth > 64:
        raise Refused("unreadable", "a PDF")
    if isinstance(obj, DictionaryObject):
        yield obj
        for value in obj.values():
            yield from _dicts(value, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from _dicts(value, depth + 1)


_FILE_SUBTYPES = {"/FileAttachment", "/RichMedia", "/Movie", "/Sound", "/Screen", "/3D"}


def _forbid_files(obj: Any) -> None:
    """Embedded files and media are refused in every PDF, pictures allowed or not."""
    for found in _dicts(obj):
        if found.get("/Type") == "/EmbeddedFile" or any(k in found for k in ("/EF", "/EmbeddedFiles", "/AF")):
            raise Refused("embedded_file", "a PDF")
        if found.get("/Subtype") in _FILE_SUBTYPES:
            raise Refused("embedded_file", "a PDF")


def _ref_key(value: Any) -> tuple[int, int] | None:
    from pypdf.generic import IndirectObject

    return (value.idnum, value.generation) if isinstance(value, IndirectObject) else None


def _stream_roles(reader: Any, objects: dict[tuple[int, int], Any]) -> dict[tuple[int, int], str]:
    """The role each stream plays, from how other objects refer to it. A stream that nothing gives
    a known role is refused later: it could carry anything."""
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

    roles: dict[tuple[int, int], str] = {}

    def mark(value: Any, role: str, depth: int = 0) -> None:
        key = _ref_key(value)
        target = value.get_object() if key is not None else value
        if isinstance(target, ArrayObject) and depth < 4:
            for item in target:
                mark(item, role, depth + 1)
        elif key is not None:
            roles.setdefault(key, role)

    for obj in objects.values():
        for found in _dicts(obj):
            if found.get("/Subtype") == "/Image" or "/Thumb" in found or found.get("/ImageMask") is True:
                raise Refused("picture_inside", "a PDF")
            if found.get("/Type") == "/XObject" and found.get("/Subtype") not in (None, "/Form"):
                raise Refused("picture_inside", "a PDF")
            if found.get("/Type") == "/Page" and "/Contents" in found:
                mark(found.raw_get("/Contents"), _CONTENT)
            for key in _FONT_FILE_KEYS:
                if key in found:
                    mark(found.raw_get(key), _FONT)
            for key in ("/ToUnicode", "/Metadata", "/Function", "/Functions", "/Shading"):
                if key in found:
                    mark(found.raw_get(key), _INERT)
            for key in ("/CharProcs", "/AP"):
                holder = found.get(key)
                if not isinstance(holder, DictionaryObject) or isinstance(holder, StreamObject):
                    continue
                for name in holder:
                    value = holder.raw_get(name)
                    inner = value.get_object()
                    if isinstance(inner, DictionaryObject) and not isinstance(inner, StreamObject):
                        for state in inner:  # an appearance with states: /N << /On 5 0 R /Off 6 0 R >>
                            mark(inner.raw_get(state), _CONTENT)
                    else:
                        mark(value, _CONTENT)
        for array in _arrays(obj):
            if len(array) == 2 and array[0] == "/ICCBased":
                mark(array[1], _INERT)
    for key, obj in objects.items():
        if not isinstance(obj, StreamObject):
            continue
        own = obj.get("/Type")
        if own in ("/ObjStm", "/XRef", "/Metadata", "/CMap"):
            roles.setdefault(key, _INERT)
        elif obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1:
            roles[key] = _CONTENT
    return roles


def _check_streams(reader: Any, objects: dict[tuple[int, int], Any], roles: dict[tuple[int, int], str]) -> None:
    from pypdf.generic import ContentStream, StreamObject

    budget = _MAX_DECODED
    for key, obj in objects.items():
        if not isinstance(obj, StreamObject):
            continue
        role = roles.get(key)
        if role is None:
            raise Refused("unknown_content", "a PDF")
        budget -= len(obj.get_data())  # pypdf caps each stream; this caps them all (a bomb is refused)
        if budget < 0:
            raise Refused("unreadable", "a PDF")
        if role == _CONTENT:
            operations = ContentStream(obj, reader).operations
            if any(operator in (b"INLINE IMAGE", b"BI", b"ID", b"EI") for _operands, operator in operations):
                raise Refused("picture_inside", "a PDF")
            if any(_string_carries_picture(operands) for operands, _operator in operations):
                raise Refused("picture_inside", "a PDF")
            continue
        decoded = obj.get_data()
        if role == _FONT and not decoded.startswith((b"\x00\x01\x00\x00", b"true", b"OTTO", b"ttcf", b"%!", b"\x01")):
            raise Refused("unknown_content", "a PDF")
        if _PICTURE_SIGNATURES.search(decoded):
            raise Refused("picture_inside", "a PDF")


def _string_carries_picture(value: Any, depth: int = 0) -> bool:
    """A picture's bytes shown as a text string (``(\xff\xd8...) Tj``) are still a picture."""
    if isinstance(value, (list, tuple)) and depth < 8:
        return any(_string_carries_picture(item, depth + 1) for item in value)
    raw = getattr(value, "original_bytes", value)
    if isinstance(value, str) and not isinstance(raw, bytes):
        raw = value.encode("latin-1", errors="ignore")
    return isinstance(raw, bytes) and bool(_PICTURE_SIGNATURES.search(raw))


def _check_every_byte_accounted_for(reader: Any, data: bytes) -> None:
    """Every byte belongs to the header, an object, a cross-reference table or the trailer; what is
    left may only be white space. A picture tucked between objects, or in a comment, is refused."""
    from pypdf.generic import read_object

    spans: list[tuple[int, int]] = [(0, _header_end(data))]
    stream = reader.stream
    for generation, entries in reader.xref.items():
        if generation == 65535:
            continue
        for offset in entries.values():
            spans.append((offset, _object_end(reader, stream, data, offset, read_object)))
    for match in _STARTXREF.finditer(data):
        if _inside(spans, match.start()):
            continue
        spans.append(match.span())
        offset = int(re.search(rb"\d+", match.group(0)[9:]).group(0))  # type: ignore[union-attr]
        table = _XREF_TABLE.match(data, offset)
        if table is not None:
            trailer = re.compile(rb"[ \t\r\n]*trailer[ \t\r\n]*").match(data, table.end())
            if trailer is None:
                raise Refused("unreadable", "a PDF")
            stream.seek(trailer.end())
            read_object(stream, reader)
            spans.append((offset, stream.tell()))
        elif not _inside(spans, offset):
            spans.append((offset, _object_end(reader, stream, data, offset, read_object)))
    position = 0
    for start, end in sorted(spans):
        if start > position and data[position:start].strip(_PDF_WHITESPACE):
            raise Refused("unknown_content", "a PDF")
        position = max(position, end)
    if data[position:].strip(_PDF_WHITESPACE):
        raise Refused("unknown_content", "a PDF")


def _header_end(data: bytes) -> int:
    first = re.match(rb"%PDF-\d\.\d[ \t]*\r?\n?", data)
    if first is None:
        raise Refused("unreadable", "a PDF")
    end = first.end()
    binary = re.match(rb"%[^\r\n]{0,16}\r?\n", data[end:])  # the customary line of four high bytes
    return end + (binary.end() if binary else 0)


_ENDOBJ = re.compile(rb"[ \t\r\n\x0c]*endobj")


def _object_end(reader: Any, stream: Any, data: bytes, offset: int, read_object: Any) -> int:
    stream.seek(offset)
    reader.read_object_header(stream)
    read_object(stream, reader)
    rest = _ENDOBJ.match(data, stream.tell())
    if rest is None:
        raise Refused("unreadable", "a PDF")
    return rest.end()


def _inside(spans: list[tuple[int, int]], position: int) -> bool:
    return any(start <= position < end for start, end in spans)
