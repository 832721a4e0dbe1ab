"""A corpus of crafted files that carry a picture, GENERATED here, never checked in (issue #13).

Each shape is one an attacker used, or could use, to slip a picture past a guard that looks for
pictures: a picture behind a PDF header, escaped names, inline images in plain and hex-encoded page
content, a picture after the end of a PDF, a picture inside a Word-shaped zip, base64 wrapped at 56
columns, a hex dump, an SVG after a line of text, and more. The pictures are plain coloured noise;
nothing here depicts anything. Also the clean files that must be accepted where documents are.
"""

from __future__ import annotations

import base64
import binascii
import io
import random
import zipfile
import zlib
from collections.abc import Callable

from PIL import Image


def _picture(fmt: str, size: int = 24) -> bytes:
    rng = random.Random(13)
    image = Image.new("RGB", (size, size))
    image.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(size * size)])
    buffer = io.BytesIO()
    image.save(buffer, fmt)
    return buffer.getvalue()


def png() -> bytes:
    return _picture("PNG")


def jpeg() -> bytes:
    return _picture("JPEG")


# --- PDFs built object by object, with a correct cross-reference table --------------------------


def pdf_file(objects: list[bytes], *, header: bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", between: bytes = b"") -> bytes:
    out = io.BytesIO()
    out.write(header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        if number == 1:
            out.write(between)
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< " + dictionary + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


_CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
_PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(resources: bytes = b"", extra: bytes = b"") -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> "
        + resources
        + b" >> "
        + extra
        + b">>"
    )


def clean_pdf(text: str = "Letter from the local authority: referral received.") -> bytes:
    """A text-only letter with a compressed page, like one saved from a word processor."""
    content = zlib.compress(f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode())
    return pdf_file([_CATALOG, _PAGES, _page(), _stream(b"/Filter /FlateDecode", content), _FONT])


def clean_pdf_from_pypdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def clean_text() -> bytes:
    return (
        b"Notes of the meeting, 3 March, 10:45.\n"
        b"Sam (Year 9) told Ms Khan that older pupils had sent him messages asking for photos.\n"
        b"He did not send any. His phone is locked in the DSL's office; nobody has looked at it.\n"
        b"Reference from the police: CRN 0123/4567/89. Phone 07700 900123.\n"
    )


def png_behind_pdf_header() -> bytes:
    return b"%PDF-1.7\n" + png()


def jpeg_behind_pdf_header() -> bytes:
    return b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + jpeg()


def pdf_image_xobject_escaped_name() -> bytes:
    """The image object's subtype spelt ``/Im#61ge`` (``#61`` is "a"): pypdf reads it as /Image."""
    picture = jpeg()
    content = b"q 100 0 0 100 72 600 cm /Pic Do Q"
    return pdf_file(
        [
            _CATALOG,
            _PAGES,
            _page(b"/XObject << /Pic 6 0 R >>"),
            _stream(b"", content),
            _FONT,
            _stream(
                b"/Type /XObj#65ct /Subtype /Im#61ge /Width 24 /Height 24 /ColorSpace /DeviceRGB "
                b"/BitsPerComponent 8 /Filter /DCTDec#6fde",
                picture,
            ),
        ]
    )


def _inline_image_ops() -> bytes:
    rng = random.Random(7)
    pixels = bytes(rng.randrange(256) for _ in range(16 * 16 * 3))
    return b"q 100 0 0 100 72 600 cm\nBI /W 16 /H 16 /CS /RGB /BPC 8 ID " + pixels + b"\nEI Q\n"


def pdf_inline_image_uncompressed() -> bytes:
    return pdf_file([_CATALOG, _PAGES, _page(), _stream(b"", _inline_image_ops()), _FONT])


def pdf_inline_image_asciihex() -> bytes:
    encoded = binascii.hexlify(_inline_image_ops()) + b">"
    return pdf_file([_CATALOG, _PAGES, _page(), _stream(b"/Filter /ASCIIHexDecode", encoded), _FONT])


def jpeg_after_eof() -> bytes:
    return clean_pdf() + jpeg()


def pdf_form_xobject_carrying_image() -> bytes:
    """The page draws a form; the form draws an inline picture (the picture is one level down)."""
    form = _stream(b"/Type /XObject /Subtype /Form /BBox [0 0 100 100]", _inline_image_ops())
    return pdf_file([_CATALOG, _PAGES, _page(b"/XObject << /Fm 6 0 R >>"), _stream(b"", b"/Fm Do"), _FONT, form])


def pdf_annotation_appearance_image() -> bytes:
    """A stamp annotation whose appearance is a form that paints an image object."""
    appearance = _stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /I 7 0 R >> >>",
        b"q 100 0 0 100 0 0 cm /I Do Q",
    )
    image = _stream(
        b"/Subtype /Image /Width 24 /Height 24 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", jpeg()
    )
    return pdf_file(
        [
            _CATALOG,
            _PAGES,
            _page(extra=b"/Annots [8 0 R] "),
            _stream(b"", b"BT /F1 12 Tf 72 720 Td (Letter) Tj ET"),
            _FONT,
            appearance,
            image,
            b"<< /Type /Annot /Subtype /Stamp /Rect [0 0 100 100] /AP << /N 6 0 R >> >>",
        ]
    )


