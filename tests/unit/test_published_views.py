"""What the pages say about published figures and ranks (views/published.py), in both languages."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.content.published import (
    district_scopes,
    latest_figure,
    one_survey,
    ordinal,
    province_coverage,
    published_items,
    rank_phrase,
    same_survey,
)

KEY = dict(geo_version="vn63", level="province", service="admin", indicator="index")
SURVEYS = {"sipas": {"id": "sipas", "name": "SIPAS", "name_en": "SIPAS"},
           "angiang-2021": {"id": "angiang-2021", "name": "Khảo sát riêng của An Giang", "name_en": "An Giang's own survey",
                            "province_code": "89"}}
SOURCES = {"s1": {"id": "s1", "title": "baohatinh.vn", "path": "https://baohatinh.vn/a"},
           "s2": {"id": "s2", "title": "nghean.vn", "path": "https://nghean.vn/b"}}


def figures(*rows) -> pd.DataFrame:
    return pd.DataFrame([{**KEY, "source_id": "s1", "survey_id": "sipas", **r} for r in rows])


def ranks(*rows) -> pd.DataFrame:
    return pd.DataFrame([{**KEY, "rank_of": 63, "source_id": "s2", "survey_id": "sipas", **r} for r in rows])


@pytest.mark.parametrize("n,text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"),
                                    (13, "13th"), (21, "21st"), (22, "22nd"), (41, "41st"), (63, "63rd")])
def test_english_ordinals(n, text):
    assert ordinal(n, "en") == text and ordinal(n, "vi") == str(n)


def test_a_rank_is_said_as_published():
    assert rank_phrase(41, 63, False, "en") == "ranked 41st of 63 (published rank; no value published)"
    assert rank_phrase(41, 63, False, "vi") == "xếp thứ 41/63 (thứ hạng đã công bố; chưa công bố giá trị)"
    assert rank_phrase(5, 63, True, "en") == "ranked 5th of 63 (published rank)"
    assert rank_phrase(1, None, True, "en") == "ranked 1st in the province's own survey (published rank)"
    assert rank_phrase(None, 63, True, "en") == ""


def test_published_items_join_values_and_ranks_newest_first():
    items = published_items(figures({"year": 2021, "unit_code": "42", "value": 91.17}),
                            ranks({"year": 2021, "unit_code": "42", "rank": 5}, {"year": 2018, "unit_code": "42", "rank": 4}),
                            SOURCES, SURVEYS, "vi")
    assert [(i.year, i.value, i.rank) for i in items] == [
        (2021, "91,17%", "xếp thứ 5/63 (thứ hạng đã công bố)"),
        (2018, "", "xếp thứ 4/63 (thứ hạng đã công bố; chưa công bố giá trị)")]
    assert items[0].source_url == "https://baohatinh.vn/a" and items[1].source_url == "https://nghean.vn/b"
    assert items[0].survey == ""  # SIPAS is not named on every line


def test_latest_figure_up_to_a_year_else_the_latest():
    rows = figures({"year": 2018, "unit_code": "72", "value": 81.24}, {"year": 2019, "unit_code": "72", "value": 83.45})
    assert latest_figure(rows, 2023)["value"] == 83.45
    assert latest_figure(rows, 2018)["value"] == 81.24
    assert latest_figure(rows, 2017)["value"] == 83.45  # nothing before: the latest at all
    assert latest_figure(rows.iloc[0:0], 2020) is None


def test_coverage_keeps_rank_only_provinces_apart():
    cov = province_coverage(figures({"year": 2023, "unit_code": "22", "value": 90.61},
                                    {"year": 2023, "unit_code": "06", "value": 75.03}),
                            ranks({"year": 2023, "unit_code": "22", "rank": 1}, {"year": 2023, "unit_code": "40", "rank": 12}),
                            2023)
    assert cov.with_value["unit_code"].tolist() == ["22", "06"] and cov.with_value["rank"].tolist()[0] == 1
    assert cov.rank_only["unit_code"].tolist() == ["40"] and cov.total == 63


def test_one_survey_per_chart_or_ranking():
    frame = pd.DataFrame({"unit_code": ["VN", "883", "884"], "survey_id": ["sipas", "angiang-2021", "angiang-2021"],
                          "value": [87.16, 100.0, 93.28]})
    kept, said = one_survey(frame, "VN", SURVEYS, "en")
    assert kept["unit_code"].tolist() == ["VN"] and "An Giang's own survey" in said
    kept, said = one_survey(frame, "883", SURVEYS, "en")
    assert kept["unit_code"].tolist() == ["883", "884"] and "SIPAS" in said
    assert one_survey(frame.iloc[1:], "883", SURVEYS, "en")[1] == ""
    assert same_survey(frame, frame.iloc[[1]])["unit_code"].tolist() == ["883", "884"]


def test_districts_of_own_surveys_never_share_a_country_map():
    own = pd.DataFrame({"parent_code": ["89", "89"], "survey_id": ["angiang-2021"] * 2})
    assert district_scopes(own, SURVEYS) == (["89"], False)
    demo = pd.DataFrame({"parent_code": ["10", "01"]})  # a release without surveys (the DEMO)
    assert district_scopes(demo, SURVEYS) == (["01", "10"], True)
