"""Render, check and run the nginx configuration of deploy/nginx.conf.template.

nginx runs as whoever calls it: `-p PREFIX -c PREFIX/nginx.conf -e PREFIX/logs/error.log` and
every path the config writes (pid, logs, temp files, proxy cache) lies under PREFIX, so the same
config works as root in CI, as a normal user and inside a container.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from deploy.security_headers import (
    EMBED_FRAME_ANCESTORS,
    light_security_headers,
    nginx_add_header_lines,
    security_headers,
)

TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
STICKY_COOKIE = "dashboard_replica"
PREFIX_FOLDERS = ("logs", "tmp", "cache")


@dataclass(frozen=True)
class NginxSettings:
    """What varies between deployments: where nginx listens, the replicas, the release folder."""

    prefix: Path
    listen: str  # "127.0.0.1:8080", "0.0.0.0:8501" or "8501"
    upstreams: list[str]  # "127.0.0.1:8601", "app:8501" (a name resolving to every replica)
    releases_dir: Path  # a data root: its releases, and their light editions in .light/
    script_hashes: list[str] | None = field(default=None)  # default: from the installed Streamlit
    # Replicas nginx must not send anything to (not ready yet: restarted and warming up). They
    # keep their place on the hash ring, so every other browser stays on its replica.
    down: frozenset[str] = frozenset()


class NginxMissing(RuntimeError):
    """nginx is not installed (Debian: apt-get install nginx)."""


def find_nginx() -> str:
    """Path of the nginx binary (Debian puts it in /usr/sbin, often not on a user's PATH)."""
    found = shutil.which("nginx") or next(
        (str(p) for p in (Path("/usr/sbin/nginx"), Path("/usr/local/sbin/nginx")) if p.is_file()), None)
    if not found:
        raise NginxMissing("nginx is not installed: apt-get install nginx (Debian/Ubuntu)")
    return found


def render_nginx_config(settings: NginxSettings) -> str:
    """The template with every placeholder filled; raises ValueError if one is left."""
    if not settings.upstreams:
        raise ValueError("at least one upstream replica is needed")
    servers = "\n".join(f"        server {u} max_fails=2 fail_timeout=5s{' down' if u in settings.down else ''};"
                        for u in settings.upstreams)
    values = {
        "PREFIX": str(settings.prefix),
        "LISTEN": settings.listen,
        "UPSTREAM_SERVERS": servers,
        "RELEASES_DIR": str(settings.releases_dir.resolve()),
        "LIGHT_DIR": str(settings.releases_dir.resolve() / ".light"),
        "STICKY_COOKIE": STICKY_COOKIE,
        "EMBED_FRAME_ANCESTORS": EMBED_FRAME_ANCESTORS,
        "SECURITY_HEADERS": nginx_add_header_lines(security_headers(settings.script_hashes)),
        "LIGHT_SECURITY_HEADERS": nginx_add_header_lines(light_security_headers(), indent="            "),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise ValueError(f"unfilled placeholder in {TEMPLATE.name}: {text[text.index('{{'):][:40]}")
    return text


def write_nginx_config(settings: NginxSettings) -> Path:
    """Create the prefix folders and write PREFIX/nginx.conf; returns its path."""
    for folder in PREFIX_FOLDERS:
        (settings.prefix / folder).mkdir(parents=True, exist_ok=True)
    # Started as root, nginx runs its workers as `nobody`: they must be able to enter the prefix
    # (a temp folder is created 0700) to write the proxy cache and temp files.
    settings.prefix.chmod(0o755)
    conf = settings.prefix / "nginx.conf"
    conf.write_text(render_nginx_config(settings), encoding="utf-8")
    return conf


def nginx_command(prefix: Path, *extra: str) -> list[str]:
    """nginx with every path under `prefix` (also the error log it opens before reading the config)."""
    return [find_nginx(), "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
            "-e", str(prefix / "logs" / "error.log"), *extra]


def check_nginx_config(prefix: Path) -> subprocess.CompletedProcess:
    """`nginx -t` on the written config (returncode 0 when valid; the reason is in stderr)."""
    return subprocess.run(nginx_command(prefix, "-t"), capture_output=True, text=True, timeout=30)