def pdf_embedded_file() -> bytes:
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a.jpg) 6 0 R] >> >> >>"
    return pdf_file(
        [
            catalog,
            _PAGES,
            _page(),
            _stream(b"", b"BT /F1 12 Tf 72 720 Td (Letter) Tj ET"),
            _FONT,
            b"<< /Type /Filespec /F (a.jpg) /EF << /F 7 0 R >> >>",
            _stream(b"/Type /EmbeddedFile", jpeg()),
        ]
    )


def pdf_picture_in_unreferenced_stream() -> bytes:
    """A stream nothing refers to, holding a JPEG: never drawn, but carried in the file."""
    return pdf_file(
        [_CATALOG, _PAGES, _page(), _stream(b"", b"BT /F1 12 Tf 72 720 Td (Hi) Tj ET"), _FONT, _stream(b"", jpeg())]
    )


def pdf_picture_between_objects() -> bytes:
    return pdf_file(
        [_CATALOG, _PAGES, _page(), _stream(b"", b"BT /F1 12 Tf 72 720 Td (Hi) Tj ET"), _FONT], between=jpeg()
    )


def pdf_picture_in_a_comment() -> bytes:
    line = b"%" + base64.b64encode(jpeg()) + b"\n"
    return pdf_file(
        [_CATALOG, _PAGES, _page(), _stream(b"", b"BT /F1 12 Tf 72 720 Td (Hi) Tj ET"), _FONT], between=line
    )


def pdf_picture_as_font() -> bytes:
    descriptor = b"<< /Type /FontDescriptor /FontName /X /Flags 32 /FontFile2 7 0 R >>"
    font = b"<< /Type /Font /Subtype /TrueType /BaseFont /X /FontDescriptor 6 0 R >>"
    return pdf_file(
        [
            _CATALOG,
            _PAGES,
            _page(),
            _stream(b"", b"BT /F1 12 Tf 72 720 Td (Hi) Tj ET"),
            font,
            descriptor,
            _stream(b"", jpeg()),
        ]
    )


def pdf_picture_as_a_text_string() -> bytes:
    """The picture's bytes as a hex string shown with ``Tj``, in a compressed page."""
    content = b"BT /F1 12 Tf 72 720 Td <" + jpeg().hex().encode() + b"> Tj ET"
    return pdf_file([_CATALOG, _PAGES, _page(), _stream(b"/Filter /FlateDecode", zlib.compress(content)), _FONT])


def pdf_picture_in_a_dictionary_string() -> bytes:
    catalog = b"<< /Type /Catalog /Pages 2 0 R /Title <" + png().hex().encode() + b"> >>"
    return pdf_file([catalog, _PAGES, _page(), _stream(b"", b"BT /F1 12 Tf 72 720 Td (Hi) Tj ET"), _FONT])


# --- zips shaped like Word documents ------------------------------------------------------------


def _docx(extra: dict[str, bytes]) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Notes of the meeting with the learner's parents.")
    source = io.BytesIO()
    document.save(source)
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in original.infolist():
            if member.filename not in extra:
                archive.writestr(member, original.read(member.filename))
        for name, data in extra.items():
            archive.writestr(name, data)
    return out.getvalue()


def docx_picture_as_evidence_xml() -> bytes:
    return _docx({"word/evidence.xml": jpeg()})


def docx_picture_as_thumbnail() -> bytes:
    return _docx({"docProps/thumbnail.jpeg": jpeg()})


def clean_docx() -> bytes:
    return _docx({})


# --- text that carries a picture ----------------------------------------------------------------


def base64_jpeg_wrapped_56() -> bytes:
    encoded = base64.b64encode(jpeg()).decode()
    lines = [encoded[i : i + 56] for i in range(0, len(encoded), 56)]
    return ("This is what was sent to her phone:\n\n" + "\n".join(lines) + "\n").encode()


def base64_png_one_line() -> bytes:
    return ("Copied from the chat: " + base64.b64encode(png()).decode() + " (end)\n").encode()


