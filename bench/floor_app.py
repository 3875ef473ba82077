"""The floor (issue 9): a bare Streamlit page with one small Plotly chart.

No Streamlit page can load faster or with fewer bytes than this one, so the product's figures
are compared with it. Run: streamlit run bench/floor_app.py
"""
import plotly.express as px
import streamlit as st

st.plotly_chart(px.bar(x=["a", "b", "c"], y=[3, 1, 2], height=300))
