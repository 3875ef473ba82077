"""Start the app with the settings of `streamlit_config/config.toml` in force.

Streamlit reads its config only from `.streamlit/config.toml`, environment variables and flags;
this launcher turns our file into `--section.key=value` flags so nothing depends on the working
directory. `PORT` (default 8501) and `DASHBOARD_DATA` are honoured.
"""
from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from dashboard import paths
from dashboard.settings import SettingsError, check_browser_path, load_settings

CONFIG_FILE = paths.REPO_ROOT / "streamlit_config" / "config.toml"


def config_flags(config_file: Path = CONFIG_FILE) -> list[str]:
    """Every setting of the config file as a Streamlit command-line flag."""
    config = tomllib.loads(config_file.read_text(encoding="utf-8"))
    flags = []
    for section, values in config.items():
        for key, value in values.items():
            text = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{key}={text}")
    return flags


# replica.py serves app.py's pages plus a warm start and /readyz (dashboard/ui/readiness.py).
ENTRY_POINT = paths.REPO_ROOT / "replica.py"


def streamlit_command(port: int, extra: list[str] | None = None) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", str(ENTRY_POINT),
            *config_flags(), f"--server.port={port}", *(extra or [])]


def main() -> None:
    try:
        settings = load_settings()
        check_browser_path(settings)
    except SettingsError as exc:  # a misconfiguration stops here, named, before anything starts
        sys.exit(f"cannot start: {exc}")
    command = streamlit_command(settings.port, sys.argv[1:])
    print(f"serving on http://localhost:{settings.port} (data: {settings.data})", file=sys.stderr)
    # Open and validate the release before Streamlit listens, in this process (Streamlit runs in
    # it below, so the pages find the release open). Streamlit binds its port before the app's own
    # start-up code runs: warming up there, a restarted replica accepted connections and left them
    # waiting (readers waited up to 9 s after a kill, bench/fault_test.py). With nothing listening
    # yet, a connection is refused and nginx sends it to another replica at once.
    from dashboard.ui.readiness import warm_release

    warm_release()
    from streamlit.web.cli import main as streamlit_main

    streamlit_main(args=command[3:], prog_name="streamlit")


if __name__ == "__main__":
    main()
