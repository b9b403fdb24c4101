"""A class on one server: N students browse, move sliders and watch a shared run while 2 MNIST runs train.

The benchmark starts ``streamlit run app.py`` on a free loopback port (its own process group, a
temporary runs/ folder, the limits of .streamlit/classroom.toml) and stops it at the end. Sessions
are Streamlit protocol clients (``bench/st_client.py``), not browsers: thirty headless browsers on
two cores would measure the browsers. Each interaction is timed from the request to the server's
``script_finished`` (everything a browser needs to draw; drawing itself is not included).

Who is in the room:
- two trainers: each opens the Train page, sets a 20,000-step budget and presses Start (the pool's
  two heavy slots); the first also presses the page's share button when it has one (the run the
  room watches). Their live views tick once a second; a run that finishes is started again, so the
  server trains for the whole benchmark (the soak's "trains continuously").
- N students, each a loop of what a student does, 1-3 s of reading between actions: open a page
  (home, story, objectives, playground, latent walk, conditional GAN, gallery, watch), move one to
  three of its sliders, watch the shared run on pages/train_watch.py for 5 ticks, or press Play in
  the 2-D playground for 5 ticks (0.2 s apart) and Pause. Every ~25 actions a student reloads the
  tab (a new session), so closed sessions must be cleaned up.

Measured over the window after the warm-up (one visit of every page first, not timed):
errors (tracebacks on a page, no answer within 60 s, closed sockets, missing pages or widgets),
p50/p95 of the students' own interactions (page, slider, button: the live-view ticks are printed
apart), the server's peak RSS and its growth: median RSS of the last tenth of the window minus that
of the window's start (the first 5 minutes in a soak of 15 minutes or more, else its first third).

    python -m bench.classroom_load --quick            # 10 sessions, under a minute
    python -m bench.classroom_load                    # 30 sessions, 3 minutes
    python -m bench.classroom_load --minutes 30       # soak: 30 sessions for 30 minutes
    python -m bench.classroom_load --sessions 50      # beyond a class: what breaks first
    python -m bench.classroom_load --quick --server-option runner.postScriptGC=false   # A/B a server setting
    GAN_CLASSROOM_CONFIG=my.toml python -m bench.classroom_load   # other limits, or [backend] kind = "ray"
JSON (last line): {"sessions", "errors", "p50_ms", "p95_ms", "peak_mb", "growth_mb"}
"""
from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.common import emit, parser, percentile
from bench.serve import Memory, cpu_s, server
from bench.st_client import Interaction, Session

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("", "learn_story", "learn_objectives", "learn_playground", "explore_latent", "explore_cgan",
         "explore_gallery", "train_watch")  # "" is the home page
TRAIN_STEPS = 20_000
THINK_S = (1.0, 3.0)
RELOAD_EVERY = 25
USER_KINDS = ("load", "goto", "slider", "click")
SPEED_LABEL = json.loads((ROOT / "assets/i18n/en/train.json").read_text(encoding="utf-8"))["train.metric_speed"]


class Tally:
    """Every interaction of the measured window, by kind."""

    def __init__(self) -> None:
        self.ms: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.alerts: list[str] = []
        self.recording = False

    def add(self, kind: str, it: Interaction) -> None:
        if not self.recording:
            return
        if it.ms > 0:
            self.ms[kind].append(it.ms)
        self.errors.extend(it.errors)
        self.alerts.extend(it.alerts)

    def user_ms(self) -> list[float]:
        return [v for k in USER_KINDS for v in self.ms[k]]


