"""Is this replica ready for readers? Only once it has opened and validated a release.

Streamlit's own `/_stcore/health` answers as soon as the server runs, before the app has read
anything: a replica restarted on publication day said "healthy" while its first readers waited
for it to load the release. Here:

- `warm_start` (the ASGI lifespan of replica.py) opens and validates the current release
  (`cached.current_release`, the same tracker every page run uses) before the server accepts its
  first connection. While it warms, a connection to it is refused, so nginx tries the other
  replica (proxy_next_upstream) instead of making a reader wait.
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

from dashboard.release_tracker import TrackerState

log = logging.getLogger(__name__)

WARM_START_TIMEOUT_S = 120.0  # past this the server starts anyway (not ready), so liveness holds
PROBE_TIMEOUT_S = 2.0  # a probe answers within this, even while a release is being opened
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
    except asyncio.TimeoutError:  # the first release is being opened: not ready yet
        state = TrackerState(release=None)
    status, body = readiness(state)
    return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


@asynccontextmanager
async def warm_start(app):  # noqa: ARG001 - st.App passes itself
    """Open and validate the current release before the server takes its first connection."""
    # Imported here, once Streamlit's runtime exists (its caches are set up against it).
    from dashboard.ui import cached

    started = time.monotonic()
    try:
        state = await asyncio.wait_for(asyncio.to_thread(cached.current_release), WARM_START_TIMEOUT_S)
    except asyncio.TimeoutError:
        log.warning("no release opened within %.0f s of the start: serving anyway, not ready", WARM_START_TIMEOUT_S)
    else:
        if state.release is None:
            log.warning("no release can be served yet (%s): not ready", state.problem)
        else:
            log.info("release %s (version %s) validated %.1f s after the start: ready", state.release.id,
                     state.release.version, time.monotonic() - started)
    yield None
