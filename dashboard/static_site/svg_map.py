"""The provinces as an SVG map, drawn at build time: each province a link to its page.

Geometry comes from `geodata/provinces_<geo>.parquet`, projected (Web Mercator, like the app) into
a space as wide as a phone (`svg.WIDTH` units), simplified to about half a pixel and written with
relative integer coordinates on a 0.1-unit grid, so the 63 provinces cost tens of KB, not the
layer's hundreds. Colours are the app's fixed classes (`dashboard.figures.maps`: BREAKS, CLASS_COLOURS,
MISSING_COLOUR), as CSS classes `c0`..`c8` and `cn` ("not published") shared with the legend.

Hoàng Sa and Trường Sa are drawn and framed as on Vietnamese reference maps: Hoàng Sa in place
(it fits the map's width), Trường Sa in a framed inset at a third of the scale, east of the
southern coast. Their island parts are outlined in the colour of the unit that holds them
(Đà Nẵng, Khánh Hòa; see `dashboard.figures.maps.archipelagos`) and link to its page. The map is not
`role="img"`: its links must stay reachable by keyboard and screen reader; the SVG is named by its
`<title>`/`<desc>` and each province link by its own `<title>`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from dashboard.figures.maps import CLASS_COLOURS, MISSING_COLOUR, classify
from dashboard.figures.maps.archipelagos import ARCHIPELAGOS, Archipelago, owner_in
from dashboard.static_site.svg import WIDTH, demo_mark, esc, num

# What the map spans (degrees): the mainland and near islands, and Hoàng Sa in place.
LON_MIN, LON_MAX = 102.1, 113.15
LAT_MIN, LAT_MAX = 7.75, 23.45
GRID = 10  # path coordinates are integers in tenths of a unit
SIMPLIFY_UNITS = 0.45  # Douglas–Peucker tolerance in map units (px on a phone)
MIN_PART_AREA = 0.6  # px²: smaller island specks are dropped (the archipelagos are outlined instead)
# Trường Sa's inset: scale, and where its frame's north-west corner goes (degrees of the main map).
TS_SCALE = 0.36
TS_ANCHOR = (110.85, 12.55)


def _merc(lat: float) -> float:
    return math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


K = WIDTH / (LON_MAX - LON_MIN)
HEIGHT = round((_merc(LAT_MAX) - _merc(LAT_MIN)) * K + 1)


@dataclass(frozen=True)
class Placement:
    """Where (and at which scale) a part of the country is drawn: identity for the main map."""

    scale: float = 1.0
    origin: tuple[float, float] = (LON_MIN, LAT_MAX)  # the source point drawn at `anchor`
    anchor: tuple[float, float] = (LON_MIN, LAT_MAX)  # in degrees of the main map

    def xy(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        ax = (self.anchor[0] - LON_MIN) * K
        ay = (_merc(LAT_MAX) - _merc(self.anchor[1])) * K
        merc = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))
        x = ax + (lon - self.origin[0]) * K * self.scale
        y = ay + (_merc(self.origin[1]) - merc) * K * self.scale
        return x, y


def placement_of(archipelago: Archipelago) -> Placement:
    if archipelago.feature_id == "TS":
        minx, _, _, maxy = archipelago.frame
        return Placement(TS_SCALE, (minx, maxy), TS_ANCHOR)
    return Placement()


def frame_box(archipelago: Archipelago) -> tuple[float, float, float, float]:
    """x, y, width, height of an archipelago's frame on the map (map units)."""
    minx, miny, maxx, maxy = archipelago.frame
    xs, ys = placement_of(archipelago).xy(np.array([minx, maxx]), np.array([maxy, miny]))
    return float(xs[0]), float(ys[0]), float(xs[1] - xs[0]), float(ys[1] - ys[0])


def _projected(geom: BaseGeometry, placement: Placement) -> BaseGeometry:
    def transform(coords: np.ndarray) -> np.ndarray:
        x, y = placement.xy(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geom, transform)


def _path(geom: BaseGeometry, keep_small: bool = False) -> str:
    """SVG path data of a (multi)polygon in map units: absolute first point, then relative steps
    on the 0.1-unit grid, one subpath per ring."""
    simple = shapely.simplify(geom, SIMPLIFY_UNITS, preserve_topology=True)
    out = []
    for polygon in shapely.get_parts(simple):
        if polygon.is_empty or (not keep_small and polygon.area < MIN_PART_AREA):
            continue
        for ring in [polygon.exterior, *polygon.interiors]:
            coords = np.round(np.asarray(ring.coords)[:-1] * GRID).astype(int)
            if len(coords) < 3:
                continue
            steps = np.diff(coords, axis=0)
            steps = steps[(steps != 0).any(axis=1)]
            if len(steps) < 2:
                if not keep_small:
                    continue  # collapsed to a point on the grid: nothing to fill
                steps = np.array([[1, 0], [0, 1]])  # an island speck: a tiny triangle its outline makes visible
            out.append(f"M{coords[0][0]} {coords[0][1]}" + "l" + " ".join(f"{dx} {dy}" for dx, dy in steps) + "z")
    return "".join(out).replace(" -", "-")


