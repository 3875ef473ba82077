"""`make serve`: N Streamlit replicas on 127.0.0.1 behind nginx, started and stopped together.

    python -m deploy.serve [--replicas N] [--host 0.0.0.0] [--port 8501]
    python -m deploy.serve --upstream app:8501 --port 8080     # nginx only (docker compose)

nginx (sticky sessions, websockets, gzip, asset and release caching, security headers; see
deploy/nginx.conf.template) listens on HOST:PORT; the replicas listen on free loopback ports that
only nginx uses. nginx gets a replica only once it is ready (/readyz: it serves a release it has
opened and validated, and has run the default page once). A replica that dies is taken out of
nginx's upstream (marked `down`, config reloaded), restarted, and put back once it is ready again,
so no reader waits for a replica that is still starting. nginx also serves the light edition of
the data root's current release at /light/ (static HTML, from DATA_ROOT/.light/current) and sends
`?lite=true` there; the replicas are told so (DASHBOARD_LIGHT_URL=/light/) and link to it.
Ctrl-C or SIGTERM stops everything.
Environment: PORT (default 8501), REPLICAS (default: one per core), DASHBOARD_DATA (a data root,
default data/releases, or one release).
"""
from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from dashboard.publishing.editions import LIGHT_URL
from dashboard.settings import SettingsError, load_settings
from deploy.nginx_config import (
    NginxMissing,
    NginxSettings,
    check_nginx_config,
    find_nginx,
    nginx_command,
    write_nginx_config,
)
from deploy.replicas import REPO_ROOT, Replica, make_replicas, replica_command, wait_healthy

RELEASES_DIR = REPO_ROOT / "data" / "releases"
LIGHT_URL_VARIABLE = "DASHBOARD_LIGHT_URL"


def sync_light_edition(root: Path) -> None:
    """Point the light edition nginx serves at the current release's, as the pointer says (a crash
    between a publish's pointer and its link, or a copied data root, may have left it behind);
    say so when there is none to serve (`python -m dashboard light-edition` builds it)."""
    from dashboard.publishing.editions import current_edition_path, sync_current
    from dashboard.store.pointer import PointerError, current_release_id

    try:
        sync_current(root, current_release_id(root))
    except (PointerError, OSError) as exc:
        print(f"light edition: {exc}", file=sys.stderr)
    if not current_edition_path(root).is_dir():
        print(f"light edition: none in {root} yet, /light/ answers 404 (build it: python -m dashboard "
              f"light-edition --to {root})", file=sys.stderr)


def data_root() -> Path:
    """The data root the replicas read (DASHBOARD_DATA when it names one), whose editions nginx serves."""
    from dashboard.settings import load_settings
    from dashboard.store.catalog import data_root_of

    return data_root_of(load_settings().data) or RELEASES_DIR


