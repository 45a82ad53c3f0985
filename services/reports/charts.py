"""Report charts as hand-written SVG strings. The PWA inserts them (DOMParser) and the PDF
report draws them with fpdf2 2.8 (after `for_pdf`), so they keep to the subset fpdf2 renders:
<g>, <rect>, <line> and <text> with presentation attributes; no CSS, scripts or references."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from xml.sax.saxutils import escape

WIDTH = 640
FONT = "Helvetica, Arial, sans-serif"
TITLE_SIZE = 17
TEXT_SIZE = 14
SMALL_SIZE = 13  # 640 units on a 360 px phone: nothing smaller stays legible
CURRENT = "#1f5f8b"  # 6.8:1 on white; graphical objects need 3:1 (WCAG 1.4.11)
PREVIOUS = "#8a8a8a"  # 3.5:1 on white, and thinner: told apart in black and white too
INK = "#000000"
GRID = "#d9d9d9"
WHITE = (255, 255, 255)
DARKEST = (16, 58, 88)  # the heat map's maximum: the current period's hue, darker
DASH = "—"  # no figure
LABEL_CHARS = 34
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


def _truncated(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _attrs(extra: dict[str, str]) -> str:
    """Keyword arguments as presentation attributes: font_weight="bold" -> font-weight."""
    return "".join(f' {key.replace("_", "-")}="{value}"' for key, value in extra.items())


def _xml(text: str) -> str:
    """Text as XML character data, without the control characters XML 1.0 refuses."""
    return escape(NOT_XML.sub("", text))


def _text(x: float, y: float, content: str, *, size=SMALL_SIZE, anchor="start", **extra) -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}"{_attrs(extra)}>'
        f"{_xml(content)}</text>"
    )


def _rect(x: float, y: float, width: float, height: float, fill: str, **extra) -> str:
    return (
        f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(width)}" height="{_n(height)}" '
        f'fill="{fill}"{_attrs(extra)}/>'
    )


def _line(x1: float, x2: float, y: float, stroke: str) -> str:
    return f'<line x1="{_n(x1)}" y1="{_n(y)}" x2="{_n(x2)}" y2="{_n(y)}" stroke="{stroke}"/>'


def _svg(*, kind: str, title: str, summary: str, height: float, body: list[str]) -> str:
    """The root: an accessible name and description, ids unique per chart on a page."""
    digest = hashlib.sha256("\x1f".join([kind, title, summary, *body]).encode()).hexdigest()
    chart = f"chart-{digest[:8]}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{_n(height)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" id="{chart}" role="img" '
        f'aria-labelledby="{chart}-title" aria-describedby="{chart}-desc">'
        f'<title id="{chart}-title">{_xml(title)}</title>'
        f'<desc id="{chart}-desc">{_xml(summary)}</desc>'
        f'<g font-family="{FONT}" fill="{INK}">'
        f"{_text(8, 24, title, size=TITLE_SIZE, font_weight='bold')}{''.join(body)}</g></svg>"
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

BAR_TOP = 76  # below the title and the legend
ROW_HEIGHT = 46
BAR_X = 272  # right of a label of LABEL_CHARS characters
BAR_ROOM = WIDTH - BAR_X - 64  # and room for the number after the longest bar


def bars(
    *,
    title: str,
    rows: list[tuple[str, float | None, float | None]],
    current_label: str,
    previous_label: str,
) -> str:
    """Horizontal bars, a row per (label, this period, previous period)."""
    rows = [(label, _figure(now), _figure(before)) for label, now, before in rows]
    most = max((max(v, 0) for _, *pair in rows for v in pair if v is not None), default=0)
    scale = BAR_ROOM / most if most > 0 else 0
    body = [_legend(current_label, previous_label)]
    for index, row in enumerate(rows):
        body.append(_bar_row(BAR_TOP + index * ROW_HEIGHT, row, scale))
    if not rows:
        body.append(_text(8, BAR_TOP + 20, "Geen gegevens."))
    height = BAR_TOP + max(len(rows), 1) * ROW_HEIGHT + 8
    return _svg(kind="bars", title=title, summary=_bars_summary(rows), height=height, body=body)


def _legend(current_label: str, previous_label: str) -> str:
    middle = WIDTH / 2
    return (
        f"<g>{_rect(8, 38, 24, 14, CURRENT)}{_text(38, 50, current_label)}"
        f"{_rect(middle, 42, 24, 6, PREVIOUS)}{_text(middle + 30, 50, previous_label)}</g>"
    )


def _bar_row(top: float, row: tuple[str, float | None, float | None], scale: float) -> str:
    label, now, before = row
    parts = [_text(8, top + 20, _truncated(label), size=TEXT_SIZE)]
    # the previous period thinner and lighter: told apart without colour, on paper too
    bars_ = ((now, top, 20, CURRENT, TEXT_SIZE), (before, top + 24, 8, PREVIOUS, SMALL_SIZE))
    for value, y, thick, fill, size in bars_:
        length = max(value or 0, 0) * scale
        if length > 0:
            parts.append(_rect(BAR_X, y, length, thick, fill))
        parts.append(_text(BAR_X + length + 6, y + thick / 2 + 5, number(value), size=size))
    return f"<g>{''.join(parts)}</g>"


def _bars_summary(rows: list[tuple[str, float | None, float | None]]) -> str:
    counted = [row for row in rows if row[1]]
    if not counted:
        return NO_FIGURES
    label, now, before = max(counted, key=lambda row: row[1])
    then = f" (vorige periode {number(before)})" if before is not None else ""
    return f"Hoogste: {label}, {number(now)}{then}."


# -- columns ------------------------------------------------------------------------------

COLUMNS_HEIGHT = 300
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 56, WIDTH - 8, 64, COLUMNS_HEIGHT - 34
MOST_LABELS = 14
MOST_VALUES = 24


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
    body = [_subtitle(figures, previous_total), *_grid(ticks, decimals)]
    body += _columns(points, ticks[-1])
    summary = _columns_summary(points, figures, previous_total)
    return _svg(kind="columns", title=title, summary=summary, height=COLUMNS_HEIGHT, body=body)


def _subtitle(figures: list[float], previous_total: float | None) -> str:
    total = f"Totaal {number(sum(figures)) if figures else DASH}"
    if previous_total is not None:
        total += f", vorige periode {number(previous_total)}"
    return _text(8, 46, total)


def _grid(ticks: list[float], decimals: int) -> list[str]:
    parts = []
    for tick in ticks:
        y = PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * tick / ticks[-1]
        parts.append(_line(PLOT_LEFT, PLOT_RIGHT, y, INK if tick == 0 else GRID))
        parts.append(_text(PLOT_LEFT - 6, y + 4, number(tick, decimals), anchor="end"))
    return parts


def _columns(points: list[tuple[str, float | None]], top: float) -> list[str]:
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(points), 1)
    longest = max((len(label) for label, _ in points), default=0)
    every = max(math.ceil(len(points) / MOST_LABELS), math.ceil((longest * 7.5 + 6) / slot))
    parts = []
    for index, (label, value) in enumerate(points):
        middle = PLOT_LEFT + slot * (index + 0.5)
        height = (PLOT_BOTTOM - PLOT_TOP) * max(value or 0, 0) / top
        if height > 0:
            width = min(slot * 0.7, 48)
            parts.append(_rect(middle - width / 2, PLOT_BOTTOM - height, width, height, CURRENT))
        if len(points) <= MOST_VALUES:
            parts.append(_text(middle, PLOT_BOTTOM - height - 5, number(value), anchor="middle"))
        if index % every == 0:
            parts.append(_text(middle, PLOT_BOTTOM + 20, label, anchor="middle"))
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

MATRIX_TOP = 64  # below the title and the column labels
CELL_HEIGHT = 26


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


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def matrix(
    *, title: str, row_labels: list[str], column_labels: list[str], values: list[list[int]]
) -> str:
    """A heat map, e.g. day of the week × hour: the darker, the more; counts in the cells."""
    most = max((max(row, default=0) for row in values), default=0)
    left = max((len(label) for label in row_labels), default=0) * 8 + 14
    cell = (WIDTH - left - 8) / max(len(column_labels), 1)
    body = [
        _text(left + cell * (i + 0.5), MATRIX_TOP - 8, label, anchor="middle")
        for i, label in enumerate(column_labels)
        if i % 3 == 0
    ]
    for r, (label, row) in enumerate(zip(row_labels, values, strict=True)):
        y = MATRIX_TOP + r * CELL_HEIGHT
        body.append(_text(8, y + 18, label))
        body += [_cell(left + c * cell, y, cell, count, most) for c, count in enumerate(row)]
    height = MATRIX_TOP + len(row_labels) * CELL_HEIGHT + 8
    summary = _matrix_summary(row_labels, column_labels, values)
    return _svg(kind="matrix", title=title, summary=summary, height=height, body=body)


def _cell(x: float, y: float, width: float, count: int, most: int) -> str:
    background = shade(count, most)
    parts = [_rect(x, y, width, CELL_HEIGHT, _hex(background), stroke=GRID)]
    if count:
        ink = _hex(ink_on(background))
        parts.append(_text(x + width / 2, y + 18, number(count), anchor="middle", fill=ink))
    return "".join(parts)


def _matrix_summary(rows: list[str], columns: list[str], values: list[list[int]]) -> str:
    cells = [(count, r, c) for r, row in enumerate(values) for c, count in enumerate(row)]
    total = sum(count for count, _, _ in cells)
    if not total:
        return NO_FIGURES
    count, r, c = max(cells, key=lambda cell: (cell[0], -cell[1], -cell[2]))
    return f"Hoogste: {rows[r]} {columns[c]}, {number(count)}; totaal {number(total)}."
