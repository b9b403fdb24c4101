"""Run threads and the JobPool: controls, idle stop, bounds per lane, the paused-run policy, owners,
and no leaked threads."""
from __future__ import annotations

import os
import sys
import threading
import time

import pytest

from gan_core.data import load_mnist
from gan_core.training.config import TrainConfig
from gan_core.training.pool import JobPool
from gan_core.training.run import Run
from gan_core.training.toy2d import Toy2DConfig

TINY = TrainConfig(model="mlp", batch_size=8, steps=40, snapshot_every=5)


def wait_for(predicate, timeout: float = 120.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("condition not reached in time")
        time.sleep(0.01)


def run_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "gan-run"]


@pytest.fixture(scope="module")
def digits():
    return load_mnist()


@pytest.fixture(autouse=True)
def no_leaked_threads():
    yield
    wait_for(lambda: not run_threads(), timeout=60)


def test_run_to_budget_records_history_and_frames(digits):
    run = Run(config=TINY, data=digits)
    run.start()
    run.join(180)
    snap = run.snapshot()
    assert snap.status == "finished" and snap.stop_reason == "budget"
    assert snap.step == 40
    assert snap.history["step"] == [float(s) for s in range(1, 41)]
    assert len(snap.history["d_loss"]) == 40
    assert [s for s, _ in snap.frames][:2] == [0, 5] and snap.frames[-1][0] == 40
    assert snap.latest_grid.dtype.name == "uint8"
    assert snap.steps_per_s > 0 and snap.device in ("CPU", "CUDA", "MPS")


def test_pause_step_resume_stop(digits):
    run = Run(config=TINY.replace(steps=10_000), data=digits)
    run.prepare()  # built now, paused at step 0, no thread
    assert run.status == "paused" and not run_threads()
    assert run.snapshot().frames[0][0] == 0
    run.step_once("d")
    run.step_once("g")
    snap = run.snapshot()
    assert snap.step == 2 and snap.status == "paused" and not run_threads()  # steps ran in this thread
    assert snap.history["g_loss"][0] != snap.history["g_loss"][0]  # NaN: a D-only step
    run.resume()
    wait_for(lambda: run.snapshot().step > 10)
    run.pause()
    assert run.status == "paused" and not run_threads()  # the thread is gone: its slot is free
    paused_at = run.snapshot().step
    time.sleep(0.3)
    assert run.snapshot().step == paused_at
    run.stop()
    assert run.status == "stopped"


def test_same_config_replays_the_same_run(digits):
    grids = []
    for _ in range(2):
        run = Run(config=TINY.replace(steps=10), data=digits)
        run.start()
        run.join(180)
        grids.append(run.snapshot().latest_grid)
    assert (grids[0] == grids[1]).all()


def test_idle_run_stops_itself(digits):
    now = [0.0]
    run = Run(config=TINY.replace(steps=10**9), data=digits, idle_timeout=60, clock=lambda: now[0])
    run.start()
    wait_for(lambda: run.snapshot(touch=False).step > 3)
    now[0] = 61.0  # a minute passes with nobody reading the snapshot
    run.join(60)
    snap = run.snapshot(touch=False)
    assert snap.status == "stopped" and snap.stop_reason == "idle"


def test_unknown_family_is_refused_by_the_config():
    with pytest.raises(ValueError, match="no-such-model"):
        TrainConfig(model="no-such-model", steps=5)


def test_error_in_thread_is_reported_not_raised(tmp_path):
    run = Run(config=TrainConfig(dataset="folder", data_folder=str(tmp_path / "missing"), image_size=32, steps=5))
    run.start()
    run.join(60)
    snap = run.snapshot()
    assert snap.status == "error" and "missing" in snap.error


