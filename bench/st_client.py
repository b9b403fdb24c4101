"""A small Streamlit protocol client: one browser tab without the browser, for load tests.

It speaks what the Streamlit 1.67 frontend speaks over ``ws://HOST:PORT/_stcore/stream``
(subprotocol "streamlit", an Origin header): it sends ``BackMsg(rerun_script=ClientState(...))``
built with Streamlit's own protobufs and reads ``ForwardMsg``s until ``script_finished``. One
interaction (a page load, a slider moved, a button pressed, one tick of a ``run_every`` fragment)
is timed from the send to that message, which is when a browser would have everything to draw.

What it keeps, like the frontend does: the pages of ``st.navigation`` (url path -> script hash), the
widgets of the last run (their ids, found in the deltas; the user key is the id's tail), and the
fragments that asked to be rerun every few seconds (``auto_rerun``). Widget values are sent only for
the widget that changed: the server keeps the others (``SessionState.set_widgets_from_proto``
merges). Media (``st.image`` URLs) is not fetched, and no message cache is announced, so the server
sends every element in full (a browser's first visit).

Errors counted per interaction: an ``exception`` element (a traceback on the page), a script
compilation error, a page-not-found, a closed socket or no ``script_finished`` within the timeout.
``st.error`` boxes are the app's own messages: counted apart (``alerts``), not as errors.
"""
from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Slider_pb2 import Slider
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

FINISHED_FULL = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_FRAGMENT = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
FINISHED_EARLY = ForwardMsg.FINISHED_EARLY_FOR_RERUN
ERROR_ALERT = 1  # streamlit.proto.Alert.Format.ERROR


@dataclass
class Interaction:
    """One request and what came back."""

    what: str
    ms: float
    errors: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    deltas: int = 0
    nbytes: int = 0


@dataclass
class Widget:
    kind: str  # the Element oneof name: slider, button, selectbox, ...
    id: str
    proto: object  # the element's own proto (Slider, Button, ...)


def user_key(widget_id: str) -> str | None:
    """The ``key=`` a page gave a widget: the tail of Streamlit's element id (None without one)."""
    tail = widget_id.split("-", maxsplit=2)[-1]
    return None if tail == "None" else tail


