"""Synthetic crowds from the social force model (Helbing & Molnar 1995, "Social force model for
pedestrian dynamics"), so the Social GAN lesson runs with no external data.

Each pedestrian a with position x_a, velocity v_a, desired speed v0_a and goal g_a feels

    F_a = (v0_a e_a - v_a) / tau                                  drive towards the goal, e_a = unit(g_a - x_a)
        + sum_b w(e_a, -n_ab) A exp((2 r - d_ab) / B) n_ab        repulsion from other pedestrians
        + sum_walls A_w exp((r - d_aW) / B_w) n_aW                repulsion from walls and pillars
        + C max(0, |c_G - x_a| - d_G) unit(c_G - x_a)             cohesion towards its group's centre c_G
        + xi_a,  xi_a ~ N(0, sigma^2 I)                           small fluctuations (seeded)

with n_ab the unit vector from b to a, d_ab their distance, r the body radius and the field-of-view
weight w = lambda + (1 - lambda) (1 + cos phi) / 2 (people react less to what is behind them,
Helbing & Johansson 2009). Speeds are capped at 1.3 v0; desired speeds ~ N(1.34, 0.26) m/s
(Helbing & Molnar's measured walking speeds). A pedestrian appears at its spawn time and leaves
the scene on reaching its goal. Integration: semi-implicit Euler with dt = 0.1 s, sampled every
0.4 s into ``Tracks`` rows (frame id, pedestrian id, x, y) with frame ids stepping by 10, exactly
like an ETH/UCY file, so ``build_sequences`` cuts both the same way.

Why our own: ``pysocialforce`` (last release 2020) sets up the root logger at DEBUG and opens
``file.log`` in the working directory on import, and pulls in numba and scipy; ``socialforce``
(clean, torch-based) has no groups, ships only as an sdist, and needed 0.77 s for 20 pedestrians
over 20 s here. This vectorised numpy version does the same scenes in a few hundredths of a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from gan_core.data.trajectories import FRAME_SECONDS, Tracks, build_sequences, concat_sets, tracks_from_rows
from gan_core.data.trajectory_set import SequenceConfig, TrajectorySet

SCENES = ("crossing", "groups", "corridor")
FRAME_STEP = 10  # frame ids 0, 10, 20, ... as in ETH/UCY
MAX_PEDS = 200
MAX_DURATION = 600.0  # seconds
MAX_COORD = 100.0  # metres from the origin
SANDBOX_SCENES = ("open",) + SCENES  # walls of which scene the sandbox uses ("open": none)


@dataclass(frozen=True)
class ForceParams:
    """Constants of the social force model (units: m, s; forces per unit mass, m/s^2)."""

    tau: float = 0.5  # relaxation time towards the desired velocity
    ped_strength: float = 5.0  # A
    ped_range: float = 0.3  # B
    radius: float = 0.3  # r, body radius (with A, B: nearest neighbours rarely closer than 0.5 m)
    wall_strength: float = 10.0  # A_w
    wall_range: float = 0.2  # B_w
    fov_lambda: float = 0.35  # weight of what is straight behind (1 = isotropic)
    group_strength: float = 2.0  # C
    group_distance: float = 0.8  # d_G: no pull while this close to the group's centre
    noise: float = 0.2  # sigma of the fluctuation xi
    dt: float = 0.1  # integration step; must divide 0.4 s
    max_speed_factor: float = 1.3
    goal_radius: float = 0.5  # "arrived" within this distance of the goal

    def __post_init__(self) -> None:
        for name, value in self.__dict__.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not np.isfinite(value):
                raise ValueError(f"ForceParams.{name} must be a finite number, got {value!r}")
            if value < 0 or (value == 0 and name in ("tau", "ped_range", "wall_range", "dt", "max_speed_factor")):
                raise ValueError(f"ForceParams.{name} must be positive, got {value!r}")
        if self.fov_lambda > 1:
            raise ValueError(f"ForceParams.fov_lambda must be in [0, 1], got {self.fov_lambda}")
        sub = FRAME_SECONDS / self.dt
        if not 1 <= round(sub) <= 100 or abs(sub - round(sub)) > 1e-9:
            raise ValueError(f"ForceParams.dt must divide {FRAME_SECONDS} s into 1..100 steps, got {self.dt}")


@dataclass(frozen=True, eq=False)
class Crowd:
    """A simulated scene: its tracks (ETH/UCY form) and the walls drawn as segments (M, 2, 2) [m]."""

    tracks: Tracks
    walls: np.ndarray = field(default_factory=lambda: np.zeros((0, 2, 2)))
    name: str = ""


def simulate(starts: np.ndarray, goals: np.ndarray, *, duration: float, seed: int = 0,
             speeds: np.ndarray | None = None, spawn_times: np.ndarray | None = None,
             groups: np.ndarray | None = None, walls: np.ndarray | None = None,
             params: ForceParams | None = None, source: str = "simulation") -> Tracks:
    """Run the social force model. starts, goals (N, 2) [m]; speeds (N,) desired speeds [m/s]
    (default: drawn from N(1.34, 0.26) clipped to [0.8, 1.8]); spawn_times (N,) [s] (default 0);
    groups (N,) int, 0 = alone, equal positive ids walk together; walls (M, 2, 2) segments [m].
    Returns every pedestrian from spawn until arrival (or ``duration``), every 0.4 s; ids 1..N.
    """
    p = params or ForceParams()
    rng = np.random.default_rng(seed)
    x = _checked(starts, "starts").copy()
    goal = _checked(goals, "goals")
    n = len(x)
    if goal.shape != x.shape or not 1 <= n <= MAX_PEDS:
        raise ValueError(f"need 1..{MAX_PEDS} starts and as many goals, got {x.shape} and {goal.shape}")
    if not (isinstance(duration, (int, float)) and np.isfinite(duration) and 0 < duration <= MAX_DURATION):
        raise ValueError(f"duration must be in (0, {MAX_DURATION}] s, got {duration!r}")
    v0 = np.clip(rng.normal(1.34, 0.26, n), 0.8, 1.8) if speeds is None else np.asarray(speeds, float)
    t_in = np.zeros(n) if spawn_times is None else np.asarray(spawn_times, float)
    grp = np.zeros(n, int) if groups is None else np.asarray(groups, int)
    wall = np.zeros((0, 2, 2)) if walls is None else np.asarray(walls, float).reshape(-1, 2, 2)
    v = np.zeros((n, 2))
    done = np.zeros(n, bool)
    sub = round(FRAME_SECONDS / p.dt)
    out: list[np.ndarray] = []
    eye = np.eye(n, dtype=bool)
    for step in range(round(duration / p.dt) + 1):
        active = (t_in <= step * p.dt + 1e-9) & ~done
        if step % sub == 0 and active.any():
            ids = np.flatnonzero(active)
            out.append(np.column_stack([np.full(len(ids), step // sub * FRAME_STEP), ids + 1, x[ids]]))
        to_goal = goal - x
        e = to_goal / np.maximum(np.linalg.norm(to_goal, axis=1, keepdims=True), 1e-9)  # (N, 2)
        force = (v0[:, None] * e - v) / p.tau
        diff = x[:, None, :] - x[None, :, :]  # (N, N, 2): x_a - x_b
        dist = np.linalg.norm(diff, axis=2)
        n_ab = diff / np.maximum(dist, 1e-9)[..., None]
        cos_phi = -(e[:, None, :] * n_ab).sum(axis=2)  # > 0 when b is ahead of a
        w = p.fov_lambda + (1 - p.fov_lambda) * (1 + cos_phi) / 2
        mag = p.ped_strength * np.exp((2 * p.radius - dist) / p.ped_range) * w
        mag[eye | ~active[None, :]] = 0.0  # no self force, none from absent pedestrians
        force += (mag[..., None] * n_ab).sum(axis=1)
        force += _wall_force(x, wall, p)
        force += _group_force(x, grp, active, p)
        force += rng.normal(0.0, p.noise, (n, 2))
        v = np.where(active[:, None], v + p.dt * force, 0.0)
        speed = np.linalg.norm(v, axis=1, keepdims=True)
        v *= np.minimum(1.0, p.max_speed_factor * v0[:, None] / np.maximum(speed, 1e-9))
        x = np.where(active[:, None], x + p.dt * v, x)
        done |= active & (np.linalg.norm(goal - x, axis=1) < p.goal_radius)
    rows = np.concatenate(out) if out else np.zeros((0, 4))
    return tracks_from_rows(rows, source=source)


def _checked(a: np.ndarray, name: str) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    if a.ndim != 2 or a.shape[1] != 2 or not np.isfinite(a).all() or (np.abs(a) > MAX_COORD).any():
        raise ValueError(f"{name} must be (N, 2) finite (x, y) within {MAX_COORD:g} m of the origin")
    return a


def _wall_force(x: np.ndarray, walls: np.ndarray, p: ForceParams) -> np.ndarray:
    """Sum over segments of A_w exp((r - d) / B_w) n, with d, n from the closest point of each segment."""
    if len(walls) == 0:
        return np.zeros_like(x)
    a, b = walls[:, 0], walls[:, 1]  # (M, 2)
    ab = b - a
    t = np.clip(((x[:, None] - a) * ab).sum(-1) / np.maximum((ab * ab).sum(-1), 1e-12), 0.0, 1.0)  # (N, M)
    diff = x[:, None] - (a + t[..., None] * ab)  # (N, M, 2): from the wall to the pedestrian
    d = np.linalg.norm(diff, axis=2)
    mag = p.wall_strength * np.exp((p.radius - d) / p.wall_range)
    return (mag[..., None] * diff / np.maximum(d, 1e-9)[..., None]).sum(axis=1)


def _group_force(x: np.ndarray, grp: np.ndarray, active: np.ndarray, p: ForceParams) -> np.ndarray:
    """Cohesion: members farther than d_G from their group's centre are pulled back towards it."""
    f = np.zeros_like(x)
    for g in np.unique(grp[active & (grp > 0)]):
        m = active & (grp == g)
        to_c = x[m].mean(axis=0) - x[m]
        d = np.linalg.norm(to_c, axis=1, keepdims=True)
        f[m] = p.group_strength * np.maximum(d - p.group_distance, 0.0) * to_c / np.maximum(d, 1e-9)
    return f


