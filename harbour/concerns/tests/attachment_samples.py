"""Small but real files for the attachment tests: true headers, made the way phones and office
programs make them. Pictures are plain red squares; nothing here depicts anything."""

from __future__ import annotations

import base64
import io
import zipfile
import zlib

import docx
from PIL import Image


def picture(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


def png() -> bytes:
    return picture("PNG")


def jpeg() -> bytes:
    return picture("JPEG")


def _box(kind: bytes, payload: bytes) -> bytes:
    return (8 + len(payload)).to_bytes(4, "big") + kind + payload


def mp4() -> bytes:
    """An MP4 as phones write it: ftyp (isom), then the movie header and media data boxes."""
    return (
        _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41")
        + _box(b"moov", b"\x00" * 32)
        + _box(b"mdat", b"\x01" * 64)
    )


def mov() -> bytes:
    return _box(b"ftyp", b"qt  \x00\x00\x02\x00qt  ") + _box(b"wide", b"") + _box(b"mdat", b"\x02" * 64)


def heic() -> bytes:
    """An iPhone photo: ISO container with the heic brand."""
    return _box(b"ftyp", b"heic\x00\x00\x00\x00mif1heic") + _box(b"meta", b"\x00" * 48)


def three_gp() -> bytes:
    return _box(b"ftyp", b"3gp4\x00\x00\x02\x00isom3gp4") + _box(b"mdat", b"\x03" * 32)


def webm() -> bytes:
    header = bytes.fromhex("1a45dfa39f4286810142f7810142f2810442f381084282847765626d428781044285810218538067")
    return header + b"\x00" * 64


def avi() -> bytes:
    return b"RIFF" + (200).to_bytes(4, "little") + b"AVI LIST" + b"\x00" * 64


def pdf(text: str = "Letter from the local authority: referral received.") -> bytes:
    """A text-only PDF with a compressed page, like a letter saved from a word processor."""
    content = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /ProcSet [/PDF /Text /ImageB /ImageC] >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _pdf_file(objects)


def _pdf_file(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer_extra, xref)
    )
    return out.getvalue()


def pdf_with_inline_image() -> bytes:
    content = zlib.compress(b"q 8 0 0 8 72 720 cm BI /W 1 /H 1 /CS /RGB /BPC 8 ID \xff\x00\x00 EI Q")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    return _pdf_file(objects)


def pdf_with_embedded_file() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.txt) 4 0 R] >> >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
        b"<< /Type /Filespec /F (a.txt) /EF << /F 5 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nhi\nendstream",
    ]
    return _pdf_file(objects)


def encrypted_pdf() -> bytes:
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        b"<< /Filter /Standard /V 2 /R 3 /O (x) /U (y) /P -4 >>",
    ]
    return _pdf_file(objects, trailer_extra=b"/Encrypt 3 0 R ")


def picture_pdf() -> bytes:
    """A photo 'printed' to PDF: the picture is an image object inside."""
    return picture("PDF")


def word(*, with_picture: bool = False) -> bytes:
    document = docx.Document()
    document.add_paragraph("Notes of the meeting with the learner's parents.")
    if with_picture:
        document.add_picture(io.BytesIO(png()))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def excel() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types><Override PartName="/xl/workbook.xml" '
            b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
            "xl/workbook.xml": b"<workbook/>",
        }
    )


def word_with_macros() -> bytes:
    return _zip(
        {
            "[Content_Types].xml": b'<Types><Override PartName="/word/document.xml" '
            b'ContentType="application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>',
            "word/document.xml": b"<document/>",
            "word/vbaProject.bin": b"\x00" * 16,
        }
    )


def odt(*, with_picture: bool = False) -> bytes:
    members = {
        "mimetype": b"application/vnd.oasis.opendocument.text",
        "content.xml": b"<office:document-content/>",
        "Thumbnails/thumbnail.png": png(),  # every LibreOffice file has one: a preview of its own page
    }
    if with_picture:
        members["Pictures/10000000.jpg"] = jpeg()
    return _zip(members)


def zip_archive() -> bytes:
    return _zip({"notes.txt": b"some notes", "photo.jpg": jpeg()})


def email_with_picture() -> bytes:
    encoded = base64.encodebytes(png()).decode()
    return (
        "From: someone@example.org\nSubject: look\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain\n\nsee attached\n'
        "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        f"{encoded}--b--\n"
    ).encode()


def text(body: str = "What the learner said, in her own words.\n") -> bytes:
    return body.encode()
