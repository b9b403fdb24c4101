"""The image-GAN trainer (families mlp, dcgan; cgan and infogan subclass it): alternating steps.

A step reads like Algorithm 1 of Goodfellow et al. (2014): k updates of D on real and
generated batches, then one update of G with D frozen. The trainer knows nothing of the
UI; it is driven by the CLI, by ``Run`` threads and by the benchmarks. Build one for any
family with ``gan_core.training.session.new_trainer(config)``.
"""
from __future__ import annotations

import contextlib
import copy
import threading
from collections.abc import Iterator

import torch

from gan_core.data import load_training_data
from gan_core.data.mnist import ImageData
from gan_core.data.sampler import BatchSampler
from gan_core.device import pick_device
from gan_core.images import make_grid
from gan_core.losses import get_loss, gradient_penalty, r1_penalty
from gan_core.training.augment import translate
from gan_core.training.config import TrainConfig
from gan_core.training.family import SAMPLES_CLASS, FamilyTrainer, Preview

# torch.manual_seed is process-wide: building two runs' models at once from two threads
# would interleave their random draws, so construction is serialised to keep seeds honest.
build_lock = threading.Lock()

STAT_KEYS = ("d_loss", "g_loss", "d_real", "d_fake", "d_grad_norm", "g_grad_norm")
QUALITY_N = 500  # samples per live quality check: ~0.1 s, so only every few snapshots
QUALITY_MIN_EVERY = 100
BN_RECALIBRATION_BATCHES = 20  # batches of 256 noise draws that re-estimate the EMA G's BatchNorm statistics


def adam(params, *, lr: float, betas: tuple[float, float], device: torch.device) -> torch.optim.Adam:
    # fused=True runs the whole Adam update in one kernel: ~3x cheaper on this CPU.
    fused = device.type in ("cpu", "cuda")
    return torch.optim.Adam(params, lr=lr, betas=betas, fused=fused or None)


@contextlib.contextmanager
def frozen(module: torch.nn.Module) -> Iterator[None]:
    """No parameter gradients for ``module`` inside the block (D while G learns from it)."""
    module.requires_grad_(False)
    try:
        yield
    finally:
        module.requires_grad_(True)


def descend(optimizer: torch.optim.Optimizer, loss: torch.Tensor, module: torch.nn.Module) -> torch.Tensor:
    """One gradient step of ``module`` on ``loss``; returns the gradient norm before the step."""
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    norm = grad_norm(module)
    optimizer.step()
    return norm


def grad_norm(module: torch.nn.Module) -> torch.Tensor:
    grads = [p.grad for p in module.parameters() if p.grad is not None]
    if not grads:
        return torch.zeros(())
    return torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))


