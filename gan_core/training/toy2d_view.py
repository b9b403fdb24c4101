"""What the playground draws of a 2-D GAN: D over the plane, G's manifold, the push on each fake
point, divergences and mode coverage, computed from a ``Toy2DTrainer`` (mixed in as ``ToyViews``).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import torch

from gan_core.data.toy2d import BOX, MODE_STD, mode_centers
from gan_core.divergence import sample_divergence
from gan_core.losses import get_loss
from gan_core.models.toy2d import noise_grid

PROB_LOSSES = ("minimax", "nonsaturating", "maxlik")  # D's output is a probability sigma(logit)


@dataclass(frozen=True)
class ToyView:
    """One frame of the playground (the ``data`` of a run's preview)."""

    step: int                        # generator updates so far
    real: np.ndarray                 # (n, 2) display sample of the data
    fake: np.ndarray                 # (n, 2) G(fixed z)
    surface: np.ndarray              # (m, m) D over the plane (rows = y)
    surface_is_prob: bool
    manifold: np.ndarray             # (lines, points, 2)
    arrow_from: np.ndarray           # (k, 2) fake points
    arrow_vec: np.ndarray            # (k, 2) -dL_G/dx
    div_history: dict                # step, js, kl_pq: lists
    divergence: dict                 # kl_pq, kl_qp, js (bits)
    coverage: dict | None
    stage: int                       # slow motion: index into STAGES of the *last* stage done, -1 none
    highlight_real: np.ndarray | None  # (h, 2) the batch used by the current slow-motion iteration
    highlight_fake: np.ndarray | None
    history: dict = field(default_factory=dict)  # d_loss, g_loss, d_real, d_fake curves (from the run)


def with_history(view: ToyView, history: dict[str, list[float]], *, max_points: int = 600) -> ToyView:
    """The view with a run's loss curves attached, thinned to at most ~max_points per curve."""
    stride = max(1, len(history.get("step", ())) // max_points)
    return dataclasses.replace(view, history={k: v[::stride] for k, v in history.items()})


class ToyViews:
    """View computations; expects G, D, config, fixed_z, fixed_real, steps_done, stage, stage_batch, _div."""

    @torch.no_grad()
    def fake_points(self, n: int = 512) -> np.ndarray:
        return self.G(self.fixed_z[:n]).numpy()

    @torch.no_grad()
    def d_surface(self, n: int = 60) -> np.ndarray:
        """D over an n x n grid of the plane; rows = y, columns = x (plotly heatmap layout).
        Probability sigma(logit) for the BCE losses, the raw score otherwise."""
        t = torch.linspace(-BOX, BOX, n)
        yy, xx = torch.meshgrid(t, t, indexing="ij")
        logits = self.D(torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)).reshape(n, n)
        return (torch.sigmoid(logits) if self.config.loss in PROB_LOSSES else logits).numpy()

    @torch.no_grad()
    def manifold(self, *, lines: int = 11, points: int = 41) -> np.ndarray:
        """G applied to a regular grid of noise space: (n_lines, points_per_line, 2) polylines."""
        z, (n_lines, per_line) = noise_grid(self.config.model, lines=lines, points=points)
        return self.G(z).reshape(n_lines, per_line, 2).numpy()

    def g_arrows(self, n: int = 64, z: torch.Tensor | None = None, *, loss_name: str | None = None,
                 ) -> tuple[np.ndarray, np.ndarray]:
        """Fake points x = G(z) and the direction G's loss pushes them: -dL_G/dx per sample.

        L_G is a batch mean, so each sample's gradient is scaled back by n. `loss_name` evaluates
        another generator cost against the same D (the story page compares minimax and -log D)."""
        z = self.fixed_z[:n] if z is None else z
        g_loss = get_loss(loss_name or self.config.loss).g_loss
        with torch.no_grad():
            x = self.G(z)
        x.requires_grad_(True)
        (grad,) = torch.autograd.grad(g_loss(self.D(x)), x)
        return x.detach().numpy(), (-grad * len(z)).numpy()

    @torch.no_grad()
    def divergence(self, n: int = 4096) -> dict[str, float]:
        return sample_divergence(self.fixed_real[:n].numpy(), self.G(self.fixed_z[:n]).numpy(), box=BOX)

    @torch.no_grad()
    def coverage(self, n: int = 2048) -> dict[str, float] | None:
        """For the mixtures: modes holding >= 1/4 of their fair share of fakes, and the fraction of
        fakes within 4 std of some mode ("quality"). None for other distributions."""
        centers = mode_centers(self.config.dist)
        if centers is None:
            return None
        fake = self.G(self.fixed_z[:n]).numpy()
        d = np.linalg.norm(fake[:, None, :] - centers[None, :, :], axis=2)  # (n, K)
        near = d.min(axis=1) < 4 * MODE_STD[self.config.dist]
        counts = np.bincount(d.argmin(axis=1)[near], minlength=len(centers))
        covered = int(np.sum(counts >= 0.25 * n / len(centers)))
        return {"modes": covered, "modes_total": len(centers), "quality": float(near.mean())}

    def view(self, *, grid_n: int = 60, n_display: int = 512) -> ToyView:
        """Every view at once: a few ms for the default sizes."""
        div = self.divergence()
        if not self._div["step"] or self._div["step"][-1] != self.steps_done:
            for key, value in (("step", self.steps_done), ("js", div["js"]), ("kl_pq", div["kl_pq"])):
                self._div[key].append(value)
        hl_real = hl_fake = None
        if self.stage_batch is not None:
            real, z = self.stage_batch
            hl_real = real[:48].numpy()
            with torch.no_grad():
                hl_fake = self.G(z[:48]).numpy()
            arrow_from, arrow_vec = self.g_arrows(z=z[:48])
        else:
            arrow_from, arrow_vec = self.g_arrows(n=64)
        return ToyView(
            step=self.steps_done, real=self.fixed_real[:n_display].numpy(), fake=self.fake_points(n_display),
            surface=self.d_surface(grid_n), surface_is_prob=self.config.loss in PROB_LOSSES,
            manifold=self.manifold(), arrow_from=arrow_from, arrow_vec=arrow_vec,
            div_history={k: v[:: max(1, len(v) // 300)] for k, v in self._div.items()},
            divergence=div, coverage=self.coverage(), stage=self.stage,
            highlight_real=hl_real, highlight_fake=hl_fake)
