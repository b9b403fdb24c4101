"""Run threads and the JobPool: controls, idle stop, bounds, owners, and no leaked threads."""
from __future__ import annotations

import threading
import time

import pytest

from gan_core.data import load_mnist
from gan_core.training.config import TrainConfig
from gan_core.training.pool import JobPool
from gan_core.training.run import Run

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
    run.start(paused=True)
    wait_for(lambda: run.status == "paused")
    assert run.snapshot().step == 0
    run.step_once("d")
    run.step_once("g")
    wait_for(lambda: run.snapshot().step == 2)
    snap = run.snapshot()
    assert snap.status == "paused"
    assert snap.history["g_loss"][0] != snap.history["g_loss"][0]  # NaN: a D-only step
    run.resume()
    wait_for(lambda: run.snapshot().step > 10)
    run.pause()
    wait_for(lambda: run.status == "paused")
    paused_at = run.snapshot().step
    time.sleep(0.3)
    assert run.snapshot().step == paused_at
    run.stop()
    run.join(60)
    assert run.status == "stopped"
    assert not run_threads()


def test_reset_replays_the_same_run(digits):
    run = Run(config=TINY.replace(steps=10), data=digits)
    run.start()
    run.join(180)
    first = run.snapshot().latest_grid
    run.reset()
    assert run.snapshot().status == "new" and run.snapshot().step == 0
    run.start()
    run.join(180)
    assert (run.snapshot().latest_grid == first).all()


def test_idle_run_stops_itself(digits):
    now = [0.0]
    run = Run(config=TINY.replace(steps=10**9), data=digits, idle_timeout=60, clock=lambda: now[0])
    run.start()
    wait_for(lambda: run.snapshot(touch=False).step > 3)
    now[0] = 61.0  # a minute passes with nobody reading the snapshot
    run.join(60)
    snap = run.snapshot(touch=False)
    assert snap.status == "stopped" and snap.stop_reason == "idle"


def test_error_in_thread_is_reported_not_raised():
    run = Run(config=TrainConfig(model="no-such-model", steps=5))
    run.start()
    run.join(60)
    snap = run.snapshot()
    assert snap.status == "error" and "no-such-model" in snap.error


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
        assert pool.runs_of("s3") == [runs[3]]
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
    first = pool.submit(cfg, owner="a", paused=True)
    second = pool.submit(cfg, owner="b")
    try:
        assert pool.queue_position(second) == 1
        now[0] = 120.0
        first.snapshot()  # a is still watched; b's tab was closed
        assert pool.queue_position(second) == 0 and pool.queued == 0
        assert second.status == "stopped"
    finally:
        pool.shutdown()
