"""Typesetting of the decision letter (A4 PDF) with ReportLab.

ReportLab rather than WeasyPrint or Typst: a pure wheel (no pango/cairo system
libraries to install on every machine), fast enough to typeset a letter per
request in-process, and with ``invariant`` output (no creation time or random
document id) the same records give byte-identical PDFs. The fonts ship with
the package (Liberation Sans, ``fonts/LICENSE``), so no machine's system fonts
change the layout.
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

if TYPE_CHECKING:
    from neobank_dashboard.services.decision_letter import Letter, Section

FONTS = Path(__file__).resolve().parent.parent / "fonts"
REGULAR, BOLD = "LetterSans", "LetterSans-Bold"
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
ACCENT = colors.HexColor("#0b4f8a")
RULE = colors.HexColor("#cbd2d9")
MARGIN = 20 * mm


@cache
def _styles() -> dict[str, ParagraphStyle]:
    pdfmetrics.registerFont(TTFont(REGULAR, FONTS / "LiberationSans-Regular.ttf"))
    pdfmetrics.registerFont(TTFont(BOLD, FONTS / "LiberationSans-Bold.ttf"))
    body = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=12, textColor=INK, spaceAfter=2.5)
    return {
        "body": body,
        "bank": ParagraphStyle("bank", body, fontName=BOLD, fontSize=16, leading=20, textColor=ACCENT),
        "dated": ParagraphStyle("dated", body, alignment=2),
        "title": ParagraphStyle("title", body, fontName=BOLD, fontSize=13, leading=17, spaceBefore=4),
        "reference": ParagraphStyle(
            "reference", body, fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=0
        ),
        "heading": ParagraphStyle(
            "heading", body, fontName=BOLD, fontSize=10, leading=13, textColor=ACCENT, spaceBefore=6
        ),
        "cell": ParagraphStyle("cell", body, spaceAfter=0),
        "header_cell": ParagraphStyle("header_cell", body, fontName=BOLD, spaceAfter=0),
        "signature": ParagraphStyle("signature", body, fontName=BOLD),
        "note": ParagraphStyle("note", body, fontSize=8.5, leading=11, textColor=MUTED),
    }


def _p(text: str, style: str) -> Paragraph:
    return Paragraph(escape(text), _styles()[style])


def _table(rows: tuple[tuple[str, ...], ...]) -> Table:
    cells = [[_p(text, "header_cell" if i == 0 else "cell") for text in row] for i, row in enumerate(rows)]
    table = Table(cells, colWidths=[60 * mm, 55 * mm, 50 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f0f4f8")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return table


def _section(section: Section) -> list[Flowable]:
    flowables: list[Flowable] = [_p(section.heading, "heading")]
    flowables += [_p(text, "body") for text in section.paragraphs]
    if section.table:
        flowables.append(_table(section.table))
    if section.bullets:
        flowables.append(
            ListFlowable(
                # reportlab-stubs type the items as Flowables; ListFlowable takes ListItems.
                [ListItem(_p(text, "body"), leftIndent=12) for text in section.bullets],  # type: ignore[misc]
                bulletType="bullet",
                start="•",
                bulletFontName=REGULAR,
                bulletFontSize=9,
                leftIndent=12,
            )
        )
    if section.closing:
        flowables.append(_p(section.closing, "note"))
    # A heading never ends a page: keep it with its first lines.
    return [KeepTogether(flowables[:2]), *flowables[2:]]


def render_pdf(letter: Letter) -> bytes:
    """The letter as PDF bytes, identical for identical letters."""
    styles = _styles()
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=13 * mm,
        bottomMargin=15 * mm,
        title=letter.title,
        author=letter.bank,
        creator=letter.bank,
        lang=letter.lang,
        invariant=1,
    )

    def footer(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(REGULAR, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, 8 * mm, letter.footer.format(page=doc.page))
        canvas.restoreState()

    header = Table(
        [[Paragraph(escape(letter.bank), styles["bank"]), Paragraph(escape(letter.dated), styles["dated"])]],
        colWidths=[100 * mm, 70 * mm - 12],
        hAlign="LEFT",
        style=[
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LEFTPADDING", (0, 0), (0, 0), 0),
            ("RIGHTPADDING", (-1, 0), (-1, 0), 0),
        ],
    )
    story = [header, _p(letter.title, "title")]
    story += [_p(text, "reference") for text in letter.references]
    story += [Spacer(1, 2 * mm), _p(letter.greeting, "body")]
    *body, last = letter.sections
    for section in body:
        story += _section(section)
    # The signature never stands alone on a page: it keeps the last section with it.
    ending = [Spacer(1, 2 * mm), _p(letter.closing, "body"), _p(letter.signature, "signature")]
    story.append(KeepTogether(_section(last) + ending))
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