class Session:
    """One browser tab. ``await Session.open(url)`` connects and loads the default page."""

    def __init__(self, ws: ClientConnection, *, origin: str, timeout: float) -> None:
        self._ws = ws
        self._origin = origin
        self.timeout = timeout
        self.pages: dict[str, str] = {}  # url path ("" for the default page) -> page script hash
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}  # user key (or label) -> the widget of the last run
        self.fragments: dict[str, float] = {}  # fragment id -> seconds between its reruns
        self.texts: list[str] = []  # markdown/caption/alert bodies of the last full run
        self.metrics: dict[str, str] = {}  # st.metric label -> value, as last drawn (fragments too)
        self.query_string = ""

    @classmethod
    async def open(cls, url: str, *, timeout: float = 60.0, query_string: str = "") -> tuple[Session, Interaction]:
        host = url.split("://", 1)[-1].rstrip("/")
        ws = await connect(f"ws://{host}/_stcore/stream", subprotocols=["streamlit"],
                           origin=f"http://{host}", max_size=None, open_timeout=timeout)
        session = cls(ws, origin=f"http://{host}", timeout=timeout)
        session.query_string = query_string
        first = await session.rerun("load")
        return session, first

    async def close(self) -> None:
        await self._ws.close()

    # -- requests ----------------------------------------------------------------------------
    def _back_msg(self, *, widgets: list[WidgetState], fragment_id: str = "", auto: bool = False) -> bytes:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = self.page_hash
        cs.fragment_id = fragment_id
        cs.is_auto_rerun = auto
        cs.widget_states.widgets.extend(widgets)
        info = cs.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/Warsaw", -60, "en-US"
        info.url, info.color_scheme = self._origin + "/", "light"
        return msg.SerializeToString()

    async def rerun(self, what: str, *, widgets: list[WidgetState] | None = None,
                    fragment_id: str = "", auto: bool = False) -> Interaction:
        """Send one rerun request and read until its script_finished; the Interaction times it."""
        t0 = time.perf_counter()
        result = Interaction(what=what, ms=0.0)
        await self._ws.send(self._back_msg(widgets=widgets or [], fragment_id=fragment_id, auto=auto))
        want = FINISHED_FRAGMENT if fragment_id else FINISHED_FULL
        deadline = t0 + self.timeout
        try:
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    result.errors.append(f"{what}: no script_finished within {self.timeout:.0f} s")
                    break
                raw = await asyncio.wait_for(self._ws.recv(), timeout=left)
                result.nbytes += len(raw)
                msg = ForwardMsg()
                msg.ParseFromString(raw)
                kind = msg.WhichOneof("type")
                if kind == "script_finished":
                    if msg.script_finished in (want, FINISHED_FULL, FINISHED_FRAGMENT):
                        break
                    if msg.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        result.errors.append(f"{what}: compile error")
                        break
                    continue  # FINISHED_EARLY_FOR_RERUN: the run we asked for follows
                self._take(msg, kind, result)
        except TimeoutError:
            result.errors.append(f"{what}: no script_finished within {self.timeout:.0f} s")
        except Exception as exc:  # noqa: BLE001 - a closed socket is an error of this interaction
            result.errors.append(f"{what}: {type(exc).__name__}: {exc}")
        result.ms = (time.perf_counter() - t0) * 1000
        return result

    def _take(self, msg: ForwardMsg, kind: str, result: Interaction) -> None:
        if kind == "delta":
            result.deltas += 1
            delta = msg.delta
            if delta.WhichOneof("type") != "new_element":
                return
            el = delta.new_element
            ek = el.WhichOneof("type")
            if ek == "exception":
                result.errors.append(f"{result.what}: {el.exception.type}: {el.exception.message[:200]}")
            elif ek == "alert":
                self.texts.append(el.alert.body)
                if el.alert.format == ERROR_ALERT:
                    result.alerts.append(el.alert.body[:200])
            elif ek == "markdown":
                self.texts.append(el.markdown.body)
            elif ek == "metric":
                self.metrics[el.metric.label] = el.metric.body
            elif ek is not None:
                proto = getattr(el, ek)
                wid = getattr(proto, "id", "")
                if isinstance(wid, str) and wid.startswith("$$ID"):
                    name = user_key(wid) or getattr(proto, "label", wid)
                    self.widgets[name] = Widget(kind=ek, id=wid, proto=proto)
        elif kind == "navigation":
            self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
            for p in msg.navigation.app_pages:
                if p.is_default:
                    self.pages[""] = p.page_script_hash
            self.page_hash = msg.navigation.page_script_hash or self.page_hash
        elif kind == "new_session":
            self.page_hash = msg.new_session.page_script_hash or self.page_hash
            if not msg.metadata.run.fragment_ids:  # a full run (asked for, or a fragment's st.rerun)
                self.fragments.clear()  # it registers its fragments again
                self.widgets.clear()
                self.texts = []
        elif kind == "auto_rerun":
            self.fragments[msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "stop_auto_rerun":
            for fid in msg.stop_auto_rerun.fragment_ids:
                self.fragments.pop(fid, None)
        elif kind == "page_not_found":
            result.errors.append(f"{result.what}: page not found ({msg.page_not_found.page_name})")
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            result.errors.append(f"{result.what}: {msg.session_event.script_compilation_exception.message}")

    # -- what a student does -----------------------------------------------------------------
    async def goto(self, path: str, *, query_string: str = "") -> Interaction:
        """Open a page by its url path (``train_watch``), as a click in the navigation bar does."""
        if path not in self.pages:
            return Interaction(what=f"goto {path}", ms=0.0, errors=[f"no page {path!r}: {sorted(self.pages)}"])
        self.page_hash = self.pages[path]
        self.query_string = query_string
        return await self.rerun(f"goto {path}")

    def sliders(self) -> list[Widget]:
        return [w for w in self.widgets.values() if w.kind == "slider" and not w.proto.disabled]

    async def move(self, widget: Widget, rng: random.Random) -> Interaction:
        """Move a slider or select slider to another value, as a drag ending there does."""
        s = widget.proto
        state = WidgetState(id=widget.id)
        if s.type == Slider.Type.SELECT_SLIDER:
            current = set(s.value)
            others = [i for i in range(len(s.options)) if i not in current] or [0]
            state.string_array_value.data.append(s.options[rng.choice(others)])
        else:
            n = max(1, round((s.max - s.min) / s.step)) if s.step > 0 else 1
            values = [s.min + rng.randint(0, n) * s.step for _ in s.value or [s.default]]
            state.double_array_value.data.extend(sorted(values))
        return await self.rerun(f"slider {user_key(widget.id) or s.label}", widgets=[state])

    async def click(self, key: str) -> Interaction:
        """Press the button whose ``key=`` is ``key``."""
        widget = self.widgets.get(key)
        if widget is None:
            return Interaction(what=f"click {key}", ms=0.0, errors=[f"no button {key!r} on the page"])
        return await self.rerun(f"click {key}", widgets=[WidgetState(id=widget.id, trigger_value=True)])

    async def tick(self) -> list[Interaction]:
        """One auto-rerun of every ``run_every`` fragment on the page (what the browser's timer sends)."""
        return [await self.rerun("fragment tick", fragment_id=fid, auto=True) for fid in list(self.fragments)]

    async def set_number(self, key: str, value: float) -> Interaction:
        """Type ``value`` into the number input whose ``key=`` is ``key``."""
        widget = self.widgets.get(key)
        if widget is None:
            return Interaction(what=f"set {key}", ms=0.0, errors=[f"no number input {key!r} on the page"])
        return await self.rerun(f"set {key}", widgets=[WidgetState(id=widget.id, double_value=float(value))])
