"""The policy as a Word document, through a docxtpl template (GOV-09).

The template is built with python-docx the first time it is needed (so no binary sits in the
repository): A4, DejaVu-or-Calibri fonts, a running header with the school and title, "Page n" in
the footer, a key-details table and one paragraph per line of the document. docxtpl fills it with
the same ``PolicyDocument`` every other renderer uses.
"""

from __future__ import annotations

import io
from functools import lru_cache
from typing import Any

from .builder import build_policy
from .clauses import LABEL, clause_line
from .model import PolicyDocument

FONT = "DejaVu Sans"


def _field(paragraph: Any, instruction: str, size: Any) -> None:
    """Append a Word field (e.g. PAGE) to a paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    run.font.size = size
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = instruction
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(begin)
    run._r.append(text)
    run._r.append(end)


@lru_cache(maxsize=1)
def template_bytes() -> bytes:
    """The docxtpl template, made with python-docx. Jinja tags sit alone in their paragraphs or cells
    (``{%p …%}``, ``{%tr …%}``) so Word's run splitting never breaks them."""
    from docx import Document
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor

    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.left_margin = section.right_margin = Mm(20)

    styles = document.styles
    styles["Normal"].font.name = FONT
    styles["Normal"].font.size = Pt(10)
    styles["Normal"].paragraph_format.space_after = Pt(5)
    for name, size in (("Title", 22), ("Heading 1", 14), ("Heading 2", 11.5), ("Heading 3", 10.5)):
        styles[name].font.name = FONT
        styles[name].font.size = Pt(size)
        styles[name].font.color.rgb = RGBColor(0x0B, 0x3D, 0x5C)
    styles["List Bullet"].font.name = FONT
    contents_style = styles.add_style("Contents Line", WD_STYLE_TYPE.PARAGRAPH)
    contents_style.base_style = styles["Normal"]
    contents_style.paragraph_format.space_after = Pt(1)
    # The school's own clause refs under each section: small and grey, like the web page's muted line.
    clause_style = styles.add_style("Clause Line", WD_STYLE_TYPE.PARAGRAPH)
    clause_style.base_style = styles["Normal"]
    clause_style.font.size = Pt(8)
    clause_style.font.color.rgb = RGBColor(0x5B, 0x66, 0x72)

    header = section.header.paragraphs[0]
    header.text = "{{ school_name }} · {{ title }}"
    header.runs[0].font.size = Pt(8)
    header.runs[0].font.color.rgb = RGBColor(0x4A, 0x55, 0x62)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ").font.size = Pt(8)
    _field(footer, "PAGE", Pt(8))
    footer.add_run(" of ").font.size = Pt(8)
    _field(footer, "NUMPAGES", Pt(8))

    document.add_paragraph("{{ school_name }}", style="Subtitle")
    document.add_paragraph("{{ title }}", style="Title")
    document.add_paragraph("Key details", style="Heading 1")
    table = document.add_table(rows=3, cols=2)
    table.style = "Table Grid"
    table.cell(0, 0).text = "{%tr for row in key_details %}"
    table.cell(1, 0).text = "{{ row.0 }}"
    table.cell(1, 1).text = "{{ row.1 }}"
    table.cell(2, 0).text = "{%tr endfor %}"
    for cell in (table.cell(1, 0),):
        cell.paragraphs[0].runs[0].font.bold = True
    document.add_paragraph("{%p for line in intro %}")
    document.add_paragraph("{{ line }}")
    document.add_paragraph("{%p endfor %}")
    document.add_paragraph("{%p if key_details_clauses %}")
    document.add_paragraph("{{ key_details_clauses }}", style="Clause Line")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Contents", style="Heading 1")
    document.add_paragraph("{%p for c in contents %}")
    document.add_paragraph("{{ c }}", style="Contents Line")
    document.add_paragraph("{%p endfor %}")
    document.add_page_break()
    document.add_paragraph("{%p for line in lines %}")
    document.add_paragraph("{%p if line.kind == 'h1' %}")
    document.add_paragraph("{{ line.text }}", style="Heading 1")
    document.add_paragraph("{%p elif line.kind == 'h2' %}")
    document.add_paragraph("{{ line.text }}", style="Heading 2")
    document.add_paragraph("{%p elif line.kind == 'h3' %}")
    document.add_paragraph("{{ line.text }}", style="Heading 3")
    document.add_paragraph("{%p elif line.kind == 'li' %}")
    document.add_paragraph("{{ line.text }}", style="List Bullet")
    document.add_paragraph("{%p elif line.kind == 'note' %}")
    document.add_paragraph("{{ line.text }}", style="Intense Quote")
    document.add_paragraph("{%p elif line.kind == 'clauses' %}")
    document.add_paragraph("{{ line.text }}", style="Clause Line")
    document.add_paragraph("{%p else %}")
    document.add_paragraph("{{ line.text }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{%p endfor %}")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _lines(doc: PolicyDocument) -> list[dict[str, str]]:
    lines: list[dict[str, str]] = []
    for section in doc.all_sections():
        lines.append({"kind": f"h{min(section.level, 3)}", "text": section.heading})
        for block in section.blocks:
            if block.kind == "note":
                lines.append({"kind": "note", "text": block.text})
                continue
            if block.text:
                lines.append({"kind": "p", "text": block.text})
            lines += [{"kind": "li", "text": item} for item in block.items]
            lines += [{"kind": "p", "text": f"{label}: {value}"} for label, value in block.rows]
        if section.clauses:
            lines.append({"kind": "clauses", "text": f"{LABEL}: {clause_line(section.clauses)}"})
    return lines


def document_docx(doc: PolicyDocument) -> bytes:
    from docxtpl import DocxTemplate

    template = DocxTemplate(io.BytesIO(template_bytes()))
    template.render(
        {
            "school_name": doc.school_name,
            "title": doc.title,
            "key_details": doc.key_details,
            "intro": [b.text for b in doc.intro if b.text],
            "key_details_clauses": (
                f"{LABEL}: {clause_line(doc.key_details_clauses)}" if doc.key_details_clauses else ""
            ),
            "contents": [("    " if s.level > 1 else "") + s.heading for s in doc.contents()],
            "lines": _lines(doc),
        },
        autoescape=True,
    )
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def render_policy_docx(config: dict[str, Any], school_name: str | None = None) -> bytes:
    """GOV-09: the whole policy as a .docx file."""
    return document_docx(build_policy(config, school_name=school_name))
