"""A live 2-D GAN run: a background thread trains, the page reads immutable snapshots.

Pattern (DESIGN.md, "Live runs"): the thread never touches Streamlit; every view the page draws is
computed here under a lock into a frozen `ToySnapshot`; `@st.fragment(run_every=...)` polls
`snapshot()`. The thread exits when stopped, when nobody has polled for `idle_timeout_s`, or when
the step budget is spent -- no thread outlives its run. Single steps and the slow-motion stages run
synchronously in the caller's thread (they take milliseconds), also under the lock.
"""
from __future__ import annotations

import dataclasses
import threading
import time
from dataclasses import dataclass

import numpy as np
import torch

from gan_core.training.toy2d import Toy2DConfig, Toy2DTrainer

# Slow motion: one iteration shown as four stages, each with its own sentence on the page.
STAGES = ("sample", "d_step", "g_grad", "g_step")


@dataclass(frozen=True)
class ToySnapshot:
    status: str                      # "paused" | "playing" | "stopped" | "idle" | "done" | "error"
    step: int                        # generator updates so far
    real: np.ndarray                 # (n, 2) display sample of the data
    fake: np.ndarray                 # (n, 2) G(fixed z)
    surface: np.ndarray              # (m, m) D over the plane (rows = y)
    surface_is_prob: bool
    manifold: np.ndarray             # (lines, points, 2)
    arrow_from: np.ndarray           # (k, 2) fake points
    arrow_vec: np.ndarray            # (k, 2) -dL_G/dx
    history: dict                    # step, d_loss, g_loss, d_real, d_fake: lists
    div_history: dict                # step, js, kl_pq: lists
    divergence: dict                 # kl_pq, kl_qp, js (bits)
    coverage: dict | None
    iters_per_s: float
    stage: int                       # slow motion: index into STAGES of the *last* stage done, -1 none
    highlight_real: np.ndarray | None  # (h, 2) the batch used by the current slow-motion iteration
    highlight_fake: np.ndarray | None
    error: str = ""


