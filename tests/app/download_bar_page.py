"""A test-only page that draws the download bar (AppTest and browser tests of the bar).

Query parameters: lang (vi/en), empty=1 (a view with no rows), as_embed=true (the context says the
app is embedded: Streamlit keeps `embed` itself out of st.query_params), table=1 (no figure).
"""
import pandas as pd
import streamlit as st

from dashboard import paths
from dashboard.figures.charts import Caption, build_dot_plot
from dashboard.release.read import open_release
from dashboard.ui.components import Context
from dashboard.ui.download_bar import render_download_bar

release = open_release(paths.RELEASES_DIR / "demo")
lang = "en" if st.query_params.get("lang") == "en" else "vi"
ctx = Context(lang=lang, release=release, source=str(release.folder), embed=st.query_params.get("as_embed") == "true")
data = pd.DataFrame({"year": [2024, 2024], "geo_version": ["vn63", "vn63"], "level": ["province", "province"],
                     "unit_code": ["10", "66"], "name": ["Lào Cai", "Đắk Lắk"], "service": ["admin", "admin"],
                     "indicator": ["index", "index"], "value": [84.1, 79.5], "ci_low": [80.2, 75.0],
                     "ci_high": [88.0, 84.0], "n": [520, 45], "flag": [None, "low_n"], "source_id": ["demo-generator"] * 2})
if st.query_params.get("empty") == "1":
    data = data.iloc[0:0]
fig = None if st.query_params.get("table") == "1" else build_dot_plot(
    data if len(data) else data.head(0), Caption("Lào Cai và Đắk Lắk, 2024", "", "Nguồn: DEMO"), lang)
st.plotly_chart(fig) if fig is not None else st.dataframe(data)
render_download_bar(fig, data, ctx, "Lào Cai và Đắk Lắk 2024", {"year": 2024, "service": "admin"}, page="compare")
