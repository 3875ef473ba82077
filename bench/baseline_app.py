"""Naive baseline (issue 9): the province choropleth as a plain Streamlit page would draw it.

`plotly.express.choropleth_map` (MapLibre, `map_style="white-bg"`, no tiles) straight from the
unsimplified 63-province boundary file in ../shared/boundaries/raw/, coloured by the demo
release's administrative-services index for the chosen year. The file is read once per process
(`st.cache_data`, as Streamlit's docs advise), so the baseline is plain, not deliberately slow:
what it pays for is sending the full-resolution geometry with every figure.
Run: streamlit run bench/baseline_app.py
"""
import json
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import plotly.express as px
import streamlit as st

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "boundaries" / "raw" / "odv-provinces-63" / "diaphantinh_63_fixednames.topojson"
RESULTS = ROOT / "data" / "releases" / "demo" / "results.parquet"
UNITS = ROOT / "geodata" / "units.parquet"


def _key(name: str) -> str:
    """Join key for the file's names and the official ones: no accents, no spaces, no "TP." prefix."""
    bare = "".join(c for c in unicodedata.normalize("NFD", str(name)) if not unicodedata.combining(c))
    bare = bare.lower().replace("đ", "d").replace("tp.", "")
    bare = "".join(c for c in bare if c.isalnum())
    return {"hcm": "hochiminh"}.get(bare.removeprefix("tp"), bare.removeprefix("tp"))


@st.cache_data
def provinces() -> dict:
    frame = gpd.read_file(RAW)
    frame["key"] = frame["ten_tinh"].map(_key)
    return json.loads(frame[["key", "ten_tinh", "geometry"]].to_json())


@st.cache_data
def values() -> pd.DataFrame:
    results = pd.read_parquet(RESULTS)
    results = results[(results["level"] == "province") & (results["geo_version"] == "vn63")
                      & (results["service"] == "admin") & (results["indicator"] == "index")]
    units = pd.read_parquet(UNITS)
    names = units[(units["geo_version"] == "vn63") & (units["level"] == "province")]
    keyed = results.merge(names[["unit_code", "name_vi"]], on="unit_code")
    keyed["key"] = keyed["name_vi"].map(_key)
    keyed["year"] = keyed["year"].astype(int)
    return keyed[["year", "key", "name_vi", "value"]]


st.title("Baseline: province map")
table = values()
year = st.selectbox("Year", sorted(table["year"].unique(), reverse=True))
shown = table[table["year"] == year]
fig = px.choropleth_map(shown, geojson=provinces(), locations="key", featureidkey="properties.key",
                        color="value", hover_name="name_vi", map_style="white-bg", zoom=4.25,
                        center={"lat": 15.7, "lon": 106.5}, height=620,
                        title=f"Administrative services index, {year}")
st.plotly_chart(fig)
