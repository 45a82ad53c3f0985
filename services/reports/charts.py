"""Report charts as hand-written SVG strings. The PWA inserts them (DOMParser) and the PDF
report draws them with fpdf2 2.8 (after `for_pdf`), so they keep to the subset fpdf2 renders:
<g>, <rect>, <line> and <text> with presentation attributes; no CSS, scripts or references.
Drawn for a phone: 360 units wide, so that at 340 px the 12-unit text is 11 px and the 14-unit
title 13 px. No text runs past the edge, reckoning EM × its font size a character: a label
is cut short with "…", and what finds no room is left to the table beside the chart."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from xml.sax.saxutils import escape

WIDTH = 360  # a phone's width (a PDF's size is its own: 12 units at 100 mm are 9,4 pt)
MARGIN = 8
GAP = 6  # between a bar or a key and its text
FONT = "Helvetica, Arial, sans-serif"
TITLE_SIZE = 14
TEXT_SIZE = 12  # the smallest: 11 px on a 340 px wide phone
EM = 0.6  # a character's width in font sizes, generously: what fits by it fits on screen
CURRENT = "#1f5f8b"  # 6.8:1 on white; graphical objects need 3:1 (WCAG 1.4.11)
PREVIOUS = "#8a8a8a"  # 3.5:1 on white, and thinner: told apart in black and white too
INK = "#000000"
GRID = "#d9d9d9"
WHITE = (255, 255, 255)
HEX = "#{:02x}{:02x}{:02x}"
DARKEST = (16, 58, 88)  # the heat map's maximum: the current period's hue, darker
DASH = "—"  # no figure
LABEL_CHARS = 44  # on a line of its own, or beside a legend's key: 8 + 26 + 44 × 7,2 < 352
TITLE_CHARS = 40  # 40 × 0,6 × 14 < 360 - 2 × 8
NO_FIGURES = "Geen meldingen in deze periode."
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
PDF_PLAIN = str.maketrans({"…": "...", "\u2028": " ", "\u2029": " "})  # 0x85 is whitespace


def _n(number: float) -> str:
    """A coordinate, rounded so that the same chart is the same string."""
    return f"{number:.1f}".removesuffix(".0")


def number(value: float | None, decimals: int | None = None) -> str:
    """Dutch notation: 1.234 and 12,5; an int without decimals, a float with one; — for none."""
    if value is None:
        return DASH
    if decimals is None:
        decimals = 0 if isinstance(value, int) else 1
    text = f"{value + 0:,.{decimals}f}"  # + 0 turns -0.0 into 0.0
    return text.translate(str.maketrans({",": ".", ".": ","}))


def _figure(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None  # NaN: no figure


def _width(text: str, size: float = TEXT_SIZE) -> float:
    return len(text) * EM * size


def _fit(label: str, chars: int) -> str:
    return label if len(label) <= chars else label[: chars - 1].rstrip() + "…"


def _attrs(extra: dict[str, str]) -> str:
    """Keyword arguments as presentation attributes: font_weight="bold" -> font-weight."""
    return "".join(f' {key.replace("_", "-")}="{value}"' for key, value in extra.items())


def _xml(text: str) -> str:
    """Text as XML character data, without the control characters XML 1.0 refuses."""
    return escape(NOT_XML.sub("", text))


def _text(x: float, y: float, content: str, *, size=TEXT_SIZE, anchor="start", **extra) -> str:
    if anchor == "middle":  # moved in from an edge it would run past
        x = min(max(x, _width(content, size) / 2 + 1), WIDTH - _width(content, size) / 2 - 1)
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}"{_attrs(extra)}>'
        f"{_xml(content)}</text>"
    )


def _rect(x: float, y: float, width: float, height: float, *, fill: str, **extra) -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
        f'fill="{fill}"{_attrs(extra)}/>'
    )


def _svg(*, kind: str, title: str, summary: str, height: float, body: list[str]) -> str:
    """The root: an accessible name and description, ids unique per chart on a page."""
    digest = hashlib.sha256("\x1f".join([kind, title, summary, *body]).encode()).hexdigest()
    chart = f"chart-{digest[:8]}"
    shown = _fit(title, TITLE_CHARS)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_n(height)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" id="{chart}" role="img" '
        f'aria-labelledby="{chart}-title" aria-describedby="{chart}-desc">'
        f'<title id="{chart}-title">{_xml(title)}</title>'
        f'<desc id="{chart}-desc">{_xml(summary)}</desc>'
        f'<g font-family="{FONT}" fill="{INK}">'
        f"{_text(MARGIN, 20, shown, size=TITLE_SIZE, font_weight='bold')}{''.join(body)}</g></svg>"
    )


def for_pdf(svg: str) -> str:
    """`svg` for fpdf2 2.8: without <title> and <desc> (it logs a warning for each) and with
    its text in the core fonts' windows-1252 (it fails on a character outside Latin-1)."""
    svg = re.sub(r"<title [^>]*>[^<]*</title><desc [^>]*>[^<]*</desc>", "", svg, count=1)
    return "".join(_pdf_char(char) for char in svg.translate(PDF_PLAIN))


