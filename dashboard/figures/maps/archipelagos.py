"""Hoàng Sa and Trường Sa on every map: framed, outlined, named, never lost to simplification.

At the country view the islands are specks a few pixels wide. Each map therefore draws, on top of
the choropleth, the island parts of the unit that holds them (Đà Nẵng / district Hoàng Sa, Khánh
Hòa / district Trường Sa) with a thick outline in the unit's own colour, and a thin frame around
each archipelago, as Vietnamese reference maps do. Frames and outlines are map geometry, so they
stay in place when a reader zooms or pans (text labels would need a glyph server, which an
offline map does not have); the legend names them.
"""
from __future__ import annotations

from dataclasses import dataclass

import shapely
from shapely.geometry import box, mapping


@dataclass(frozen=True)
class Archipelago:
    """An archipelago: its feature id in our GeoJSON, the units that hold it, its frame."""

    feature_id: str
    owners: tuple[str, ...]  # the province code (both geo versions) and the district code
    name_vi: str
    name_en: str
    owner_vi: str
    owner_en: str
    frame: tuple[float, float, float, float]  # minx, miny, maxx, maxy (degrees)

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_vi

    def owner(self, lang: str) -> str:
        return self.owner_en if lang == "en" else self.owner_vi


ARCHIPELAGOS: tuple[Archipelago, ...] = (
    Archipelago("HS", ("48", "498"), "Quần đảo Hoàng Sa", "Hoàng Sa (Paracel) Islands",
                "thành phố Đà Nẵng", "Đà Nẵng city", (110.9, 15.45, 113.05, 17.45)),
    # The frame leaves out the DK1 banks near the coast (109–110.6° E): they are drawn, unframed.
    Archipelago("TS", ("56", "576"), "Quần đảo Trường Sa", "Trường Sa (Spratly) Islands",
                "tỉnh Khánh Hòa", "Khánh Hòa province", (111.2, 6.6, 117.3, 12.3)),
)


def island_feature(archipelago: Archipelago, geometry) -> dict | None:
    """The part of a unit's geometry inside the archipelago's frame, as a GeoJSON feature."""
    part = shapely.intersection(geometry, box(*archipelago.frame))
    if part.is_empty:
        return None
    return {"type": "Feature", "id": archipelago.feature_id, "properties": {}, "geometry": mapping(part)}


def owner_in(archipelago: Archipelago, codes) -> str | None:
    """The unit of a layer (by code) that holds the archipelago, if the layer has it."""
    present = set(codes)
    return next((code for code in archipelago.owners if code in present), None)


def frame_lines() -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of every frame as one line trace (None separates frames)."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for a in ARCHIPELAGOS:
        minx, miny, maxx, maxy = a.frame
        lons += [minx, maxx, maxx, minx, minx, None]
        lats += [miny, miny, maxy, maxy, miny, None]
    return lons[:-1], lats[:-1]


def in_view(archipelago: Archipelago, bounds: tuple[float, float, float, float] | None) -> bool:
    """True for the country view (no bounds) or a view whose bounds reach the archipelago."""
    if bounds is None:
        return True
    minx, miny, maxx, maxy = bounds
    ax0, ay0, ax1, ay1 = archipelago.frame
    return not (maxx < ax0 or minx > ax1 or maxy < ay0 or miny > ay1)
