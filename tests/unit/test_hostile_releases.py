"""Hostile release input: files that are not what their names say, URL releases that hang, answer
with error pages, cut off or are not HTTP at all. Each gives a clear message, never a traceback,
and nothing published or served changes."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dashboard.figures.charts import hover_text
from dashboard.publishing.publish import publish_release, run_publish_command
from dashboard.release import fetch as release_source
from dashboard.release.fetch import ReleaseSourceError, fetch_release
from dashboard.release.validate import validate_release
from dashboard.store.tracker import ReleaseTracker
from tests.edition_helpers import fast_editions  # noqa: F401 - fixture (tiny light editions)
from tests.publish_helpers import make_release, tree_bytes
from tests.release_factory import refresh_hashes, rewrite_descriptor

pytestmark = pytest.mark.usefixtures("fast_editions")

HTML_ERROR_PAGE = b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>oops</body></html>"


class ReleaseServer:
    """A release served over http://127.0.0.1 from a folder; any path can be made to misbehave."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.behaviour: dict[str, str] = {}  # file name -> "hang" | "html200" | "404" | "500" | "cut" | "garbage"
        self.release_hang = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output clean
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                name = self.path.rsplit("/", 1)[-1]
                how = server.behaviour.get(name, "ok")
                if how == "hang":
                    server.release_hang.wait(30)
                    return
                if how == "garbage":
                    self.wfile.write(b"SSH-2.0-OpenSSH_9.6 this is not http\r\n\r\n")
                    return
                if how in ("404", "500", "html200"):
                    self.send_response({"404": 404, "500": 500, "html200": 200}[how])
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(len(HTML_ERROR_PAGE)))
                    self.end_headers()
                    self.wfile.write(HTML_ERROR_PAGE)
                    return
                path = server.folder / name
                if not path.is_file():
                    self.send_error(404)
                    return
                body = path.read_bytes()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 2] if how == "cut" else body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/releases/r-url/"

    def stop(self) -> None:
        self.release_hang.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(release_source, "HTTP_TIMEOUT_S", 0.3)
    server = ReleaseServer(make_release(tmp_path / "served", "r-url"))
    yield server
    server.stop()


@pytest.fixture
def root(tmp_path):
    root = tmp_path / "root"
    publish_release(make_release(tmp_path / "r1", "r1"), root)
    return root


def problem_text(report) -> str:
    return " ".join(f"[{p.rule}] {p.file}: {p.message} fix: {p.fix}" for p in report.problems)


# --- URL releases ---------------------------------------------------------------------------

def test_a_good_url_release_validates_and_publishes(served, root):
    assert validate_release(served.url).valid
    outcome = publish_release(served.url, root)
    assert outcome.release_id == "r-url" and validate_release(root / "r-url").valid


@pytest.mark.parametrize("file", ["datapackage.json", "results.parquet"])
def test_url_that_times_out_is_refused_with_a_clear_message(served, root, capsys, file):
    served.behaviour[file] = "hang"
    report = validate_release(served.url)
    assert not report.valid and report.problems[0].rule == "unreachable"
    assert "no answer within 0.3 s" in report.problems[0].message
    before = tree_bytes(root)
    assert run_publish_command(served.url, root) == 1
    err = capsys.readouterr().err
    assert "no answer within" in err and "still serves r1" in err and "Traceback" not in err
    assert tree_bytes(root) == before


@pytest.mark.parametrize("status", ["404", "500"])
def test_url_that_answers_an_http_error_page(served, status):
    served.behaviour["datapackage.json"] = status
    report = validate_release(served.url)
    assert report.problems[0].rule == "unreachable" and f"HTTP {status}" in report.problems[0].message


def test_url_whose_descriptor_is_an_html_page_with_status_200(served):
    served.behaviour["datapackage.json"] = "html200"
    report = validate_release(served.url)
    text = problem_text(report)
    assert "not-json" in text and "HTML page" in text and "Check the address" in text


def test_url_whose_table_is_an_html_page_with_status_200(served):
    served.behaviour["results.parquet"] = "html200"
    text = problem_text(validate_release(served.url))
    assert "not-parquet" in text and "looks like an HTML page" in text


def test_url_whose_table_is_cut_off_midway(served):
    served.behaviour["results.parquet"] = "cut"
    report = validate_release(served.url)
    assert not report.valid and {p.rule for p in report.problems} & {"truncated", "unreachable"}


def test_url_that_is_not_an_http_server(served):
    served.behaviour["datapackage.json"] = "garbage"
    with pytest.raises(ReleaseSourceError, match="not a usable HTTP response"):
        fetch_release(served.url)
    assert validate_release(served.url).problems[0].rule == "unreachable"


