"""The report charts as the PWA shows them and the PDF prints them: SVG in the subset fpdf2
draws, every figure written out, Dutch notation, readable contrast, stable ids."""

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
WEEKDAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
HOURS = [str(hour) for hour in range(24)]


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


KINDS = {"bars": categories, "columns": weeks, "matrix": week_hours}


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in parsed(svg).iter(f"{SVG}text")]


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
    assert root.get("width") == "640" and root.get("viewBox").startswith("0 0 640 ")
    assert root.get("height") == root.get("viewBox").split()[3]
    for element in root.iter():
        assert element.tag.removeprefix(SVG) in ALLOWED
        assert not {"style", "class", "href", "onload"} & set(element.keys())
    texts_ = list(root.iter(f"{SVG}text"))
    assert min(float(text.get("font-size")) for text in texts_) >= 13
    assert root.find(f"{SVG}g").get("font-family") == "Helvetica, Arial, sans-serif"


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
    current, previous = row_group(svg, "D — bedreiging").iter(f"{SVG}rect")
    assert float(previous.get("height")) < float(current.get("height"))
    assert (current.get("fill"), previous.get("fill")) == (charts.CURRENT, charts.PREVIOUS)


def test_no_figure_draws_no_bar_but_a_dash():
    svg = categories(rows=[("Gemeten", 4, None), ("Niet gemeten", None, 2)])
    assert bar_widths(svg, "Gemeten") == [pytest.approx(charts.BAR_ROOM)]
    assert bar_widths(svg, "Niet gemeten") == [pytest.approx(charts.BAR_ROOM / 2)]
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
    assert cut.endswith("…") and len(cut) <= charts.LABEL_CHARS


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


def test_many_columns_show_only_every_nth_label_and_no_values():
    many = texts(weeks(count=30))
    labels = [text for text in many if text.startswith("wk ")]
    assert 2 <= len(labels) <= 14 and labels[0] == "wk 30"
    assert len(texts(weeks(count=24))) > len(texts(weeks(count=25))) + 20  # values dropped


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


def test_the_heat_map_counts_every_cell_in_a_readable_colour():
    root = parsed(week_hours())
    cells = list(root.find(f"{SVG}g"))
    counted = 0
    for cell, text in itertools.pairwise(cells):
        if cell.tag == f"{SVG}rect" and text.tag == f"{SVG}text" and text.get("fill"):
            assert charts.contrast(rgb(text.get("fill")), rgb(cell.get("fill"))) >= 4.5
            counted += 1
    assert counted == sum(1 for day in range(7) for hour in range(24) if (day * hour) % 9)


def test_the_heat_map_shades_white_to_dark_with_labels_on_the_side_and_top():
    svg = week_hours(values=[[0] * 24 for _ in range(6)] + [[0] * 22 + [25, 50]])
    fills = [rect.get("fill") for rect in parsed(svg).iter(f"{SVG}rect")]
    assert fills.count("#ffffff") == 7 * 24 - 2
    assert fills[-2:] == ["#889cac", "#103a58"]  # half way, and the darkest
    assert charts.shade(0, 0) == (255, 255, 255) and charts.shade(50, 50) == charts.DARKEST
    shown = texts(svg)
    assert all(day in shown for day in WEEKDAYS)
    assert [hour for hour in HOURS if hour in shown] == ["0", "3", "6", "9", "12", "15", "18", "21"]
    assert parsed(svg).find(f"{SVG}desc").text == "Hoogste: zo 23, 50; totaal 75."


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
        "matrix": ["Meldingen per dag en uur", "ma", "zo", "21", "8"],
    }[kind]
    for words in expected:
        assert words in text


def test_fpdf2_prints_what_its_fonts_lack_in_plain_letters():
    svg = categories(title="Overzicht € ő 🚨", rows=[("Łódź — ‘buiten’ " + "x" * 30, None, 2)])
    text = pdf_text(svg)
    assert "Overzicht € o ?" in text
    assert "?ódz — ‘buiten’ xxx" in text and "x..." in text  # the ellipsis is whitespace to fpdf2
