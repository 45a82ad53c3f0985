"""The report charts as the PWA shows them and the PDF prints them: SVG in the subset fpdf2
draws, text big enough for a phone and inside the chart, every figure written out (or left to
the table, saying so), Dutch notation, readable contrast, stable ids."""

import io
import itertools
import logging
import xml.etree.ElementTree as ET

import pytest
from fpdf import FPDF
from pypdf import PdfReader

from services.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
ALLOWED = {"svg", "title", "desc", "g", "rect", "line", "polyline", "path", "circle", "text"}
WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
SHORT_DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
HOURS = [str(hour) for hour in range(24)]
BLOCKS = ["00–04", "04–08", "08–12", "12–16", "16–20", "20–24"]
PHONE = 340  # px: the chart's width on a 360 px wide phone
EM = 0.6  # a character's width in font sizes, as the tests reckon it


def categories(**overrides):
    arguments = {
        "title": "Incidenten per categorie",
        "rows": [("D — bedreiging", 12, 9), ("Verbale agressie", 3, 5), ("Fysiek geweld", 0, 1)],
        "current_label": "3e kwartaal 2026",
        "previous_label": "2e kwartaal 2026",
    }
    return charts.bars(**{**arguments, **overrides})


def weeks(count=8, **overrides):
    points = [(f"wk {week}", week % 7) for week in range(30, 30 + count)]
    return charts.columns(**{"title": "Meldingen per week", "points": points, **overrides})


def week_hours(**overrides):
    values = [[(day * hour) % 9 for hour in range(24)] for day in range(7)]
    arguments = {"row_labels": WEEKDAYS, "column_labels": HOURS, "values": values}
    return charts.matrix(**{"title": "Meldingen per dag en uur", **arguments, **overrides})


def week_blocks(**overrides):
    """7 × 6: cells wide enough for their counts."""
    values = [[(day * block * 5) % 23 for block in range(6)] for day in range(7)]
    arguments = {"row_labels": WEEKDAYS, "column_labels": BLOCKS, "values": values}
    return charts.matrix(**{"title": "Meldingen per dag en dagdeel", **arguments, **overrides})


KINDS = {"bars": categories, "columns": weeks, "matrix": week_hours, "blocks": week_blocks}
LONG = "Bedreiging met een wapen tijdens een huisbezoek in de avond"
YEAR = "3 december 2025 t/m 2 december 2026"
MONTHS = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
HARD = {  # long texts, big figures, many points: what could run past an edge
    **KINDS,
    "long bars": lambda: categories(
        title=LONG + " en meer",
        rows=[(LONG, 1234567, 2.5), ("Kort", None, 1234567.8), ("", 0, None)],
        current_label=YEAR,
        previous_label=YEAR.replace("2026", "2025"),
    ),
    "no bars": lambda: categories(rows=[]),
    "a year of weeks": lambda: weeks(count=53, previous_total=123456),
    "a year of months": lambda: charts.columns(
        title="Meldingen per maand", points=[(f"{m} 2026", 1000 * i) for i, m in enumerate(MONTHS)]
    ),
    "dates under columns": lambda: charts.columns(
        title="Per dag", points=[(f"{day:02d}-01-26", day % 3) for day in range(40)]
    ),
    "fractions": lambda: charts.columns(title="Dagen", points=[("wk 1", 0.8), ("wk 2", 0.25)]),
    "two days": lambda: charts.matrix(
        title="Dag en uur", row_labels=["ma", "di"], column_labels=HOURS, values=[[1] * 24] * 2
    ),
    "big counts": lambda: week_blocks(values=[[12345] * 6 for _ in range(7)]),
}


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in parsed(svg).iter(f"{SVG}text")]


def extent(text: ET.Element) -> tuple[float, float]:
    """From where to where `text` runs, by EM a character."""
    x, width = float(text.get("x")), EM * float(text.get("font-size")) * len(text.text or "")
    return {
        "start": (x, x + width),
        "middle": (x - width / 2, x + width / 2),
        "end": (x - width, x),
    }[text.get("text-anchor")]


def viewbox(root: ET.Element) -> tuple[float, float]:
    _, _, width, height = map(float, root.get("viewBox").split())
    return width, height


