"""The real release reaches the reader: every figure of the source files on its province's profile
(value in the reader's number format, source link, year), ranks as published, each survey on its
own, and an overview that leads with what is complete. Expected values are read from the source
CSVs and the committed release, never written here."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard import paths
from dashboard.build.published import default_figure_files
from dashboard.content.published import ordinal, province_coverage, rank_phrase
from dashboard.content.units import name_lookup, unit_name
from dashboard.geo.units_table import units_or_empty as read_units
from dashboard.i18n import fmt_pct, service_name, t
from dashboard.release.read import load_results, load_table, open_release
from tests.app.test_pages import assert_ok, run, texts

RELEASE = open_release(paths.RELEASES_DIR / "sipas-published")
RESULTS = load_results(RELEASE)
RANKS = load_table(RELEASE, "published_ranks")
NAMES = name_lookup(read_units())


def source_rows() -> pd.DataFrame:
    frames = [pd.read_csv(f, dtype=str, keep_default_na=False) for f in default_figure_files()]
    rows = pd.concat(frames, ignore_index=True)
    return rows[rows["status"].fillna("") != "superseded"]


SOURCES = source_rows()
PROVINCE_FIGURES = SOURCES[(SOURCES["level"] == "province") & (SOURCES["value"] != "")]
RANK_ONLY = SOURCES[(SOURCES["level"] == "province") & (SOURCES["value"] == "")]


def link_of(url: str) -> str:
    """The address as a markdown link carries it (parentheses percent-encoded: the same URL)."""
    return url.replace("(", "%28").replace(")", "%29")


def lines_of(at) -> list[str]:
    return [line for m in at.markdown for line in m.value.replace("\\", "").splitlines()]


def profile(unit: str, year: str, lang: str, level: str = "province"):
    at = run({"unit": unit, "geo": "vn63", "level": level, "year": year, "lang": lang}, page="profile")
    assert_ok(at)
    return at


# --- 6. every figure of the source files reaches its province's profile -----------------------

PAGES = sorted({(r.unit_code, r.year) for r in PROVINCE_FIGURES.itertuples()})


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("unit,year", PAGES, ids=[f"{u}-{y}" for u, y in PAGES])
def test_every_province_figure_is_on_its_profile_with_source_and_year(unit, year, lang):
    assert len(PROVINCE_FIGURES) >= 45  # the committed sources (a test over nothing would pass)
    at = profile(unit, year, lang)
    lines = lines_of(at)
    for row in PROVINCE_FIGURES[(PROVINCE_FIGURES["unit_code"] == unit) & (PROVINCE_FIGURES["year"] == year)].itertuples():
        value = fmt_pct(float(row.value), lang)  # 83,57% / 83.57%
        said = [line for line in lines if f"**{value}**" in line and line.startswith(f"- **{year}**")]
        assert said, (value, year, lines)
        assert any(link_of(row.source_url) in line for line in said), (row.source_url, said)
        if row.rank:
            assert any(rank_phrase(int(row.rank), 63, True, lang) in line for line in said), said


# --- 2. published ranks as published ---------------------------------------------------------

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_province_with_only_ranks_shows_them_as_published(lang):
    only = RANK_ONLY[~RANK_ONLY["unit_code"].isin(set(RESULTS["unit_code"]))]
    assert len(only), "the sources have provinces with a rank and no value (Nghệ An, Sơn La)"
    for unit, rows in only.groupby("unit_code"):
        at = profile(unit, rows["year"].iloc[0], lang)
        lines = lines_of(at)
        assert not at.dataframe and not at.get("plotly_chart"), "no figure table or chart: nothing to draw"
        for row in rows.itertuples():
            phrase = rank_phrase(int(row.rank), 63, False, lang)
            assert any(line.startswith(f"- **{row.year}**") and phrase in line and link_of(row.source_url) in line
                       for line in lines), (phrase, lines)
    wording = {"vi": "xếp thứ 41/63 (thứ hạng đã công bố; chưa công bố giá trị)",
               "en": "ranked 41st of 63 (published rank; no value published)"}[lang]
    assert rank_phrase(41, 63, False, lang) == wording


def test_a_province_with_nothing_published_says_so():
    nothing = sorted(set(read_units().query("geo_version == 'vn63' and level == 'province'")["unit_code"])
                     - set(RESULTS["unit_code"]) - set(RANKS["unit_code"]))
    at = profile(nothing[0], "2023", "en")
    name = unit_name(NAMES, "vn63", nothing[0], "en")
    assert t("pf.exists_none", "en", unit=name) in texts(at)


def test_a_year_without_a_figure_shows_the_latest_published_one():
    province = RESULTS[RESULTS["level"] == "province"]
    last = province.groupby("unit_code")["year"].max()
    unit = last.idxmin()  # the province whose figures stop earliest (Tây Ninh, 2019)
    latest = province[(province["unit_code"] == unit) & (province["year"] == last[unit]) & (province["service"] == "admin")]
    at = profile(unit, "2024", "vi")
    info = " ".join(i.value for i in at.info)
    assert fmt_pct(latest["value"].iloc[0], "vi") in info and str(last[unit]) in info and "2024" in info, info
    assert at.query_params["year"] == "2024", "the reader's year is kept for the other pages"


def test_the_map_table_says_published_ranks_and_never_colours_them():
    year = int(RANK_ONLY["year"].max())
    ranked_only = set(RANK_ONLY[RANK_ONLY["year"] == str(year)]["unit_code"])
    at = run({"year": str(year), "service": "admin", "indicator": "index", "level": "province"}, page="map")
    assert_ok(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    grey = [tr for tr in spec["data"] if tr.get("name") == t("not_published", "vi")]
    assert grey and ranked_only <= set(grey[0]["locations"]), "a rank-only province is 'not published' on the map"
    coloured = {c for tr in spec["data"] if tr.get("name") != t("not_published", "vi") for c in tr.get("locations") or [] if c}
    assert not ranked_only & coloured
    assert "chưa công bố" in grey[0]["text"][0]
    table = at.dataframe[0].value
    column = t("col.rank_published", "vi")
    for unit in ranked_only:
        row = RANKS[(RANKS["unit_code"] == unit) & (RANKS["year"] == year)].iloc[0]
        assert rank_phrase(row["rank"], row["rank_of"], False, "vi") in set(table[column])


# --- 3. each survey is its own source ----------------------------------------------------------

def test_compare_shows_a_provinces_own_survey_alone_and_says_why():
    districts = RESULTS[RESULTS["level"] == "district"]
    survey_id = "angiang-2021"
    own = districts[districts["survey_id"] == survey_id]
    survey = {s["id"]: s for s in RELEASE.descriptor["surveys"]}[survey_id]
    year, province = int(own["year"].iloc[0]), survey["province_code"]
    at = run({"level": "district", "province": province, "year": str(year), "lang": "en"}, page="compare")
    assert_ok(at)
    info = " ".join(i.value for i in at.info)
    assert survey["name_en"] in info and "cannot be compared or ranked" in info, info
    table = at.dataframe[0].value
    names = {unit_name(NAMES, "vn63", c, "en") for c in own["unit_code"]}
    assert set(table[t("col.unit", "en")]) == names, "only that survey's districts"
    assert t("cmp.rank", "en") not in table.columns, "no product rank ranges for published figures"
    assert any(survey["name_en"] in c.value.replace("\\", "") for c in at.caption), "the survey is named with its source"


def test_trends_never_draw_a_provinces_own_survey_beside_sipas():
    district = RESULTS[(RESULTS["level"] == "district") & (RESULTS["survey_id"] == "laocai-2023")]["unit_code"].iloc[0]
    at = run({"level": "district", "units": f"VN,{district}", "lang": "en"}, page="trends")
    assert_ok(at)
    assert any("are not ranked together" in c.value for c in at.caption)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = " ".join(str(tr.get("name", "")) for tr in spec["data"])
    assert unit_name(NAMES, "vn63", district, "en") not in drawn


# --- 4. the overview leads with what is complete -----------------------------------------------

@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_leads_with_the_national_series_then_the_provinces_of_the_year(lang):
    year = 2023
    at = run({"year": str(year), "lang": lang})
    assert_ok(at)
    heads = [h.value for h in at.subheader]
    assert heads[0] == t("ov.complete", lang), heads
    cov = province_coverage(RESULTS, RANKS, year)
    coverage = t("ov.coverage", lang, n=len(cov.with_value), total=63, year=year)
    assert coverage in heads and heads.index(coverage) < heads.index(t("ov.summary", lang))
    assert len(cov.with_value) >= 20
    links = {p.label: p for p in at.get("page_link")}
    for row in cov.with_value.itertuples():
        label = next((k for k in links if k.startswith(unit_name(NAMES, "vn63", row.unit_code, lang) + ":")), None)
        assert label and fmt_pct(row.value, lang) in label, (row.unit_code, list(links))
        assert f"unit={row.unit_code}" in links[label].proto.query_string  # a link to its profile
    for row in cov.rank_only.itertuples():
        name = unit_name(NAMES, "vn63", row.unit_code, lang)
        wanted = t("ov.line_rank_only", lang, unit=name, rank=ordinal(int(row.rank), lang), of=int(row.rank_of))
        assert wanted in links, (wanted, list(links))
    assert any("2022" in c.value for c in at.caption), "the 2022 break is said with the series"


def test_overview_real_release_says_what_is_missing():
    at = run({"year": "2023"})
    body = texts(at)
    assert t("missing.services", "vi") in body
    districts = RESULTS[RESULTS["level"] == "district"]
    for province in districts["parent_code"].unique():
        assert unit_name(NAMES, "vn63", province, "vi") in body
    provinces = RESULTS[(RESULTS["year"] == 2023) & (RESULTS["level"] == "province") & (RESULTS["service"] == "admin")
                        & (RESULTS["indicator"] == "index")]
    low, high = provinces.loc[provinces["value"].idxmin()], provinces.loc[provinces["value"].idxmax()]
    assert t("sum.range_published", "vi", service=service_name("admin", "vi").lower(), n=len(provinces),
             low=fmt_pct(low["value"], "vi"), low_unit=unit_name(NAMES, "vn63", low["unit_code"], "vi"),
             high=fmt_pct(high["value"], "vi"), high_unit=unit_name(NAMES, "vn63", high["unit_code"], "vi")) in body


def test_services_never_set_a_provinces_own_survey_beside_sipas():
    own = RESULTS[(RESULTS["level"] == "district") & (RESULTS["survey_id"] == "angiang-2021")].iloc[0]
    assert ((RESULTS["unit_code"] == "VN") & (RESULTS["year"] == own["year"])).any(), "a SIPAS figure of that year exists"
    at = run({"year": str(own["year"]), "level": "district", "unit": own["unit_code"], "lang": "en"}, page="services")
    assert_ok(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = {str(tr.get("name")) for tr in spec["data"]}
    assert unit_name(NAMES, "vn63", own["unit_code"], "en") in drawn and "Vietnam" not in drawn, drawn