async def trainer(url: str, tally: Tally, stop: asyncio.Event, *, share: bool, log: list[str]) -> None:
    sess, _ = await Session.open(url)
    try:
        await sess.goto("train_mnist")
        await sess.set_number("train_steps", TRAIN_STEPS)
        tally.add("trainer", await sess.click("train_start"))
        if share:
            keys = [k for k, w in sess.widgets.items() if w.kind == "button" and "share" in k]
            if keys:
                tally.add("trainer", await sess.click(keys[0]))
            log.append(f"shared with {keys[0]!r}" if keys else "the Train page has no share button: "
                       "watchers see the code picker only")
        starts = 1
        while not stop.is_set():
            await asyncio.sleep(1.0)
            if not sess.fragments:  # the run ended (budget, idle): train again
                tally.add("trainer", await sess.click("train_start"))
                starts += 1
            for it in await sess.tick():
                tally.add("trainer tick", it)
            speed = sess.metrics.get(SPEED_LABEL, "-")
            if speed.replace(".", "").isdigit():
                log.append(speed)
        await sess.click("train_stop")
        log.append(f"starts={starts}")
    finally:
        await sess.close()


async def student(url: str, tally: Tally, stop: asyncio.Event, rng: random.Random) -> None:
    sess, first = await Session.open(url)
    tally.add("load", first)
    actions = 0
    try:
        while not stop.is_set():
            await asyncio.sleep(rng.uniform(*THINK_S))
            actions += 1
            if actions % RELOAD_EVERY == 0:  # the student reloads the tab: a new session
                await sess.close()
                sess, first = await Session.open(url)
                tally.add("load", first)
                continue
            choice = rng.random()
            if choice < 0.45:  # open a page and move some of its sliders
                tally.add("goto", await sess.goto(rng.choice(PAGES)))
                for _ in range(rng.randint(0, 3)):
                    sliders = sess.sliders()
                    if not sliders or stop.is_set():
                        break
                    await asyncio.sleep(rng.uniform(0.3, 1.0))
                    tally.add("slider", await sess.move(rng.choice(sliders), rng))
            elif choice < 0.8:  # watch the shared run
                tally.add("goto", await sess.goto("train_watch"))
                picks = [k for k in sess.widgets if k.startswith("watch_pick_")]
                if picks:
                    tally.add("click", await sess.click(picks[0]))
                for _ in range(5):
                    await asyncio.sleep(1.0)
                    for it in await sess.tick():
                        tally.add("watch tick", it)
            else:  # the 2-D playground: play a little, then pause
                tally.add("goto", await sess.goto("learn_playground"))
                tally.add("click", await sess.click("pg_play"))
                for _ in range(5):
                    await asyncio.sleep(0.2)
                    for it in await sess.tick():
                        tally.add("playground tick", it)
                tally.add("click", await sess.click("pg_pause"))
    finally:
        await sess.close()


async def warm_up(url: str) -> list[str]:
    """One visit of every page the students open (imports, cached models): not timed."""
    sess, _ = await Session.open(url)
    errors = []
    for page in PAGES:
        errors += (await sess.goto(page)).errors
    await sess.close()
    return errors


async def classroom(url: str, *, sessions: int, seconds: float, tally: Tally, memory: Memory, pid: int) -> dict:
    stop = asyncio.Event()
    logs: list[list[str]] = [[], []]
    trainers = [asyncio.create_task(trainer(url, tally, stop, share=i == 0, log=logs[i])) for i in range(2)]
    warm_errors = await warm_up(url)
    tally.recording = True
    t_start, cpu_start = time.monotonic() - memory.t0, cpu_s(pid)
    rngs = [random.Random(i) for i in range(sessions)]

    async def late(i: int) -> None:
        await asyncio.sleep(5.0 * i / sessions)  # the room opens the link within 5 s
        await student(url, tally, stop, rngs[i])

    students = [asyncio.create_task(late(i)) for i in range(sessions)]
    await asyncio.sleep(seconds)
    stop.set()
    t_end, cpu_end = time.monotonic() - memory.t0, cpu_s(pid)
    done = await asyncio.gather(*students, *trainers, return_exceptions=True)
    tally.errors += [f"{type(e).__name__}: {e}" for e in done if isinstance(e, BaseException)]
    tally.recording = False
    return {"window": (t_start, t_end), "server_cpu": (cpu_end - cpu_start) / max(1e-9, t_end - t_start),
            "warm_errors": warm_errors, "trainer_logs": logs}