# ---------------------------------------------------------------- scenes
def scene_walls(name: str) -> np.ndarray:
    """Wall segments (M, 2, 2) of a scene: the corridor's two walls and a square pillar; none elsewhere."""
    if name not in SANDBOX_SCENES:
        raise KeyError(f"unknown scene {name!r}; valid scenes: {', '.join(SANDBOX_SCENES)}")
    if name != "corridor":
        return np.zeros((0, 2, 2))
    corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]])
    pillar = np.stack([corners, np.roll(corners, -1, axis=0)], axis=1)
    sides = np.array([[[-12.0, -3.0], [12.0, -3.0]], [[-12.0, 3.0], [12.0, 3.0]]])
    return np.concatenate([sides, pillar])


def crowd_scene(name: str, *, seed: int = 0, duration: float = 40.0, density: float = 1.0) -> Crowd:
    """A seeded scene: "crossing" (two perpendicular flows), "groups" (counter-flows of 1-4 people
    walking together) or "corridor" (counter-flows between walls around a pillar). ``density``
    scales the number of pedestrians (about 24 at 1.0)."""
    if name not in SCENES:
        raise KeyError(f"unknown scene {name!r}; valid scenes: {', '.join(SCENES)}")
    if not (np.isfinite(density) and 0 < density <= 4):
        raise ValueError(f"density must be in (0, 4], got {density!r}")
    rng = np.random.default_rng([seed, SCENES.index(name)])
    n = max(2, round(24 * density))
    spawn = np.sort(rng.uniform(0.0, max(duration - 12.0, 1.0), n))
    side = rng.permutation(np.arange(n) % 2)  # which flow each pedestrian belongs to
    lane = rng.uniform(-2.5, 2.5, n)
    groups = None
    if name == "crossing":  # flow 0 walks west -> east, flow 1 south -> north
        starts = np.where(side[:, None] == 0, np.c_[np.full(n, -9.0), lane], np.c_[lane, np.full(n, -9.0)])
        goals = np.where(side[:, None] == 0, np.c_[np.full(n, 10.0), lane], np.c_[lane, np.full(n, 10.0)])
    else:  # counter-flows along x
        half = 9.0 if name == "groups" else 11.0
        if name == "corridor":
            lane = rng.uniform(-2.2, 2.2, n)
        if name == "groups":  # members of a group share spawn time, flow and lane, side by side
            groups = np.cumsum(rng.random(n) < 0.45) + 1  # new group with probability 0.45
            _, first = np.unique(groups, return_index=True)
            leader = first[np.searchsorted(first, np.arange(n), side="right") - 1]
            rank = np.arange(n) - leader
            spawn, side = spawn[leader] + 0.2 * rank, side[leader]
            lane = lane[leader] + 0.7 * rank - 0.35 * (rank > 0)
        sign = np.where(side == 0, 1.0, -1.0)
        starts = np.c_[-half * sign, lane]
        goals = np.c_[(half + 1.0) * sign, lane]
    tracks = simulate(starts, goals, duration=duration, seed=seed, spawn_times=spawn, groups=groups,
                      walls=scene_walls(name), source=f"{name}-{seed}")
    return Crowd(tracks=tracks, walls=scene_walls(name), name=name)


