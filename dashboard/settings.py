"""Configuration from the environment, typed."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from dashboard import paths


@dataclass(frozen=True)
class Settings:
    # A data root (folder of releases with a `current` pointer, default data/releases/) whose current
    # release the app follows, or one release folder or URL.
    data: str
    port: int
    check_every_s: float = 5.0  # how often the app looks for a new current release
    # Where a web server in front serves the current release's light edition (`make serve`: "/light/",
    # see dashboard/light_links.py); None: Streamlit serves the editions itself under app/static/.
    light_url: str | None = None


_LIGHT_URL = re.compile(r"(/|https?://[A-Za-z0-9.:-]+/)([A-Za-z0-9._~-]+/)*")


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    data = env.get("DASHBOARD_DATA", "").strip() or str(paths.RELEASES_DIR)
    try:
        port = int(env.get("PORT", "8501"))
    except ValueError:
        port = 8501
    try:
        check_every_s = max(0.0, float(env.get("DASHBOARD_CHECK_SECONDS", "5")))
    except ValueError:
        check_every_s = 5.0
    light_url = env.get("DASHBOARD_LIGHT_URL", "").strip() or None
    if light_url is not None and not _LIGHT_URL.fullmatch(light_url):
        light_url = None  # not an address path ending in '/': the links fall back to Streamlit's static files
    return Settings(data=data, port=port, check_every_s=check_every_s, light_url=light_url)
