"""The public satisfaction dashboard: page registry and the frame every page shares."""
from __future__ import annotations

import streamlit as st

from dashboard.ui import frame, state

st.set_page_config(page_title="SIPAS · Sự hài lòng với dịch vụ công", page_icon="📊", layout="wide")

lang = state.lang()
pages = frame.make_pages(lang)
current = st.navigation(list(pages.values()), position="hidden")
frame.register(pages)
ctx = frame.start()
if ctx is not None:
    current.run()
frame.finish(ctx)
