"""The launcher puts streamlit_config/ in force; the catalogue offers the real release first."""
from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from dashboard import paths
from dashboard.launch import CONFIG_FILE, config_flags, streamlit_command
from dashboard.settings import load_settings
from dashboard.store import catalog


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



def test_catalogue_lists_real_before_demo():
    entries = catalog.list_releases()
    ids = [e.release_id for e in entries]
    assert ids.index("sipas-published") < ids.index("demo")
    assert [e.demo for e in entries if e.release_id == "demo"] == [True]


def test_offered_releases_put_the_default_first(monkeypatch):
    monkeypatch.delenv("DASHBOARD_DATA", raising=False)
    default, offered = catalog.offered_releases()
    assert offered[0] == default and len(offered) == len(set(offered)) >= 2


@pytest.mark.parametrize("name,value", [("PORT", "abc"), ("PORT", "70000"), ("DASHBOARD_CHECK_SECONDS", "-1"),
                                        ("DASHBOARD_CHECK_SECONDS", "nan"), ("DASHBOARD_CHECK_SECONDS", "soon"),
                                        ("DASHBOARD_PUBLIC_URL", "javascript:alert(1)"),
                                        ("DASHBOARD_PUBLIC_URL", "dulieu.gov.vn"),
                                        ("DASHBOARD_GEODATA", "/nonexistent/geodata"), ("REPLICAS", "0"),
                                        ("REPLICAS", "many")])
def test_a_bad_setting_stops_with_its_name_and_value(name, value):
    from dashboard.settings import SettingsError

    with pytest.raises(SettingsError, match=f"{name}=") as info:
        load_settings({name: value})
    assert value[:20] in str(info.value) and "Fix or unset" in str(info.value)


def test_the_launcher_refuses_a_bad_setting_before_starting(tmp_path):
    env = {**os.environ, "PORT": "abc"}
    out = subprocess.run([sys.executable, "-m", "dashboard.launch"], cwd=paths.REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "cannot start: PORT='abc'" in out.stderr
    env = {**env, "PORT": "8599", "BROWSER_PATH": str(tmp_path / "chromium")}
    out = subprocess.run([sys.executable, "-m", "dashboard.launch"], cwd=paths.REPO_ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0 and "BROWSER_PATH=" in out.stderr


def test_every_environment_variable_is_in_the_readme():
    from dashboard.settings import ENVIRONMENT

    readme = (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for var in ENVIRONMENT:
        assert f"| `{var.name}` |" in readme, f"{var.name} is missing from the README's table"
