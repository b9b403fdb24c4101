"""bench.train_time replays a shipped recipe for a slice of its steps: the command it builds and the slice."""
from __future__ import annotations

import sys

import pytest

from bench import train_time


def test_slice_command_keeps_every_flag_but_steps_out_and_evaluation(tmp_path):
    recipe = ("python -m gan_core train --family social-gan --data ../shared/data/eth_ucy --split eth "
              "--rotate --threads 1 --steps 3000 --out checkpoints/social_gan_eth")
    cmd = train_time.slice_command(recipe, 120, tmp_path / "s")
    assert cmd[:3] == [sys.executable, "-m", "gan_core"]
    assert cmd[3:11] == ["train", "--family", "social-gan", "--data", "../shared/data/eth_ucy", "--split", "eth",
                         "--rotate"]
    assert cmd[cmd.index("--steps") + 1] == "120" and cmd.count("--steps") == 1
    assert cmd[cmd.index("--out") + 1] == str(tmp_path / "s") and cmd.count("--out") == 1
    assert "--threads" not in cmd  # every core: the idle machine's time
    assert cmd[cmd.index("--eval-n") + 1] == "0"


def test_slice_command_refuses_what_is_not_a_train_recipe(tmp_path):
    for recipe in ("python -m gan_core.training.toy2d_presets --out checkpoints/toy2d", "python -m gan_core eval checkpoints/mnist_dcgan"):
        with pytest.raises(ValueError, match="not a gan_core train recipe"):
            train_time.slice_command(recipe, 10, tmp_path)


def test_runs_that_differ_only_in_steps_and_destination_share_one_timing():
    a = "python -m gan_core train --family cyclegan --decay-from 7000 --steps 10000 --out checkpoints/x"
    b = "python -m gan_core train --family cyclegan --decay-from 7000 --steps 3000 --out checkpoints/x_3k"
    c = "python -m gan_core train --family cyclegan --decay-from 6000 --steps 3000 --out checkpoints/y"
    assert train_time.recipe_key(a) == train_time.recipe_key(b) != train_time.recipe_key(c)


@pytest.mark.parametrize(("full", "per_step", "seconds", "expected"), [
    (10_000, 0.57, 30, 53),      # CycleGAN: about 30 s at the recorded pace
    (4_000, 0.017, 30, 1_765),   # fast pix2pix: a long slice
    (2_500, 0.002, 30, 2_500),   # never more than the whole run
    (3_000, 5.0, 30, 20),        # never fewer than 20 steps
    (3_000, None, 30, 200),      # no recorded time: 200 steps
])
def test_slice_is_about_the_asked_seconds_at_the_recorded_pace(full, per_step, seconds, expected):
    assert train_time.slice_steps(full, per_step, seconds) == expected
