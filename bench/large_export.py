"""Exports of the largest view: every district, every year of the DEMO release (~96,000 rows).

Prints how long the CSV, XLSX, map PNG and story pack take and how big they are. A benchmark,
not a test: timings are machine-dependent and asserted nowhere.

    .venv/bin/python -m bench.large_export
"""
from __future__ import annotations

import time

from dashboard import paths
from dashboard.exports.images import shared_renderer
from dashboard.exports.story_pack import build_story_pack, view_csv, view_png, view_xlsx
from dashboard.exports.view import ExportView
from dashboard.figures.charts import Caption
from dashboard.figures.maps import build_choropleth
from dashboard.figures.maps.layers import read_map_layer
from dashboard.release.read import load_results, open_release


def main() -> None:
    demo = open_release(paths.RELEASES_DIR / "demo")
    data = load_results(demo, level="district")
    layer = read_map_layer(paths.GEODATA_DIR, "districts_vn63")
    units = layer.units.assign(name=layer.units["name_vi"])
    latest = data[(data["year"] == 2024) & (data["service"] == "admin") & (data["indicator"] == "index")]
    fig = build_choropleth(layer.geojson, units, latest, Caption("Tất cả các huyện"), "vi")
    view = ExportView(fig, data, "tat ca cac huyen", "vi", demo, permalink="https://example.org/map")
    renderer = shared_renderer()
    for label, make in (("csv", view_csv), ("xlsx", view_xlsx), ("png", lambda v: view_png(v, renderer)),
                        ("story pack", lambda v: build_story_pack(v, renderer))):
        started = time.perf_counter()
        size = len(make(view))
        print(f"{label:>10}: {time.perf_counter() - started:6.2f} s, {size / 1e6:5.1f} MB ({len(data):,} rows)")
    renderer.close()


if __name__ == "__main__":
    main()
