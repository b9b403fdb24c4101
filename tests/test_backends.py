"""The [backend] table of the classroom file: the in-process pool by default, Ray by choice, mistakes refused."""
from __future__ import annotations

import pytest

from gan_core.classroom import DEFAULT_FILE, Limits
from gan_core.training.backends import Backend, load_backend, make_pool
from gan_core.training.pool import JobPool


def test_the_shipped_file_keeps_trainings_in_the_app_process():
    assert load_backend(DEFAULT_FILE) == Backend(kind="local")
    pool = make_pool(Limits(heavy_runs=3, light_runs=5, queue_length=7), load_backend(DEFAULT_FILE))
    assert type(pool) is JobPool and pool.bounds == {"heavy": 3, "light": 5} and pool.queue_length == 7


def test_ray_settings_are_read(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[limits]\nheavy_runs = 8\n[backend]\nkind = "ray"\naddress = "auto"\ngpus_per_run = 0.25\n')
    assert load_backend(path) == Backend(kind="ray", address="auto", gpus_per_run=0.25, threads_per_run=1)


@pytest.mark.parametrize("body, words", [
    ('[backend]\nkind = "slurm"\n', "kind must be one of local, ray"),
    ('[backend]\nadress = "auto"\n', "unknown \\[backend\\] setting"),
    ("[backend]\ngpus_per_run = nan\n", "gpus_per_run"),
    ("[backend]\ngpus_per_run = -1\n", "gpus_per_run"),
    ("[backend]\nthreads_per_run = 0\n", "threads_per_run"),
    ("[backend]\nthreads_per_run = 1.5\n", "threads_per_run"),
])
def test_mistakes_are_refused_with_the_file_named(tmp_path, body, words):
    path = tmp_path / "c.toml"
    path.write_text(body)
    with pytest.raises(ValueError, match=words) as err:
        load_backend(path)
    assert str(path) in str(err.value)