def _pdf_char(char: str) -> str:
    """fpdf2 measures a core font's text by Latin-1 code point and writes it out as such: a
    windows-1252 character goes in as the code point of its byte, others as plain letters."""
    if ord(char) <= 0xFF:
        return char
    for candidate in (char, unicodedata.normalize("NFKD", char)[:1]):
        try:
            return chr(candidate.encode("windows-1252")[0])
        except UnicodeEncodeError:
            continue
    return "?"


# -- bars ---------------------------------------------------------------------------------

LEGEND_Y = 42  # the legend's baseline, on its own line under the title
KEY = 20  # a legend key's width
ROW_HEIGHT = 46  # a label's line, the current bar and the previous one


def bars(
    *,
    title: str,
    rows: list[tuple[str, float | None, float | None]],
    current_label: str,
    previous_label: str,
) -> str:
    """Horizontal bars, a row per (label, this period, previous period): the label on a line
    of its own, under it the bars across the chart's width, each with its figure after it."""
    rows = [(label, _figure(now), _figure(before)) for label, now, before in rows]
    legend, top = _legend(current_label, previous_label)
    widest = max((_width(number(v)) for _, *pair in rows for v in pair), default=0)
    most = max((max(v, 0) for _, *pair in rows for v in pair if v is not None), default=0)
    scale = (WIDTH - 2 * MARGIN - GAP - widest) / most if most > 0 else 0
    body = [legend, *(_bar_row(top + i * ROW_HEIGHT, row, scale) for i, row in enumerate(rows))]
    if not rows:
        body.append(_text(MARGIN, top + 16, "Geen gegevens."))
    height = top + max(len(rows), 1) * ROW_HEIGHT
    return _svg(kind="bars", title=title, summary=_bars_summary(rows), height=height, body=body)


def _legend(current_label: str, previous_label: str) -> tuple[str, float]:
    """The keys side by side where they fit, else one under the other; and where bars begin."""
    now, before = _fit(current_label, LABEL_CHARS), _fit(previous_label, LABEL_CHARS)
    x = MARGIN + KEY + GAP + _width(now) + 3 * GAP
    x, y = (x, LEGEND_Y) if x + KEY + GAP + _width(before) <= WIDTH - MARGIN else (MARGIN, 60)
    legend = (
        f"<g>{_rect(MARGIN, LEGEND_Y - 10, KEY, 12, fill=CURRENT)}"
        f"{_text(MARGIN + KEY + GAP, LEGEND_Y, now)}"
        f"{_rect(x, y - 7, KEY, 6, fill=PREVIOUS)}{_text(x + KEY + GAP, y, before)}</g>"
    )
    return legend, y + 14


def _bar_row(top: float, row: tuple[str, float | None, float | None], scale: float) -> str:
    label, now, before = row
    parts = [_text(MARGIN, top + 12, _fit(label, LABEL_CHARS))]
    # the previous period thinner and lighter: told apart without colour, on paper too
    for value, y, thick, fill in ((now, top + 16, 14, CURRENT), (before, top + 33, 8, PREVIOUS)):
        length = max(value or 0, 0) * scale
        if length > 0:
            parts.append(_rect(MARGIN, y, length, thick, fill=fill))
        parts.append(_text(MARGIN + length + GAP, y + thick / 2 + 4, number(value)))
    return f"<g>{''.join(parts)}</g>"


def _bars_summary(rows: list[tuple[str, float | None, float | None]]) -> str:
    counted = [row for row in rows if row[1]]
    if not counted:
        return NO_FIGURES
    label, now, before = max(counted, key=lambda row: row[1])
    then = f" (vorige periode {number(before)})" if before is not None else ""
    return f"Hoogste: {label}, {number(now)}{then}."


# -- columns ------------------------------------------------------------------------------

