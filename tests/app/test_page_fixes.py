"""Bugs a reader could see, fixed: the services page honours the boundary set in its address, and
sortable tables sort numbers as numbers while showing them in the reader's format."""
from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from tests.app.test_pages import APP, TIMEOUT, assert_ok


def open_page(page: str, params: dict[str, str]) -> AppTest:
    """A page opened straight from its address (not via the overview, which would add a year)."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(f"pages/{page}.py").run()
    assert_ok(at)
    return at


def place_options(at: AppTest) -> list[str]:
    return next(s for s in at.selectbox if s.label == "Place").options


def test_services_page_shows_the_units_of_the_boundary_set_asked_for():
    """Code 15 is Yên Bái on the 63 provinces and Lào Cai on the 34: units are never mixed."""
    vn34 = open_page("services", {"release": "demo", "lang": "en", "geo": "vn34"})
    assert vn34.query_params["year"] in (["2025"], "2025"), "the latest year on the 34 provinces"
    assert len(place_options(vn34)) == 34 and "Yên Bái" not in place_options(vn34)
    vn63 = open_page("services", {"release": "demo", "lang": "en", "geo": "vn63"})
    assert len(place_options(vn63)) == 63 and "Yên Bái" in place_options(vn63)
    assert vn63.query_params["year"] in (["2024"], "2024"), "the latest year on the 63 provinces"


def display_text(at: AppTest, index: int) -> pd.DataFrame:
    """What the reader sees in a dataframe: the Styler's display values."""
    styler = at.dataframe[index].proto.arrow_data.styler
    return pa.ipc.open_stream(styler.display_values).read_pandas()


@pytest.mark.parametrize("page", ["compare", "map"])
def test_a_table_of_figures_sorts_as_numbers_and_reads_in_vietnamese(page):
    at = open_page(page, {"release": "demo", "year": "2024", "level": "province"})
    table = at.dataframe[0].value
    value = t("col.value", "vi")
    assert pd.api.types.is_float_dtype(table[value]), "a header click sorts numbers, not text"
    shown = display_text(at, 0)[value]
    assert shown.str.fullmatch(r"\d{1,3},\d\d").all(), f"Vietnamese writes 85,00: {shown.head(3).tolist()}"
    order = table[value].sort_values(ascending=False).index
    assert list(order) == list(table.index), "listed highest first, by number"
