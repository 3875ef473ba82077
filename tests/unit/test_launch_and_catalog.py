"""The launcher puts streamlit_config/ in force; the catalogue offers the real release first."""
from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from dashboard import catalog, paths
from dashboard.launch import CONFIG_FILE, config_flags, streamlit_command
from dashboard.settings import load_settings


def test_every_config_setting_becomes_a_flag():
    config = tomllib.loads(CONFIG_FILE.read_text(encoding="utf-8"))
    flags = config_flags()
    assert len(flags) == sum(len(v) for v in config.values())
    assert "--server.enableXsrfProtection=true" in flags
    assert "--client.toolbarMode=viewer" in flags
    assert "--client.showErrorDetails=none" in flags


def test_flags_are_accepted_by_streamlit():
    # Streamlit's own option registry must know every key we set (a typo would be ignored silently).
    from streamlit import config as st_config

    for flag in config_flags():
        key = flag[2:].split("=", 1)[0]
        assert key in st_config._config_options_template, key


def test_streamlit_command_uses_port_and_app():
    command = streamlit_command(8765)
    assert command[-1] == "--server.port=8765"
    assert command[3] == "run" and command[4].endswith("replica.py")


def test_the_replica_entry_point_serves_app_py_with_a_readiness_route():
    """Streamlit serves `replica.py` as an ASGI app only if it finds the st.App assignment in it
    (by reading its source); that app must run app.py and answer /readyz."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    from dashboard.launch import ENTRY_POINT
    from dashboard.ui.readiness import READY_PATH

    found = discover_asgi_app(ENTRY_POINT)
    assert found.is_asgi_app and found.app_name == "app"
    source = ENTRY_POINT.read_text(encoding="utf-8")
    assert 'st.App("app.py"' in source and "READY_PATH" in source and READY_PATH == "/readyz"


def test_settings_default_to_the_real_release(monkeypatch):
    monkeypatch.delenv("DASHBOARD_DATA", raising=False)
    # The default is the data root; without a `current` pointer it serves the real release.
    assert Path(load_settings().data) == paths.RELEASES_DIR
    assert catalog.current_source(load_settings().data).endswith("sipas-published")
    assert load_settings({"DASHBOARD_DATA": "https://example.org/r/", "PORT": "9000"}).port == 9000
    assert load_settings({"PORT": "abc"}).port == 8501


def test_catalogue_lists_real_before_demo():
    entries = catalog.list_releases()
    ids = [e.release_id for e in entries]
    assert ids.index("sipas-published") < ids.index("demo")
    assert [e.demo for e in entries if e.release_id == "demo"] == [True]


def test_offered_releases_put_the_default_first(monkeypatch):
    monkeypatch.delenv("DASHBOARD_DATA", raising=False)
    default, offered = catalog.offered_releases()
    assert offered[0] == default and len(offered) == len(set(offered)) >= 2


def test_only_ui_imports_streamlit():
    """STYLE.md: nothing in dashboard/ except dashboard/ui/ imports streamlit."""
    offenders = []
    for path in (paths.REPO_ROOT / "dashboard").rglob("*.py"):
        if "ui" in path.relative_to(paths.REPO_ROOT / "dashboard").parts[:1]:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(str(path.relative_to(paths.REPO_ROOT)))
    assert offenders == [], offenders
