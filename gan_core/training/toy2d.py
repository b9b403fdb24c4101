"""The 2-D toy family: a GAN on points in the plane, stepped like GAN Lab (full step, one player,
or one slow-motion stage at a time), and the data behind the playground's views.

One iteration follows the paper's algorithm (Goodfellow et al. 2014, Alg. 1):
  (1) k = d_steps times: fix G, update D on real (label 1) vs G(z).detach() (label 0);
  (2) once: fix D, update G so that D scores G(z) as real.
Losses come from gan_core.losses (the same six as the image GANs). Runs go through the same
``Run`` and ``JobPool`` as every family, in the pool's light lane.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
import torch

from gan_core.data.toy2d import make_pool
from gan_core.losses import get_loss, gradient_penalty
from gan_core.models.toy2d import Toy2DModelConfig, ToyDiscriminator, ToyGenerator, sample_noise
from gan_core.training.family import POINTS_2D, Family, FamilyTrainer, Preview, check_finite
from gan_core.training.toy2d_view import ToyViews

OPTIMIZERS = ("adam", "sgd", "rmsprop")
HISTORY_KEYS = ("d_loss", "g_loss", "d_real", "d_fake")
# Slow motion: one iteration shown as four stages, each with its own sentence on the page.
STAGES = ("sample", "d_step", "g_grad", "g_step")


@dataclass(frozen=True)
class Toy2DConfig:
    family_name: ClassVar[str] = "toy2d"
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
    steps: int = 200_000        # a live run's budget (a playground tab left playing ends here)

    def __post_init__(self) -> None:
        check_finite(self)
        for name in ("opt_g", "opt_d"):
            if getattr(self, name) not in OPTIMIZERS:
                raise ValueError(f"{name} must be one of {OPTIMIZERS}")
        if not 1 <= self.d_steps <= 20:
            raise ValueError("d_steps must be in 1..20")
        if not 1 <= self.batch_size <= 4096:
            raise ValueError("batch_size must be in 1..4096")
        if not 0 < self.lr_g <= 1 or not 0 < self.lr_d <= 1 or not 0 <= self.gp_weight <= 1000:
            raise ValueError("learning rates must be in (0, 1] and gp_weight in [0, 1000]")
        if not 0 <= self.steps <= 10**9:
            raise ValueError("steps must be in 0..10**9")
        get_loss(self.loss)  # KeyError listing valid keys


def make_optimizer(name: str, params, lr: float) -> torch.optim.Optimizer:
    if name == "adam":
        # beta1=0.5 as DCGAN. foreach, not fused: fused is ~8% faster here but rounds differently, and the
        # shipped ready states (checkpoints/toy2d) must be reproducible by their recipe.
        return torch.optim.Adam(params, lr=lr, betas=(0.5, 0.999), foreach=True)
    if name == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, foreach=True)
    return torch.optim.SGD(params, lr=lr, foreach=True)


class Toy2DTrainer(ToyViews, FamilyTrainer):
    """Owns G, D, their optimisers and the real-sample pool. Not thread-safe: ``Run`` serialises
    access. ``data``: the student's own points (N, 2) for the "custom" distribution."""

    publish_every_steps = None
    publish_every_s = 0.15  # ~7 frames a second: steps take microseconds, frames milliseconds
    film_strip = False

    def __init__(self, *, config: Toy2DConfig, data: np.ndarray | None = None, device=None,
                 pool_size: int = 20_000) -> None:
        self.config = config
        self.device = torch.device("cpu")  # 2-D points: the CPU beats any accelerator's launch cost
        self.spec = get_loss(config.loss)
        with torch.random.fork_rng(devices=[]):  # seeded init without touching the global RNG
            torch.manual_seed(config.seed)
            self.G = ToyGenerator(config=config.model)
            self.D = ToyDiscriminator(config=config.model)
        self.pool = torch.from_numpy(make_pool(config.dist, pool_size, seed=config.seed, points=data))
        self.gen = torch.Generator().manual_seed(config.seed + 1)
        self.opt_g = make_optimizer(config.opt_g, self.G.parameters(), config.lr_g)
        self.opt_d = make_optimizer(config.opt_d, self.D.parameters(), config.lr_d)
        view_gen = torch.Generator().manual_seed(12345)  # fixed noise: frames are comparable
        self.fixed_z = sample_noise(4096, config.model, generator=view_gen)
        self.fixed_real = self.pool[torch.randint(len(self.pool), (4096,), generator=view_gen)]
        self.steps_done = 0  # generator updates (one per "both" iteration)
        self._g_params = list(self.G.parameters())
        self._d_params = list(self.D.parameters())
        nan = torch.tensor(float("nan"))
        self._last = {"d_loss": nan, "g_loss": nan, "d_real": nan, "d_fake": nan}
        self.stage = -1  # slow motion: index into STAGES of the last stage done, -1 none
        self.stage_batch: tuple[torch.Tensor, torch.Tensor] | None = None
        self._div: dict[str, list[float]] = {"step": [], "js": [], "kl_pq": []}

    # -- the family interface ------------------------------------------------------------
    @property
    def modules(self):
        return {"G": self.G, "D": self.D}

    @property
    def model_config(self) -> Toy2DModelConfig:
        return self.config.model

    @property
    def data_source(self) -> str:
        return f"2-D {self.config.dist} ({len(self.pool):,} points)"

    def optimizers(self):
        return {"G": self.opt_g, "D": self.opt_d}

    def generators(self):
        return {"steps": self.gen}

    def preview(self) -> Preview:
        return Preview(kind="points_2d", data=self.view())

    # -- training ------------------------------------------------------------------------
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
        probs = torch.sigmoid(logits.detach()).view(2, b).mean(dim=1)  # mean D(real), D(fake)
        self._last.update(d_loss=loss.detach(), d_real=probs[0], d_fake=probs[1])

    def g_update(self, z: torch.Tensor) -> None:
        # (2) fix D (its weights get no gradient), move G so that D scores G(z) as real
        loss = self.spec.g_loss(self.D(self.G(z)))
        for p, g in zip(self._g_params, torch.autograd.grad(loss, self._g_params)):
            p.grad = g
        self.opt_g.step()
        self._last["g_loss"] = loss.detach()
        self.steps_done += 1

    def step(self, mode: str = "both") -> dict[str, torch.Tensor]:
        """"d" (one D update), "g" (one G update), "both" (k D updates + 1 G update), or "stage":
        the next of the four slow-motion stages of one iteration (see STAGES)."""
        if mode == "stage":
            self._advance_stage()
        elif mode in ("d", "g", "both"):
            self.stage, self.stage_batch = -1, None
            if mode in ("d", "both"):
                for _ in range(self.config.d_steps if mode == "both" else 1):
                    self.d_update(*self.sample_batch())
            if mode in ("g", "both"):
                self.g_update(self.sample_batch()[1])
        else:
            raise ValueError(f"mode must be 'd', 'g', 'both' or 'stage', got {mode!r}")
        return dict(self._last)

    def _advance_stage(self) -> None:
        nxt = (self.stage + 1) % len(STAGES)
        if STAGES[nxt] == "sample":
            self.stage_batch = self.sample_batch()  # (real (B, 2), z (B, noise_dim))
        elif STAGES[nxt] == "d_step":
            for _ in range(self.config.d_steps):
                self.d_update(*self.stage_batch)
        elif STAGES[nxt] == "g_step":
            self.g_update(self.stage_batch[1])
        self.stage = nxt

    def train(self, n: int, mode: str = "both") -> dict[str, list[float]]:
        """n iterations; returns their curves (one host sync at the end)."""
        rows, steps = [], []
        for _ in range(n):
            stats = self.step(mode)
            rows.append(torch.stack([stats[k] for k in HISTORY_KEYS]))
            steps.append(self.steps_done)
        cols = torch.stack(rows).T.tolist() if rows else [[] for _ in HISTORY_KEYS]
        return {"step": steps, **dict(zip(HISTORY_KEYS, cols))}


FAMILY = Family(
    name="toy2d", config_cls=Toy2DConfig, model_config_cls=Toy2DModelConfig,
    build=lambda cfg: {"G": ToyGenerator(config=cfg), "D": ToyDiscriminator(config=cfg)},
    trainer=Toy2DTrainer, capabilities=frozenset({POINTS_2D}), stat_names=HISTORY_KEYS,
    step_modes=("both", "d", "g", "stage"), lane="light",
    summary="a GAN on points in the plane (the playground, GAN Lab-style)")