def simulate_sandbox(pairs: Sequence[tuple[Sequence[float], Sequence[float]]], *, scene: str = "open",
                     seed: int = 0, duration: float | None = None, params: ForceParams | None = None) -> Crowd:
    """Simulate pedestrians a student placed: ``pairs`` of ((x_start, y_start), (x_goal, y_goal)) [m],
    all starting at t = 0, with the walls of ``scene`` ("open" for none). ``duration`` defaults to the
    time the slowest walker needs for the longest trip (at 0.9 m/s) plus 4 s, capped at MAX_DURATION."""
    arr = np.asarray(pairs, dtype=float)
    if arr.ndim != 3 or arr.shape[1:] != (2, 2):
        raise ValueError(f"pairs must be a list of ((x, y), (x, y)) start/goal pairs, got shape {arr.shape}")
    starts, goals = _checked(arr[:, 0], "starts"), _checked(arr[:, 1], "goals")
    if duration is None:
        duration = min(MAX_DURATION, float(np.linalg.norm(goals - starts, axis=1).max()) / 0.9 + 4.0)
    walls = scene_walls(scene)
    tracks = simulate(starts, goals, duration=duration, seed=seed, walls=walls, params=params, source="sandbox")
    return Crowd(tracks=tracks, walls=walls, name=scene)


def crowd_dataset(*, seeds: Sequence[int] = (0, 1, 2, 3), scenes: Sequence[str] = SCENES,
                  duration: float = 40.0, config: SequenceConfig | None = None) -> TrajectorySet:
    """Windows of several seeded scenes, ready for training (one source per scene and seed)."""
    return concat_sets([build_sequences(crowd_scene(s, seed=k, duration=duration).tracks, config=config)
                        for s in scenes for k in seeds])
