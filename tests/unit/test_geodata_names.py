"""Name normalisation and matching used to join raw province names to GSO codes."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.geo import official_units
from dashboard.geo.names import (
    NameMatchError,
    english_name,
    match_key,
    match_names,
    unique_slugs,
)
from dashboard.text import slugify, strip_diacritics


@pytest.mark.parametrize("raw,code", [
    ("TP HCM", "79"), ("TP Huế", "46"), ("Khánh Hoà", "56"), ("Thanh Hoá", "38"),
    ("Hoà Bình", "17"), ("TP Đà Nẵng", "48"), ("Thành phố Hà Nội", "01"), ("Tỉnh Lào Cai", "10"),
    ("Bà Rịa - Vũng Tàu", "77"), ("Thừa Thiên Huế", "46"), ("TP. Hồ Chí Minh", "79"),
])
def test_raw_spellings_match_official_provinces(raw, code):
    [match] = match_names([raw], official_units.provinces("vn63"))
    assert match.unit_code == code


def test_unmatched_names_fail_loudly():
    with pytest.raises(NameMatchError, match="Atlantis"):
        match_names(["An Giang", "Atlantis"], official_units.provinces("vn63"))


def test_two_names_for_one_province_fail():
    with pytest.raises(NameMatchError, match="both match"):
        match_names(["Khánh Hoà", "Khánh Hòa"], official_units.provinces("vn63"))


def test_tone_mark_placement_is_folded_but_tone_is_not():
    assert match_key("Khánh Hoà") == match_key("Khánh Hòa")
    assert match_key("Hòa") != match_key("Hóa")


def test_ascii_forms():
    assert strip_diacritics("Đà Nẵng") == "Da Nang"
    assert english_name("Bà Rịa - Vũng Tàu") == "Ba Ria - Vung Tau"
    assert slugify("Bà Rịa - Vũng Tàu") == "ba-ria-vung-tau"
    assert slugify("Kỳ Anh (Thị xã)") == "ky-anh-thi-xa"


def test_unique_slugs_qualify_repeated_names():
    slugs = unique_slugs(["Châu Thành", "Châu Thành", "Ba Đình"], ["Tiền Giang", "Bến Tre", "Hà Nội"],
                         ["821", "831", "001"])
    assert slugs == ["chau-thanh-tien-giang", "chau-thanh-ben-tre", "ba-dinh"]


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ -",
               max_size=30))
def test_english_name_is_always_ascii(text):
    assert english_name(text).isascii()
    assert slugify(text) == slugify(slugify(text).replace("-", " "))