def quality_every(config: TrainConfig) -> int:
    """Steps between live quality checks: ~12 per run, at least QUALITY_MIN_EVERY steps apart,
    and a multiple of snapshot_every (a Run only evaluates when it draws a preview)."""
    every = max(QUALITY_MIN_EVERY, round(config.steps / 12))
    return config.snapshot_every * max(1, -(-every // config.snapshot_every))


class Trainer(FamilyTrainer):
    """Holds G, D, their optimisers, the data sampler and the fixed noise of one run."""

    def __init__(self, *, config: TrainConfig, data: ImageData | None = None,
                 device: torch.device | None = None) -> None:
        from gan_core.training.image_gan import model_config_for

        self.config = config
        self.device = device or pick_device()
        self.data = data if data is not None else load_training_data(config)
        self.sampler = BatchSampler(data=self.data, device=self.device, seed=config.seed)
        probe, _ = self.sampler.sample(2)  # (2, C, H, W): the data decides channels and size
        family = self.family
        self._model_config = model_config_for(config, channels=int(probe.shape[1]), size=int(probe.shape[-1]))
        with build_lock:
            torch.manual_seed(config.seed)
            built = family.build(self._model_config)
        self.G, self.D = built["G"].to(self.device), built["D"].to(self.device)
        self.conditional = SAMPLES_CLASS in family.capabilities
        self._d_has_batchnorm = any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in self.D.modules())
        self.z_dim = int(self._model_config.z_dim)
        self.loss = get_loss(config.loss)
        betas = (config.beta1, config.beta2)
        self.opt_g = adam(self.G.parameters(), lr=config.lr_g, betas=betas, device=self.device)
        self.opt_d = adam(self.D.parameters(), lr=config.lr_d, betas=betas, device=self.device)
        # G_ema: the weight average shipped when ema_decay > 0 (Karras et al. 2018; Yazici et al. 2019)
        self.G_ema = copy.deepcopy(self.G).requires_grad_(False) if config.ema_decay > 0 else None
        self.rng = torch.Generator(device=self.device).manual_seed(config.seed + 1)
        fixed = torch.Generator(device=self.device).manual_seed(config.seed + 2)
        self.fixed_z = torch.randn(config.grid_n, self.z_dim, generator=fixed, device=self.device)
        self.n_classes = len(self.data.class_names) or 10
        self.fixed_y = torch.arange(config.grid_n, device=self.device) % self.n_classes
        self.steps_done = 0
        self.publish_every_steps = config.snapshot_every
        self.quality_every = quality_every(config) if self.data.name == "mnist" else 0
        self._keep_fake = False  # set by step() for the D update whose fakes G then learns from
        self._kept: tuple[torch.Tensor, torch.Tensor | None] | None = None

    # -- the family interface ------------------------------------------------------------
    @property
    def modules(self) -> dict[str, torch.nn.Module]:
        return {"G": self.G, "D": self.D}

    def export_modules(self) -> dict[str, torch.nn.Module]:
        """What a checkpoint ships: G, or its moving average when ``ema_decay`` > 0 (see sample_generator)."""
        return {"G": self.sample_generator(), "D": self.D}

    def state_dict(self) -> dict:
        state = super().state_dict()
        if self.G_ema is not None:
            state["G_ema"] = self.G_ema.state_dict()
        return state

    def load_state_dict(self, state) -> None:
        super().load_state_dict(state)
        if self.G_ema is not None:
            self.G_ema.load_state_dict(state["G_ema"])
        self._set_learning_rates()

    @property
    def model_config(self):
        return self._model_config

    @property
    def data_source(self) -> str:
        return f"{self.data.name}: {self.data.source} ({len(self.data.images)} images)"

    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return {"G": self.opt_g, "D": self.opt_d}

    def generators(self) -> dict[str, torch.Generator]:
        return {"steps": self.rng, "data": self.sampler.generator}

    def preview(self) -> Preview:
        return Preview(kind="image_grid", image=self.fixed_grid())

    def quality(self) -> dict | None:
        """Classifier-FID, coverage and confidence on QUALITY_N samples (runs between steps).
        Never raises: a missing classifier must not end a student's run."""
        try:
            from gan_core.metrics import evaluate_generator

            out = evaluate_generator(self.G, n=QUALITY_N, seed=0, z_dim=self.z_dim, real=self.data,
                                     conditional=self.conditional, n_real=2000,
                                     z=self.family.draw_z(self.model_config, QUALITY_N, seed=0))
            return {k: out[k] for k in ("fid", "coverage", "class_hist", "confidence")}
        except Exception as exc:  # noqa: BLE001 - shown on the page as "quality unavailable"
            return {"unavailable": f"{type(exc).__name__}: {exc}"}

    # -- helpers -------------------------------------------------------------------------
    def _noise(self, n: int) -> torch.Tensor:
        return torch.randn(n, self.z_dim, generator=self.rng, device=self.device)  # (B, z_dim)

    def _fake_labels(self, n: int) -> torch.Tensor | None:
        if not self.conditional:
            return None
        return torch.randint(0, self.n_classes, (n,), generator=self.rng, device=self.device)

    def augment(self, images: torch.Tensor) -> torch.Tensor:
        """What D looks at: the images shifted by up to ``augment_shift`` px (0: unchanged).
        Every family's D sees real and fake images only through here (DiffAugment, Zhao et al. 2020)."""
        return translate(images, max_shift=self.config.augment_shift, generator=self.rng)

    def _judge(self, x: torch.Tensor, y, fake: torch.Tensor, y_fake) -> tuple[torch.Tensor, torch.Tensor]:
        """D's logits on the real and the fake batch. A D without BatchNorm sees both in one
        call (B = 2 x batch: bigger matmuls, half the calls); a D with BatchNorm judges them
        separately, as the DCGAN paper does, so its batch statistics never mix the two."""
        if self._d_has_batchnorm or self.conditional:
            return self.D(self.augment(x), y), self.D(self.augment(fake), y_fake)
        logits = self.D(self.augment(torch.cat([x, fake])))  # (2B,)
        return logits[: len(x)], logits[len(x):]

    @property
    def r1_due(self) -> bool:
        """Whether this step's D update carries the R1 penalty (every ``r1_every``-th step when on)."""
        cfg = self.config
        return cfg.r1_weight > 0 and self.steps_done % cfg.r1_every == 0

    def real_input(self, x: torch.Tensor) -> torch.Tensor:
        """D's (augmented) real batch; a leaf that records gradients when R1 needs D's slope there."""
        real = self.augment(x)
        return real.detach().requires_grad_(True) if self.r1_due else real

    def r1_term(self, real_logits: torch.Tensor, real_in: torch.Tensor) -> torch.Tensor | float:
        """gamma / 2 * E||grad_x D(x)||^2 on the real batch, times ``r1_every`` so that a lazy
        penalty weighs as much on average (0 on the steps without it)."""
        if not self.r1_due:
            return 0.0
        return 0.5 * self.config.r1_weight * self.config.r1_every * r1_penalty(real_logits, real_in)

    def lr_factor(self, step: int) -> float:
        """1 until ``lr_decay_from`` x steps, then falling linearly to 0 at ``steps`` (pix2pix's schedule)."""
        cfg = self.config
        start = cfg.lr_decay_from * cfg.steps
        if cfg.lr_decay_from >= 1 or step < start:
            return 1.0
        return max(0.0, 1.0 - (step - start) / max(1.0, cfg.steps - start))

    def _set_learning_rates(self) -> None:
        factor = self.lr_factor(self.steps_done)
        for opt, base in ((self.opt_g, self.config.lr_g), (self.opt_d, self.config.lr_d)):
            for group in opt.param_groups:
                group["lr"] = base * factor

    # -- the two updates -----------------------------------------------------------------
    def _update_d(self) -> dict[str, torch.Tensor]:
        cfg = self.config
        x, y = self.sampler.sample(cfg.batch_size)  # (B, C, H, W) in [-1, 1]
        y = y if self.conditional else None
        y_fake = self._fake_labels(cfg.batch_size)
        # The last D update of a full step keeps G's forward pass for G's own update (as in
        # pytorch/examples' DCGAN): one generator forward per step instead of two.
        keep = self._keep_fake
        with torch.set_grad_enabled(keep):
            fake = self.G(self._noise(cfg.batch_size), y_fake)  # (B, C, H, W)
        if keep:
            self._kept = (fake, y_fake)
        fake = fake.detach()  # D's update sends no gradient into G
        if self.r1_due:  # R1 differentiates D at its real input: judge the halves apart
            real_in = self.real_input(x)
            real_logits, fake_logits = self.D(real_in, y), self.D(self.augment(fake), y_fake)
        else:
            real_logits, fake_logits = self._judge(x, y, fake, y_fake)
        # (1) update D: maximise log D(x) + log(1 - D(G(z))) (or the chosen loss' analogue)
        loss = self.loss.d_loss(real_logits, fake_logits, 1.0 - cfg.label_smoothing)
        if self.loss.gradient_penalty:
            loss = loss + cfg.gp_weight * gradient_penalty(self.D, x, fake, y=y)
        if self.r1_due:
            loss = loss + self.r1_term(real_logits, real_in)
        norm = descend(self.opt_d, loss, self.D)
        return {"d_loss": loss.detach(), "d_real": torch.sigmoid(real_logits.detach()).mean(),
                "d_fake": torch.sigmoid(fake_logits.detach()).mean(), "d_grad_norm": norm}

    def _g_fakes(self) -> tuple[torch.Tensor, torch.Tensor | None]:
        """G's batch for its update: the one kept from the last D update, or a fresh one."""
        if self._kept is not None:
            kept, self._kept = self._kept, None
            return kept
        y_fake = self._fake_labels(self.config.batch_size)  # a G-only step
        return self.G(self._noise(self.config.batch_size), y_fake), y_fake

    def _update_g(self) -> dict[str, torch.Tensor]:
        fake, y_fake = self._g_fakes()
        with frozen(self.D):  # D is frozen while G learns from its verdicts
            fake_logits = self.D(self.augment(fake), y_fake)
            # (2) update G: make D say "real" on G(z)
            loss = self.loss.g_loss(fake_logits)
            norm = descend(self.opt_g, loss, self.G)
        return {"g_loss": loss.detach(), "g_grad_norm": norm}

    def step(self, mode: str = "both") -> dict[str, torch.Tensor]:
        """One iteration: ``both`` = k D updates then one G update; ``d`` or ``g`` = that player only.

        Returns 0-d tensors (no host sync per step); missing players' entries are NaN.
        """
        if mode not in ("both", "d", "g"):
            raise ValueError(f"mode must be 'both', 'd' or 'g' (got {mode!r})")
        self.G.train()
        self.D.train()
        stats: dict[str, torch.Tensor] = {}
        self._kept = None
        if mode in ("both", "d"):
            k = self.config.d_steps if mode == "both" else 1
            for i in range(k):
                self._keep_fake = mode == "both" and i == k - 1
                stats = {**stats, **self._update_d()}
            self._keep_fake = False
        if mode in ("both", "g"):
            stats.update(self._update_g())
            self._update_ema()
        nan = torch.tensor(float("nan"))
        self.steps_done += 1
        if self.config.lr_decay_from < 1:
            self._set_learning_rates()
        return {k: stats.get(k, nan) for k in STAT_KEYS}

    @torch.no_grad()
    def _update_ema(self) -> None:
        """theta_ema <- beta theta_ema + (1 - beta) theta_G, beta = min(ema_decay, (1 + t) / (10 + t)),
        so the average forgets the random start quickly; BatchNorm buffers are copied from G."""
        if self.G_ema is None:
            return
        t = self.steps_done
        beta = min(self.config.ema_decay, (1.0 + t) / (10.0 + t))
        torch._foreach_lerp_(list(self.G_ema.parameters()), list(self.G.parameters()), 1.0 - beta)
        for b_ema, b in zip(self.G_ema.buffers(), self.G.buffers(), strict=True):
            b_ema.copy_(b)

    @torch.no_grad()
    def sample_generator(self) -> torch.nn.Module:
        """The generator to ship: G itself, or the EMA average when ``ema_decay`` > 0.

        BatchNorm's running statistics belong to G's own weights, not to their average, so the
        EMA copy re-estimates them: BN_RECALIBRATION_BATCHES noise batches in train mode with a
        cumulative average (momentum None), seeded so that the same run ships the same weights."""
        if self.G_ema is None:
            return self.G
        bns = [m for m in self.G_ema.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
        if bns:
            gen = torch.Generator(device=self.device).manual_seed(self.config.seed + 3)
            saved = [m.momentum for m in bns]
            for m in bns:
                m.reset_running_stats()
                m.momentum = None
            self.G_ema.train()
            for _ in range(BN_RECALIBRATION_BATCHES):
                z = self.family.draw_z(self.model_config, 256, generator=gen)  # the prior G is sampled from
                labels = (torch.randint(0, self.n_classes, (256,), generator=gen, device=self.device)
                          if self.conditional else None)
                self.G_ema(z, labels)
            for m, momentum in zip(bns, saved, strict=True):
                m.momentum = momentum
        return self.G_ema.eval()

    # -- looking at the generator --------------------------------------------------------
    @torch.no_grad()
    def generate(self, n: int, *, seed: int, labels: torch.Tensor | None = None) -> torch.Tensor:
        """n samples (n, C, H, W) in [-1, 1] from a seeded noise draw, G in eval mode."""
        gen = torch.Generator(device=self.device).manual_seed(seed)
        z = self.family.draw_z(self.model_config, n, generator=gen)
        if self.conditional and labels is None:
            labels = torch.arange(n, device=self.device) % self.n_classes
        was_training = self.G.training
        self.G.eval()
        try:
            return self.G(z, labels if self.conditional else None)
        finally:
            self.G.train(was_training)

    @torch.no_grad()
    def fixed_grid(self):
        """The fixed-noise sample grid (uint8), comparable across frames of one run."""
        was_training = self.G.training
        self.G.eval()
        try:
            fake = self.G(self.fixed_z, self.fixed_y if self.conditional else None)
        finally:
            self.G.train(was_training)
        return make_grid(fake)
