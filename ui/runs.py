"""Live training runs for pages: the process-wide JobPool, this session's owner id and runs.

Several students share one server. Every browser session gets an owner id (a uuid kept in
``st.session_state``); runs go through one ``JobPool`` per process (``st.cache_resource``, bounds
from ``.streamlit/classroom.toml``), which bounds how many train at once and refuses to let one
session cancel another's run. A run whose tab closes stops within seconds (the Streamlit runtime
tells us when a session's connection is gone). This session's runs are kept in
``st.session_state`` as ``RunEntry`` objects. A *student* (``student_id``) is one browser: the id
survives a reload, so a student finds their saved runs again.

Polling follows DESIGN.md: the script thread never loops; ``live_fragment`` wraps a drawing
function in ``@st.fragment(run_every=...)`` while a run is alive and calls ``st.rerun()`` once
all runs that were alive have ended (so buttons and downloads catch up).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from gan_core.classroom import limits
from gan_core.training.config import TrainConfig
from gan_core.training.pool import JobPool
from gan_core.training.run import ALIVE, Run

OWNER_KEY = "_owner_id"
RUNS_KEY = "train_runs"  # list[RunEntry] of this session, oldest first
MAX_RUNS = 4  # runs compared side by side
MAX_RUNNING = limits().heavy_runs  # heavy training threads per server (one per core on a laptop)
MAX_LIGHT = limits().light_runs  # 2-D playground threads: cheap, but bounded too
POLL_S = 1.0
STUDENT_KEY = "_student_id"
BROWSER_COOKIE = "_streamlit_xsrf"  # set once per browser by Streamlit's server
_NUMBER_KEY = "_train_run_number"


@dataclass
class RunEntry:
    """One run of this session: its number (shown as #n), the config and the live Run."""

    number: int
    config: TrainConfig
    run: Run


@st.cache_resource
def get_pool() -> JobPool:
    """The one JobPool of this server process, shared by every session (every family, playground too);
    heavy runs train on Ray actors when classroom.toml says ``[backend] kind = "ray"``."""
    from gan_core.training.backends import load_backend, make_pool

    return make_pool(limits(), load_backend())


def owner_alive() -> Callable[[], bool] | None:
    """A check the pool calls: is this session's browser tab still connected? None outside a server."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    runtime, session = Runtime.instance(), ctx.session_id
    return lambda: runtime.is_active_session(session)


def run_options() -> dict:
    """Keyword arguments every page passes to ``get_pool().submit``: the closed-tab check."""
    return {"owner_alive": owner_alive(), "closed_grace": limits().closed_tab_seconds}


def _browser_token(cookie: str) -> bytes:
    """The stable part of Streamlit's XSRF cookie (its value is re-masked on every page load)."""
    try:
        from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

        token, _ = decode_xsrf_token_string(cookie)
    except Exception:  # noqa: BLE001 - another Streamlit version: the raw value still works per load
        token = None
    return bytes(token) if token else cookie.encode()


def student_id() -> str:
    """One id per browser (a hash of Streamlit's per-browser cookie), so a reload finds the same saves;
    a random one when the cookie is not there (tests, embedded use)."""
    if STUDENT_KEY not in st.session_state:
        cookie = None
        try:
            cookie = st.context.cookies.get(BROWSER_COOKIE)
        except Exception:  # noqa: BLE001 - no request context (bare mode)
            cookie = None
        seed = _browser_token(cookie) if isinstance(cookie, str) and cookie else uuid.uuid4().bytes
        st.session_state[STUDENT_KEY] = hashlib.sha256(b"gan-classroom:" + seed).hexdigest()[:12]
    return st.session_state[STUDENT_KEY]


def owner_id() -> str:
    """A random id for this browser session (a closed tab's session simply stops polling)."""
    if OWNER_KEY not in st.session_state:
        st.session_state[OWNER_KEY] = uuid.uuid4().hex
    return st.session_state[OWNER_KEY]


def session_runs() -> list[RunEntry]:
    if RUNS_KEY not in st.session_state:
        st.session_state[RUNS_KEY] = []
    return st.session_state[RUNS_KEY]


def submit(config: TrainConfig, *, paused: bool = False) -> RunEntry:
    """Start (or queue) a run of ``config`` for this session and remember it.

    When the session already holds MAX_RUNS runs, the oldest ended one makes room; if all are
    alive the caller must check ``can_add()`` first.
    """
    runs = session_runs()
    while len(runs) >= MAX_RUNS:
        ended = [e for e in runs if not e.run.snapshot(touch=False).alive]
        if not ended:
            raise RuntimeError("too many live runs")
        runs.remove(ended[0])
    run = get_pool().submit(config, owner=owner_id(), paused=paused, **run_options())
    st.session_state[_NUMBER_KEY] = st.session_state.get(_NUMBER_KEY, 0) + 1
    entry = RunEntry(number=st.session_state[_NUMBER_KEY], config=config, run=run)
    runs.append(entry)
    return entry


def can_add() -> bool:
    runs = session_runs()
    return len(runs) < MAX_RUNS or any(not e.run.snapshot(touch=False).alive for e in runs)


def cancel(entry: RunEntry) -> None:
    """Stop one of this session's runs (the pool checks the owner)."""
    get_pool().cancel(entry.run, owner=owner_id())


def remove(entry: RunEntry) -> None:
    cancel(entry)
    runs = session_runs()
    if entry in runs:
        runs.remove(entry)


def queue_position(entry: RunEntry) -> int:
    return get_pool().queue_position(entry.run)


def status_signature() -> tuple[tuple[int, str], ...]:
    """(number, status) of this session's runs: cheap (no history copy)."""
    return tuple((e.number, e.run.status) for e in session_runs())


def live_fragment(draw: Callable[[], None], *, key: str) -> None:
    """Run ``draw`` in a fragment that refreshes every POLL_S seconds while a run is alive.

    When a run changes status on its own (starting -> running, running -> finished, a queued run
    getting its slot), the fragment reruns the whole app once, so buttons outside it catch up;
    with no run alive it stops polling.
    """
    signature = status_signature()
    alive = any(status in ALIVE for _, status in signature)

    def body() -> None:
        draw()
        if status_signature() != signature:
            st.rerun()

    st.fragment(body, run_every=POLL_S if alive else None, key=key)()


def replay(entry: RunEntry) -> RunEntry:
    """Reset: stop ``entry`` and put a fresh run of the same config (same seed) in its place,
    paused at step 0, so the class can replay it step by step or press resume."""
    cancel(entry)
    runs = session_runs()
    index = runs.index(entry) if entry in runs else len(runs)
    if entry in runs:
        runs.remove(entry)
    fresh = submit(entry.config, paused=True)
    runs.remove(fresh)
    runs.insert(index, fresh)
    return fresh