COLUMNS_HEIGHT = 240
PLOT_TOP, PLOT_BOTTOM, PLOT_RIGHT = 66, COLUMNS_HEIGHT - 28, WIDTH - MARGIN
MOST_LABELS = 8  # under the columns
MOST_VALUES = 12  # above them; more are left to the table
SHORT_LABEL = 8  # characters of a label under a column


def nice_ticks(most: float, *, whole: bool = True) -> list[float]:
    """3 to 5 rounded axis values from 0 up to at least `most`: steps of 1, 2 or 5 × 10^n."""
    exponent = math.floor(math.log10(most)) - 2 if most > 0 else 0
    steps = [float(f"{m}e{e}") for e in range(exponent, exponent + 4) for m in (1, 2, 5)]
    step = next(s for s in steps if (not whole or s >= 1) and math.ceil(most / s - 1e-9) <= 4)
    intervals = max(math.ceil(most / step - 1e-9), 2)
    return [round(step * i, 12) for i in range(intervals + 1)]


def columns(
    *, title: str, points: list[tuple[str, float | None]], previous_total: float | None = None
) -> str:
    """A time series as vertical columns over a light grid, the total in a subtitle."""
    points = [(label, _figure(value)) for label, value in points]
    figures = [value for _, value in points if value is not None]
    whole = all(isinstance(value, int) for value in figures)
    ticks = nice_ticks(max([0, *figures]), whole=whole)
    decimals = max(0, -math.floor(math.log10(ticks[1])))
    marks = [number(tick, decimals) for tick in ticks]
    left = MARGIN + max(map(_width, marks)) + GAP  # right of the axis' widest figure
    body = [_subtitle(figures, previous_total), *_grid(ticks, marks, left)]
    body += _columns(points, ticks[-1], left)
    summary = _columns_summary(points, figures, previous_total)
    return _svg(kind="columns", title=title, summary=summary, height=COLUMNS_HEIGHT, body=body)


def _subtitle(figures: list[float], previous_total: float | None) -> str:
    total = f"Totaal {number(sum(figures)) if figures else DASH}"
    if previous_total is not None:
        total += f", vorige periode {number(previous_total)}"
    return _text(MARGIN, 42, _fit(total, LABEL_CHARS))


def _grid(ticks: list[float], marks: list[str], left: float) -> list[str]:
    parts = []
    for tick, mark in zip(ticks, marks, strict=True):
        y = PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * tick / ticks[-1]
        ends = f'x1="{_n(left)}" y1="{_n(y)}" x2="{_n(PLOT_RIGHT)}" y2="{_n(y)}"'
        parts.append(f'<line {ends} stroke="{INK if tick == 0 else GRID}"/>')
        parts.append(_text(left - GAP, y + 4, mark, anchor="end"))
    return parts


def _columns(points: list[tuple[str, float | None]], top: float, left: float) -> list[str]:
    """The columns; a figure above each where there are few enough and they fit; under them
    every so many a label, so that at most MOST_LABELS show and none overlap."""
    slot = (PLOT_RIGHT - left) / max(len(points), 1)
    labels = [_fit(label, SHORT_LABEL) for label, _ in points]
    figures = [number(value) for _, value in points]
    every = math.ceil(max([len(points) / MOST_LABELS, *((_width(t) + 4) / slot for t in labels)]))
    above = len(points) <= MOST_VALUES and all(_width(t) + 2 <= slot for t in figures)
    parts = []
    for index, (_, value) in enumerate(points):
        middle = left + slot * (index + 0.5)
        height = (PLOT_BOTTOM - PLOT_TOP) * max(value or 0, 0) / top
        y, width = PLOT_BOTTOM - height, min(slot * 0.7, 32)
        if height > 0:
            parts.append(_rect(middle - width / 2, y, width, height, fill=CURRENT))
        if above:
            parts.append(_text(middle, y - 4, figures[index], anchor="middle"))
        if index % every == 0:
            parts.append(_text(middle, PLOT_BOTTOM + 17, labels[index], anchor="middle"))
    return parts


def _columns_summary(
    points: list[tuple[str, float | None]], figures: list[float], previous_total: float | None
) -> str:
    before = f" (vorige periode {number(previous_total)})" if previous_total is not None else ""
    if not any(figures):
        return NO_FIGURES.removesuffix(".") + before + "."
    label, value = max((point for point in points if point[1] is not None), key=lambda p: p[1])
    return f"Totaal {number(sum(figures))}{before}; hoogste: {label}, {number(value)}."


# -- matrix -------------------------------------------------------------------------------