def row_group(svg: str, label: str) -> ET.Element:
    """The bars' row whose label is `label`."""
    for group in parsed(svg).iter(f"{SVG}g"):
        first = group.find(f"{SVG}text")
        if first is not None and first.text == label and group.find(f"{SVG}rect") is not None:
            return group
    raise AssertionError(f"no row {label!r}")


def bar_widths(svg: str, label: str) -> list[float]:
    return [float(rect.get("width")) for rect in row_group(svg, label).iter(f"{SVG}rect")]


def pdf_text(svg: str) -> str:
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(io.BytesIO(charts.for_pdf(svg).encode()), x=10, y=10, w=190)
    return PdfReader(io.BytesIO(bytes(pdf.output()))).pages[0].extract_text()


@pytest.mark.parametrize("kind", KINDS)
def test_each_chart_is_svg_in_the_subset_fpdf2_draws(kind):
    root = parsed(KINDS[kind]())
    assert root.tag == f"{SVG}svg"
    assert root.get("width") == "360" and root.get("viewBox").startswith("0 0 360 ")
    assert root.get("height") == root.get("viewBox").split()[3]
    for element in root.iter():
        assert element.tag.removeprefix(SVG) in ALLOWED
        assert not {"style", "class", "href", "onload"} & set(element.keys())
    assert root.find(f"{SVG}g").get("font-family") == "Helvetica, Arial, sans-serif"


@pytest.mark.parametrize("kind", HARD)
def test_text_reads_on_a_phone_11_px_and_the_title_13(kind):
    root = parsed(HARD[kind]())
    width, _ = viewbox(root)
    assert width == 360
    sizes = [float(text.get("font-size")) for text in root.iter(f"{SVG}text")]
    title = root.find(f"{SVG}g").find(f"{SVG}text")
    assert title.get("font-weight") == "bold" and float(title.get("font-size")) >= 14
    assert min(sizes) >= 12
    assert min(sizes) * PHONE / width >= 11 and float(title.get("font-size")) * PHONE / width >= 13


@pytest.mark.parametrize("kind", HARD)
def test_no_text_runs_past_an_edge_or_into_another(kind):
    root = parsed(HARD[kind]())
    width, height = viewbox(root)
    lines = {}
    for text in root.iter(f"{SVG}text"):
        left, right = extent(text)
        assert left >= 0 and right <= width, text.text
        assert float(text.get("font-size")) <= float(text.get("y")) <= height, text.text
        lines.setdefault(text.get("y"), []).append((left, right, text.text))
    for line in lines.values():
        for (_, right, one), (left, _, other) in itertools.pairwise(sorted(line)):
            assert right <= left, (one, other)


@pytest.mark.parametrize("kind", KINDS)
def test_each_chart_is_named_and_described_for_a_screen_reader(kind):
    root = parsed(KINDS[kind]())
    title, desc = list(root)[:2]
    assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert desc.text.endswith(".")


def test_the_same_figures_draw_the_same_chart_and_another_title_other_ids():
    assert categories() == categories()
    one, other = parsed(categories()), parsed(categories(title="Incidenten per locatie"))
    assert one.get("id").startswith("chart-") and len(one.get("id")) == len("chart-") + 8
    assert one.get("id") != other.get("id")
    ids = {parsed(kind()).get("id") for kind in KINDS.values()}
    assert len(ids) == len(KINDS)


def test_bars_print_every_label_and_figure_and_a_legend():
    shown = texts(categories())
    for text in ["D — bedreiging", "Verbale agressie", "Fysiek geweld", "12", "9", "3", "5", "0"]:
        assert text in shown
    assert "3e kwartaal 2026" in shown and "2e kwartaal 2026" in shown


def test_a_bigger_figure_has_a_longer_bar_and_the_previous_period_a_thinner_one():
    svg = categories()
    twelve, nine = bar_widths(svg, "D — bedreiging")
    three, five = bar_widths(svg, "Verbale agressie")
    assert twelve > nine > five > three > 0
    assert (twelve / three, nine / five) == pytest.approx((12 / 3, 9 / 5), rel=0.01)
    current, previous = row_group(svg, "D — bedreiging").iter(f"{SVG}rect")
    assert 12 <= float(current.get("height")) <= 16
    assert float(previous.get("height")) < float(current.get("height"))
    assert (current.get("fill"), previous.get("fill")) == (charts.CURRENT, charts.PREVIOUS)


