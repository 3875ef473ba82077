"""units.parquet and crosswalk_vn63_vn34.parquet."""
from __future__ import annotations

import unicodedata

import pandas as pd
import pytest

from dashboard import paths
from dashboard.geo import official_units
from dashboard.geo.attribution import BOUNDARY_ATTRIBUTION


@pytest.fixture(scope="module")
def units() -> pd.DataFrame:
    return pd.read_parquet(paths.GEODATA_DIR / "units.parquet")


@pytest.fixture(scope="module")
def crosswalk() -> pd.DataFrame:
    return pd.read_parquet(paths.GEODATA_DIR / "crosswalk_vn63_vn34.parquet")


def test_units_hold_every_level_and_version(units):
    counts = units.groupby(["geo_version", "level"]).size().to_dict()
    assert counts == {("vn34", "national"): 1, ("vn34", "province"): 34,
                      ("vn63", "national"): 1, ("vn63", "province"): 63,
                      ("vn63", "district"): 696}
    national = units[units["level"] == "national"]
    assert set(national["unit_code"]) == {"VN"}
    assert set(national["name_vi"]) == {"Toàn quốc"} and set(national["name_en"]) == {"Vietnam"}


def test_units_columns_and_text_form(units):
    for col in ("geo_version", "level", "unit_code", "name_vi", "name_en", "slug", "parent_code",
                "lat", "lon", "aliases"):
        assert col in units
    assert all(unicodedata.is_normalized("NFC", v) for v in units["name_vi"])
    assert all(v.isascii() for v in units["name_en"])
    assert not units.duplicated(["geo_version", "level", "slug"]).any()
    assert units[["lat", "lon"]].notna().all().all()
    assert units["lat"].between(6, 24).all() and units["lon"].between(102, 118).all()


def aliases_of(units, version, level, code) -> list[str]:
    row = units[(units.geo_version == version) & (units.level == level) & (units.unit_code == code)]
    return row["aliases"].iloc[0].split("|")


@pytest.mark.parametrize("code,alias", [
    ("01", "thành phố hà nội"), ("01", "ha noi"), ("10", "tinh lao cai"), ("79", "tp hcm"),
    ("79", "sai gon"), ("79", "hcm"), ("46", "hue"), ("46", "thua thien hue"),
    ("56", "khánh hoà"), ("56", "khanh hoa"),
])
def test_province_search_aliases(units, code, alias):
    assert alias in aliases_of(units, "vn63", "province", code)


def test_district_aliases_keep_old_names(units):
    assert "quận 2" in aliases_of(units, "vn63", "district", "769")
    assert "tinh gia" in aliases_of(units, "vn63", "district", "407")
    assert "tu liem" in aliases_of(units, "vn63", "district", "019")


def test_crosswalk_covers_all_provinces_and_districts(crosswalk):
    provinces = crosswalk[crosswalk["level"] == "province"]
    districts = crosswalk[crosswalk["level"] == "district"]
    assert sorted(provinces["vn63_code"]) == official_units.provinces("vn63")["unit_code"].tolist()
    assert sorted(districts["vn63_code"]) == official_units.districts_vn63()["unit_code"].tolist()
    assert set(crosswalk["vn34_code"]) == set(official_units.provinces("vn34")["unit_code"])
    assert (provinces["vn63_parent_code"] == "VN").all()


def test_each_district_follows_its_province(crosswalk):
    provinces = crosswalk[crosswalk["level"] == "province"].set_index("vn63_code")["vn34_code"]
    districts = crosswalk[crosswalk["level"] == "district"]
    assert (districts["vn34_code"] == districts["vn63_parent_code"].map(provinces)).all()
    # Spot checks against Resolution 202/2025/QH15.
    assert provinces["49"] == "48" and provinces["58"] == "56" and provinces["74"] == "79"


def test_readme_carries_the_attribution_and_licence():
    readme = (paths.GEODATA_DIR / "README.md").read_text(encoding="utf-8")
    assert BOUNDARY_ATTRIBUTION in readme
    assert "CC BY-SA 4.0" in readme
