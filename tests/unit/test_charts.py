"""Chart builders: honest axes, the places that could be first, captions baked in and wrapped."""
from __future__ import annotations

import pandas as pd
import pytest

from dashboard.figures.charts import Caption, build_dot_plot, value_range


def dots(values, top=None, flags=None):
    n = len(values)
    return pd.DataFrame({"name": [f"U{i}" for i in range(n)], "value": values,
                         "ci_low": [v - 2 for v in values], "ci_high": [v + 2 for v in values],
                         "n": [300] * n, "flag": flags or [None] * n,
                         "top_set": top if top is not None else [None] * n})


def test_axis_is_never_narrower_than_ten_points():
    assert value_range(pd.DataFrame({"value": [83.84, 83.94]})) == pytest.approx([78.89, 88.89])
    low, high = value_range(dots([60.0, 95.0]))
    assert low == 57.0 and high == 98.0  # intervals included, one point to spare
    assert value_range(pd.DataFrame({"value": [99.5]})) == [90.0, 100.0]  # never past 100
    assert value_range(pd.DataFrame({"value": [float("nan")]})) == [0.0, 100.0]


def test_the_places_that_could_be_first_are_shaded():
    # U0..U2 are the three highest categories (plotly puts category i at y = i, lowest first); U4 is
    # lower than U3 but has a wide interval, so it could be first too: its own band.
    data = dots([90, 89, 88, 70, 69, 50], top=[True, True, True, False, True, False])
    fig = build_dot_plot(data, Caption("t"), "en")
    bands = sorted([s for s in fig.layout.shapes if s.type == "rect"], key=lambda b: -b.y1)
    assert [(b.y0, b.y1) for b in bands] == [(3 - 0.45, 5 + 0.45), (1 - 0.45, 1 + 0.45)]
    assert all(b.fillcolor == "#d9d9d9" for b in bands)
    assert not [s for s in build_dot_plot(dots([90, 80]), Caption("t"), "en").layout.shapes if s.type == "rect"]


def test_low_n_units_are_hollow_not_only_coloured():
    fig = build_dot_plot(dots([80, 70], flags=["low_n", None]), Caption("t"), "en")
    colours = list(fig.data[0].marker.color)
    assert colours[list(fig.data[0].y).index("U0")] == "white"


def test_long_titles_wrap_to_the_caption_width():
    long = "Chỉ số chung – Dịch vụ hành chính công: huyện của Lào Cai"
    narrow = build_dot_plot(dots([80]), Caption(long, wrap=48), "vi")
    wide = build_dot_plot(dots([80]), Caption(long, wrap=90), "vi")
    assert "<br>" in narrow.layout.title.text and "<br>" not in wide.layout.title.text.split("</b>")[0]
    assert narrow.layout.margin.t > wide.layout.margin.t