def test_url_file_over_the_size_limit(served, monkeypatch):
    monkeypatch.setattr(release_source, "MAX_FILE_BYTES", 100)
    with pytest.raises(ReleaseSourceError, match="larger than the limit"):
        fetch_release(served.url)


def test_url_descriptor_cannot_write_outside_the_cache(served, tmp_path):
    rewrite_descriptor(served.folder, lambda d: d["resources"].append(
        {"name": "evil", "path": "../../escaped.parquet", "hash": "sha256:" + "0" * 64}))
    report = validate_release(served.url)
    assert "resource-path" in problem_text(report)
    assert not list(tmp_path.rglob("escaped.parquet"))


def test_tracker_on_a_url_keeps_the_last_good_release_when_the_server_hangs(served, tmp_path, caplog):
    now = [0.0]
    tracker = ReleaseTracker(served.url, check_every_s=60, clock=lambda: now[0], snapshot_dir=tmp_path / "snaps")
    good = tracker.state().release
    assert good.id == "r-url"
    served.behaviour["datapackage.json"] = "hang"
    now[0] += 60
    state = tracker.state()
    assert state.release is good and "no answer within" in state.problem
    served.behaviour["datapackage.json"] = "html200"
    now[0] += 60
    state = tracker.state()
    assert state.release is good and state.stale


# --- local files that are not what their names say -----------------------------------------

@pytest.mark.parametrize("content, looks_like", [
    (b"year,geo_version,value\n2023,vn63,80.1\n", "CSV"),
    (HTML_ERROR_PAGE, "HTML page"),
    (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 400, "ZIP archive"),
    (b"%PDF-1.7\n" + b"\x00" * 100, "PDF"),
])
def test_results_file_that_is_really_something_else(tmp_path, content, looks_like):
    folder = make_release(tmp_path / "r", "r")
    (folder / "results.parquet").write_bytes(content)
    rewrite_descriptor(folder, lambda d: refresh_hashes(folder, d))  # the hash matches: only the format is wrong
    report = validate_release(folder)
    assert [p.rule for p in report.problems] == ["not-parquet"]
    assert looks_like in report.problems[0].message and "pyarrow" in report.problems[0].fix


def test_parquet_magic_around_garbage_is_refused(tmp_path):
    folder = make_release(tmp_path / "r", "r")
    (folder / "results.parquet").write_bytes(b"PAR1" + b"\x13\x37" * 500 + b"PAR1")
    rewrite_descriptor(folder, lambda d: refresh_hashes(folder, d))
    assert [p.rule for p in validate_release(folder).problems] == ["unreadable-parquet"]


def test_descriptor_that_is_an_html_page(tmp_path):
    folder = make_release(tmp_path / "r", "r")
    (folder / "datapackage.json").write_bytes(HTML_ERROR_PAGE)
    text = problem_text(validate_release(folder))
    assert "not-json" in text and "HTML page" in text


# --- names from a release are text, never markup --------------------------------------------

@pytest.mark.parametrize("name", ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
                                  "A & B <b>bold</b>"])
def test_hover_text_escapes_names(name):
    hover = hover_text({"value": 80.0, "ci_low": None, "ci_high": None, "n": None, "flag": None}, name, "en")
    assert "<script" not in hover and "<img" not in hover and "<b>bold" not in hover
    assert "&lt;" in hover


def test_a_failed_download_leaves_no_partial_copy_and_a_new_version_never_replaces_one_in_use(
        tmp_path, monkeypatch):
    """Review §1.7: the staging folder leaked on every failed attempt (the tracker retries every
    30 s), and the cache copy was deleted then replaced while other replicas read it."""
    from dashboard.release import fetch as release_source

    monkeypatch.setenv("DASHBOARD_CACHE", str(tmp_path / "cache"))
    files = {"datapackage.json": json.dumps({"resources": [{"path": "results.parquet"}]}).encode(),
             "results.parquet": b"PAR1...PAR1"}
    broken = {"results.parquet"}

    def download(url, limit):
        name = url.rsplit("/", 1)[-1]
        if name in broken:
            raise release_source.ReleaseSourceError(f"{url}: the server answered HTTP 500.")
        return files[name]

    monkeypatch.setattr(release_source, "_download", download)
    for _ in range(3):
        with pytest.raises(release_source.ReleaseSourceError):
            release_source.fetch_release("https://example.org/rel/")
    assert [p.name for p in (tmp_path / "cache").iterdir()] == []  # nothing left behind
    broken.clear()
    first = release_source.fetch_release("https://example.org/rel/")
    assert release_source.fetch_release("https://example.org/rel/") == first  # same version: same copy
    files["datapackage.json"] = json.dumps({"resources": [{"path": "results.parquet"}], "version": "2"}).encode()
    second = release_source.fetch_release("https://example.org/rel/")
    assert second != first and first.is_dir() and (first / "results.parquet").is_file()  # the old copy stays