def test_a_row_is_its_label_over_the_bars_each_with_its_figure_after_it():
    row = row_group(categories(), "D — bedreiging")
    label, now, before = row.iter(f"{SVG}text")
    current, previous = row.iter(f"{SVG}rect")
    assert float(label.get("y")) < float(current.get("y")) < float(previous.get("y"))
    assert label.get("x") == current.get("x") == previous.get("x")  # the label over the bars
    for bar, text in ((current, now), (previous, before)):
        top, bottom = float(bar.get("y")), float(bar.get("y")) + float(bar.get("height"))
        assert float(text.get("x")) > float(bar.get("x")) + float(bar.get("width"))
        assert top < float(text.get("y")) <= bottom + 5  # on the bar's line
    assert (now.text, before.text) == ("12", "9")


def test_the_longest_bar_takes_the_width_its_figure_leaves():
    svg = categories(rows=[("Veel", 1234567, 10), ("Weinig", 10, None)])
    longest, _ = bar_widths(svg, "Veel")
    figure = next(t for t in row_group(svg, "Veel").iter(f"{SVG}text") if t.text == "1.234.567")
    assert extent(figure)[1] <= 360 and longest > 360 / 2


def test_no_figure_draws_no_bar_but_a_dash():
    svg = categories(rows=[("Gemeten", 4, None), ("Niet gemeten", None, 2)])
    [four] = bar_widths(svg, "Gemeten")
    assert bar_widths(svg, "Niet gemeten") == [pytest.approx(four / 2)]
    assert texts(svg).count("—") == 2


def test_all_zeros_draw_an_empty_chart_with_the_zeros():
    svg = categories(rows=[("A", 0, 0), ("B", 0, None)])
    assert len(list(parsed(svg).iter(f"{SVG}rect"))) == 2  # the legend's, no bars
    assert texts(svg).count("0") == 3
    assert parsed(svg).find(f"{SVG}desc").text == "Geen meldingen in deze periode."
    assert parsed(categories(rows=[])).find(f"{SVG}desc").text == charts.NO_FIGURES


def test_figures_in_dutch_notation():
    svg = categories(rows=[("Gemiddeld", 2.25, 1234), ("Geheel", 3.0, 0.04)])
    for text in ["2,2", "1.234", "3,0", "0,0"]:
        assert text in texts(svg)
    assert charts.number(1234567.89) == "1.234.567,9"
    assert charts.number(-0.0) == "0,0"
    assert charts.number(None) == "—"


def test_a_long_label_is_cut_short_with_an_ellipsis():
    label = "Bedreiging met een wapen tijdens een huisbezoek in de avond"
    shown = texts(categories(rows=[(label, 1, 1)]))
    cut = next(text for text in shown if text.startswith("Bedreiging"))
    assert cut.endswith("…") and 40 <= len(cut) <= charts.LABEL_CHARS <= 44
    assert texts(categories(title=LONG))[0].endswith("…")  # the title in <title> is whole
    assert parsed(categories(title=LONG)).find(f"{SVG}title").text == LONG


def test_both_period_labels_share_the_legend_line_when_they_fit():
    short = [t for t in parsed(categories()).iter(f"{SVG}text") if "kwartaal" in (t.text or "")]
    assert len({t.get("y") for t in short}) == 1
    long = categories(current_label=YEAR, previous_label=YEAR)
    keys = [t for t in parsed(long).iter(f"{SVG}text") if t.text == YEAR]
    assert len({t.get("y") for t in keys}) == 2  # one under the other, above the bars
    first_label = next(t for t in parsed(long).iter(f"{SVG}text") if t.text == "D — bedreiging")
    assert max(float(t.get("y")) for t in keys) < float(first_label.get("y"))


def test_the_summary_names_the_highest_figure():
    desc = parsed(categories()).find(f"{SVG}desc").text
    assert desc == "Hoogste: D — bedreiging, 12 (vorige periode 9)."


