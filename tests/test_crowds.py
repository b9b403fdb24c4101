"""Synthetic crowds from the social force model: seeded, fast, and in ETH/UCY form."""

import time

import numpy as np
import pytest

from gan_core.data.crowds import SCENES, ForceParams, crowd_scene, scene_walls, simulate, simulate_sandbox
from gan_core.data.trajectories import build_sequences


def test_seeded_determinism():
    a = crowd_scene("crossing", seed=3, duration=20.0)
    b = crowd_scene("crossing", seed=3, duration=20.0)
    c = crowd_scene("crossing", seed=4, duration=20.0)
    np.testing.assert_array_equal(a.tracks.rows, b.tracks.rows)
    assert a.tracks.rows.shape != c.tracks.rows.shape or not np.array_equal(a.tracks.rows, c.tracks.rows)


@pytest.mark.parametrize("name", SCENES)
def test_scene_shape_speed_and_windows(name):
    t0 = time.perf_counter()
    crowd = crowd_scene(name, seed=0)
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.0, f"{name} took {elapsed:.2f} s"
    rows = crowd.tracks.rows
    assert rows.shape[1] == 4 and crowd.tracks.frame_step == 10  # frame, ped, x, y as ETH/UCY
    assert len(np.unique(rows[:, 1])) == 24
    # walking speed between 0.4 s samples: people walk ~1.3 m/s, nobody teleports
    for ped in np.unique(rows[:, 1])[:5]:
        xy = rows[rows[:, 1] == ped][:, 2:]
        speed = np.linalg.norm(np.diff(xy, axis=0), axis=1) / 0.4
        assert 0.5 < speed.mean() < 1.9 and speed.max() < 1.8 * 1.3 + 1e-6
    ts = build_sequences(crowd.tracks)  # the same sequence builder as for real data
    assert ts.num_windows > 20 and ts.obs.shape[1:] == (8, 2) and ts.pred.shape[1:] == (12, 2)


def test_pedestrians_keep_their_distance_and_stay_out_of_walls():
    rows = crowd_scene("corridor", seed=1).tracks.rows
    assert (np.abs(rows[:, 3]) < 3.0).all()  # between the corridor walls at y = +-3
    assert not ((np.abs(rows[:, 2]) < 0.5) & (np.abs(rows[:, 3]) < 0.5)).any()  # never inside the pillar
    # head-on pair: repulsion makes them pass each other instead of walking through
    tr = simulate(np.array([[-4.0, 0.0], [4.0, 0.05]]), np.array([[6.0, 0.0], [-6.0, 0.05]]),
                  duration=12.0, speeds=np.array([1.3, 1.3]), params=ForceParams(noise=0.0))
    r = tr.rows
    frames = np.intersect1d(r[r[:, 1] == 1, 0], r[r[:, 1] == 2, 0])
    gaps = [np.linalg.norm(r[(r[:, 0] == f) & (r[:, 1] == 1), 2:] - r[(r[:, 0] == f) & (r[:, 1] == 2), 2:])
            for f in frames]
    assert min(gaps) > 0.4
    assert r[r[:, 1] == 1][-1, 2] > 5.0 and r[r[:, 1] == 2][-1, 2] < -5.0  # both arrive


def test_sandbox_from_student_pairs():
    crowd = simulate_sandbox([((-5.0, 0.0), (5.0, 0.0)), ((0.0, -5.0), (0.0, 5.0))], scene="open", seed=1)
    rows = crowd.tracks.rows
    assert set(np.unique(rows[:, 1])) == {1.0, 2.0} and crowd.walls.shape == (0, 2, 2)
    first = rows[rows[:, 0] == 0]
    np.testing.assert_allclose(first[:, 2:], [[-5.0, 0.0], [0.0, -5.0]])  # frame 0 = the placed starts
    last1 = rows[rows[:, 1] == 1][-1, 2:]
    # reached its goal: last sample within goal_radius (0.5 m) plus one 0.4 s step at <= 1.3 * 1.8 m/s
    assert np.linalg.norm(last1 - [5.0, 0.0]) < 0.5 + 0.4 * 1.3 * 1.8
    assert len(scene_walls("corridor")) == 6
    with pytest.raises(ValueError):
        simulate_sandbox([((0.0, 0.0), (float("nan"), 1.0))])
    with pytest.raises(ValueError):
        simulate_sandbox([((0.0, 0.0), (1e6, 1.0))])
    with pytest.raises(KeyError, match="valid scenes"):
        simulate_sandbox([((0.0, 0.0), (1.0, 1.0))], scene="moon")


def test_force_params_validation():
    for bad in ({"tau": 0.0}, {"dt": 0.3}, {"noise": float("inf")}, {"fov_lambda": 2.0}, {"radius": -1.0}):
        with pytest.raises(ValueError):
            ForceParams(**bad)
