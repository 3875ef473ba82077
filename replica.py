"""What a replica serves: the dashboard's pages (app.py), plus a warm start and a readiness check.

`python -m dashboard.launch` (hence `make run`, `make serve`, the Docker image) runs
`streamlit run replica.py`; Streamlit finds the `st.App` below and serves app.py's pages as
`streamlit run app.py` would, with two additions (dashboard/ui/readiness.py):
- a warm start: the current release is opened and validated before the first connection is
  accepted;
- GET /readyz: 200 once a validated release is served, 503 before (the readiness probe).
"""
import streamlit as st
from starlette.routing import Route

from dashboard.ui.readiness import READY_PATH, ready, warm_start

app = st.App("app.py", routes=[Route(READY_PATH, ready, methods=["GET", "HEAD"])], lifespan=warm_start)