def test_markup_in_a_text_is_escaped_and_comes_back_as_written():
    nasty = "A <b> & \"c\" 'd' </text><script>"
    svg = categories(title=nasty, rows=[(nasty[:30], 1, 2)], current_label="<nu>")
    assert "<script>" not in svg and "<b>" not in svg
    root = parsed(svg)
    assert root.find(f"{SVG}title").text == nasty
    assert nasty in texts(svg) and nasty[:30] in texts(svg) and "<nu>" in texts(svg)
    assert "\x00" not in charts.bars(title="a\x00b", rows=[], current_label="", previous_label="")


def test_columns_print_each_label_and_value_when_they_fit():
    svg = weeks(count=8, previous_total=20)
    shown = texts(svg)
    for week in range(30, 38):
        assert f"wk {week}" in shown and str(week % 7) in shown
    assert "Totaal 23, vorige periode 20" in shown
    desc = parsed(svg).find(f"{SVG}desc").text
    assert desc == "Totaal 23 (vorige periode 20); hoogste: wk 34, 6."


def figures_above(svg: str) -> list[str]:
    """The figures over the columns (the labels are under the axis, its ticks left of it)."""
    return [
        text.text
        for text in parsed(svg).iter(f"{SVG}text")
        if text.get("text-anchor") == "middle" and float(text.get("y")) < charts.PLOT_BOTTOM
    ]


def test_many_columns_show_only_every_nth_label_and_no_values():
    for count in (13, 30, 53):
        labels = [text for text in texts(weeks(count=count)) if text.startswith("wk ")]
        assert 2 <= len(labels) <= 8 and labels[0] == "wk 30"
    days = charts.columns(title="Per dag", points=[(str(day), 1) for day in range(1, 32)])
    under = [t for t in parsed(days).iter(f"{SVG}text") if float(t.get("y")) > charts.PLOT_BOTTOM]
    under = [t.text for t in under if t.get("text-anchor") == "middle"]  # not the axis' 0
    assert 4 <= len(under) <= 8 and under[0] == "1"  # short labels, yet no more than 8
    assert figures_above(weeks(count=12)) == [str(week % 7) for week in range(30, 42)]
    assert figures_above(weeks(count=13)) == []  # left to the table


def test_long_labels_under_columns_are_kept_short():
    svg = charts.columns(title="Lang", points=[("week van 3 december", 1), ("en later", 2)])
    assert "week va…" in texts(svg) and "en later" in texts(svg)


def test_the_columns_axis_has_three_to_five_round_ticks():
    for most in [0, 1, 3, 7, 9.5, 10, 13, 48, 99, 100, 101, 999, 12345, 0.8]:
        ticks = charts.nice_ticks(most, whole=isinstance(most, int))
        assert 3 <= len(ticks) <= 5 and ticks[0] == 0 and ticks[-1] >= most
        step = ticks[1]
        assert f"{step:e}"[0] in "125" and all(
            b - a == pytest.approx(step) for a, b in itertools.pairwise(ticks)
        )
    assert charts.nice_ticks(7) == [0, 2, 4, 6, 8]


def test_columns_of_zeros_and_gaps_draw_without_dividing_by_zero():
    svg = charts.columns(title="Leeg", points=[("okt 2026", 0), ("nov 2026", None)])
    assert "—" in texts(svg) and "okt 2026" in texts(svg)
    assert parsed(svg).find(f"{SVG}desc").text == "Geen meldingen in deze periode."
    assert charts.columns(title="Niets", points=[])


def counted_cells(svg: str) -> int:
    """The cells with their count in them, each checked for contrast."""
    counted = 0
    for cell, text in itertools.pairwise(parsed(svg).find(f"{SVG}g")):
        if cell.tag == f"{SVG}rect" and text.tag == f"{SVG}text" and text.get("fill"):
            assert charts.contrast(rgb(text.get("fill")), rgb(cell.get("fill"))) >= 4.5
            assert float(text.get("x")) == pytest.approx(
                float(cell.get("x")) + float(cell.get("width")) / 2, abs=0.1
            )
            counted += 1
    return counted