MATRIX_TOP = 56  # below the title and the column labels
CELL_HEIGHT = 22
CELL_WIDEST = 14  # the narrowest cell with its count in it: narrower, the table has them
ROW_LABEL = 16  # characters of a row's label at most
HEAD_STEPS = (1, 3, 6, 12, 24)  # a column label every so many: the hours of a day
IN_THE_TABLE = "De aantallen staan in de tabel."


def luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance as WCAG 2 defines it."""
    linear = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: tuple[int, int, int], second: tuple[int, int, int]) -> float:
    """WCAG contrast ratio, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def shade(value: int, most: int) -> tuple[int, int, int]:
    """White for 0 to DARKEST for `most`, in one hue."""
    part = min(max(value / most, 0), 1) if most > 0 else 0
    return tuple(round(w + (d - w) * part) for w, d in zip(WHITE, DARKEST, strict=True))


def ink_on(background: tuple[int, int, int]) -> tuple[int, int, int]:
    """Black or white, whichever reads better: at least 4.5:1 against any colour."""
    return max(((0, 0, 0), WHITE), key=lambda ink: contrast(ink, background))


def matrix(
    *, title: str, row_labels: list[str], column_labels: list[str], values: list[list[int]]
) -> str:
    """A heat map, e.g. day of the week × hour: the darker, the more; the counts in the cells
    where they are wide enough for them, else (say 24 hours on a phone) in the table."""
    most = max((max(row, default=0) for row in values), default=0)
    labels, left, cell = _rows(row_labels, len(column_labels))
    widest = max((_width(number(count)) for row in values for count in row), default=0)
    counts = cell >= max(CELL_WIDEST, widest + 4)
    body = _heads(column_labels, left, cell)
    for r, (label, row) in enumerate(zip(labels, values, strict=True)):
        y = MATRIX_TOP + r * CELL_HEIGHT
        body.append(_text(MARGIN, y + 15, label))
        for c, count in enumerate(row):
            body.append(_cell(left + c * cell, y, count, width=cell, most=most, printed=counts))
    height = MATRIX_TOP + len(row_labels) * CELL_HEIGHT + 8
    summary = _matrix_summary(row_labels, column_labels, values)
    if not counts and summary != NO_FIGURES:
        summary += f" {IN_THE_TABLE}"
    return _svg(kind="matrix", title=title, summary=summary, height=height, body=body)


def _rows(labels: list[str], columns: int) -> tuple[list[str], float, float]:
    """The row labels, where the cells begin and how wide they are: the caller's labels, or two
    or three letters ("ma", "di") where those would leave the cells too narrow for a count."""
    short = [label[:2] for label in labels]
    short = short if len(set(short)) == len(short) else [label[:3] for label in labels]
    for shown in ([_fit(label, ROW_LABEL) for label in labels], short):
        left = MARGIN + max(map(_width, shown), default=0) + GAP
        cell = (WIDTH - left - MARGIN) / max(columns, 1)
        if cell >= CELL_WIDEST:
            break
    return shown, left, cell


def _heads(labels: list[str], left: float, cell: float) -> list[str]:
    """The column labels, every 1st, 3rd, 6th… so that they never overlap."""
    labels = [_fit(label, SHORT_LABEL) for label in labels]
    room = max(map(_width, labels), default=0) + 4
    step = next((s for s in HEAD_STEPS if s * cell >= room), max(len(labels), 1))
    return [
        _text(left + cell * (i + 0.5), MATRIX_TOP - 8, labels[i], anchor="middle")
        for i in range(0, len(labels), step)
    ]


def _cell(x: float, y: float, count: int, *, width: float, most: int, printed: bool) -> str:
    background = shade(count, most)
    parts = [_rect(x, y, width, CELL_HEIGHT, fill=HEX.format(*background), stroke=GRID)]
    if count and printed:
        ink = HEX.format(*ink_on(background))
        parts.append(_text(x + width / 2, y + 15, number(count), anchor="middle", fill=ink))
    return "".join(parts)


def _matrix_summary(rows: list[str], columns: list[str], values: list[list[int]]) -> str:
    cells = [(count, r, c) for r, row in enumerate(values) for c, count in enumerate(row)]
    total = sum(count for count, _, _ in cells)
    if not total:
        return NO_FIGURES
    count, r, c = max(cells, key=lambda cell: (cell[0], -cell[1], -cell[2]))
    return f"Hoogste: {rows[r]} {columns[c]}, {number(count)}; totaal {number(total)}."