def base64_split_into_words() -> bytes:
    encoded = base64.b64encode(jpeg()).decode()
    return (" ".join(encoded[i : i + 4] for i in range(0, len(encoded), 4)) + "\n").encode()


def base32_jpeg() -> bytes:
    return base64.b32encode(jpeg()) + b"\n"


def hex_dump() -> bytes:
    """``xxd`` style: offset, eight groups of four hex digits, then the printable column."""
    data, lines = png(), []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        groups = " ".join(chunk[i : i + 2].hex() for i in range(0, len(chunk), 2))
        printable = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}: {groups:<39}  {printable}")
    return ("\n".join(lines) + "\n").encode()


def hexdump_canonical() -> bytes:
    """``hexdump -C`` style: bytes in pairs, then ``|printable|``."""
    data, lines = jpeg(), []
    for offset in range(0, len(data), 16):
        chunk = data[offset : offset + 16]
        pairs = " ".join(f"{b:02x}" for b in chunk)
        printable = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {pairs:<47}  |{printable}|")
    return ("\n".join(lines) + "\n").encode()


def hex_continuous_wrapped() -> bytes:
    encoded = jpeg().hex().upper()
    return ("\n".join(encoded[i : i + 60] for i in range(0, len(encoded), 60)) + "\n").encode()


def c_array_hex() -> bytes:
    return ("unsigned char img[] = {" + ", ".join(f"0x{b:02x}" for b in jpeg()) + "};\n").encode()


def escaped_hex_string() -> bytes:
    return ("payload = '" + "".join(f"\\x{b:02x}" for b in png()) + "'\n").encode()


def svg_after_a_line_of_text() -> bytes:
    inner = base64.b64encode(png()).decode()
    return (
        "Screenshot described below.\n"
        f'<svg xmlns="http://www.w3.org/2000/svg"><image href="data:image/png;base64,{inner}"/></svg>\n'
    ).encode()


def data_uri_in_text() -> bytes:
    return ("Link: data:image/jpeg;base64," + base64.b64encode(jpeg()[:30]).decode() + "\n").encode()


# The eleven shapes of issue #13, then more of the same family.
ISSUE_SHAPES: dict[str, Callable[[], bytes]] = {
    "png_behind_pdf_header": png_behind_pdf_header,
    "jpeg_behind_pdf_header": jpeg_behind_pdf_header,
    "pdf_image_xobject_escaped_name": pdf_image_xobject_escaped_name,
    "pdf_inline_image_uncompressed": pdf_inline_image_uncompressed,
    "pdf_inline_image_asciihex": pdf_inline_image_asciihex,
    "jpeg_after_eof": jpeg_after_eof,
    "docx_picture_as_evidence_xml": docx_picture_as_evidence_xml,
    "docx_picture_as_thumbnail": docx_picture_as_thumbnail,
    "base64_jpeg_wrapped_56": base64_jpeg_wrapped_56,
    "hex_dump": hex_dump,
    "svg_after_a_line_of_text": svg_after_a_line_of_text,
}
MORE_SHAPES: dict[str, Callable[[], bytes]] = {
    "png": png,
    "jpeg": jpeg,
    "pdf_form_xobject_carrying_image": pdf_form_xobject_carrying_image,
    "pdf_annotation_appearance_image": pdf_annotation_appearance_image,
    "pdf_embedded_file": pdf_embedded_file,
    "pdf_picture_in_unreferenced_stream": pdf_picture_in_unreferenced_stream,
    "pdf_picture_between_objects": pdf_picture_between_objects,
    "pdf_picture_in_a_comment": pdf_picture_in_a_comment,
    "pdf_picture_as_font": pdf_picture_as_font,
    "pdf_picture_as_a_text_string": pdf_picture_as_a_text_string,
    "pdf_picture_in_a_dictionary_string": pdf_picture_in_a_dictionary_string,
    "base64_png_one_line": base64_png_one_line,
    "base64_split_into_words": base64_split_into_words,
    "base32_jpeg": base32_jpeg,
    "hexdump_canonical": hexdump_canonical,
    "hex_continuous_wrapped": hex_continuous_wrapped,
    "data_uri_in_text": data_uri_in_text,
    "c_array_hex": c_array_hex,
    "escaped_hex_string": escaped_hex_string,
}
PICTURE_CARRIERS: dict[str, Callable[[], bytes]] = {**ISSUE_SHAPES, **MORE_SHAPES}
CLEAN_DOCUMENTS: dict[str, Callable[[], bytes]] = {
    "clean_pdf": clean_pdf,
    "clean_pdf_from_pypdf": clean_pdf_from_pypdf,
    "clean_text": clean_text,
}
