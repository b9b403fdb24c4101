"""Pedestrian trajectories: a strict reader for the ETH/UCY text format and the sliding-window
sequence builder of Social GAN (Gupta et al. 2018, "Social GAN: Socially Acceptable Trajectories
with Generative Adversarial Networks").

File format, one observation per line::

    <frame id> <pedestrian id> <x> <y>        (tab- or space-separated; x, y in metres)

One annotated frame every 0.4 s (2.5 fps). ETH/UCY frame ids usually step by 10 (video frames),
but the step is detected per file (the most common gap between distinct frame ids); every frame
id must then lie on that grid. Lines that are empty or start with ``#`` are skipped.

Sequences: a window is ``obs_len + pred_len`` consecutive frame slots (8 + 12 by default: 3.2 s
observed, 4.8 s predicted). It keeps every pedestrian present in *all* of its frames, as the
official loader does, and is kept when it holds at least ``min_peds`` of them (the official
``num_peds > min_ped=1`` means 2). Unlike the official loader, a window never bridges a gap in
the frame ids (a missing frame is a missing 0.4 s, not a shorter step); on the ETH/UCY release no
pedestrian spans such a gap, and window and pedestrian counts equal the official loader's on
every file (checked).

Coordinates stay (x, y) in metres in every array: ``[..., 0]`` is x, ``[..., 1]`` is y.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gan_core.data.idx import DataUnavailable
from gan_core.data.trajectory_set import SequenceConfig, TrajectoryBatch, TrajectorySet, concat_sets

SPLITS = ("eth", "hotel", "univ", "zara1", "zara2")  # leave-one-out: test on one, train on the others
PARTS = ("train", "val", "test")
COLUMNS = ("frame id", "pedestrian id", "x", "y")
FRAME_SECONDS = 0.4  # one annotated frame every 0.4 s (2.5 fps)
__all__ = [
    "COLUMNS", "FRAME_SECONDS", "PARTS", "SPLITS", "SequenceConfig", "Tracks", "TrajectoryBatch",
    "TrajectoryFileError", "TrajectorySet", "available_splits", "build_sequences", "concat_sets", "detect_frame_step",
    "load_split", "nonlinear_mask", "parse_trajectory_text", "read_trajectory_file", "tracks_from_rows",
]


class TrajectoryFileError(ValueError):
    """A trajectory file (or text) is malformed; the message names the source, the line and the problem."""


@dataclass(frozen=True, eq=False)
class Tracks:
    """Observations of one file or simulated scene, in file form.

    rows: (R, 4) float64, columns frame id, pedestrian id, x [m], y [m] (in reading order).
    frame_step: difference between consecutive frame ids (10 for ETH/UCY); one step = 0.4 s.
    source: file name without suffix, or the synthetic scene's name.
    """

    rows: np.ndarray
    frame_step: int
    source: str


# ---------------------------------------------------------------- reading
def parse_trajectory_text(text: str, *, source: str = "<text>") -> Tracks:
    """Parse ETH/UCY text. Raises TrajectoryFileError naming ``source``, the line and what is wrong."""
    parts = [line.split() for line in text.splitlines()]  # split() takes tabs and spaces alike
    keep = [i for i, p in enumerate(parts) if p and not p[0].startswith("#")]
    for i in keep:
        if len(parts[i]) != 4:
            raise TrajectoryFileError(
                f"{source}, line {i + 1}: expected 4 columns (frame id, pedestrian id, x, y), "
                f"found {len(parts[i])}: {' '.join(parts[i])!r}")
    if not keep:
        raise TrajectoryFileError(f"{source}: no data rows (expected lines 'frame pedestrian x y')")
    try:
        rows = np.array([tok for i in keep for tok in parts[i]], dtype=np.float64).reshape(-1, 4)
    except ValueError:  # find the first token that is not a number, for the message
        for i in keep:
            for c, tok in enumerate(parts[i]):
                try:
                    float(tok)
                except ValueError:
                    raise TrajectoryFileError(
                        f"{source}, line {i + 1}: {COLUMNS[c]} {tok!r} is not a number") from None
        raise
    return tracks_from_rows(rows, source=source, line_numbers=np.asarray(keep) + 1)


def read_trajectory_file(path: str | Path) -> Tracks:
    """Read one ETH/UCY file; errors name the full path, ``source`` is the file name without suffix."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise TrajectoryFileError(f"{path}: not a text file ({exc})") from None
    tracks = parse_trajectory_text(text, source=str(path))
    return Tracks(rows=tracks.rows, frame_step=tracks.frame_step, source=path.stem)


