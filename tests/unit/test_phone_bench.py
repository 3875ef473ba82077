"""The phone benchmark's bookkeeping (bench/phone.py): which pages of the light edition it finds,
that it never invents figures for a light edition nginx does not serve, and how targets are judged."""
from __future__ import annotations

import functools
import http.server
import threading

import pytest

from bench.phone import TARGETS, format_phone, is_streamlit_shell, light_pages, target_summary

SHELL = '<!DOCTYPE html><html><head><script type="module" src="./static/js/index.abc.js"></script></head>' \
        '<body><div id="root"></div></body></html>'


def page(links: list[str]) -> str:
    anchors = "".join(f'<a href="{href}">x</a>' for href in links)
    return f'<!doctype html><html><body><p data-first-figure>answer</p>{anchors}</body></html>'


@pytest.fixture
def site(tmp_path):
    """A static site on loopback: tmp_path/light/... as the light edition would be written."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()  # the listening socket: left open, it is a ResourceWarning (an error here)
    thread.join(timeout=5)


def write(root, path: str, html: str) -> None:
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def test_streamlits_shell_is_not_a_light_page():
    assert is_streamlit_shell(SHELL)
    assert not is_streamlit_shell(page([]))


def test_the_light_edition_is_crawled_from_each_languages_index(site):
    root, url = site
    write(root, "light/vi/index.html", page(["map.html", "p/01.html", "../en/index.html", "https://example.org/x.html"]))
    write(root, "light/vi/map.html", page(["index.html"]))
    write(root, "light/vi/p/01.html", page([]))
    write(root, "light/en/index.html", page(["map.html"]))
    found = [u[len(url):] for u in light_pages(url, per_lang=3)]
    assert found == ["/light/vi/index.html", "/light/vi/map.html", "/light/vi/p/01.html", "/light/en/index.html"]
    assert len(light_pages(url, per_lang=2)) == 3  # 2 in Vietnamese, the English index (its link is missing)


def test_no_light_edition_means_no_light_pages(site):
    root, url = site
    write(root, "light/vi/index.html", SHELL)  # what Streamlit answers for any path nginx hands it
    assert light_pages(url) == []


def sample(seconds: float, kb: float) -> dict:
    return {"seconds": seconds, "bytes": int(kb * 1000), "bytes_to_figure": int(kb * 1000), "runs": 3, "samples": []}


def test_targets_are_judged_on_the_slowest_page_and_never_invented():
    results = {"runs": 3, "query": "", "light_served": False, "light": {},
               "app": {"/map": {"first_figure": "map", "4G": sample(2.4, 900), "3G": sample(9.0, 900)},
                       "/": {"first_figure": "chart", "4G": sample(3.1, 1200), "3G": {"error": "TimeoutError"}}}}
    checks = {target: (measured, met) for target, measured, met in target_summary(results)}
    light = next(v for k, v in checks.items() if k.startswith("light edition"))
    assert light == ("light edition not served", None)
    app = next(v for k, v in checks.items() if k.startswith("app on 4G"))
    assert app[1] is False and "1/2 pages" in app[0] and "/ 3.10 s" in app[0]
    text = format_phone(results)
    assert "light edition not served" in text and "error" in text

    results["light_served"] = True
    results["light"] = {"/light/vi/index.html": {"first_figure": "marked", "3G": sample(1.2, 80), "4G": sample(0.6, 80)},
                        "/light/vi/map.html": {"first_figure": "marked", "3G": sample(1.9, 160), "4G": sample(0.9, 160)}}
    checks = {target: met for target, _, met in target_summary(results)}
    assert checks[f"light edition on 3G ≤ {TARGETS['light_3g_s']:.0f} s to the first figure (every page)"] is True
    assert checks[f"light edition ≤ {TARGETS['light_kb']:.0f} KB per page"] is False  # the map page: 160 KB
