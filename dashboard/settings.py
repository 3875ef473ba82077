"""Configuration from the environment, typed."""
from __future__ import annotations

import os
from dataclasses import dataclass

from dashboard import paths


@dataclass(frozen=True)
class Settings:
    data: str  # release folder or URL the app opens by default
    port: int


def load_settings(env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    data = env.get("DASHBOARD_DATA", "").strip() or str(paths.RELEASES_DIR / "sipas-published")
    try:
        port = int(env.get("PORT", "8501"))
    except ValueError:
        port = 8501
    return Settings(data=data, port=port)
