"""The Ray backend: a local Ray instance (2 CPUs, loopback, no dashboard, no usage report) trains small
MNIST runs in actors, driven only through what the pages call (submit, snapshot, step_once, resume,
queue_position, cancel, share, shared, save)."""
from __future__ import annotations

import importlib.util
import os
import time

import numpy as np
import pytest

from gan_core.checkpoints import load
from gan_core.classroom import Limits
from gan_core.training.backends import Backend, make_pool
from gan_core.training.config import TrainConfig

if importlib.util.find_spec("ray") is None:
    if os.environ.get("CI") == "true":
        pytest.fail("Ray is missing on CI: requirements.txt installs it", pytrace=False)
    pytest.skip("Ray is not installed here: .venv/bin/pip install -r requirements.txt runs this test",
                allow_module_level=True)

TINY = TrainConfig(model="mlp", batch_size=8, steps=30, snapshot_every=5)


def poll(run, until, timeout: float = 60.0):
    """Read the run as a page's fragment does, until ``until(snapshot)``."""
    end = time.monotonic() + timeout
    while True:
        snap = run.snapshot()
        if until(snap):
            return snap
        assert snap.status != "error", snap.error
        assert time.monotonic() < end, f"still {snap.status} at step {snap.step}"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    pool = make_pool(Limits(heavy_runs=1, light_runs=1), Backend(kind="ray"), num_cpus=2,
                     _temp_dir=str(tmp_path_factory.mktemp("ray")))
    yield pool
    pool.shutdown()
    import ray

    assert not ray.is_initialized()  # the pool stops the instance it started


def test_runs_train_in_actors_through_the_pages_interface(pool, tmp_path):
    from gan_core.training.remote_run import RemoteRun

    a = pool.submit(TINY, owner="alice", paused=True, quality_every=0)  # built in its actor, paused at step 0
    assert isinstance(a, RemoteRun) and a.status == "paused" and a.trainer is not None
    assert a.snapshot().frames[0][0] == 0
    a.step_once("both")
    first = a.snapshot()
    assert first.step == 1 and first.status == "paused" and first.history["step"] == [1.0]

    b = pool.submit(TINY.replace(steps=100_000), owner="bob", quality_every=0)  # the one heavy slot: a holds none
    a.resume()  # back into the queue, behind b
    assert pool.queue_position(a) == 1 and a.snapshot().status == "queued"
    c = pool.submit(TINY, owner="carol", quality_every=0)
    assert c.status == "queued" and pool.queue_position(c) == 2 and c._actor is None  # no process while it waits
    pool.cancel(c, owner="carol")
    assert c.snapshot().status == "stopped" and c._actor is None and pool.queue_position(a) == 1
    code = pool.share(b, owner="bob")
    assert pool.shared(code.lower()) is b
    live = poll(b, lambda s: s.status == "running" and s.step >= 10)
    assert live.latest_grid.dtype == np.uint8 and live.steps_per_s > 0
    assert b.snapshot() is b.snapshot()  # watchers share one copy until something changes
    with pytest.raises(PermissionError):
        pool.cancel(b, owner="alice")
    pool.cancel(b, owner="bob")  # its slot goes to a

    done = poll(a, lambda s: s.status == "finished")
    assert done.step == 30 and done.history["step"] == [float(s) for s in range(1, 31)]
    assert [s for s, _ in done.frames][:2] == [0, 1] and done.frames[-1][0] == 30
    assert len(done.history["d_loss"]) == 30 and done.stop_reason == "budget"
    stopped = b.snapshot()
    assert stopped.status == "stopped" and 10 <= stopped.step < 100_000
    assert pool.running == 0 and pool.queued == 0

    stem = a.save(tmp_path / "alice" / "tiny")  # the files come back and land on the app's disk
    assert load(stem).meta["step"] == 30
