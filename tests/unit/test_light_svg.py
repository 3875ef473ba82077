"""The light edition's SVG: what a reader relies on in each chart and map, and the budget of the
committed demo release's pages (every page under 150 KB as sent with gzip, its answer marked first).
"""
from __future__ import annotations

import re

import pandas as pd
import pytest

from dashboard import paths
from dashboard.static_site import svg
from dashboard.static_site.build import PAGE_BUDGET_GZIP, export_static
from dashboard.static_site.figures import segments
from dashboard.static_site.svg_map import MapValue, map_shapes, map_svg

PATH_DATA = re.compile(r"^(M-?\d+ -?\d+l-?\d+(?:[ -]-?\d+|-\d+)*z)+$")


def _series(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["year", "geo_version", "value", "ci_low", "ci_high"])
    return frame.assign(service="admin", unit_code="VN", level="national", indicator="index", flag=None, n=None,
                        source_id="s1")


def _line_svg(frame: pd.DataFrame, breaks) -> str:
    parts = segments(frame, "admin", breaks)
    line = svg.Line("SIPAS", tuple(tuple(svg.Point(r["year"], r["value"], r["ci_low"], r["ci_high"]) for r in part)
                                   for part in parts))
    return svg.line_chart_svg(svg.LineChart("t", "d", (line,), (svg.YearMark(2022, "Đổi phương pháp 2022"),)), "f1", "vi")


def test_the_2022_method_break_is_not_joined():
    frame = _series([(2019, "vn63", 85.1, 84, 86), (2020, "vn63", 86.0, 85, 87), (2021, "vn63", 87.16, 86, 88),
                     (2022, "vn63", 80.08, 79, 81), (2023, "vn63", 80.5, 79.5, 81.5)])
    assert [[r["year"] for r in part] for part in segments(frame, "admin", {("admin", 2022)})] == \
        [[2019, 2020, 2021], [2022, 2023]]
    drawn = _line_svg(frame, {("admin", 2022)})
    lines = re.findall(r'<polyline points="([^"]+)"', drawn)
    assert len(lines) == 2 and [len(points.split()) for points in lines] == [3, 2]
    # without the break the same figures are one line: the test can fail
    assert len(re.findall("<polyline", _line_svg(frame, set()))) == 1
    assert "stroke-dasharray" in drawn and "Đổi phương pháp" in drawn


def test_the_2025_reform_and_harmonised_years_are_separate_segments():
    frame = _series([(2023, "vn63", 80.0, None, None), (2024, "vn63", 81.0, None, None),
                     (2025, "vn34", 82.0, None, None)])
    assert [[r["year"] for r in part] for part in segments(frame, "admin", set())] == [[2023, 2024], [2025]]
    harmonised = frame.assign(geo_version="vn34", harmonised=[True, True, False])
    assert len(segments(harmonised, "admin", set())) == 2


def test_a_suppressed_figure_is_not_drawn():
    plot = svg.DotPlot("t", "d", "Value (%)", (
        svg.DotRow("Lào Cai", (svg.Mark(84.2, 80.0, 88.0),)),
        svg.DotRow("Yên Bái", (svg.Mark(float("nan")),)),  # suppressed: no value
        svg.DotRow("Hà Giang", (svg.Mark(70.5, 60.0, 80.0, hollow=True),)),
    ))
    drawn = svg.dot_plot_svg(plot, "f1", "en")
    assert "Lào Cai" in drawn and "Hà Giang" in drawn and "Yên Bái" not in drawn
    assert drawn.count("<circle") == 2 and 'fill="#fff"' in drawn  # small sample: hollow
    assert drawn.startswith('<svg class="chart dots"') and 'role="img"' in drawn
    assert '<title id="f1-t">t</title><desc id="f1-d">d</desc>' in drawn


def test_text_in_a_chart_is_escaped_and_long_labels_fit_two_lines():
    plot = svg.DotPlot("<b>", "<i>", "x", (svg.DotRow("<script>alert(1)</script> " * 4, (svg.Mark(80.0),)),), demo=True)
    drawn = svg.dot_plot_svg(plot, "f1", "vi")
    assert "<script>" not in drawn and "&lt;script&gt;" in drawn and "<b>" not in drawn
    assert ">DEMO</text>" in drawn
    lines = svg.wrap_label("Thành phố Hồ Chí Minh và các vùng lân cận rất dài", 90)
    assert len(lines) == 2 and all(svg.text_px(line) <= 90 for line in lines)