class ServingStack:
    """Replicas plus nginx; use as a context manager (`with ServingStack(...) as stack:`)."""

    def __init__(self, replicas: int = 0, host: str = "127.0.0.1", port: int = 8501,
                 upstreams: list[str] | None = None, prefix: Path | None = None,
                 replica_cmd: list[str] | None = None, releases_dir: Path = RELEASES_DIR,
                 replica_env: dict[str, str] | None = None) -> None:
        self.prefix = prefix or Path(tempfile.mkdtemp(prefix="dashboard-serve-"))
        self.host, self.port = host, port
        # replica_env is added to this process's environment for every replica (e.g. DASHBOARD_DATA).
        replica_env = {LIGHT_URL_VARIABLE: LIGHT_URL, **(replica_env or {})}
        self.replicas: list[Replica] = (make_replicas(replicas, self.prefix / "logs", replica_cmd, replica_env)
                                        if not upstreams else [])
        self.upstreams = upstreams or [r.address for r in self.replicas]
        self.releases_dir = releases_dir
        self.nginx: subprocess.Popen | None = None
        self.down: set[str] = set()  # replicas nginx leaves alone until they are ready again
        self._config_lock = threading.Lock()

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host  # noqa: S104 - a comparison, not a bind
        return f"http://{host}:{self.port}"

    def start(self) -> ServingStack:
        """Start the replicas, wait until each is ready (serves a validated release), then check
        and start nginx."""
        find_nginx()  # before anything starts: raises NginxMissing with the fix
        sync_light_edition(self.releases_dir)
        for replica in self.replicas:
            replica.start()
        for replica in self.replicas:
            wait_healthy(replica.ready_url, timeout_s=150, process=replica.process)
        self._write_config()
        checked = check_nginx_config(self.prefix)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t refused {self.prefix / 'nginx.conf'}:\n{checked.stderr}")
        self.nginx = subprocess.Popen(nginx_command(self.prefix, "-g", "daemon off;"),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wait_healthy(f"{self.url}/healthz", timeout_s=30, process=self.nginx)
        return self

    def _write_config(self) -> None:
        write_nginx_config(NginxSettings(self.prefix, f"{self.host}:{self.port}", self.upstreams, self.releases_dir,
                                         down=frozenset(self.down)))

    def _set_down(self, address: str, down: bool) -> None:
        """Take a replica out of nginx's upstream or put it back: rewrite the config and reload
        nginx (SIGHUP: new workers take the new config, old ones finish their connections)."""
        with self._config_lock:
            if (address in self.down) == down:
                return
            (self.down.add if down else self.down.discard)(address)
            self._write_config()
            if self.nginx is not None and self.nginx.poll() is None:
                self.nginx.send_signal(signal.SIGHUP)

    def restart_dead_replicas(self) -> list[Replica]:
        """Start again every replica whose process has exited, out of nginx's upstream until it
        is ready (a thread puts it back); returns those restarted."""
        dead = [r for r in self.replicas if not r.alive()]
        for replica in dead:
            self._set_down(replica.address, True)
            replica.start()
            threading.Thread(target=self._rejoin_when_ready, args=(replica,), daemon=True,
                             name=f"rejoin-{replica.port}").start()
        return dead

    def _rejoin_when_ready(self, replica: Replica, timeout_s: float = 300) -> None:
        try:
            wait_healthy(replica.ready_url, timeout_s=timeout_s, process=replica.process)
        except RuntimeError as exc:  # died again or never ready: the supervisor loop restarts it
            print(f"replica on port {replica.port} not ready: {exc}", file=sys.stderr)
            return
        self._set_down(replica.address, False)

    def stop(self) -> None:
        """Graceful nginx shutdown (SIGQUIT), then the replicas."""
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()
                self.nginx.wait(timeout=10)
        if self.nginx is not None and self.nginx.stderr is not None:
            self.nginx.stderr.close()  # the pipe nginx's start-up errors come through
        for replica in self.replicas:
            replica.stop()

    def __enter__(self) -> ServingStack:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line; its defaults from the environment, read and checked by `dashboard.settings`."""
    try:
        settings = load_settings()
    except SettingsError as exc:
        raise SystemExit(f"error: {exc}") from None
    parser = argparse.ArgumentParser(prog="python -m deploy.serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=settings.replicas,
                        help="Streamlit processes (default: REPLICAS or one per core)")
    parser.add_argument("--host", default="0.0.0.0",  # noqa: S104 - nginx is the public face; replicas stay on loopback
                        help="address nginx listens on (default 0.0.0.0)")
    parser.add_argument("--port", type=int, default=settings.port,
                        help="port nginx listens on (default: PORT or 8501)")
    parser.add_argument("--upstream", action="append", default=[], metavar="HOST:PORT",
                        help="proxy to these replicas instead of starting them (repeatable)")
    parser.add_argument("--prefix", type=Path, help="nginx prefix folder (default: a new temp folder)")
    return parser.parse_args(argv)


def _stop_on_signal(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_signal)
    stack = ServingStack(replicas=max(1, args.replicas), host=args.host, port=args.port,
                         upstreams=args.upstream or None, prefix=args.prefix, replica_cmd=replica_command(),
                         releases_dir=data_root())
    try:
        with stack:
            what = f"{len(stack.replicas)} replicas" if stack.replicas else f"upstream {', '.join(stack.upstreams)}"
            print(f"serving on {stack.url} via nginx ({what}); light edition at {stack.url}/light/; "
                  f"logs in {stack.prefix / 'logs'}", file=sys.stderr)
            while stack.nginx.poll() is None:
                for replica in stack.restart_dead_replicas():
                    print(f"replica on port {replica.port} exited; restarted", file=sys.stderr)
                time.sleep(2)
            print(f"nginx exited ({stack.nginx.returncode}): {stack.nginx.stderr.read().decode()[-500:]}",
                  file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
        return 0
    except NginxMissing as missing:
        print(missing, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
