"""Streamlit: the only package besides pages/ and app.py that imports it."""
