"""Every environment variable the product reads, in one place, validated loudly.

A wrong value (PORT=abc, a negative check interval, a public URL that is not http(s), a geodata
folder that does not exist, a browser path that is not a program) stops `make run` / the launcher
with a message naming the variable, the value and the fix: it never falls back silently to a
default. Only this module reads `os.environ` (for the product; `deploy/` and `bench/` read their
own knobs, listed in the README too). The README's table of environment variables is tested against `ENVIRONMENT`.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from dashboard import paths


@dataclass(frozen=True)
class EnvVar:
    name: str
    meaning: str
    default: str


ENVIRONMENT: tuple[EnvVar, ...] = (
    EnvVar("DASHBOARD_DATA", "a data root (releases and a `current` pointer), one release folder, or an http(s) "
                             "URL of a release", "`data/releases/`"),
    EnvVar("DASHBOARD_CHECK_SECONDS", "how often the app looks for a new current release, in seconds (≥ 0)", "`5`"),
    EnvVar("DASHBOARD_CACHE", "folder for the app's validated copies of releases and downloaded URL releases",
           "`<system temp>/dashboard-releases`"),
    EnvVar("DASHBOARD_GEODATA", "folder of processed boundary layers (must exist)", "`geodata/`"),
    EnvVar("DASHBOARD_PUBLIC_URL", "the app's public http(s) address, used in permalinks, embeds and citations",
           "the address the reader uses"),
    EnvVar("BROWSER_PATH", "Chromium or Chrome used for image export (must be an executable file)",
           "`/usr/bin/chromium`, else the first on the PATH"),
    EnvVar("DASHBOARD_LIGHT_URL", "where a web server in front serves the current release's light edition: a path "
                                  "or http(s) address ending in `/` (`make serve` sets `/light/`)",
           "unset: Streamlit serves the editions under `app/static/light/`"),
    EnvVar("PORT", "the port the app listens on (1–65535)", "`8501`"),
    EnvVar("REPLICAS", "`make serve` only: Streamlit replicas behind nginx (1–64)", "one per core"),
)


class SettingsError(ValueError):
    """An environment variable has a value the product cannot use; the message says how to fix it."""


@dataclass(frozen=True)
class Settings:
    data: str
    port: int = 8501
    check_every_s: float = 5.0
    cache_dir: Path = Path(tempfile.gettempdir()) / "dashboard-releases"
    geodata_dir: Path = paths.GEODATA_DIR
    public_url: str | None = None
    browser_path: str | None = None
    # Where a web server in front serves the current release's light edition (`make serve`: "/light/",
    # see dashboard/static_site/app_addresses.py); None: Streamlit serves the editions itself under app/static/.
    light_url: str | None = None
    replicas: int = max(1, os.cpu_count() or 1)  # `make serve` only


_LIGHT_URL = re.compile(r"(/|https?://[A-Za-z0-9.:-]+/)([A-Za-z0-9._~-]+/)*")


def _bad(name: str, value: str, expected: str) -> SettingsError:
    return SettingsError(f"{name}={value[:200]!r} is not {expected}. Fix or unset {name}.")


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """The settings from `env` (default: the process environment); raises SettingsError."""
    env = dict(os.environ if env is None else env)
    get = lambda name: env.get(name, "").strip()  # noqa: E731 - an empty value means "not set"
    port_text = get("PORT") or "8501"
    if not (port_text.isdigit() and 1 <= int(port_text) <= 65535):
        raise _bad("PORT", port_text, "a port number from 1 to 65535")
    check_text = get("DASHBOARD_CHECK_SECONDS") or "5"
    try:
        check_every_s = float(check_text)
    except ValueError:
        check_every_s = float("nan")
    if not check_every_s >= 0:  # also catches NaN
        raise _bad("DASHBOARD_CHECK_SECONDS", check_text, "a number of seconds (0 or more)")
    public_url = get("DASHBOARD_PUBLIC_URL") or None
    if public_url is not None:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise _bad("DASHBOARD_PUBLIC_URL", public_url, "an http(s) address such as https://dulieu.example.vn/hailong")
    geodata = Path(get("DASHBOARD_GEODATA")) if get("DASHBOARD_GEODATA") else paths.GEODATA_DIR
    if get("DASHBOARD_GEODATA") and not geodata.is_dir():
        raise _bad("DASHBOARD_GEODATA", str(geodata), "an existing folder of processed layers (python -m dashboard geodata)")
    browser = get("BROWSER_PATH") or None  # checked by check_browser_path: only image export needs it
    cache = Path(get("DASHBOARD_CACHE")) if get("DASHBOARD_CACHE") else Settings.cache_dir
    light_url = get("DASHBOARD_LIGHT_URL") or None
    if light_url is not None and not _LIGHT_URL.fullmatch(light_url):
        raise _bad("DASHBOARD_LIGHT_URL", light_url, "a path or http(s) address ending in '/', such as /light/")
    replicas_text = get("REPLICAS") or str(Settings.replicas)
    if not (replicas_text.isdigit() and 1 <= int(replicas_text) <= 64):
        raise _bad("REPLICAS", replicas_text, "a number of replicas from 1 to 64")
    return Settings(data=get("DASHBOARD_DATA") or str(paths.RELEASES_DIR), port=int(port_text),
                    check_every_s=check_every_s, cache_dir=cache, geodata_dir=geodata, public_url=public_url,
                    browser_path=browser, light_url=light_url, replicas=int(replicas_text))


def check_browser_path(settings: Settings) -> None:
    """Raise SettingsError when BROWSER_PATH is set but is not a program. The launcher stops on it;
    inside the app a wrong path only disables image export, with this same message."""
    browser = settings.browser_path
    if browser is not None and not (Path(browser).is_file() and os.access(browser, os.X_OK)):
        raise _bad("BROWSER_PATH", browser, "an executable Chromium or Chrome (Debian: apt-get install chromium)")
