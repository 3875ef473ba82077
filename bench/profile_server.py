"""Where the server spends its time on reruns: py-spy samples a running Streamlit process.

While the websocket client reruns the map page (and the other pages) over and over, `py-spy
record --format raw` samples every thread of the server. The collapsed stacks are summed into
the functions of the app's own code (dashboard/, pages/, app.py) and of libraries, by inclusive
share of the busy samples (a function counts once per stack it appears in).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.server_side import DEMO_QUERY, PAGES
from bench.streamlit_client import StreamlitSession, run_async

_FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^:()]+)(?::\d+)?\)$")
OWN_CODE = ("/dashboard/", "/pages/", "/app.py")


def py_spy() -> str | None:
    """The py-spy binary (pip install py-spy), next to this Python or on PATH."""
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.is_file() else shutil.which("py-spy")


def frame_name(frame: str) -> tuple[str, str]:
    """('dashboard/figures/maps/__init__.py', 'build_choropleth') from a py-spy frame."""
    match = _FRAME.match(frame.strip())
    if not match:
        return "", frame.strip()
    path = match["file"]
    for marker in ("/site-packages/", "/work/main/", "/lib/python3.11/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    else:
        root = str(Path(__file__).resolve().parents[1]) + "/"
        path = path.replace(root, "")
    return path, match["func"]


def summarise(raw: str, top: int = 12) -> dict:
    """The app's own functions by inclusive share of the samples (a function counts once per
    stack it is in), and where the time is finally spent (the sampled frame) by package."""
    inclusive: Counter = Counter()
    leaf_package: Counter = Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [frame_name(f) for f in stack.split(";")]
        for key in set(frames):
            inclusive[key] += n
        leaf_package[_package(frames[-1][0])] += n
    own = [{"file": f, "function": fn, "share": round(c / total, 3)}
           for (f, fn), c in inclusive.most_common() if any(m in "/" + f for m in OWN_CODE)][:top]
    packages = [{"package": p, "share": round(c / total, 3)} for p, c in leaf_package.most_common(top)]
    return {"samples": total, "own_code": own, "time_spent_in": packages}


def _package(path: str) -> str:
    """'pandas' for 'pandas/core/frame.py', 'stdlib:pickle' for 'pickle.py', 'dashboard/ui' for app code."""
    if any(m in "/" + path for m in OWN_CODE):
        return "/".join(path.split("/")[:2]) if "/" in path else path
    first = path.split("/", 1)[0]
    return first if "/" in path else f"stdlib:{first.removesuffix('.py')}"


async def _rerun_loop(base_url: str, seconds: float) -> int:
    sessions = [StreamlitSession(base_url, page, DEMO_QUERY) for page in PAGES]
    for session in sessions:
        await session.open()
    runs, deadline = 0, time.monotonic() + seconds
    while time.monotonic() < deadline:
        # the map page weighs double: it is the page of publication day
        for session in [sessions[1], *sessions]:
            await session.rerun()
            runs += 1
    for session in sessions:
        await session.close()
    return runs


def profile_reruns(base_url: str, pid: int, seconds: float = 15) -> dict:
    """Sample the server `pid` while every page is rerun for `seconds`; {} if py-spy is missing."""
    binary = py_spy()
    if binary is None:
        return {"skipped": "py-spy not installed (pip install -r requirements-dev.txt)"}
    out = Path(tempfile.mkdtemp(prefix="bench-pyspy-")) / "stacks.txt"
    spy = subprocess.Popen([binary, "record", "--pid", str(pid), "--format", "raw", "--output", str(out),
                            "--duration", str(int(seconds) + 3), "--rate", "200", "--nonblocking", "--full-filenames"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    time.sleep(1.0)
    runs = run_async(_rerun_loop(base_url, seconds))
    try:
        _, err = spy.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        spy.kill()
        return {"skipped": "py-spy did not finish"}
    if not out.is_file():
        return {"skipped": f"py-spy failed: {err.decode()[-300:]}"}
    summary = summarise(out.read_text())
    summary["reruns"] = runs
    return summary
