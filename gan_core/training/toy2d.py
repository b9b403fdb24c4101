"""Training a 2-D GAN step by step, and the data behind the playground's views.

One iteration follows the paper's algorithm (Goodfellow et al. 2014, Alg. 1):
  (1) k = d_steps times: fix G, update D on real (label 1) vs G(z).detach() (label 0);
  (2) once: fix D, update G so that D scores G(z) as real.
Losses come from gan_core.losses (the same six as the MNIST trainer). Per-step losses stay
tensors until `history()` is read: no `.item()` sync inside the hot loop.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from gan_core.data.toy2d import BOX, MODE_STD, make_pool, mode_centers
from gan_core.divergence import sample_divergence
from gan_core.losses import get_loss, gradient_penalty
from gan_core.models.toy2d import (
    Toy2DModelConfig,
    ToyDiscriminator,
    ToyGenerator,
    noise_grid,
    sample_noise,
)

OPTIMIZERS = ("adam", "sgd", "rmsprop")
PROB_LOSSES = ("minimax", "nonsaturating", "maxlik")  # D's output is a probability sigma(logit)
HISTORY_KEYS = ("d_loss", "g_loss", "d_real", "d_fake")


@dataclass(frozen=True)
class Toy2DConfig:
    model: Toy2DModelConfig = field(default_factory=Toy2DModelConfig)
    dist: str = "ring"
    loss: str = "nonsaturating"
    opt_g: str = "adam"
    opt_d: str = "adam"
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    d_steps: int = 1            # k in Alg. 1
    batch_size: int = 256
    gp_weight: float = 1.0      # WGAN-GP lambda; 1 suits 2-D data (images use 10)
    seed: int = 0

    def __post_init__(self) -> None:
        for name in ("opt_g", "opt_d"):
            if getattr(self, name) not in OPTIMIZERS:
                raise ValueError(f"{name} must be one of {OPTIMIZERS}")
        if not 1 <= self.d_steps <= 20:
            raise ValueError("d_steps must be in 1..20")
        if not 1 <= self.batch_size <= 4096:
            raise ValueError("batch_size must be in 1..4096")
        get_loss(self.loss)  # KeyError listing valid keys


def make_optimizer(name: str, params, lr: float) -> torch.optim.Optimizer:
    if name == "adam":
        # beta1=0.5 as DCGAN. foreach, not fused: fused is ~8% faster here but rounds differently, and the
        # shipped ready states (checkpoints/toy2d) must be reproducible by their recipe.
        return torch.optim.Adam(params, lr=lr, betas=(0.5, 0.999), foreach=True)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, foreach=True)
    return torch.optim.SGD(params, lr=lr, foreach=True)


class Toy2DTrainer:
    """Owns G, D, their optimisers, the real-sample pool and the loss history. Not thread-safe:
    the caller (Toy2DRun) serialises access with a lock."""

    def __init__(self, *, config: Toy2DConfig, real_points: np.ndarray | None = None,
                 pool_size: int = 20_000) -> None:
        self.config = config
        self.spec = get_loss(config.loss)
        with torch.random.fork_rng(devices=[]):  # seeded init without touching the global RNG
            torch.manual_seed(config.seed)
            self.G = ToyGenerator(config=config.model)
            self.D = ToyDiscriminator(config=config.model)
        self.pool = torch.from_numpy(make_pool(config.dist, pool_size, seed=config.seed, points=real_points))
        self.gen = torch.Generator().manual_seed(config.seed + 1)
        self.opt_g = make_optimizer(config.opt_g, self.G.parameters(), config.lr_g)
        self.opt_d = make_optimizer(config.opt_d, self.D.parameters(), config.lr_d)
        view_gen = torch.Generator().manual_seed(12345)  # fixed noise: frames are comparable
        self.fixed_z = sample_noise(4096, config.model, generator=view_gen)
        self.fixed_real = self.pool[torch.randint(len(self.pool), (4096,), generator=view_gen)]
        self.steps_done = 0  # generator updates (one per "both" iteration)
        self._g_params = list(self.G.parameters())
        self._d_params = list(self.D.parameters())
        self._pending: list[torch.Tensor] = []  # (4,) per iteration, converted in history()
        self._pending_steps: list[int] = []
        self._hist: dict[str, list[float]] = {k: [] for k in ("step",) + HISTORY_KEYS}
        nan = torch.tensor(float("nan"))
        self._last_d, self._last_g, self._last_dp = nan, nan, torch.full((2,), float("nan"))

    # ------------------------------------------------------------------ training
    def sample_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        """(real (B, 2), z (B, noise_dim)) drawn with the trainer's own generator."""
        b = self.config.batch_size
        real = self.pool[torch.randint(len(self.pool), (b,), generator=self.gen)]
        return real, sample_noise(b, self.config.model, generator=self.gen)

    def d_update(self, real: torch.Tensor, z: torch.Tensor) -> None:
        # (1) fix G (no graph through it), push D(real) -> "real" and D(G(z)) -> "fake".
        # One D forward on the concatenated (2B, 2) batch: half the kernel launches.
        b = real.shape[0]
        with torch.no_grad():
            fake = self.G(z)
        logits = self.D(torch.cat([real, fake]))  # (2B,)
        loss = self.spec.d_loss(logits[:b], logits[b:], 1.0)
        if self.spec.gradient_penalty:
            loss = loss + self.config.gp_weight * gradient_penalty(self.D, real, fake, generator=self.gen)
        # grads only for D's weights; assigning .grad replaces zero_grad()
        for p, g in zip(self._d_params, torch.autograd.grad(loss, self._d_params)):
            p.grad = g
        self.opt_d.step()
        self._last_d = loss.detach()
        self._last_dp = torch.sigmoid(logits.detach()).view(2, b).mean(dim=1)  # (2,) mean D(real), D(fake)

    def g_update(self, z: torch.Tensor) -> None:
        # (2) fix D (its weights get no gradient), move G so that D scores G(z) as real
        loss = self.spec.g_loss(self.D(self.G(z)))
        for p, g in zip(self._g_params, torch.autograd.grad(loss, self._g_params)):
            p.grad = g
        self.opt_g.step()
        self._last_g = loss.detach()
        self.steps_done += 1

    def step(self, which: str = "both") -> None:
        """One iteration: "d" (one D update), "g" (one G update) or "both" (k D updates + 1 G update)."""
        if which not in ("d", "g", "both"):
            raise ValueError(f"which must be 'd', 'g' or 'both', got {which!r}")
        if which in ("d", "both"):
            for _ in range(self.config.d_steps if which == "both" else 1):
                self.d_update(*self.sample_batch())
        if which in ("g", "both"):
            self.g_update(self.sample_batch()[1])
        self.record()

    def train_d_only(self, n: int) -> None:
        """n discriminator updates against the current, fixed G (no G update)."""
        for _ in range(n):
            self.d_update(*self.sample_batch())
        self.record()

    def train(self, n: int) -> None:
        for _ in range(n):
            self.step("both")

    def record(self) -> None:
        self._pending_steps.append(self.steps_done)
        self._pending.append(torch.cat([self._last_d.view(1), self._last_g.view(1), self._last_dp]))

    def history(self) -> dict[str, list[float]]:
        """Per-iteration curves; flushes the tensors logged since the last call (one sync)."""
        if self._pending:
            rows = torch.stack(self._pending).T.tolist()  # (4, n)
            self._hist["step"].extend(self._pending_steps)
            for k, col in zip(HISTORY_KEYS, rows):
                self._hist[k].extend(col)
            self._pending.clear()
            self._pending_steps.clear()
        return self._hist

    # ------------------------------------------------------------------ state
    def state_tensors(self) -> dict[str, torch.Tensor]:
        out = {f"G.{k}": v.detach().clone() for k, v in self.G.state_dict().items()}
        out.update({f"D.{k}": v.detach().clone() for k, v in self.D.state_dict().items()})
        return out

    def load_state_tensors(self, tensors: dict[str, torch.Tensor], *, steps: int = 0) -> None:
        self.G.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("G.")})
        self.D.load_state_dict({k[2:]: v for k, v in tensors.items() if k.startswith("D.")})
        self.steps_done = steps

    # ------------------------------------------------------------------ views
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
        g_loss = self.spec.g_loss if loss_name is None else get_loss(loss_name).g_loss
        with torch.no_grad():
            x = self.G(z)
        x.requires_grad_(True)
        loss = g_loss(self.D(x))
        (grad,) = torch.autograd.grad(loss, x)
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


def param_count(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
