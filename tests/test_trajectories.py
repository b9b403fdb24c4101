"""ETH/UCY reader and the sliding-window sequence builder, on small files written here."""

from pathlib import Path

import numpy as np
import pytest

from gan_core.data.idx import DataUnavailable
from gan_core.data.trajectories import (
    SPLITS,
    SequenceConfig,
    TrajectoryFileError,
    available_splits,
    build_sequences,
    concat_sets,
    detect_frame_step,
    load_split,
    nonlinear_mask,
    parse_trajectory_text,
    read_trajectory_file,
    tracks_from_rows,
)

ETH_UCY = Path("/work/shared/data/eth_ucy")
SMALL = SequenceConfig(obs_len=2, pred_len=2)  # windows of 4 frames: easy to count by hand


def _write(path: Path, rows: list[tuple], sep: str) -> Path:
    path.write_text("\n".join(sep.join(str(v) for v in r) for r in rows) + "\n")
    return path


def _walk(frames: range, ped: int, x0: float = 0.0, y0: float = 0.0) -> list[tuple]:
    """Pedestrian ``ped`` walking +0.5 m in x per 0.4 s frame from (x0, y0); frame ids step by 10."""
    return [(f, ped, x0 + 0.5 * i, y0) for i, f in enumerate(frames)]


def test_tab_and_space_files_read_the_same(tmp_path):
    rows = _walk(range(780, 840, 10), 1) + _walk(range(780, 840, 10), 2, y0=1.0)
    a = read_trajectory_file(_write(tmp_path / "tab.txt", rows, "\t"))
    b = read_trajectory_file(_write(tmp_path / "space.txt", rows, "  "))
    np.testing.assert_array_equal(a.rows, b.rows)
    assert a.rows.shape == (12, 4) and a.frame_step == 10 and a.source == "tab"
    # x stays column 2 and y column 3 (nothing swapped)
    assert a.rows[1].tolist() == [790.0, 1.0, 0.5, 0.0]


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("0 1 1.0 2.0\n10 1 1.5\n", 2, "expected 4 columns"),
        ("0 1 1.0 2.0\n\n10 1 abc 2.0\n", 3, "x 'abc' is not a number"),
        ("0 1 1.0 2.0\n10 1 1.5 nan\n", 2, "y is nan"),
        ("0 1 1.0 2.0\n10.5 1 1.5 2.0\n", 2, "frame id 10.5 is not a whole number"),
        ("0 1 1.0 2.0\n10 1 1.5 2.0\n10 1 1.6 2.0\n", 3, "appears twice in frame 10 (first on line 2)"),
        ("0 1 1 2\n10 1 1 2\n20 1 1 2\n25 1 1 2\n", 4, "off the grid of step 10"),
    ],
)
def test_bad_rows_name_file_line_and_problem(tmp_path, text, line, words):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(TrajectoryFileError) as err:
        read_trajectory_file(path)
    assert f"bad.txt, line {line}:" in str(err.value) and words in str(err.value)


def test_empty_text_and_comments():
    with pytest.raises(TrajectoryFileError, match="no data rows"):
        parse_trajectory_text("# only a comment\n\n")
    t = parse_trajectory_text("# frame ped x y\n0 1 0 0\n\n1 1 1 0\n")
    assert t.rows.shape == (2, 4) and t.frame_step == 1


def test_frame_step_detection():
    assert detect_frame_step(np.array([780, 790, 800, 810])) == 10
    assert detect_frame_step(np.array([0, 6, 12, 18, 60, 66])) == 6  # a gap does not change the step
    assert detect_frame_step(np.array([5.0, 6.0, 7.0])) == 1
    assert detect_frame_step(np.array([42.0])) == 1


def test_sequence_counts_by_hand():
    # ped 1 in frame slots 0..5 (6 frames), ped 2 in slots 1..5, ped 3 in slots 0..3 with a hole at 2.
    # Windows of 4 slots: starts 0, 1, 2.  start 0: ped 1 only (ped 2 absent at 0, ped 3 has a hole);
    # start 1: peds 1, 2; start 2: peds 1, 2.  min_peds=2 keeps windows 1 and 2: 4 rows.
    rows = _walk(range(0, 60, 10), 1) + _walk(range(10, 60, 10), 2, y0=2.0)
    rows += [(0, 3, 0.0, 5.0), (10, 3, 0.5, 5.0), (30, 3, 1.5, 5.0)]
    ts = build_sequences(tracks_from_rows(np.array(rows, float), source="hand"), config=SMALL)
    assert ts.num_windows == 2 and ts.num_peds == 4
    assert ts.seq_start_end.tolist() == [[0, 2], [2, 4]]
    assert ts.window_frame.tolist() == [10, 20] and ts.ped_ids.tolist() == [1, 2, 1, 2]
    assert ts.obs.shape == (4, 2, 2) and ts.pred.shape == (4, 2, 2)
    # ped 1 in the window starting at frame 10: x = 0.5, 1.0 observed, 1.5, 2.0 predicted; y = 0
    np.testing.assert_allclose(ts.obs[0], [[0.5, 0.0], [1.0, 0.0]])
    np.testing.assert_allclose(ts.pred[0], [[1.5, 0.0], [2.0, 0.0]])
    np.testing.assert_allclose(ts.obs[1, :, 1], [2.0, 2.0])  # ped 2 keeps its own y
    # min_peds=1 also keeps the lone window at start 0; skip=2 keeps starts 0 and 2 only
    assert build_sequences(tracks_from_rows(np.array(rows, float), source="h"),
                           config=SequenceConfig(obs_len=2, pred_len=2, min_peds=1)).num_windows == 3
    skip2 = build_sequences(tracks_from_rows(np.array(rows, float), source="h"),
                            config=SequenceConfig(obs_len=2, pred_len=2, min_peds=1, skip=2))
    assert skip2.window_frame.tolist() == [0, 20]


