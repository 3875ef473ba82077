"""A minimal Streamlit client over the websocket: what a browser tab does, without the browser.

It speaks Streamlit's own protocol (the protobuf BackMsg / ForwardMsg of the installed Streamlit):
load the page's HTML (which also gives nginx's sticky cookie), open `/_stcore/stream`, ask for a
script run of a page with a query string, read every message until the run has finished, and
change a selectbox the way the browser does (a rerun with that widget's new value). Used to time
server reruns, to hold many sessions for the memory figure, and as the load test's user.
"""
from __future__ import annotations

import asyncio
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR
CONNECTION_CLOSED = object()  # put in the run queue when the websocket closes


@dataclass
class RunResult:
    """One script run as the client saw it: wall time to the end of the run, bytes, messages."""

    seconds: float
    bytes: int
    messages: int
    exceptions: int = 0


@dataclass
class Selectbox:
    widget_id: str
    options: list[str]
    value: str


@dataclass
class StreamlitSession:
    """One simulated browser tab on `base_url` (http://host:port), showing page `page` ("" = home)."""

    base_url: str
    page: str
    query: str = ""
    timeout_s: float = 60
    selectboxes: dict[str, Selectbox] = field(default_factory=dict)
    bytes_received: int = 0
    _ws: object = None
    _reader: asyncio.Task | None = None
    _finished: asyncio.Queue | None = None
    _run_bytes: int = 0
    _run_messages: int = 0
    _run_exceptions: int = 0

    async def open(self) -> RunResult:
        """Load the page's HTML, connect the websocket and run the page once."""
        cookie = await asyncio.to_thread(self._fetch_html)
        await self.connect(cookie)
        return await self.rerun()

    async def connect(self, cookie: str = "") -> None:
        """Open the websocket (a new session on the server) with the sticky cookie, if any."""
        ws_url = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Cookie": cookie} if cookie else {}
        self._ws = await connect(ws_url, subprotocols=["streamlit"], additional_headers=headers,
                                 max_size=None, ping_interval=None, open_timeout=self.timeout_s)
        self._finished = asyncio.Queue()
        self._reader = asyncio.create_task(self._read_forever())

    def _fetch_html(self) -> str:
        url = f"{self.base_url}/{self.page}" + (f"?{self.query}" if self.query else "")
        with urllib.request.urlopen(url, timeout=self.timeout_s) as response:
            self.bytes_received += len(response.read())
            cookies = response.headers.get_all("Set-Cookie") or []
        return "; ".join(c.split(";", 1)[0] for c in cookies)

    def _client_state(self, widgets: list[WidgetState]) -> BackMsg:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_name = self.page
        state.context_info.CopyFrom(ContextInfo(timezone="Asia/Ho_Chi_Minh", timezone_offset=-420, locale="vi-VN",
                                                url=f"{self.base_url}/{self.page}", is_embedded=False))
        state.widget_states.widgets.extend(widgets)
        return msg

    async def rerun(self, widgets: list[WidgetState] | None = None) -> RunResult:
        """Ask for a script run and wait until it has finished (reruns it triggers included)."""
        if self._reader is not None and self._reader.done():
            raise ConnectionError("the websocket is closed")
        while not self._finished.empty():
            self._finished.get_nowait()
        self._run_bytes = self._run_messages = self._run_exceptions = 0
        start = time.perf_counter()
        await self._ws.send(self._client_state(widgets or []).SerializeToString())
        while True:
            status = await asyncio.wait_for(self._finished.get(), self.timeout_s)
            if status is CONNECTION_CLOSED:
                raise ConnectionError("the websocket closed before the script run finished")
            if status in (FINISHED, COMPILE_ERROR):
                break
        return RunResult(time.perf_counter() - start, self._run_bytes, self._run_messages, self._run_exceptions)

    async def choose(self, label: str, option: str | None = None) -> RunResult:
        """Pick `option` (default: the next one) in the selectbox labelled `label`."""
        box = self.selectboxes[label]
        if option is None:
            others = [o for o in box.options if o != box.value]
            option = others[0] if others else box.value
        box.value = option
        return await self.rerun([WidgetState(id=box.widget_id, string_value=option)])

    async def _read_forever(self) -> None:
        try:
            async for data in self._ws:
                self._run_bytes += len(data)
                self.bytes_received += len(data)
                self._run_messages += 1
                self._handle(ForwardMsg.FromString(data))
        except Exception:  # noqa: BLE001 - a closed socket ends the reader
            pass
        finally:  # a run in progress fails now instead of waiting for its timeout
            self._finished.put_nowait(CONNECTION_CLOSED)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "script_finished":
            self._finished.put_nowait(msg.script_finished)
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string  # the app keeps its state in the URL
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "selectbox":
                box = element.selectbox
                options = list(box.options)
                value = box.raw_value if box.set_value else (options[box.default] if options else "")
                self.selectboxes[box.label] = Selectbox(box.id, options, value)
            elif which == "exception":
                self._run_exceptions += 1

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()


def page_query(params: dict[str, str]) -> str:
    return urllib.parse.urlencode(params)


def run_async(coroutine):
    """Run a coroutine to the end in a new event loop on its own thread (Playwright's sync API
    already runs an event loop in the calling thread, where asyncio.run is refused)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
