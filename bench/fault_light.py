"""Light-edition readers for the fault test: the static pages nginx serves under /light/.

The light edition (part 1 of issue 16) is plain HTML written at publish time and served by nginx
itself, so a replica that dies must not touch it. When nginx serves it, a few readers open the
pages of `bench.phone.light_pages` in turn (each language's index and the pages it links to) for
the whole test; a page counts as served when it answered 200 with the whole document (its main
part and the closing `</html>`; a page with figures also its first figure, the element marked
`data-first-figure`), and the release version it names (`<meta name="dashboard:version">`) is
recorded like the app readers' (a publish must move the light readers too). Plain threads and
urllib: these readers need no browser.
"""
from __future__ import annotations

import html
import re
import threading
import time
import urllib.error
import urllib.request

from bench.fault_log import HTTP_ERROR, INCOMPLETE_PAGE, LIGHT, OK, TIMEOUT, Request, RequestLog

FIRST_FIGURE_MARK = "data-first-figure"
VERSION = re.compile(r'<meta name="dashboard:version" content="([^"]*)">')
TIMEOUT_S = 10.0


def read_light_page(url: str, timeout_s: float = TIMEOUT_S) -> tuple[str, str, str | None]:
    """(outcome, detail, release version) of one GET of a light page."""
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response:
            body = response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return HTTP_ERROR, f"HTTP {error.code}", None
    except TimeoutError as error:
        return TIMEOUT, str(error)[:200], None
    except OSError as error:
        return HTTP_ERROR, f"{type(error).__name__}: {error}"[:200], None
    version = VERSION.search(body)
    if '<main id="main">' not in body or not body.rstrip().endswith("</html>"):
        return INCOMPLETE_PAGE, "not a whole page", None
    if "<svg" in body and FIRST_FIGURE_MARK not in body:
        return INCOMPLETE_PAGE, f"figures but none marked {FIRST_FIGURE_MARK}", None
    return OK, "", html.unescape(version.group(1)) if version else None


class LightReaders:
    """`count` readers going round `pages` (full URLs), recording into `log`, until `stop()`."""

    def __init__(self, pages: list[str], count: int, log: RequestLog, think_s: float = 1.0) -> None:
        self.pages, self.count, self.log, self.think_s = pages, count, log, think_s
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> LightReaders:
        for i in range(self.count if self.pages else 0):
            thread = threading.Thread(target=self._read, args=(f"light-{i + 1}", i), daemon=True,
                                      name=f"fault-light-{i + 1}")
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self, timeout_s: float = 15) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout_s)

    def _read(self, name: str, offset: int) -> None:
        turn = offset
        while not self._stop.is_set():
            url = self.pages[turn % len(self.pages)]
            turn += 1
            started, clock = self.log.now(), time.perf_counter()
            outcome, detail, version = read_light_page(url)
            self.log.add(Request(name, LIGHT, started, time.perf_counter() - clock, outcome, version, False,
                                 f"{url}: {detail}" if detail else ""))
            self._stop.wait(self.think_s)
