"""Which page of the light edition matches a view of the app, and where it is served (pure).

The app's "light version" links send a reader to the light edition's page for what they are
looking at, in their language: the overview to the index, a map, services, trends or compare page
to its service's page, a profile (or a page about one place) to that province's page; anything
else, or a page the edition does not have, to the index.

Where the editions are served (see `dashboard.publishing.editions`):

- behind a web server that serves them (`make serve`: nginx, `DASHBOARD_LIGHT_URL=/light/`): the
  current release's edition at `/light/`, every release's at `/releases/<id>/light/`;
- Streamlit alone (`make run`): `app/static/light/<id>/`, a relative address like the app's map
  files (Streamlit's static folder; `dashboard.publishing.editions.mirror_edition` puts the files there).
"""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from dashboard import paths
from dashboard.i18n import LANGS
from dashboard.release.contract import SERVICES

SERVICE_SLUGS = ("map", "services", "trends", "compare")
PLACE_SLUGS = ("profile", "services", "compare", "trends")
DEFAULT_SERVICE = "admin"  # what the app's pickers show when the address names no service
STATIC_PREFIX = paths.STATIC_URL + "light/"


def _province_of(units: pd.DataFrame | None, geo: str, code: str) -> str | None:
    """A province code: the unit itself (2 digits) or a district's province (from the unit table)."""
    if len(code) == 2 and code.isdigit():
        return code
    if units is None or units.empty:
        return None
    row = units[(units["geo_version"] == geo) & (units["unit_code"] == code)]
    parent = row["parent_code"].iloc[0] if len(row) else None
    return parent if isinstance(parent, str) and len(parent) == 2 else None


def province_page(units: pd.DataFrame | None, geo: str, code: str) -> str:
    """`provinces/<slug>-<geo>.html` of a province (as `static_site.content.province_path`)."""
    slug = None
    if units is not None and len(units):
        row = units[(units["geo_version"] == geo) & (units["unit_code"] == code)]
        slug = row["slug"].iloc[0] if len(row) else None
    return f"provinces/{slug if isinstance(slug, str) and slug else code}-{geo}.html"


def light_page(slug: str, params: dict[str, str], units: pd.DataFrame | None = None,
               exists: Callable[[str], bool] = lambda path: True) -> str:
    """The edition's page (path from the edition's root, e.g. `en/services/health.html`) for the
    app's page `slug` ('' is the overview) with its query `params`; `exists` tells which pages the
    edition has (the first candidate it has wins; the index always does)."""
    lang = params.get("lang") if params.get("lang") in LANGS else "vi"
    candidates = []
    unit = params.get("unit") or ""
    if slug in PLACE_SLUGS and unit and unit != "VN":
        geo = params.get("geo") if params.get("geo") in ("vn63", "vn34") else "vn63"
        province = _province_of(units, geo, unit)
        if province:
            candidates.append(province_page(units, geo, province))
    if slug == "compare" and params.get("province"):
        geo = params.get("geo") if params.get("geo") in ("vn63", "vn34") else "vn63"
        candidates.append(province_page(units, geo, params["province"]))
    if slug in SERVICE_SLUGS:
        service = params.get("service") if params.get("service") in SERVICES else DEFAULT_SERVICE
        candidates.append(f"services/{service}.html")
    if slug in ("data", "methodology"):
        candidates.append(f"{slug}.html")
    for page in candidates:
        if exists(f"{lang}/{page}"):
            return f"{lang}/{page}"
    return f"{lang}/index.html"


def light_base(release_id: str, current: bool, proxy_url: str | None) -> str:
    """Where a release's edition is served (see the module docstring)."""
    if proxy_url:
        return proxy_url if current else f"/releases/{release_id}/light/"
    return f"{STATIC_PREFIX}{release_id}/"
