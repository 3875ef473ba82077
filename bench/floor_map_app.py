"""A second floor, for the map's own cost: a bare Streamlit page with a tiny MapLibre map.

The same `px.choropleth_map` (white-bg, no tiles) as the baseline, but with one square instead
of 63 provinces: what starting MapLibre's WebGL costs in this browser (headless Chromium draws
WebGL in software). Informational; the issue's floor is bench/floor_app.py.
Run: streamlit run bench/floor_map_app.py
"""
import plotly.express as px
import streamlit as st

SQUARE = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "properties": {}, "geometry": {
    "type": "Polygon", "coordinates": [[[105, 15], [107, 15], [107, 17], [105, 17], [105, 15]]]}}]}
st.plotly_chart(px.choropleth_map(locations=["a"], color=[1], geojson=SQUARE, map_style="white-bg", zoom=4.25,
                                  center={"lat": 15.7, "lon": 106.5}, height=620))
