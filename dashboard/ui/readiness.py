"""Is this replica ready for readers? Only once it has opened and validated a release.

Streamlit's own `/_stcore/health` answers as soon as the server runs, before the app has read
anything: a replica restarted on publication day said "healthy" while its first readers waited
for it to load the release. Here:

- `warm_release` opens and validates the current release (`cached.current_release`, the same
  tracker every page run uses). `python -m dashboard.launch` calls it before Streamlit starts to
  listen: while a replica warms up, a connection to it is refused, so nginx tries the other
  replica (proxy_next_upstream) at once instead of leaving a reader waiting. (Streamlit binds its
  port before the ASGI start-up below runs, so warming only there left connections hanging.)
- `warm_start` (the ASGI lifespan of replica.py) does the same for a replica started some other
  way (`streamlit run replica.py`); after the launcher it finds the release already open.
- `ready` (GET /readyz) answers 200 with the release it serves once the tracker has a validated
  release (the current one, or the last good one when the current one is broken), and 503
  otherwise. It never waits for a check another thread is doing. nginx's /healthz, the compose
  healthcheck, the Docker HEALTHCHECK and the Kubernetes readiness and startup probes use it;
  `/_stcore/health` stays the liveness check (the process answers).
"""
from __future__ import annotations

import asyncio
import logging
import time
from contextlib import asynccontextmanager

from dashboard.store.tracker import TrackerState

log = logging.getLogger(__name__)

WARM_START_TIMEOUT_S = 120.0  # past this the server starts anyway (not ready), so liveness holds
PROBE_TIMEOUT_S = 2.0  # a probe answers within this, even while a release is being opened
WARM_PAGES_TIMEOUT_S = 30.0
READY_PATH = "/readyz"


def readiness(state: TrackerState) -> tuple[int, dict]:
    """(HTTP status, JSON body) of the readiness check for a tracker state.

    The body names the release (public anyway) but never the problem's text, which may hold
    paths of the server: the problem is in the replica's log."""
    if state.release is None:
        return 503, {"ready": False, "release": None, "version": None, "stale": state.stale}
    return 200, {"ready": True, "release": state.release.id, "version": state.release.version,
                 "stale": state.stale}


async def ready(request):  # noqa: ARG001 - Starlette's endpoint signature
    """GET /readyz: 200 once this replica serves a validated release, 503 until then."""
    from starlette.responses import JSONResponse

    from dashboard.ui import cached

    try:
        state = await asyncio.wait_for(asyncio.to_thread(cached.current_release, False), PROBE_TIMEOUT_S)
    except TimeoutError:  # the first release is being opened: not ready yet
        state = TrackerState(release=None)
    status, body = readiness(state)
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def warm_release() -> TrackerState:
    """Open and validate the current release now; returns the tracker's state (logged)."""
    # Before Streamlit's runtime exists (the launcher), importing the cached readers makes each
    # st.cache_data decorator log "No runtime found": harmless, their caches are made at the
    # first call, inside the runtime.
    import streamlit.runtime.caching.cache_data_api  # noqa: F401 - its logger is configured on import

    quiet = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = quiet.level
    quiet.setLevel(logging.ERROR)
    try:
        from dashboard.ui import cached
    finally:
        quiet.setLevel(level)
    started = time.monotonic()
    state = cached.current_release()
    if state.release is None:
        log.warning("no release can be served yet (%s): not ready", state.problem)
    else:
        log.info("release %s (version %s) validated in %.1f s: ready", state.release.id, state.release.version,
                 time.monotonic() - started)
    return state


async def warm_pages() -> None:
    """Run the app once (its default page, the overview: the release's tables, the map's geometry,
    Plotly's figure machinery), so the first readers of a fresh replica are not the ones who pay
    for loading them (1.5 s on a busy 2-core machine, against 0.1 s for the next run). Streamlit's
    own script health check runs the app the same way."""
    from streamlit import runtime

    started = time.monotonic()
    try:
        ok, message = await asyncio.wait_for(runtime.get_instance().does_script_run_without_error(),
                                             WARM_PAGES_TIMEOUT_S)
    except TimeoutError:
        ok, message = False, "timeout"
    if ok:
        log.info("default page run once in %.1f s", time.monotonic() - started)
    else:
        log.warning("warming the default page failed (%s); the first reader will run it", message)


@asynccontextmanager
async def warm_start(app):  # noqa: ARG001 - st.App passes itself
    """Before the app serves its first page: open and validate the current release (already open
    when started by the launcher), then run the default page once."""
    try:
        state = await asyncio.wait_for(asyncio.to_thread(warm_release), WARM_START_TIMEOUT_S)
    except TimeoutError:
        log.warning("no release opened within %.0f s of the start: serving anyway, not ready", WARM_START_TIMEOUT_S)
    else:
        if state.release is not None:
            await warm_pages()
    yield None