class Toy2DRun:
    def __init__(self, *, config: Toy2DConfig, real_points: np.ndarray | None = None,
                 idle_timeout_s: float = 60.0, max_steps: int = 200_000, chunk: int = 10,
                 snapshot_every_s: float = 0.15, grid_n: int = 60, n_display: int = 512) -> None:
        self.config = config
        self.trainer = Toy2DTrainer(config=config, real_points=real_points)
        self.idle_timeout_s = idle_timeout_s
        self.max_steps = max_steps
        self.chunk = chunk
        self.snapshot_every_s = snapshot_every_s
        self.grid_n = grid_n
        self.n_display = n_display
        self._lock = threading.Lock()
        self._playing = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._status = "paused"
        self._error = ""
        self._rate = 0.0
        self._stage = -1
        self._stage_batch: tuple[torch.Tensor, torch.Tensor] | None = None
        self._div: dict[str, list[float]] = {"step": [], "js": [], "kl_pq": []}
        self._last_poll = time.monotonic()
        with self._lock:
            self._snap = self._build_snapshot()

    # ------------------------------------------------------------------ control (page thread)
    def play(self) -> None:
        if self._status in ("stopped", "error", "done"):
            return
        self._last_poll = time.monotonic()
        self._stage, self._stage_batch = -1, None
        self._status = "playing"
        self._playing.set()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._loop, name="toy2d-run", daemon=True)
            self._thread.start()

    def pause(self) -> None:
        self._playing.clear()
        if self._status == "playing":
            self._status = "paused"
        self._refresh()

    def stop(self, timeout: float = 2.0) -> None:
        """End the run for good and join the thread."""
        self._stop.set()
        self._playing.set()  # wake a paused loop so it can exit
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        if self._status not in ("error",):
            self._status = "stopped"

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def step_once(self, which: str = "both") -> ToySnapshot:
        """One synchronous D-only ("d"), G-only ("g") or full ("both") iteration."""
        self.pause()
        with self._lock:
            self._stage, self._stage_batch = -1, None
            self.trainer.step(which)
            self._snap = self._build_snapshot()
        return self._snap

    def advance_stage(self) -> ToySnapshot:
        """Slow motion: do the next of the four stages of one iteration (see STAGES)."""
        self.pause()
        with self._lock:
            nxt = (self._stage + 1) % len(STAGES)
            tr = self.trainer
            if STAGES[nxt] == "sample":
                self._stage_batch = tr.sample_batch()          # (real (B,2), z (B,nz))
            elif STAGES[nxt] == "d_step":
                for _ in range(tr.config.d_steps):
                    tr.d_update(*self._stage_batch)
            elif STAGES[nxt] == "g_step":
                tr.g_update(self._stage_batch[1])
                tr.record()
            self._stage = nxt
            self._snap = self._build_snapshot()
        return self._snap

    def load_state(self, tensors: dict[str, torch.Tensor], *, steps: int) -> None:
        self.pause()
        with self._lock:
            self.trainer.load_state_tensors(tensors, steps=steps)
            self._snap = self._build_snapshot()

    def fresh_snapshot(self) -> ToySnapshot:
        """Compute a frame now (waits for the current training chunk); used by the benchmark."""
        with self._lock:
            self._snap = self._build_snapshot()
        return self._snap

    def snapshot(self) -> ToySnapshot:
        """The latest frame; polling also keeps the run alive (idle stop after idle_timeout_s)."""
        self._last_poll = time.monotonic()
        snap = self._snap
        if snap.status != self._status:  # stop/pause/idle change the status without a new frame
            snap = dataclasses.replace(snap, status=self._status)
        return snap

    # ------------------------------------------------------------------ internals
    def _refresh(self) -> None:
        with self._lock:
            self._snap = self._build_snapshot()

    def _loop(self) -> None:
        last_snap = 0.0
        t0, n0 = time.perf_counter(), self.trainer.steps_done
        try:
            while not self._stop.is_set():
                if not self._playing.wait(timeout=0.25):
                    if time.monotonic() - self._last_poll > self.idle_timeout_s:
                        self._status = "idle"
                        break
                    continue
                if self._stop.is_set():
                    break
                with self._lock:
                    if not self._playing.is_set():  # paused while we waited for the lock
                        continue
                    for _ in range(self.chunk):
                        self.trainer.step("both")
                    now = time.perf_counter()
                    if now - t0 > 0.5:
                        self._rate = (self.trainer.steps_done - n0) / (now - t0)
                        t0, n0 = now, self.trainer.steps_done
                    if now - last_snap > self.snapshot_every_s:
                        self._snap = self._build_snapshot()
                        last_snap = time.perf_counter()
                if self.trainer.steps_done >= self.max_steps:
                    self._status = "done"
                    break
                if time.monotonic() - self._last_poll > self.idle_timeout_s:
                    self._status = "idle"
                    break
                time.sleep(0.0005)  # hand the GIL to the page thread between chunks
        except Exception as exc:  # noqa: BLE001 -- surfaced on the page, never swallowed
            self._status, self._error = "error", f"{type(exc).__name__}: {exc}"
        finally:
            self._playing.clear()
            with self._lock:
                self._snap = self._build_snapshot()

    def _build_snapshot(self) -> ToySnapshot:
        """All views at once; caller holds the lock. A few ms for the default sizes."""
        tr = self.trainer
        div = tr.divergence()
        if not self._div["step"] or self._div["step"][-1] != tr.steps_done:
            self._div["step"].append(tr.steps_done)
            self._div["js"].append(div["js"])
            self._div["kl_pq"].append(div["kl_pq"])
        hl_real = hl_fake = None
        if self._stage_batch is not None:
            real, z = self._stage_batch
            hl_real = real[:48].numpy()
            with torch.no_grad():
                hl_fake = tr.G(z[:48]).numpy()
            arrow_from, arrow_vec = tr.g_arrows(z=z[:48])
        else:
            arrow_from, arrow_vec = tr.g_arrows(n=64)
        full = tr.history()
        stride = max(1, len(full["step"]) // 600)  # <= ~600 points per curve keeps plots cheap
        hist = {k: v[::stride] for k, v in full.items()}
        return ToySnapshot(
            status=self._status, step=tr.steps_done,
            real=tr.fixed_real[: self.n_display].numpy(), fake=tr.fake_points(self.n_display),
            surface=tr.d_surface(self.grid_n), surface_is_prob=tr.config.loss in ("minimax", "nonsaturating", "maxlik"),
            manifold=tr.manifold(), arrow_from=arrow_from, arrow_vec=arrow_vec,
            history=hist, div_history={k: v[:: max(1, len(v) // 300)] for k, v in self._div.items()},
            divergence=div, coverage=tr.coverage(), iters_per_s=self._rate,
            stage=self._stage, highlight_real=hl_real, highlight_fake=hl_fake, error=self._error,
        )