def test_pool_bounds_running_and_queues_in_order(digits):
    pool = JobPool(max_running=2)
    cfg = TINY.replace(steps=10**9)
    runs = [pool.submit(cfg, owner=f"s{i}", data=digits) for i in range(4)]
    try:
        assert pool.running == 2 and pool.queued == 2
        assert [pool.queue_position(r) for r in runs] == [0, 0, 1, 2]
        assert runs[2].status == "queued"
        pool.cancel(runs[0], owner="s0")
        wait_for(lambda: runs[2].status in ("starting", "running"))
        assert [pool.queue_position(r) for r in runs[1:]] == [0, 0, 1]
        assert runs[3].owner == "s3"
        with pytest.raises(PermissionError):
            pool.cancel(runs[1], owner="s3")  # one session never stops another's run
        assert runs[1].status in ("starting", "running")
    finally:
        pool.shutdown()
    assert all(r.status == "stopped" for r in runs)


def test_queued_run_nobody_reads_expires():
    now = [0.0]

    def factory(**kwargs):
        return Run(clock=lambda: now[0], **kwargs)

    pool = JobPool(max_running=1, idle_timeout=60, run_factory=factory)
    cfg = TINY.replace(steps=10**9)
    first = pool.submit(cfg, owner="a")
    second = pool.submit(cfg, owner="b")
    try:
        assert pool.queue_position(second) == 1
        now[0] = 59.0
        first.snapshot()  # a is still watched; b's tab was closed
        now[0] = 120.0
        first.snapshot()
        assert pool.queue_position(second) == 0 and pool.queued == 0
        assert second.status == "stopped"
    finally:
        pool.shutdown()


def test_a_paused_run_gives_its_slot_to_the_queue_and_rejoins_at_the_end(digits):
    pool = JobPool(max_running=1)
    cfg = TINY.replace(steps=10**9)
    a = pool.submit(cfg, owner="a", data=digits)
    b = pool.submit(cfg, owner="b", data=digits)
    c = pool.submit(cfg, owner="c", data=digits)
    try:
        wait_for(lambda: a.status == "running")
        assert [pool.queue_position(r) for r in (a, b, c)] == [0, 1, 2]
        a.pause()  # a paused run must not block the others
        wait_for(lambda: b.status == "running")
        assert a.status == "paused" and pool.running == 1
        a.resume()  # back in the queue, behind c
        assert a.status == "queued" and [pool.queue_position(r) for r in (a, c)] == [2, 1]
        b.pause()
        wait_for(lambda: c.status == "running")
        assert pool.queue_position(a) == 1
    finally:
        pool.shutdown()


def test_runs_started_paused_take_no_slot(digits):
    pool = JobPool(max_running=1)
    cfg = TINY.replace(steps=10**9)
    paused = [pool.submit(cfg, owner=f"p{i}", paused=True, data=digits) for i in range(3)]
    live = pool.submit(cfg, owner="live", data=digits)
    try:
        wait_for(lambda: live.status == "running")  # three paused runs did not hold it back
        assert all(r.status == "paused" for r in paused) and pool.running == 1
        paused[0].step_once("both")  # single steps need no slot either
        assert paused[0].snapshot().step == 1
    finally:
        pool.shutdown()


def test_pause_while_starting_is_honoured(digits):
    run = Run(config=TINY.replace(steps=10**9), data=digits)
    run.start()
    run.pause()  # usually still building its models here
    assert run.status == "paused" and not run_threads()
    assert run.snapshot().step < 5


def test_playground_runs_are_bounded_by_their_own_lane(digits):
    """Twelve playground tabs pressing Play get the light lane's bound, not twelve threads, and an
    MNIST run still gets its heavy slot."""
    pool = JobPool(max_running=2, max_light=3)
    toy = Toy2DConfig(batch_size=32, steps=10**9)
    toys = [pool.submit(toy, owner=f"tab{i}") for i in range(12)]
    mnist = pool.submit(TINY.replace(steps=10**9), owner="lecturer", data=digits)
    try:
        wait_for(lambda: mnist.status == "running")
        assert pool.running_in("light") == 3 and pool.running_in("heavy") == 1
        assert len(run_threads()) == 4  # 3 playground threads + 1 MNIST thread: never more than the bounds
        assert sorted(pool.queue_position(r) for r in toys) == [0, 0, 0, *range(1, 10)]
    finally:
        pool.shutdown()