def test_subset_concat_and_batch():
    rows = _walk(range(0, 60, 10), 1) + _walk(range(10, 60, 10), 2, y0=2.0)
    ts = build_sequences(tracks_from_rows(np.array(rows, float), source="a"), config=SMALL)
    both = concat_sets([ts, ts])
    assert both.num_windows == 4 and both.seq_start_end.tolist() == [[0, 2], [2, 4], [4, 6], [6, 8]]
    assert both.sources == ("a", "a") and both.window_source.tolist() == [0, 0, 1, 1]
    sub = both.subset([3, 0])
    assert sub.seq_start_end.tolist() == [[0, 2], [2, 4]] and sub.window_source.tolist() == [1, 0]
    np.testing.assert_array_equal(sub.obs[:2], both.obs[6:8])
    b = both.batch([1])
    assert tuple(b.obs.shape) == (2, 2, 2) and b.seq_start_end.tolist() == [[0, 2]]
    with pytest.raises(ValueError):  # arrays are read-only: a cached set cannot be corrupted
        ts.obs[0, 0, 0] = 1.0


def test_nonlinear_labels_match_polyfit():
    t = np.arange(12, dtype=float)
    straight = np.stack([0.4 * t, 0.1 * t], axis=1)  # constant velocity: residual 0
    parabola = np.stack([0.4 * t, 0.01 * t**2], axis=1)  # a degree-2 curve is still "linear" here
    turn = np.stack([np.cos(t / 3), np.sin(t / 3)], axis=1) * 2.0  # a bend: large residual
    mask = nonlinear_mask(np.stack([straight, parabola, turn]), 0.002)
    assert mask.tolist() == [False, False, True]
    # the vectorised residual equals np.polyfit's, summed over x and y
    wiggle = straight + 0.02 * np.stack([np.sin(2 * t), np.cos(3 * t)], axis=1)
    res = sum(np.polyfit(t, wiggle[:, c], 2, full=True)[1][0] for c in (0, 1))
    assert nonlinear_mask(wiggle[None], res * 0.999)[0] and not nonlinear_mask(wiggle[None], res * 1.001)[0]


def test_config_refuses_bad_values():
    for bad in ({"obs_len": 1}, {"pred_len": 0}, {"skip": 0}, {"obs_len": 10**6}, {"obs_len": 8.0},
                {"nonlinear_threshold": float("nan")}, {"nonlinear_threshold": -1.0}, {"min_peds": True}):
        with pytest.raises(ValueError):
            SequenceConfig(**bad)


def test_split_layout_and_missing_folder(tmp_path):
    rows = _walk(range(0, 200, 10), 1) + _walk(range(0, 200, 10), 2, y0=1.0)
    for part in ("train", "test"):
        (tmp_path / "zara1" / part).mkdir(parents=True)
        _write(tmp_path / "zara1" / part / f"scene_{part}.txt", rows, "\t")
    assert available_splits(tmp_path) == ["zara1"]
    ts = load_split(tmp_path, "zara1", "train")
    assert ts.num_windows == 1 and ts.num_peds == 2 and ts.sources == ("scene_train",)
    with pytest.raises(DataUnavailable, match="no ETH/UCY files"):
        load_split(tmp_path, "eth", "train")
    with pytest.raises(KeyError, match="valid splits"):
        load_split(tmp_path, "mars", "train")


def test_real_split_if_present():
    if not (ETH_UCY / "zara1" / "test").is_dir():
        pytest.skip(f"ETH/UCY not found at {ETH_UCY}; copy the leave-one-out folders there to run this")
    ts = load_split(ETH_UCY, "zara1", "test")
    # crowds_zara01.txt: 602 windows / 2253 pedestrian rows, the same as the official loader
    assert (ts.num_windows, ts.num_peds) == (602, 2253)
    steps = np.linalg.norm(np.diff(np.concatenate([ts.obs, ts.pred], axis=1), axis=1), axis=2)
    assert 0.2 < np.median(steps) < 0.8  # walking ~1.2 m/s = ~0.5 m per 0.4 s frame
    assert 0.3 < ts.nonlinear.mean() < 1.0
    assert set(available_splits(ETH_UCY)) == set(SPLITS)