@dataclass(frozen=True)
class MapShapes:
    """A province layer ready to draw: path data per unit code, archipelago outlines, names."""

    layer: str
    paths: dict[str, str]
    islands: dict[str, tuple[str, str]]  # archipelago id -> (owner code, path data)
    names: dict[str, str]


@lru_cache(maxsize=4)
def map_shapes(geodata_dir: str, layer: str) -> MapShapes | None:
    """Read, project and simplify a layer once per build (None when it is not built)."""
    import geopandas as gpd

    path = Path(geodata_dir) / f"{layer}.parquet"
    if not path.is_file():
        return None
    frame = gpd.read_parquet(path)
    frames = shapely.union_all([box(*a.frame) for a in ARCHIPELAGOS])
    main = Placement()
    paths, islands = {}, {}
    by_code = dict(zip(frame["unit_code"], frame.geometry))
    for code, geom in by_code.items():
        paths[code] = _path(_projected(shapely.difference(geom, frames), main))
    for archipelago in ARCHIPELAGOS:
        owner = owner_in(archipelago, by_code)
        if owner is None:
            continue
        part = shapely.intersection(by_code[owner], box(*archipelago.frame))
        if not part.is_empty:
            islands[archipelago.feature_id] = (owner, _path(_projected(part, placement_of(archipelago)), keep_small=True))
    return MapShapes(layer, paths, islands, dict(zip(frame["unit_code"], frame["name_vi"])))


@dataclass(frozen=True)
class MapValue:
    """What the map says about one unit: its value (or none) and the text of its `<title>`."""

    value: float | None
    label: str  # "Hà Nội: 83,94%" / "Hà Nội: chưa công bố"


def class_name(value) -> str:
    """CSS class of a value's fixed colour class; `cn` for not published."""
    index = classify(value)
    return "cn" if index is None else f"c{index}"


def class_css() -> str:
    """The classes' colours, for the map's shapes (fill), the legend's swatches (background) and the
    archipelagos' outlines (stroke: the islands are too small to show their fill)."""
    colours = [(f"c{i}", c) for i, c in enumerate(CLASS_COLOURS)] + [("cn", MISSING_COLOUR)]
    rules = [f".{name}{{fill:{c};background:{c}}}.isle.{name}{{stroke:{c}}}" for name, c in colours]
    return "\n".join(rules) + "\n"


def _archipelago_label(archipelago: Archipelago, lang: str) -> tuple[str, str]:
    """The archipelago's name on two short lines (it sits under its frame)."""
    name = archipelago.name(lang)
    if lang == "en":
        return name.split(" (")[0], "Islands"
    return "Quần đảo", name.replace("Quần đảo ", "")


def map_svg(shapes: MapShapes, values: dict[str, MapValue], hrefs: dict[str, str], title: str, desc: str,
            fig_id: str, lang: str, demo: bool = False, first: bool = False,
            archipelago_titles: dict[str, str] | None = None) -> str:
    """The map: one `<a>` per province (with its `<title>`) when it has a page in `hrefs`, a plain
    shape with its `<title>` otherwise; then the archipelagos, framed, in their owner's class."""
    attrs = ' data-first-figure=""' if first else ""
    parts = [f'<svg class="map" viewBox="0 0 {WIDTH} {HEIGHT}" aria-labelledby="{fig_id}-t {fig_id}-d"{attrs}>'
             f'<title id="{fig_id}-t">{esc(title)}</title><desc id="{fig_id}-d">{esc(desc)}</desc>'
             f'<g transform="scale(.1)">']
    for code, path in shapes.paths.items():
        if not path:
            continue
        value = values.get(code) or MapValue(None, shapes.names.get(code, code))
        shape = f'<path class="{class_name(value.value)}" d="{path}"/>'
        label = f"<title>{esc(value.label)}</title>"
        href = hrefs.get(code)
        parts.append(f'<a href="{esc(href)}">{label}{shape}</a>' if href else f"<g>{label}{shape}</g>")
    for archipelago in ARCHIPELAGOS:
        if archipelago.feature_id not in shapes.islands:
            continue
        owner, path = shapes.islands[archipelago.feature_id]
        value = values.get(owner) or MapValue(None, shapes.names.get(owner, owner))
        label = (archipelago_titles or {}).get(archipelago.feature_id, f"{archipelago.name(lang)}: {value.label}")
        shape = f'<path class="{class_name(value.value)} isle" d="{path}"/>'
        href = hrefs.get(owner)
        inner = f"<title>{esc(label)}</title>{shape}"
        parts.append(f'<a href="{esc(href)}">{inner}</a>' if href else f"<g>{inner}</g>")
    parts.append("</g>")
    for archipelago in ARCHIPELAGOS:
        if archipelago.feature_id not in shapes.islands:
            continue
        x, y, w, h = frame_box(archipelago)
        first_line, second_line = _archipelago_label(archipelago, lang)
        middle = x + w / 2
        parts.append(f'<rect class="frame" x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}"/>'
                     f'<text class="isle-name" x="{num(middle)}" y="{num(y + h + 10)}" text-anchor="middle">'
                     f'<tspan>{esc(first_line)}</tspan><tspan x="{num(middle)}" dy="10">{esc(second_line)}</tspan></text>')
    if demo:
        parts.append(demo_mark(WIDTH - 4, HEIGHT - 6))
    parts.append("</svg>")
    return "".join(parts)