def test_a_closed_tab_gives_its_slot_back_within_seconds(digits):
    """The owner's browser tab closes: its running run stops after the grace period (not after the
    60-second idle timeout), and the queued run behind it starts."""
    open_tab = {"a": True}
    pool = JobPool(max_running=1, idle_timeout=60)
    cfg = TINY.replace(steps=10**9)
    a = pool.submit(cfg, owner="a", data=digits, owner_alive=lambda: open_tab["a"], closed_grace=0.5)
    b = pool.submit(cfg, owner="b", data=digits)
    try:
        wait_for(lambda: a.status == "running")
        open_tab["a"] = False
        wait_for(lambda: b.status == "running", timeout=20)
        snap = a.snapshot(touch=False)
        assert snap.status == "stopped" and snap.stop_reason == "closed"
    finally:
        pool.shutdown()


def test_queue_length_and_estimated_wait(digits):
    pool = JobPool(max_running=1, queue_length=2)
    cfg = TINY.replace(steps=400)
    running = pool.submit(cfg, owner="a", data=digits)
    queued = [pool.submit(cfg, owner=f"q{i}", data=digits) for i in range(2)]
    try:
        from gan_core.training.pool import QueueFull

        with pytest.raises(QueueFull, match="waiting"):
            pool.submit(cfg, owner="late", data=digits)
        wait_for(lambda: running.snapshot().steps_per_s > 0 and running.snapshot().eta_s is not None)
        first, second = (pool.estimated_wait(r) for r in queued)
        assert first is not None and second is not None and second > first >= 0
        assert pool.estimated_wait(running) is None  # not waiting
    finally:
        pool.shutdown()


def test_readers_share_one_snapshot_until_something_changes(digits):
    run = Run(config=TINY.replace(steps=10), data=digits)
    run.prepare()
    assert run.snapshot() is run.snapshot()  # thirty watchers: one copy
    before = run.snapshot()
    run.step_once("both")
    assert run.snapshot() is not before and run.snapshot().step == 1


def test_a_shared_run_is_watched_read_only_under_a_short_code(digits):
    pool = JobPool(max_running=1)
    run = pool.submit(TINY.replace(steps=10**9), owner="lecturer", data=digits, paused=True)
    try:
        with pytest.raises(PermissionError):
            pool.share(run, owner="student")
        code = pool.share(run, owner="lecturer")
        assert len(code) == 4 and pool.share(run, owner="lecturer") == code  # one code per run
        assert pool.shared(code.lower()) is run and pool.shared("ZZZZ") is None
        run.step_once("both")
        watchers = [pool.shared(code).snapshot() for _ in range(30)]
        assert len({id(s) for s in watchers}) == 1  # thirty readers share one snapshot object
        with pytest.raises(PermissionError):
            pool.cancel(pool.shared(code), owner="student")  # watching never controls
        assert run.status == "paused" and run.snapshot().step == 1
    finally:
        pool.shutdown()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are Linux's")
def test_heavy_training_threads_yield_to_page_scripts_light_ones_do_not(digits):
    """classroom.toml's training_nice: the pool hands it to heavy runs, whose thread lowers only its own
    priority (the server's page scripts keep theirs); playground runs stay at the process's level."""
    base = os.getpriority(os.PRIO_PROCESS, 0)
    pool = JobPool(max_running=1, max_light=1, heavy_nice=7)
    heavy = pool.submit(TINY.replace(steps=100_000), owner="a", data=digits)
    light = pool.submit(Toy2DConfig(steps=100_000), owner="a")
    try:
        wait_for(lambda: heavy.status == "running" and light.status == "running")
        wait_for(lambda: heavy._thread is not None and light._thread is not None)
        assert os.getpriority(os.PRIO_PROCESS, heavy._thread.native_id) == min(19, base + 7)
        assert os.getpriority(os.PRIO_PROCESS, light._thread.native_id) == base
        assert os.getpriority(os.PRIO_PROCESS, 0) == base  # the process itself (the server) unchanged
    finally:
        for run in (heavy, light):
            run.stop()
            run.join(60)
