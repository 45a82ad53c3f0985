"""A finalised letter as an A4 PDF (fpdf2): letterhead, date line, reference, title, body,
page numbers. Imported only when a letter is finalised: fpdf2 and its imaging libraries cost
a fifth of a second at start-up, which a safety service restarting under load should not pay."""

from __future__ import annotations

import re
import unicodedata

from fpdf import FPDF

from services.followup.letters import Organisation

PDF_ENCODING = "windows-1252"
FONT = "Helvetica"
PLAIN_EQUIVALENTS = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Đ": "D",
        "đ": "d",
        "ı": "i",
        "‐": "-",
        "‑": "-",
        "‒": "-",
        "−": "-",
        "′": "'",
        "″": '"',
        "→": "->",
        "←": "<-",
        "\u2028": "\n",
        "\u2029": "\n",
        "\t": " ",
    }
)


def _encodable(text: str) -> bool:
    try:
        text.encode(PDF_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def _printable_char(char: str) -> str:
    category = unicodedata.category(char)
    if char == "\n" or (_encodable(char) and category != "Cc"):
        return char
    if category in ("Cc", "Cf", "Mn"):  # controls, zero-width and stray accents show nothing
        return ""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", char) if unicodedata.category(c) != "Mn"
    )
    return plain if plain and _encodable(plain) else "?"


def printable(text: str) -> str:
    """`text` in the PDF's core-font encoding, without losing what can be kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(PLAIN_EQUIVALENTS)
    return "".join(_printable_char(char) for char in unicodedata.normalize("NFC", text))


class LetterheadPDF(FPDF):
    """A4 in the core font's encoding, margins for a letterhead, `reference - pagina x van y`
    in the footer (the reports' PDF uses it too)."""

    def __init__(self, reference: str):
        super().__init__(format="A4")
        self.reference = reference
        self.core_fonts_encoding = PDF_ENCODING
        self.set_margins(25, 20, 20)
        self.set_auto_page_break(True, margin=22)

    def footer(self):
        self.set_y(-15)
        self.set_font(FONT, size=8)
        self.cell(
            0,
            5,
            f"{self.reference} - pagina {self.page_no()} van {self.str_alias_nb_pages}",
            align="C",
        )


def _parts(text: str, place: str) -> tuple[str, str, list[str]]:
    """Title (first line), the place-and-date line if the manager kept it, the paragraphs."""
    title, _, rest = text.strip("\n").partition("\n")
    paragraphs = [p.strip("\n") for p in re.split(r"\n[ ]*\n", rest) if p.strip()]
    date_line = paragraphs.pop(0) if paragraphs and paragraphs[0].startswith(f"{place},") else ""
    return title.strip(), date_line, paragraphs


def _write(pdf: FPDF, text: str, *, size: float, style: str = "", height: float = 5.5):
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, height, text, align="L", new_x="LMARGIN", new_y="NEXT")


def letterhead(pdf: FPDF, org: Organisation) -> None:
    """The organisation's name and visiting address over a rule, at the top of the page."""
    _write(pdf, printable(org.name), size=14, style="B", height=7)
    _write(pdf, printable(org.visiting_address), size=9, height=4.5)
    pdf.line(pdf.l_margin, pdf.get_y() + 2, pdf.w - pdf.r_margin, pdf.get_y() + 2)
    pdf.ln(10)


def letter_pdf(text: str, org: Organisation, reference: str) -> bytes:
    """An A4 PDF of the (edited) letter text under the organisation's letterhead."""
    title, date_line, paragraphs = _parts(printable(text), printable(org.place))
    pdf = LetterheadPDF(printable(reference))
    pdf.set_title(title)
    pdf.add_page()
    letterhead(pdf, org)
    _write(pdf, "\n".join(filter(None, [date_line, f"Ons kenmerk: {pdf.reference}"])), size=10)
    pdf.ln(6)
    _write(pdf, title, size=12, style="B", height=6.5)
    for paragraph in paragraphs:
        pdf.ln(3)
        _write(pdf, paragraph, size=11)
    return bytes(pdf.output())
