"""What the light edition is made from, and where each page lives (pure: release tables in).

Pages of one language (paths relative to its folder `vi/` or `en/`):

    index.html                       the country's services, the map to find a province, lists
    services/<service>.html          map and ranking of the provinces (newest year of each
                                     boundary set), the national series
    provinces/<slug>-<geo>.html      one province: services against the country, its series, its
                                     districts; every province of a boundary set the release uses
    units/<geo>-<code>.html          a tiny redirect to the province page, so a server that only
                                     knows the GSO code (nginx, for `?lite=true&unit=..`) can link
    methodology.html, data.html, 404.html
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from dashboard.content.units import DISPLAY_NAME, name_lookup, unit_name
from dashboard.release.contract import INDEX, SERVICES
from dashboard.text import fold

GEO_ORDER = ("vn34", "vn63")  # newest boundary set first
LAYERS = {"vn63": "provinces_vn63", "vn34": "provinces_vn34"}


@dataclass(frozen=True)
class SiteData:
    """Everything the pages are made from: the release's tables, the unit names, the geodata."""

    release: object  # loaders.Release
    results: pd.DataFrame
    units: pd.DataFrame  # geodata/units.parquet (names, slugs)
    geodata_dir: Path
    breaks: frozenset = frozenset()  # the release's (service, year) method breaks
    ranks: pd.DataFrame | None = None
    gaps: pd.DataFrame | None = None
    harmonised: pd.DataFrame | None = None

    @cached_property
    def _names(self) -> dict[tuple[str, str], str]:
        return name_lookup(self.units)

    def name(self, geo: str, code: str, lang: str) -> str:
        return unit_name(self._names, geo, code, lang)

    def name_of(self, lang: str):
        """`(geo, code) -> name` for the views' sentence builders."""
        return lambda geo, code: self.name(geo, code, lang)

    @cached_property
    def index_rows(self) -> pd.DataFrame:
        """Overall indices of the country and the provinces (what most figures draw)."""
        rows = self.results[(self.results["indicator"] == INDEX) & self.results["level"].isin(["national", "province"])]
        return rows.astype({"geo_version": object, "level": object, "unit_code": object, "service": object})

    @cached_property
    def _by_unit(self) -> dict[tuple[str, str], pd.DataFrame]:
        rows = self.results[self.results["level"].isin(["national", "province"])]
        return {key: part for key, part in rows.groupby(["geo_version", "unit_code"], sort=False, observed=True)}

    def unit_results(self, geo: str, code: str) -> pd.DataFrame:
        """Every figure of one province (or the country) on one boundary set."""
        return self._by_unit.get((geo, code), self.results.iloc[0:0])

    @cached_property
    def _districts(self) -> dict[tuple[str, str], pd.DataFrame]:
        if "parent_code" not in self.results:
            return {}
        rows = self.results[(self.results["level"] == "district") & (self.results["indicator"] == INDEX)]
        return {key: part for key, part in rows.groupby(["geo_version", "parent_code"], sort=False, observed=True)}

    def district_index(self, geo: str, parent: str) -> pd.DataFrame:
        """Overall indices of the districts of one province."""
        return self._districts.get((geo, parent), self.results.iloc[0:0])

    @cached_property
    def _gaps(self) -> dict[tuple, pd.DataFrame]:
        if self.gaps is None or self.gaps.empty:
            return {}
        return {key: part for key, part in self.gaps.groupby(["geo_version", "unit_code", "year"], sort=False)}

    def unit_gaps(self, geo: str, code: str, year: int) -> pd.DataFrame | None:
        """gaps.parquet rows of one place and year (each figure against the country), or None."""
        return self._gaps.get((geo, code, year))

    @cached_property
    def _ranks(self) -> dict[tuple, pd.DataFrame]:
        if self.ranks is None or self.ranks.empty:
            return {}
        rows = self.ranks[self.ranks["indicator"] == INDEX]
        return {key: part for key, part in rows.groupby(["geo_version", "level", "year", "service"], sort=False)}

    def index_ranks(self, geo: str, level: str, year: int, service: str) -> pd.DataFrame:
        """ranks.parquet rows of the overall index for one level, year and service (maybe none)."""
        return self._ranks.get((geo, level, year, service), pd.DataFrame())

    @cached_property
    def _slugs(self) -> dict[tuple[str, str], str]:
        return {(g, c): s for g, c, s in zip(self.units["geo_version"], self.units["unit_code"], self.units["slug"])
                if isinstance(s, str) and s}

    def province_path(self, geo: str, code: str) -> str:
        """`provinces/<slug>-<geo>.html` (see `province_path`), from a lookup built once."""
        return f"provinces/{self._slugs.get((geo, code), code)}-{geo}.html"