@pytest.mark.parametrize("layer,count", [("provinces_vn63", 63), ("provinces_vn34", 34)])
def test_every_province_is_a_link_with_a_title_and_the_archipelagos_are_drawn(layer, count):
    shapes = map_shapes(str(paths.GEODATA_DIR), layer)
    assert shapes is not None and len(shapes.paths) == count
    values = {code: MapValue(80.0 + i % 15, f"{shapes.names[code]}: {80 + i % 15}%") for i, code in enumerate(shapes.paths)}
    drawn = map_svg(shapes, values, {code: f"../provinces/{code}.html" for code in shapes.paths}, "Map", "desc", "m1", "vi")
    links = re.findall(r'<a href="\.\./provinces/(\d+)\.html"><title>([^<]+)</title><path', drawn)
    owners = {"48", "56"}  # Đà Nẵng and Khánh Hòa: their archipelagos link to them too
    assert len(links) == count + len(owners) and {code for code, _ in links} == set(shapes.paths)
    assert all(title.strip() for _, title in links)
    islands = re.findall(r'<a href="\.\./provinces/(\d+)\.html"><title>([^<]+)</title><path class="c\d isle"', drawn)
    assert {code for code, _ in islands} == owners
    titles = dict(islands)
    assert "Hoàng Sa" in titles["48"] and "Đà Nẵng" in titles["48"]
    assert "Trường Sa" in titles["56"] and "Khánh Hòa" in titles["56"]
    assert drawn.count('class="frame"') == 2 and "Hoàng Sa" in drawn and "Trường Sa" in drawn
    for data in re.findall(r' d="([^"]+)"', drawn):
        assert PATH_DATA.match(data), data[:80]  # one malformed step and a browser drops the rest
    assert 'role="img"' not in drawn  # the links must stay reachable


def test_a_province_without_a_figure_is_grey_and_says_so():
    shapes = map_shapes(str(paths.GEODATA_DIR), "provinces_vn63")
    drawn = map_svg(shapes, {"10": MapValue(None, "Lào Cai: chưa công bố")}, {}, "Map", "desc", "m1", "vi")
    assert "<g><title>Lào Cai: chưa công bố</title><path class=\"cn\"" in drawn
    assert "<a " not in drawn  # no page, no link


# --- the committed demo release: budget, answer first, structure ---------------------------------

@pytest.fixture(scope="module")
def demo_edition(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo-edition")
    report = export_static(paths.RELEASES_DIR / "demo", out, tables="light")
    print(f"\ndemo light edition: {report.summary()}")
    return report


def test_every_demo_page_is_under_budget(demo_edition):
    assert demo_edition.broken == []
    assert demo_edition.sizes and demo_edition.over_budget == []
    name, _, zipped = demo_edition.largest()
    assert zipped <= PAGE_BUDGET_GZIP, f"{name}: {zipped} bytes gzip"


def test_each_page_marks_its_first_figure_once_and_first(demo_edition):
    for name in demo_edition.sizes:
        text = (demo_edition.out_dir / name).read_text(encoding="utf-8")
        if name.endswith(("methodology.html",)):
            continue
        marks = re.findall(r"<(svg|table)[^>]*data-first-figure", text)
        assert len(marks) == 1, name
        first_svg = text.find("<svg")
        assert first_svg == -1 or text.find("data-first-figure") < text.find(">", first_svg) + 1, name


def test_headings_go_in_order_and_the_language_is_right(demo_edition):
    for name in demo_edition.sizes:
        text = (demo_edition.out_dir / name).read_text(encoding="utf-8")
        assert f'<html lang="{name.split("/")[0]}">' in text, name
        levels = [int(h) for h in re.findall(r"<h([1-6])", text)]
        assert levels and levels[0] == 1 and levels.count(1) == 1, name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"{name}: {levels}"


def test_numbers_are_written_in_the_readers_format(demo_edition):
    vi = (demo_edition.out_dir / "vi" / "services" / "admin.html").read_text(encoding="utf-8")
    en = (demo_edition.out_dir / "en" / "services" / "admin.html").read_text(encoding="utf-8")
    assert re.search(r'<td class="n">\d{2},\d{2}</td>', vi) and not re.search(r'<td class="n">\d{2}\.\d{2}</td>', vi)
    assert re.search(r'<td class="n">\d{2}\.\d{2}</td>', en)
