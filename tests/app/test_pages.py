"""Every page under AppTest: defaults, query parameters, one interaction, hostile parameters.

The frame (title, switches, DEMO notice, footer) is asserted on the default page: AppTest only
keeps the page's own elements after `switch_page`.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGES = ["overview", "map", "services", "trends", "compare", "profile", "data", "methodology"]
TIMEOUT = 90


def run(params: dict[str, str] | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page and page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [i.value for i in at.info]
    parts += [h.value for h in at.subheader] + [h.value for h in at.header] + [w.value for w in at.warning]
    return "\n".join(parts).replace("\\", "")  # markdown escapes of data (md_escape) are not text


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


@pytest.mark.parametrize("page", PAGES)
def test_page_defaults_real_release(page):
    at = run(page=page)
    assert_ok(at)
    assert len(at.main.children) > 0


@pytest.mark.parametrize("page", PAGES)
def test_page_demo_release_english(page):
    at = run({"release": "demo", "lang": "en", "year": "2024"}, page=page)
    assert_ok(at)


def test_frame_real_release_has_title_sources_and_no_demo_notice():
    at = run()
    assert_ok(at)
    body = texts(at)
    assert "Sự hài lòng của người dân với dịch vụ công" in body
    assert "DEMO – DỮ LIỆU MÔ PHỎNG" not in body
    assert "Open Development Vietnam" in body  # boundary attribution in the footer
    # The headline is the latest national figure, in the Vietnamese number format, with its source.
    from dashboard import paths
    from dashboard.i18n import fmt_pct
    from dashboard.release.read import load_results, open_release

    release = open_release(paths.RELEASES_DIR / "sipas-published")
    national = load_results(release, unit_code="VN", service="admin", indicator="index")
    latest = national[national["year"] == national["year"].max()].iloc[0]
    assert [m.value for m in at.metric][0] == fmt_pct(latest["value"], "vi")  # e.g. 83,94%
    assert release.sources[latest["source_id"]]["title"] in body


def test_frame_demo_release_shows_demo_notice_in_english():
    at = run({"release": "demo", "lang": "en"})
    assert_ok(at)
    assert any("DEMO – SIMULATED DATA" in w.value for w in at.warning)
    assert "Public satisfaction with public services" in texts(at)
    assert "." in at.metric[0].value and "," not in at.metric[0].value


@pytest.mark.parametrize("params", [
    {"lang": "xx"},
    {"year": "1999"},
    {"year": "<script>alert(1)</script>"},
    {"service": "x" * 10_000},
    {"release": "nope"},
    {"units": "VN,<b>,01"},
])
def test_bad_params_fall_back_with_a_note(params):
    at = run(params)
    assert_ok(at)
    assert at.info, "a friendly note explains the ignored parameter"
    assert at.metric, "the page still shows its default content"


@pytest.mark.parametrize("page", ["map", "trends", "compare", "profile", "services"])
def test_bad_params_on_each_page(page):
    at = run({"year": "2090", "service": "nope", "level": "galaxy", "unit": "<x>", "province": "00",
              "geo": "vn99"}, page=page)
    assert_ok(at)
    # The notes are drawn by the frame, which AppTest does not keep after switch_page.
    assert at.session_state["_state_notes"], "the fallbacks are explained to the reader"


def test_map_year_change_updates_url():
    at = run({"release": "demo"}, page="map")
    assert_ok(at)
    at.selectbox(key="_w_year").select(2022).run()
    assert_ok(at)
    assert at.query_params["year"] == "2022"


def test_map_district_level_of_a_province():
    at = run({"release": "demo", "level": "district", "province": "10", "year": "2023"}, page="map")
    assert_ok(at)
    assert at.query_params["province"] == "10"
    assert at.dataframe, "the table of the map's figures"


def test_services_unit_change():
    at = run({"release": "demo", "year": "2024"}, page="services")
    assert_ok(at)
    at.selectbox(key="_w_unit").select("01").run()
    assert_ok(at)
    assert at.query_params["unit"] == "01"


def test_trends_service_change_drops_indicator():
    at = run({"release": "demo", "service": "admin", "indicator": "access"}, page="trends")
    assert_ok(at)
    at.selectbox(key="_w_service").select("health").run()
    assert_ok(at)
    assert at.query_params["service"] == "health"
    assert at.query_params.get("indicator") == "index"


def test_compare_districts_of_lao_cai():
    at = run({"release": "demo", "level": "district", "province": "10", "year": "2024"}, page="compare")
    assert_ok(at)
    assert at.dataframe


def test_profile_search_without_diacritics_finds_lao_cai():
    at = run(page="profile")
    at.text_input(key="profile_search").input("lao cai").run()
    assert_ok(at)
    labels = [p.label for p in at.get("page_link")]
    assert any("Lào Cai" in label for label in labels), labels


def test_profile_of_sa_pa_real_release():
    at = run({"unit": "088", "geo": "vn63", "level": "district"}, page="profile")
    assert_ok(at)
    assert any("Sa Pa" in h.value for h in at.header)


def test_data_page_offers_every_format():
    at = run({"release": "demo", "year": "2024", "service": "health"}, page="data")
    assert_ok(at)
    labels = {b.label for b in at.get("download_button")}
    assert {"CSV", "XLSX", "PARQUET", "datapackage.json"} <= labels


def test_methodology_names_the_sampling_design():
    at = run({"lang": "en"}, page="methodology")
    assert_ok(at)
    body = texts(at)
    assert "2 communes" in body and "18" in body and "door to door" in body


@pytest.mark.parametrize("page", ["map", "trends", "compare", "services"])
def test_embed_shows_the_chart_its_source_and_a_link_back_only(page, monkeypatch):
    # Streamlit reads ?embed=true in the browser and tells the app through st.context, which
    # AppTest has no browser to fill: stand in for it (the browser tier checks the real thing).
    monkeypatch.setattr("dashboard.ui.state.embedded", lambda: True)
    at = run({"release": "demo", "year": "2024", "lang": "en"}, page=page)
    assert_ok(at)
    assert not at.selectbox and not at.multiselect, "no pickers in an embed"
    assert not at.dataframe and not at.get("download_button"), "no tables or download bar in an embed"
    assert at.get("plotly_chart"), "the chart itself"
    body = texts(at)
    assert "DEMO" in body
    assert any("embed" not in m.value and f"/{page}?" in m.value for m in at.markdown), "a link back to the full view"


def test_every_chart_page_has_a_download_bar():
    at = run({"release": "demo", "year": "2024"}, page="map")
    assert_ok(at)
    labels = {b.label for b in at.get("download_button")}
    assert len(labels) >= 5, labels  # PNG, SVG, CSV, XLSX, story pack
    assert any("/map?" in c.value for c in at.code), "the permalink of the view"


@pytest.mark.parametrize("page", PAGES)
def test_light_version_sends_no_interactive_chart(page):
    at = run({"release": "demo", "year": "2024", "lite": "true", "lang": "en"}, page=page)
    assert_ok(at)
    assert not at.get("plotly_chart"), "the light version draws no plotly chart or map"
    assert not at.dataframe, "plain HTML tables only"
    if page in ("map", "services", "trends", "compare", "profile"):
        assert at.table, "the figures behind the chart, as a table"


def test_light_version_is_offered_and_can_be_left():
    # The light edition's page when the release has one (tests/app/test_light_links.py), else the
    # app's own light variant (a fresh clone before `make run` built the editions).
    at = run({"lang": "en"})
    links = [p for p in at.get("page_link") if "light version" in p.label.lower()]
    edition = [m for m in at.markdown if m.value.startswith(":material/speed:") and "light version" in m.value.lower()]
    assert edition or (links and links[0].proto.query_string.endswith("lite=true")), "a link to the light version"
    at = run({"lang": "en", "lite": "true"})
    back = [p for p in at.get("page_link") if "full version" in p.label.lower()]
    assert back and "lite" not in back[0].proto.query_string


def test_district_map_says_which_borders_are_sketched():
    at = run({"release": "demo", "level": "district", "province": "01", "year": "2024", "lang": "en"}, page="map")
    assert_ok(at)
    assert any("sketched" in c.value and "Bắc Từ Liêm" in c.value for c in at.caption)