def source_title(release, lang: str) -> str:
    """The release's title, 'DEMO – ' in front when it is a demo (as the app's `chart_source`)."""
    title = release.title(lang)
    return "DEMO – " + title if release.demo and "DEMO" not in title else title



def province_slug(units: pd.DataFrame, geo: str, code: str) -> str:
    """File name of a province page: `<slug>-<geo>` (the two boundary sets share many names)."""
    row = units[(units["geo_version"] == geo) & (units["unit_code"] == code)]
    slug = row["slug"].iloc[0] if len(row) else None
    return f"{slug if isinstance(slug, str) and slug else code}-{geo}"


def service_path(service: str) -> str:
    return f"services/{service}.html"


def province_path(units: pd.DataFrame, geo: str, code: str) -> str:
    return f"provinces/{province_slug(units, geo, code)}.html"


def unit_stub_path(geo: str, code: str) -> str:
    """The redirect page of a province by its GSO code (see the module docstring)."""
    return f"units/{geo}-{code}.html"


def geos_of(data: SiteData) -> list[str]:
    """Boundary sets the release has provincial figures on, newest first."""
    present = set(data.results.loc[data.results["level"] == "province", "geo_version"])
    return [geo for geo in GEO_ORDER if geo in present]


def provinces_of(data: SiteData) -> list[tuple[str, str]]:
    """(geo, code) of every province page: each province of each boundary set the release has
    provincial figures on (a province without figures still gets a page that says so), plus any
    province with figures that the unit table lacks."""
    pairs = set()
    for geo in geos_of(data):
        units = data.units[(data.units["geo_version"] == geo) & (data.units["level"] == "province")]
        pairs |= {(geo, code) for code in units["unit_code"]}
    rows = data.results[data.results["level"] == "province"]
    pairs |= set(zip(rows["geo_version"], rows["unit_code"]))
    return sorted(pairs, key=lambda gc: (GEO_ORDER.index(gc[0]) if gc[0] in GEO_ORDER else 9, gc[1]))


def sorted_provinces(data: SiteData, lang: str) -> list[tuple[str, str, str]]:
    """(geo, code, name) of every province page, by boundary set then name (diacritics folded)."""
    pairs = [(g, c, data.name(g, c, lang)) for g, c in provinces_of(data)]
    return sorted(pairs, key=lambda p: (GEO_ORDER.index(p[0]) if p[0] in GEO_ORDER else 9, fold(p[2])))


def services_of(data: SiteData) -> list[str]:
    """Services with an overall index anywhere in the release, in catalogue order."""
    present = set(data.index_rows["service"])
    return [s for s in SERVICES if s in present]


def latest_years(results: pd.DataFrame, service: str, level: str = "province") -> list[tuple[str, int]]:
    """(geo_version, latest year) of each boundary set with figures of `service` at `level`, newest first."""
    rows = results[(results["service"] == service) & (results["level"] == level) & (results["indicator"] == INDEX)
                   & results["value"].notna()]
    out = []
    for geo in GEO_ORDER:
        years = rows.loc[rows["geo_version"] == geo, "year"]
        if len(years):
            out.append((geo, int(years.max())))
    return out


def with_names(frame: pd.DataFrame, data: SiteData, lang: str) -> pd.DataFrame:
    return frame.assign(name=[data.name(g, c, lang) for g, c in zip(frame["geo_version"], frame["unit_code"])])


def province_count(data: SiteData, geo: str) -> int:
    units = data.units[(data.units["geo_version"] == geo) & (data.units["level"] == "province")]
    return len(units) or int(data.results.loc[(data.results["geo_version"] == geo)
                                              & (data.results["level"] == "province"), "unit_code"].nunique())


def display_names(data: SiteData, geo: str) -> dict[str, str]:
    units = data.units[data.units["geo_version"] == geo]
    return dict(zip(units["unit_code"], units[DISPLAY_NAME]))
