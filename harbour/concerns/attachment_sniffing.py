"""What a file really is, read from its bytes (INC-YPSI-12): never from its name or the browser.

``sniff`` names the format; ``look_inside`` says whether a document carries pictures, media,
other files, or could not be fully checked (encrypted, or too much to unpack). Plain Python,
no Django: the rule about which category accepts what lives in ``attachments.assess``.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from enum import StrEnum

# Enough of a file's start to recognise every format below (tar's marker sits at byte 257).
HEAD_BYTES = 4096


# --- file types --------------------------------------------------------------------------------


class Kind(StrEnum):
    DOCUMENT = "document"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    ARCHIVE = "archive"
    OTHER = "other"


@dataclass(frozen=True)
class FileType:
    mime: str
    label: str
    kind: Kind
    extensions: tuple[str, ...] = ("bin",)

    @property
    def extension(self) -> str:
        return self.extensions[0]


K = Kind
PDF = FileType("application/pdf", "PDF document", K.DOCUMENT, ("pdf",))
TEXT = FileType("text/plain", "Plain text", K.DOCUMENT, ("txt", "text", "log"))
CSV = FileType("text/csv", "CSV spreadsheet", K.DOCUMENT, ("csv",))
DOCX = FileType(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document", K.DOCUMENT, ("docx",)
)
XLSX = FileType(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel spreadsheet", K.DOCUMENT, ("xlsx",)
)
ODT = FileType("application/vnd.oasis.opendocument.text", "OpenDocument text", K.DOCUMENT, ("odt",))

PNG = FileType("image/png", "PNG picture", K.IMAGE, ("png",))
JPEG = FileType("image/jpeg", "JPEG picture", K.IMAGE, ("jpg", "jpeg", "jfif"))
GIF = FileType("image/gif", "GIF picture", K.IMAGE, ("gif",))
WEBP = FileType("image/webp", "WebP picture", K.IMAGE, ("webp",))
HEIF = FileType("image/heif", "HEIC/HEIF photo", K.IMAGE, ("heic", "heif"))
AVIF = FileType("image/avif", "AVIF picture", K.IMAGE, ("avif",))
BMP = FileType("image/bmp", "BMP picture", K.IMAGE, ("bmp",))
TIFF = FileType("image/tiff", "TIFF picture", K.IMAGE, ("tif", "tiff"))
SVG = FileType("image/svg+xml", "SVG picture", K.IMAGE, ("svg",))
ICO = FileType("image/vnd.microsoft.icon", "Icon picture", K.IMAGE, ("ico",))
PSD = FileType("image/vnd.adobe.photoshop", "Photoshop picture", K.IMAGE, ("psd",))
JP2 = FileType("image/jp2", "JPEG 2000 picture", K.IMAGE, ("jp2",))
JXL = FileType("image/jxl", "JPEG XL picture", K.IMAGE, ("jxl",))
RAW_PHOTO = FileType("image/x-raw", "Camera raw photo", K.IMAGE, ("raw",))

MP4 = FileType("video/mp4", "MP4 video", K.VIDEO, ("mp4",))
MOV = FileType("video/quicktime", "QuickTime (MOV) video", K.VIDEO, ("mov",))
THREE_GP = FileType("video/3gpp", "3GP phone video", K.VIDEO, ("3gp",))
WEBM = FileType("video/webm", "WebM video", K.VIDEO, ("webm",))
MKV = FileType("video/x-matroska", "Matroska (MKV) video", K.VIDEO, ("mkv",))
AVI = FileType("video/x-msvideo", "AVI video", K.VIDEO, ("avi",))
MPEG = FileType("video/mpeg", "MPEG video", K.VIDEO, ("mpg",))
FLV = FileType("video/x-flv", "Flash video", K.VIDEO, ("flv",))
WMV = FileType("video/x-ms-asf", "Windows Media video", K.VIDEO, ("wmv",))
OGG = FileType("video/ogg", "Ogg video or audio", K.VIDEO, ("ogg",))

MP3 = FileType("audio/mpeg", "MP3 sound recording", K.AUDIO, ("mp3",))
WAV = FileType("audio/wav", "WAV sound recording", K.AUDIO, ("wav",))
FLAC = FileType("audio/flac", "FLAC sound recording", K.AUDIO, ("flac",))
M4A = FileType("audio/mp4", "M4A sound recording", K.AUDIO, ("m4a",))
AMR = FileType("audio/amr", "AMR voice recording", K.AUDIO, ("amr",))

ZIP = FileType("application/zip", "Zip archive", K.ARCHIVE, ("zip",))
RAR = FileType("application/vnd.rar", "RAR archive", K.ARCHIVE, ("rar",))
SEVEN_Z = FileType("application/x-7z-compressed", "7-Zip archive", K.ARCHIVE, ("7z",))
GZIP = FileType("application/gzip", "Gzip archive", K.ARCHIVE, ("gz",))
BZIP2 = FileType("application/x-bzip2", "Bzip2 archive", K.ARCHIVE, ("bz2",))
XZ = FileType("application/x-xz", "XZ archive", K.ARCHIVE, ("xz",))
TAR = FileType("application/x-tar", "Tar archive", K.ARCHIVE, ("tar",))
CAB = FileType("application/vnd.ms-cab-compressed", "Cabinet archive", K.ARCHIVE, ("cab",))

OLE = FileType("application/x-ole-storage", "Older Microsoft Office file or Outlook message", K.OTHER, ("doc",))
OFFICE_MACRO = FileType("application/vnd.ms-office.macroenabled", "Office file with macros", K.OTHER, ("docm",))
OFFICE_OTHER = FileType("application/vnd.ms-office.other", "Office file of another kind", K.OTHER, ("pptx",))
ODF_OTHER = FileType("application/vnd.oasis.opendocument.other", "OpenDocument file of another kind", K.OTHER)
HTML = FileType("text/html", "Web page (HTML)", K.OTHER, ("html",))
XML = FileType("application/xml", "XML data", K.OTHER, ("xml",))
RTF = FileType("application/rtf", "Rich text (RTF)", K.OTHER, ("rtf",))
PROGRAM = FileType("application/x-executable", "Program", K.OTHER, ("exe",))
UNKNOWN = FileType("application/octet-stream", "Unrecognised file", K.OTHER)
EMPTY = FileType("application/x-empty", "Empty file", K.OTHER)

DOCUMENT_TYPES = (PDF, TEXT, CSV, DOCX, XLSX, ODT)
_BY_MIME: dict[str, FileType] = {t.mime: t for t in (*DOCUMENT_TYPES, PNG, JPEG)}


def by_mime(mime: str) -> FileType | None:
    """The type of a stored (so accepted) file, from the content type recorded when it was checked."""
    return _BY_MIME.get(mime)


# --- sniffing ----------------------------------------------------------------------------------

_PREFIXES: tuple[tuple[bytes, FileType], ...] = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"GIF87a", GIF),
    (b"GIF89a", GIF),
    (b"II*\x00", TIFF),
    (b"MM\x00*", TIFF),
    (b"II+\x00", TIFF),
    (b"MM\x00+", TIFF),
    (b"8BPS", PSD),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", JP2),
    (b"\xff\x4f\xff\x51", JP2),
    (b"\xff\x0a", JXL),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n", JXL),
    (b"%PDF-", PDF),
    (b"FLV\x01", FLV),
    (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11", WMV),
    (b"OggS", OGG),
    (b"fLaC", FLAC),
    (b"ID3", MP3),
    (b"#!AMR", AMR),
    (b"Rar!\x1a\x07", RAR),
    (b"7z\xbc\xaf\x27\x1c", SEVEN_Z),
    (b"\x1f\x8b", GZIP),
    (b"\xfd7zXZ\x00", XZ),
    (b"MSCF\x00\x00\x00\x00", CAB),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE),
    (b"\x7fELF", PROGRAM),
    (b"\xcf\xfa\xed\xfe", PROGRAM),
    (b"\xca\xfe\xba\xbe", PROGRAM),
)
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_BMP_HEADER_SIZES = {12, 16, 40, 52, 56, 64, 108, 124}


def sniff(data: bytes) -> FileType:
    """The file's type, read from its content. The order matters: exact signatures first, then
    containers, then text, and the weak two-byte signatures last, so text is never mistaken for them."""
    if not data:
        return EMPTY
    for prefix, file_type in _PREFIXES:
        if data.startswith(prefix):
            return file_type
    for detect in (_sniff_iso_media, _sniff_riff, _sniff_ebml, _sniff_zip, _sniff_text, _sniff_weak):
        found = detect(data)
        if found is not None:
            return found
    return UNKNOWN


def _sniff_bzip2(data: bytes) -> FileType | None:
    if data[:3] == b"BZh" and data[3:4].isdigit() and data[4:10] == b"1AY&SY":
        return BZIP2
    return None


def _sniff_iso_media(data: bytes) -> FileType | None:
    """MP4, MOV, 3GP, HEIC and AVIF share one container; its brands say which it is."""
    if len(data) < 12 or data[:2] != b"\x00\x00":
        return None
    box = data[4:8]
    if box in _QUICKTIME_ATOMS:
        return MOV
    if box != b"ftyp":
        return None
    size = int.from_bytes(data[:4], "big")
    major = data[8:12]
    compatible = {data[i : i + 4] for i in range(16, min(size, len(data), 256) - 3, 4)}
    if major in _AVIF_BRANDS:
        return AVIF
    if major in _HEIF_BRANDS:
        return HEIF
    if major == b"crx ":
        return RAW_PHOTO
    if major == b"qt  ":
        return MOV
    if major.startswith((b"3gp", b"3g2")):
        return THREE_GP
    if major in _AUDIO_BRANDS:
        return M4A
    if compatible & _AVIF_BRANDS:
        return AVIF
    if compatible & _HEIF_BRANDS:
        return HEIF
    return MP4


def _sniff_riff(data: bytes) -> FileType | None:
    if data[:4] != b"RIFF" or len(data) < 12:
        return None
    return {b"WEBP": WEBP, b"AVI ": AVI, b"WAVE": WAV}.get(data[8:12], UNKNOWN)


def _sniff_ebml(data: bytes) -> FileType | None:
    if not data.startswith(b"\x1a\x45\xdf\xa3"):
        return None
    return WEBM if b"webm" in data[:64] else MKV


def _sniff_zip(data: bytes) -> FileType | None:
    """A zip is an office document only if its manifest says so; any other zip is an archive."""
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _office_type(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        return ZIP


def _office_type(archive: zipfile.ZipFile) -> FileType:
    names = set(archive.namelist())
    if "mimetype" in names:
        declared = _read_member(archive, "mimetype", 200).strip()
        if declared == b"application/vnd.oasis.opendocument.text":
            return ODT
        return ODF_OTHER if declared.startswith(b"application/vnd.oasis.opendocument") else ZIP
    if "[Content_Types].xml" not in names:
        return ZIP
    manifest = _read_member(archive, "[Content_Types].xml", 1_000_000)
    if b"macroEnabled" in manifest or any(name.lower().endswith("vbaproject.bin") for name in names):
        return OFFICE_MACRO
    if b"wordprocessingml.document.main+xml" in manifest:
        return DOCX
    if b"spreadsheetml.sheet.main+xml" in manifest:
        return XLSX
    return OFFICE_OTHER


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as member:
        return member.read(limit)


_TEXT_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f]")


def _sniff_text(data: bytes) -> FileType | None:
    """UTF-8 with no NUL byte and hardly any control characters; then what kind of text."""
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    if len(_TEXT_CONTROL.findall(text[:65536])) > len(text[:65536]) // 100:
        return None
    start = text.lstrip()[:4096].lower()
    if start.startswith("{\\rtf"):
        return RTF
    if start.startswith("<"):
        if "<svg" in start:
            return SVG
        if any(marker in start for marker in ("<html", "<!doctype html", "<script", "<body", "<head")):
            return HTML
        if start.startswith("<?xml"):
            return XML
    return CSV if _looks_like_csv(text) else TEXT


def _looks_like_csv(text: str) -> bool:
    lines = [line for line in text[:16384].splitlines()[:20] if line.strip()]
    if len(lines) < 2:
        return False
    try:
        dialect = csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t")
    except csv.Error:
        return False
    widths = {len(row) for row in csv.reader(lines, dialect)}
    return len(widths) == 1 and widths.pop() >= 2


def _sniff_weak(data: bytes) -> FileType | None:
    """Short signatures that plain text could also start with: tried only after text failed."""
    bzip2 = _sniff_bzip2(data)
    if bzip2 is not None:
        return bzip2
    if data[:2] == b"BM" and len(data) >= 18 and int.from_bytes(data[14:18], "little") in _BMP_HEADER_SIZES:
        return BMP
    if data[:2] == b"MZ":
        return PROGRAM
    if data[:4] == b"\x00\x00\x01\x00":
        return ICO
    if data[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"):
        return MPEG
    if len(data) > 376 and data[0] == data[188] == data[376] == 0x47:
        return MPEG
    if data[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2", b"\xff\xf1", b"\xff\xf9"):
        return MP3
    if data[257:262] == b"ustar":
        return TAR
    return None


# --- what is inside a document -----------------------------------------------------------------


@dataclass
class Inside:
    """What a document carries besides its text. ``sealed``: it could not be fully checked."""

    pictures: bool = False
    media: bool = False
    files: bool = False
    sealed: bool = False


def look_inside(data: bytes, file_type: FileType) -> Inside:
    if file_type is PDF:
        return _pdf_inside(data)
    if file_type in (DOCX, XLSX, ODT):
        return _zip_inside(data)
    if file_type in (TEXT, CSV):
        return _text_inside(data.decode("utf-8-sig", errors="replace"))
    return Inside()


_PDF_PICTURE = re.compile(rb"/Subtype\s*/Image\b|/(?:DCTDecode|JPXDecode|JBIG2Decode|CCITTFaxDecode)\b")
_PDF_MEDIA = re.compile(rb"/(?:RichMedia|Movie|Sound|Screen|3D)\b")
_PDF_FILES = re.compile(rb"/(?:EmbeddedFiles?|FileAttachment)\b")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
_PDF_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s+/(?:W|Width|H|Height|BPC|BitsPerComponent|CS|ColorSpace|IM)\b")
_PDF_INFLATE_BUDGET = 64 * 1024 * 1024


def _pdf_inside(data: bytes) -> Inside:
    """Image objects and attachments are declared in uncompressed dictionaries (stream
    dictionaries cannot be compressed); only inline images hide in compressed page content."""
    inside = Inside(
        pictures=bool(_PDF_PICTURE.search(data)),
        media=bool(_PDF_MEDIA.search(data)),
        files=bool(_PDF_FILES.search(data)),
        sealed=b"/Encrypt" in data,
    )
    if inside.pictures or inside.sealed:
        return inside
    budget = _PDF_INFLATE_BUDGET
    for match in _PDF_STREAM.finditer(data):
        inflater = zlib.decompressobj()
        try:
            content = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(content)
        if _PDF_INLINE_IMAGE.search(content):
            inside.pictures = True
            break
        if budget <= 0 or inflater.unconsumed_tail:
            inside.sealed = True  # a decompression bomb, or more than we are willing to unpack
            break
    return inside


_PICTURE_EXTENSIONS = frozenset(
    {
        *("png", "jpg", "jpeg", "jpe", "jfif", "gif", "bmp", "dib", "tif", "tiff", "webp", "heic", "heif"),
        *("avif", "svg", "svgz", "emf", "emz", "wmf", "wmz", "svm", "ico", "psd", "jp2", "jxl", "pct", "pict"),
    }
)
_MEDIA_EXTENSIONS = frozenset(
    {
        *("mp4", "m4v", "mov", "3gp", "3g2", "webm", "mkv", "avi", "wmv", "mpg", "mpeg", "flv", "ogv"),
        *("ogg", "mp3", "wav", "m4a", "aac", "amr"),
    }
)
_PICTURE_FOLDERS = ("word/media/", "xl/media/", "pictures/", "media/", "objectreplacements/")
_OBJECT_FOLDERS = ("word/embeddings/", "xl/embeddings/", "word/activex/", "xl/activex/", "object ")
# A page preview of the document itself: it can only show what the document already holds.
_THUMBNAILS = ("docprops/thumbnail.", "thumbnails/")
_MAX_MEMBERS = 5000


def _zip_inside(data: bytes) -> Inside:
    inside = Inside()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > _MAX_MEMBERS:
                inside.sealed = True
                return inside
            for member in members:
                _classify_member(archive, member, inside)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
        inside.sealed = True
    return inside


def _classify_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, inside: Inside) -> None:
    name = member.filename.lower()
    if member.is_dir() or name.startswith(_THUMBNAILS):
        return
    if member.flag_bits & 0x1:
        inside.sealed = True
        return
    extension = name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
    if name.startswith(_PICTURE_FOLDERS) or extension in _PICTURE_EXTENSIONS:
        inside.pictures = True
        return
    if extension in _MEDIA_EXTENSIONS:
        inside.media = True
        return
    if name.startswith(_OBJECT_FOLDERS) or "/object " in name:
        inside.files = True
        return
    if extension in ("xml", "rels") or name == "mimetype":
        return
    _classify_by_content(sniff(_read_member(archive, member.filename, HEAD_BYTES)), inside)


def _classify_by_content(found: FileType, inside: Inside) -> None:
    if found.kind is Kind.IMAGE:
        inside.pictures = True
    elif found.kind in (Kind.VIDEO, Kind.AUDIO):
        inside.media = True
    elif found.kind is Kind.ARCHIVE or found in (PDF, OLE, DOCX, XLSX, ODT, OFFICE_MACRO, OFFICE_OTHER, PROGRAM):
        inside.files = True


_DATA_URI = re.compile(r"data:\s*(image|video|audio)/", re.IGNORECASE)
_MIME_PART = re.compile(r"^content-type:\s*(image|video|audio)/", re.IGNORECASE | re.MULTILINE)
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{60,}")
_MAX_BASE64_BLOCKS = 1000


def _text_inside(text: str) -> Inside:
    """An email saved as text, or a pasted data address, can carry a picture as base64."""
    inside = Inside()
    for match in (*_DATA_URI.finditer(text), *_MIME_PART.finditer(text)):
        if match.group(1).lower() == "image":
            inside.pictures = True
        else:
            inside.media = True
    previous_end, blocks = -10, 0
    for run in _BASE64_RUN.finditer(text):
        starts_block = run.start() - previous_end > 2  # the next line of the same block is not a new block
        previous_end = run.end()
        if not starts_block:
            continue
        blocks += 1
        if blocks > _MAX_BASE64_BLOCKS:
            inside.sealed = True
            break
        _classify_by_content(_decode_base64_head(run.group(0)), inside)
    return inside


def _decode_base64_head(run: str) -> FileType:
    head = run[: (min(len(run), 88) // 4) * 4]
    try:
        return sniff(base64.b64decode(head, validate=True))
    except (binascii.Error, ValueError):
        return UNKNOWN