def test_the_heat_map_counts_every_cell_in_a_readable_colour_where_cells_are_wide_enough():
    svg = week_blocks()
    assert counted_cells(svg) == sum(1 for d in range(7) for b in range(6) if (d * b * 5) % 23)
    assert all(float(r.get("width")) >= 14 for r in parsed(svg).iter(f"{SVG}rect"))
    assert not parsed(svg).find(f"{SVG}desc").text.endswith(charts.IN_THE_TABLE)
    assert all(day in texts(svg) for day in WEEKDAYS)  # the full names fit beside them


def test_24_hours_on_a_phone_leave_the_counts_to_the_table_and_say_so():
    svg = week_hours()
    assert counted_cells(svg) == 0
    assert all(float(r.get("width")) < 14 for r in parsed(svg).iter(f"{SVG}rect"))
    desc = parsed(svg).find(f"{SVG}desc").text
    assert desc.endswith(" De aantallen staan in de tabel.") and desc.startswith("Hoogste: ")
    empty = week_hours(values=[[0] * 24 for _ in range(7)])
    assert parsed(empty).find(f"{SVG}desc").text == charts.NO_FIGURES


def test_row_labels_shrink_to_two_letters_or_three_where_two_are_alike():
    assert [t for t in texts(week_hours()) if t in SHORT_DAYS] == SHORT_DAYS
    months = ["januari", "juni", "juli", "augustus"]
    svg = charts.matrix(
        title="Maand", row_labels=months, column_labels=HOURS, values=[[1] * 24] * 4
    )
    assert {"jan", "jun", "jul", "aug"} <= set(texts(svg))


def test_the_heat_map_shades_white_to_dark_with_labels_on_the_side_and_top():
    svg = week_hours(values=[[0] * 24 for _ in range(6)] + [[0] * 22 + [25, 50]])
    fills = [rect.get("fill") for rect in parsed(svg).iter(f"{SVG}rect")]
    assert fills.count("#ffffff") == 7 * 24 - 2
    assert fills[-2:] == ["#889cac", "#103a58"]  # half way, and the darkest
    assert charts.shade(0, 0) == (255, 255, 255) and charts.shade(50, 50) == charts.DARKEST
    shown = texts(svg)
    assert all(day in shown for day in SHORT_DAYS)
    assert [hour for hour in HOURS if hour in shown] == ["0", "3", "6", "9", "12", "15", "18", "21"]
    desc = parsed(svg).find(f"{SVG}desc").text
    assert desc == "Hoogste: zondag 23, 50; totaal 75. De aantallen staan in de tabel."
    assert [b for b in BLOCKS if b in texts(week_blocks())] == BLOCKS  # each where they fit


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def test_contrast_as_wcag_computes_it():
    assert charts.contrast((0, 0, 0), (255, 255, 255)) == pytest.approx(21)
    assert charts.contrast((119, 119, 119), (255, 255, 255)) == pytest.approx(4.48, abs=0.01)
    assert charts.contrast(rgb(charts.CURRENT), (255, 255, 255)) >= 4.5
    assert charts.contrast(rgb(charts.PREVIOUS), (255, 255, 255)) >= 3
    for count in range(31):
        background = charts.shade(count, 30)
        assert charts.contrast(charts.ink_on(background), background) >= 4.5


@pytest.mark.parametrize("kind", KINDS)
def test_fpdf2_draws_each_chart_without_a_warning(kind, caplog):
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        text = pdf_text(KINDS[kind]())
    assert not caplog.records
    expected = {
        "bars": ["Incidenten per categorie", "D — bedreiging", "12", "9", "2e kwartaal 2026"],
        "columns": ["Meldingen per week", "wk 30", "wk 37", "Totaal 23"],
        "matrix": ["Meldingen per dag en uur", "ma", "zo", "21"],
        "blocks": ["Meldingen per dag en dagdeel", "donderdag", "20–24", "22", "15"],
    }[kind]
    for words in expected:
        assert words in text


def test_fpdf2_prints_what_its_fonts_lack_in_plain_letters():
    svg = categories(title="Overzicht € ő 🚨", rows=[("Łódź — ‘buiten’ " + "x" * 30, None, 2)])
    text = pdf_text(svg)
    assert "Overzicht € o ?" in text
    assert "?ódz — ‘buiten’ xxx" in text and "x..." in text  # the ellipsis is whitespace to fpdf2
