"""A visitor that speaks Streamlit's websocket protocol the way the browser does.

It opens ``/_stcore/stream``, sends ``BackMsg.rerun_script`` (page name, query string, and the
hashes of messages it has cached, as the browser's ForwardMsgCache does) and reads ``ForwardMsg``
frames until ``script_finished``. Filter changes are new query strings: the dashboard re-reads its
filters from the URL whenever the URL holds something it did not write (a shared link, the back
button), so a rerun with another query string is a filter change. Protobuf classes come from the
installed streamlit, so the driver always matches the server's protocol version.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FAILURE_TEXT = "could not be shown"


@dataclass
class Run:
    seconds: float
    bytes: int
    messages: int
    ok: bool
    error: str = ""
    alerts: list[str] = field(default_factory=list)
    """Text of every alert (warning, info, error box) the run drew, in order."""


@dataclass
class Visitor:
    """One browser tab: one websocket session, any number of script runs."""

    base: str
    page: str = ""
    timeout: float = 120.0
    cached: set[str] = field(default_factory=set)
    _ws: websockets.ClientConnection | None = None

    async def __aenter__(self) -> Visitor:
        url = self.base.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"
        self._ws = await asyncio.wait_for(
            websockets.connect(
                url,
                subprotocols=[websockets.Subprotocol("streamlit")],
                origin=websockets.Origin(self.base),
                max_size=None,
                compression=None,
                open_timeout=self.timeout,
                ping_interval=None,
            ),
            self.timeout,
        )
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._ws is not None:
            await self._ws.close()

    async def run(self, query: str = "") -> Run:
        """One script run with ``query`` as the page's query string; returns when the run finished."""
        assert self._ws is not None
        message = BackMsg()
        message.rerun_script.query_string = query
        message.rerun_script.page_name = self.page
        message.rerun_script.cached_message_hashes.extend(sorted(self.cached))
        started = time.perf_counter()
        await self._ws.send(message.SerializeToString())
        size = count = 0
        ok, error = True, ""
        alerts: list[str] = []
        while True:
            raw = await asyncio.wait_for(self._ws.recv(), self.timeout)
            assert isinstance(raw, bytes)
            size += len(raw)
            count += 1
            forward = ForwardMsg.FromString(raw)
            kind = forward.WhichOneof("type")
            if forward.metadata.cacheable and forward.hash:
                self.cached.add(forward.hash)
            if kind == "delta" and forward.delta.new_element.WhichOneof("type") == "alert":
                alerts.append(forward.delta.new_element.alert.body)
            if kind == "delta" and _failed(forward):
                ok, error = False, "page error shown"
            elif kind == "script_finished":
                if forward.script_finished not in (
                    ForwardMsg.FINISHED_SUCCESSFULLY,
                    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
                ):
                    ok, error = False, f"script finished with status {forward.script_finished}"
                return Run(time.perf_counter() - started, size, count, ok, error, alerts)


def _failed(forward: ForwardMsg) -> bool:
    element = forward.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "exception":
        return True
    return kind == "alert" and FAILURE_TEXT in element.alert.body