def tracks_from_rows(rows: np.ndarray, *, source: str, line_numbers: np.ndarray | None = None) -> Tracks:
    """Validate (R, 4) rows (frame, ped, x, y) and detect the frame step.

    Refuses non-finite values, fractional frame or pedestrian ids, a pedestrian seen twice in one
    frame and frame ids off the detected grid; ``line_numbers`` (R,) lets messages name file lines.
    """
    rows = np.asarray(rows, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[1] != 4 or len(rows) == 0:
        raise TrajectoryFileError(f"{source}: expected rows of (frame, pedestrian, x, y), got shape {rows.shape}")
    lines = np.arange(1, len(rows) + 1) if line_numbers is None else np.asarray(line_numbers)
    where = "line" if line_numbers is not None else "row"

    def fail(r: int, what: str) -> TrajectoryFileError:
        return TrajectoryFileError(f"{source}, {where} {int(lines[r])}: {what}")

    bad = ~np.isfinite(rows)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise fail(r, f"{COLUMNS[c]} is {rows[r, c]} (values must be finite numbers)")
    for c in (0, 1):
        frac = rows[:, c] != np.round(rows[:, c])
        if frac.any():
            r = int(np.argmax(frac))
            raise fail(r, f"{COLUMNS[c]} {rows[r, c]} is not a whole number")
    order = np.lexsort((rows[:, 0], rows[:, 1]))  # by pedestrian, then frame
    dup = (np.diff(rows[order, 0]) == 0) & (np.diff(rows[order, 1]) == 0)
    if dup.any():
        a, b = sorted((order[np.argmax(dup)], order[np.argmax(dup) + 1]))
        raise fail(b, f"pedestrian {rows[b, 1]:g} appears twice in frame {rows[b, 0]:g} "
                      f"(first on {where} {int(lines[a])})")
    step = detect_frame_step(rows[:, 0])
    off = (rows[:, 0] - rows[:, 0].min()) % step != 0
    if off.any():
        r = int(np.argmax(off))
        raise fail(r, f"frame id {rows[r, 0]:g} is off the grid of step {step} detected in this file "
                      f"(frame ids {rows[:, 0].min():g}, {rows[:, 0].min() + step:g}, ...)")
    return Tracks(rows=rows, frame_step=step, source=source)


def detect_frame_step(frames: np.ndarray) -> int:
    """Most common positive gap between sorted distinct frame ids (ties: the smallest); 1 for a single frame."""
    uniq = np.unique(np.asarray(frames, dtype=np.float64)).astype(np.int64)
    if len(uniq) < 2:
        return 1
    gaps, counts = np.unique(np.diff(uniq), return_counts=True)
    return int(gaps[np.argmax(counts)])


# ---------------------------------------------------------------- sequences
def nonlinear_mask(future: np.ndarray, threshold: float) -> np.ndarray:
    """(N, T, 2) future positions -> (N,) bool, True where the path is non-linear.

    As the official loader: fit x(t) and y(t) separately with a degree-2 polynomial over the T
    future steps (least squares) and call the path non-linear when the summed squared residuals
    res_x + res_y >= threshold (m^2). Vectorised as the residual of a projection: r = (I - A A^+) y
    with A the (T, 3) Vandermonde matrix [1, t, t^2].
    """
    future = np.asarray(future, dtype=np.float64)
    t_len = future.shape[1]
    a = np.vander(np.arange(t_len, dtype=np.float64), min(3, t_len), increasing=True)  # (T, 3)
    resid_op = np.eye(t_len) - a @ np.linalg.pinv(a)  # (T, T)
    resid = np.einsum("st,ntc->nsc", resid_op, future)  # (N, T, 2)
    return (resid**2).sum(axis=(1, 2)) >= threshold


def build_sequences(tracks: Tracks, *, config: SequenceConfig | None = None) -> TrajectorySet:
    """Cut ``tracks`` into scene windows (see the module docstring). Vectorised: no loop over rows."""
    cfg = config or SequenceConfig()
    rows, t_len = tracks.rows, cfg.seq_len
    f0 = rows[:, 0].min()
    slot = np.round((rows[:, 0] - f0) / tracks.frame_step).astype(np.int64)  # frame slot: 0, 1, 2, ...
    ped_u, ped = np.unique(rows[:, 1], return_inverse=True)  # ped index, ordered by id
    order = np.lexsort((slot, ped))  # by pedestrian, then time
    slot, ped, xy = slot[order], ped[order], rows[order, 2:4]
    # runs: stretches of one pedestrian over consecutive slots
    new_run = np.ones(len(slot), dtype=bool)
    new_run[1:] = (ped[1:] != ped[:-1]) | (slot[1:] != slot[:-1] + 1)
    run_start = np.flatnonzero(new_run)
    run_len = np.diff(np.append(run_start, len(slot)))
    long_runs = np.flatnonzero(run_len >= t_len)
    per_run = run_len[long_runs] - t_len + 1  # windows each run fully covers
    offset = np.arange(per_run.sum()) - np.repeat(np.cumsum(per_run) - per_run, per_run)
    first_row = run_start[np.repeat(long_runs, per_run)] + offset  # (pairs,) row of the window's first frame
    start = slot[first_row]
    first_row = first_row[start % cfg.skip == 0]
    start, who = slot[first_row], ped[first_row]
    by_window = np.lexsort((who, start))  # windows in time order, pedestrians by id inside
    first_row, start = first_row[by_window], start[by_window]
    win_start, win_size = np.unique(start, return_counts=True)
    good = win_size >= cfg.min_peds
    first_row = first_row[np.repeat(good, win_size)]
    sizes = win_size[good]
    traj = xy[first_row[:, None] + np.arange(t_len)].astype(np.float32)  # (N, T, 2)
    ends = np.cumsum(sizes)
    return TrajectorySet(
        obs=traj[:, : cfg.obs_len], pred=traj[:, cfg.obs_len :],
        seq_start_end=np.stack([ends - sizes, ends], axis=1).astype(np.int64),
        nonlinear=nonlinear_mask(traj[:, cfg.obs_len :], cfg.nonlinear_threshold),
        ped_ids=ped_u[ped[first_row]].astype(np.int64),
        window_frame=(f0 + win_start[good] * tracks.frame_step).astype(np.int64),
        window_source=np.zeros(len(sizes), dtype=np.int64), sources=(tracks.source,), config=cfg,
    )


# ---------------------------------------------------------------- leave-one-out splits
def available_splits(root: str | Path) -> list[str]:
    """Splits of SPLITS that have a ``<root>/<split>/`` folder with train and test files."""
    root = Path(root)
    return [s for s in SPLITS if any((root / s / "train").glob("*.txt")) and any((root / s / "test").glob("*.txt"))]


def load_split(root: str | Path, split: str, part: str = "train", *,
               config: SequenceConfig | None = None) -> TrajectorySet:
    """All windows of ``<root>/<split>/<part>/*.txt`` (files in name order).

    The leave-one-out layout of the Social GAN release: ``<split>/test`` holds the scene named by
    the split, ``train`` and ``val`` the other four. Parsed files are cached in memory (keyed by
    path, modification time, size and config). A missing folder raises DataUnavailable.
    """
    if split not in SPLITS:
        raise KeyError(f"unknown split {split!r}; valid splits: {', '.join(SPLITS)}")
    if part not in PARTS:
        raise KeyError(f"unknown part {part!r}; valid parts: {', '.join(PARTS)}")
    folder = Path(root) / split / part
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise DataUnavailable(
            f"no ETH/UCY files in {folder}: point the data folder at a copy with the layout "
            f"<root>/{{{','.join(SPLITS)}}}/{{train,val,test}}/*.txt")
    cfg = config or SequenceConfig()
    sets = []
    for f in files:
        st = f.stat()
        sets.append(_load_file_cached(str(f.resolve()), st.st_mtime_ns, st.st_size, cfg))
    return concat_sets(sets)


@functools.lru_cache(maxsize=256)
def _load_file_cached(path: str, mtime_ns: int, size: int, config: SequenceConfig) -> TrajectorySet:
    del mtime_ns, size  # only part of the cache key: an edited file is read again
    return build_sequences(read_trajectory_file(path), config=config)
