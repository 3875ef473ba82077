"""The one-sentence answers each page opens with (and each chart's text alternative)."""
from __future__ import annotations

import pandas as pd

from dashboard.content.plain_language import lead_compare, lead_map, lead_profile, lead_services, lead_trend

COLS = ["year", "geo_version", "level", "unit_code", "service", "indicator", "value", "ci_low", "ci_high", "n", "flag"]
NAMES = {"10": "Lào Cai", "01": "Hà Nội", "22": "Quảng Ninh", "VN": "Toàn quốc"}


def name_of(geo, code):
    return NAMES.get(code, code)


def rows(data):
    return pd.DataFrame(data, columns=COLS)


def test_map_sentence_names_highest_lowest_and_coverage():
    values = rows([(2024, "vn63", "province", "10", "health", "index", 87.14, 85, 89, 500, None),
                   (2024, "vn63", "province", "01", "health", "index", 72.5, 70, 75, 500, None),
                   (2024, "vn63", "province", "22", "health", "index", None, None, None, 5, "suppressed")])
    vi = lead_map(values, 63, "health", "index", 2024, "vi", name_of)
    assert vi == ("Năm 2024, chỉ số chung về khám, chữa bệnh cao nhất ở Lào Cai (87,1%) và thấp nhất ở Hà Nội "
                  "(72,5%); 2 trên 63 địa phương có số liệu.")
    en = lead_map(values, 63, "health", "index", 2024, "en", name_of)
    assert "highest in Lào Cai (87.1%)" in en and "2 of 63 places" in en
    assert "No figure" in lead_map(values.iloc[0:0], 63, "health", "index", 2024, "en", name_of)


def test_profile_sentence_gives_the_gap_to_the_country_and_whether_it_is_real():
    of_year = rows([(2024, "vn63", "province", "10", "health", "index", 87.1, 85, 89, 500, None)])
    national = rows([(2024, "vn63", "national", "VN", "health", "index", 84.8, 84, 85.6, 30000, None)])
    gaps = pd.DataFrame({"unit_code": ["10"], "service": ["health"], "indicator": ["index"], "gap": [2.3],
                         "significant": [True]})
    assert lead_profile(of_year, national, "10", "Lào Cai", 2024, "vi", gaps=gaps) == \
        "Năm 2024, Lào Cai: 87,1% hài lòng với khám, chữa bệnh, cao hơn cả nước 2,3 điểm, khác biệt rõ rệt."
    unclear = lead_profile(of_year, national, "10", "Lào Cai", 2024, "en", gaps=gaps.assign(significant=False))
    assert unclear.endswith("2.3 points above the country (not distinguishable from the country: the gap's "
                            "interval holds 0).")
    published = lead_profile(of_year.assign(ci_low=None, ci_high=None), national, "10", "Lào Cai", 2024, "en")
    assert "whether the gap is real cannot be said" in published
    assert "below the country" in lead_profile(of_year.assign(value=80.0), national, "10", "Lào Cai", 2024, "en")


def test_services_sentence_best_and_worst():
    data = rows([(2024, "vn63", "province", "10", "roads", "index", 63.0, None, None, None, None),
                 (2024, "vn63", "province", "10", "electricity", "index", 89.4, None, None, None, None),
                 (2024, "vn63", "national", "VN", "water", "index", 99.0, None, None, None, None)])
    sentence = lead_services(data, "10", "Lào Cai", 2024, "en")
    assert sentence == ("In 2024, people in Lào Cai were most satisfied with domestic electricity (89.4%) "
                        "and least with roads (63.0%).")


def test_trend_sentence_stays_on_the_comparable_side_of_the_method_break():
    series = rows([(2021, "vn63", "national", "VN", "admin", "index", 87.16, None, None, None, None),
                   (2022, "vn63", "national", "VN", "admin", "index", 80.08, None, None, None, None),
                   (2023, "vn63", "national", "VN", "admin", "index", 82.66, None, None, None, None),
                   (2024, "vn63", "national", "VN", "admin", "index", 83.94, None, None, None, None)])
    sentence = lead_trend(series, "VN", "Toàn quốc", "admin", "index", "vi", None, {("admin", 2022)})
    assert sentence == ("Toàn quốc: chỉ số chung về dịch vụ hành chính công từ 80,1% (2022) đến 83,9% (2024). "
                        "So với 2023: +1,28 điểm, không kiểm định được (không có khoảng tin cậy).")
    # never from 87.16 in 2021: another method; and no word like "rose" for an untested change


def test_trend_sentence_carries_the_release_verdict_on_the_last_step():
    series = rows([(2023, "vn63", "province", "10", "health", "index", 80.0, 78, 82, 500, None),
                   (2024, "vn63", "province", "10", "health", "index", 83.0, 81, 85, 500, None)])
    changes = pd.DataFrame({"year": [2024], "geo_version": ["vn63"], "level": ["province"], "unit_code": ["10"],
                            "service": ["health"], "indicator": ["index"], "change": [3.0], "ci_low": [0.2],
                            "ci_high": [5.8], "significant": [True], "p_value": [0.03], "q_value": [0.4]})
    sentence = lead_trend(series, "10", "Lào Cai", "health", "index", "en", changes, set())
    assert sentence.endswith("Against 2023: +3.00 points, passes a single 5% test, not once many places are compared.")


def test_compare_sentence_says_who_could_be_first():
    data = pd.DataFrame({"name": ["Sa Pa", "Bảo Thắng", "Bảo Yên"], "value": [90.7, 89.5, 72.5],
                         "top_set": [True, True, False]})
    sentence = lead_compare(data, "huyện của Lào Cai", "vi")
    assert sentence.startswith("Trong 3 địa phương (huyện của Lào Cai), cao nhất là Sa Pa (90,7%)")
    assert sentence.endswith("2 địa phương đều có thể đứng đầu: dữ liệu không đủ để xếp thứ tự giữa chúng "
                             "(tập tin cậy 95% cho vị trí thứ nhất).")
    alone = lead_compare(data.assign(top_set=[True, False, False]), "districts", "en")
    assert alone.endswith("The data say Sa Pa is first (the joint 95% confidence set for first place holds only it).")


def test_data_page_filters_and_stable_links():
    from dashboard.content.downloads import select_rows, selection_filters, stable_links_markdown
    from dashboard.exports.static_files import StableFile

    filters = selection_filters({"year": "2024", "service": "health", "geo": "vn63", "lang": "en", "units": "01"})
    assert filters == {"year": 2024, "service": "health", "geo_version": "vn63"}
    assert selection_filters({"year": "abc"}) == {}
    data = pd.DataFrame({"year": [2024, 2023], "service": ["health", "health"], "geo_version": ["vn63"] * 2})
    assert len(select_rows(data, filters)) == 1
    pairs = [(StableFile("demo", "results", f), f"app/static/releases/demo/results.{f}") for f in ("csv", "json")]
    pairs.append((StableFile("demo", "datapackage", "json"), "app/static/releases/demo/datapackage.json"))
    table = stable_links_markdown(pairs, "en")
    assert "- **results**: [CSV](app/static/releases/demo/results.csv) · [JSON](app/static/releases/demo/results.json)" in table
    assert "- **datapackage**: [datapackage.json](app/static/releases/demo/datapackage.json)" in table