def growth(samples: list[tuple[float, float]], window: tuple[float, float]) -> float:
    t0, t1 = window
    inside = [(t, mb) for t, mb in samples if t0 <= t <= t1]
    if len(inside) < 4:
        return float("nan")
    span = t1 - t0
    settle = 300.0 if span >= 900 else span / 3
    start = [mb for t, mb in inside if t <= t0 + settle] or [inside[0][1]]
    end = [mb for t, mb in inside if t >= t1 - span / 10] or [inside[-1][1]]
    return statistics.median(end) - statistics.median(start)


def main() -> None:
    p = parser(__doc__.splitlines()[0])
    p.add_argument("--sessions", type=int, default=None, help="students (default 30, --quick 10)")
    p.add_argument("--minutes", type=float, default=None, help="length of the measured window (soak: 30)")
    p.add_argument("--server-option", action="append", default=[], metavar="KEY=VALUE",
                   help="a `streamlit run` option for the server, e.g. runner.postScriptGC=false (repeatable)")
    args = p.parse_args()
    options = tuple(x for kv in args.server_option for x in (f"--{kv.split('=', 1)[0]}", kv.split("=", 1)[1]))
    sessions = args.sessions or (10 if args.quick else 30)
    seconds = 60 * args.minutes if args.minutes else (20.0 if args.quick else 180.0)
    load = os.getloadavg()
    print(f"{sessions} students + 2 trainers for {seconds:.0f} s; load average before: "
          f"{load[0]:.1f} on {os.cpu_count()} cores; server options: {' '.join(options) or 'none'}", flush=True)
    tally = Tally()
    with tempfile.TemporaryDirectory() as tmp, server(Path(tmp) / "runs", Path(tmp) / "server.log",
                                                        options=options) as (url, pid):
        memory = Memory(pid)
        memory.start()
        client_cpu = sum(os.times()[:2])
        info = asyncio.run(classroom(url, sessions=sessions, seconds=seconds, tally=tally, memory=memory, pid=pid))
        client_cpu = (sum(os.times()[:2]) - client_cpu) / max(1e-9, info["window"][1] - info["window"][0])
        memory.done.set()
        memory.join()
        server_errors = [line for line in (Path(tmp) / "server.log").read_text().splitlines() if "Traceback" in line]
    user = tally.user_ms()
    print(f"{'interaction':<17}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind in (*USER_KINDS, "watch tick", "playground tick", "trainer", "trainer tick"):
        ms = tally.ms.get(kind, [])
        if ms:
            print(f"{kind:<17}{len(ms):>6}{percentile(ms, 50):>9.0f}{percentile(ms, 95):>9.0f}{max(ms):>9.0f}")
    for i, lines in enumerate(info["trainer_logs"]):
        speeds = [s for s in lines if s.replace(".", "").isdigit()]
        notes = [s for s in lines if not s.replace(".", "").isdigit()]
        print(f"trainer {i + 1}: steps/s shown {speeds[len(speeds) // 2] if speeds else '-'} (median); "
              + "; ".join(notes))
    print(f"server CPU {100 * info['server_cpu']:.0f}% of one core, this client {100 * client_cpu:.0f}%; "
          f"load average after: {os.getloadavg()[0]:.1f}")
    print(f"app error boxes (st.error): {len(tally.alerts)}; tracebacks in the server log: {len(server_errors)}")
    for e in (info["warm_errors"] + tally.errors)[:10]:
        print("  error:", e)
    peak = max((mb for _, mb in memory.samples), default=float("nan"))
    grown = growth(memory.samples, info["window"])
    print(f"server memory: peak {peak:.0f} MB, growth over the window {grown:+.0f} MB")
    emit({"sessions": sessions, "errors": len(tally.errors) + len(server_errors),
          "p50_ms": percentile(user, 50), "p95_ms": percentile(user, 95), "peak_mb": peak, "growth_mb": grown})


if __name__ == "__main__":
    main()
