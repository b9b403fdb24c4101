"""Live training runs for pages: the process-wide JobPool, this session's owner id and runs.

Several students share one server. Every browser session gets an owner id (a uuid kept in
``st.session_state``); runs go through one ``JobPool`` per process (``st.cache_resource``), which
bounds how many train at once and refuses to let one session cancel another's run. This
session's runs are kept in ``st.session_state`` as ``RunEntry`` objects: a session never looks
runs up in the pool by anything but its own owner id.

Polling follows DESIGN.md: the script thread never loops; ``live_fragment`` wraps a drawing
function in ``@st.fragment(run_every=...)`` while a run is alive and calls ``st.rerun()`` once
all runs that were alive have ended (so buttons and downloads catch up).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from gan_core.training.config import TrainConfig
from gan_core.training.pool import JobPool
from gan_core.training.run import ALIVE, Run

OWNER_KEY = "_owner_id"
RUNS_KEY = "train_runs"  # list[RunEntry] of this session, oldest first
MAX_RUNS = 4  # runs compared side by side
MAX_RUNNING = 2  # heavy training threads per server (2 CPU cores on the course machines)
MAX_LIGHT = 6  # 2-D playground threads: cheap, but bounded too
POLL_S = 1.0
_NUMBER_KEY = "_train_run_number"


@dataclass
class RunEntry:
    """One run of this session: its number (shown as #n), the config and the live Run."""

    number: int
    config: TrainConfig
    run: Run


@st.cache_resource
def get_pool() -> JobPool:
    """The one JobPool of this server process, shared by every session (every family, playground too)."""
    return JobPool(max_running=MAX_RUNNING, max_light=MAX_LIGHT)


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
    run = get_pool().submit(config, owner=owner_id(), paused=paused)
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
