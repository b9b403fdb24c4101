"""The Social GAN family (Gupta et al. 2018): observed paths -> k sampled futures per pedestrian.

    python -m gan_core train --family social-gan --out runs/sgan_synthetic            # synthetic crowds
    python -m gan_core train --family social-gan --data ~/eth_ucy --split zara1 --out runs/sgan_zara1
    python -m gan_core train --family social-gan --data ~/eth_ucy --split zara1 --no-pooling --noise-dim 0 \\
        --k 1 --out runs/lstm_zara1                                                   # the LSTM baseline

One step follows the paper (sec. 3.5), D before G as the course lab does:
  (1) ``d_steps`` times: fix G, one sample per pedestrian; D scores whole paths [observed, future],
      real ones towards "real", generated ones towards "fake" (BCE on unbounded logits);
  (2) once: G draws k futures per pedestrian; loss = adversarial (D fixed, one sample)
      + variety loss (only the sample closest to the truth is penalised, min per scene window).
With ``noise_dim=0`` the generator is deterministic and the adversarial term is dropped (weight 0
is forced): the plain encoder-decoder "LSTM" baseline of the paper, trained by L2 alone.

D loss is the official code's sum BCE(real, 1) + BCE(fake, 0): when D cannot tell (D = 1/2
everywhere) it reads 2 ln 2 = 1.386 and G's adversarial loss -log D(G(z)) reads ln 2 = 0.693, the
numbers in the course's training log (the objectives lab halves D's sum, so there it is ln 2).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch

from gan_core.data.trajectories import SPLITS, TrajectorySet
from gan_core.losses import d_bce, g_nonsaturating, variety_loss
from gan_core.models.social_gan import CELLS, SocialGANConfig, TrajectoryDiscriminator, TrajectoryGenerator
from gan_core.training.family import TRAJECTORIES, Family, FamilyTrainer, Preview, Trained, check_finite
from gan_core.trajectory_eval import data_root, describe, evaluate_set, limit_windows, trajectory_set

STATS = ("d_loss", "g_adv", "g_variety", "d_real", "d_fake")
CURVE_EVERY = 25  # steps averaged into one point of the training curve kept in the checkpoint
MAX_CURVE = 400  # points; beyond this the curve is thinned by half
PREVIEW_WINDOWS = 3
PREVIEW_K = 12


@dataclass(frozen=True)
class SocialGANTrainConfig:
    family_name: ClassVar[str] = "social-gan"
    data: str | None = None  # ETH/UCY root (<data>/<split>/{train,test}); None = synthetic crowds
    split: str = "zara1"  # leave-one-out split: train on the other four scenes (ignored for synthetic)
    pooling: bool = True  # the social pooling module; off = no context from other pedestrians
    residual: bool = True  # the decoder predicts the change of each step (untrained: constant velocity)
    noise_dim: int = 8  # size of z; 0 = deterministic (with pooling off: the LSTM baseline)
    cell: str = "lstm"  # lstm | gru, every encoder and decoder
    k: int = 20  # samples per pedestrian in the variety loss (best-of-k training)
    d_steps: int = 1  # D updates before each G update
    embedding_dim: int = 16
    encoder_dim: int = 32
    decoder_dim: int = 32
    mlp_dim: int = 64
    bottleneck_dim: int = 32
    d_encoder_dim: int = 64
    d_mlp_dim: int = 64
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    adv_weight: float = 1.0  # weight of the adversarial term in G's loss (forced to 0 without noise)
    clip_g: float = 1.5  # max gradient norm of G (the official run scripts' clipping_threshold_g)
    batch: int = 32  # scene windows per step (about 11 pedestrians each on ETH/UCY)
    rotate: bool = False  # turn each training window by a random angle (scenes face different ways)
    steps: int = 3000
    seed: int = 0

    def __post_init__(self) -> None:
        check_finite(self)
        if self.data is not None and (not isinstance(self.data, str) or not self.data.strip()):
            raise ValueError(f"data must be an ETH/UCY folder path or None (synthetic crowds), "
                             f"got {self.data!r}")
        if self.split not in SPLITS:
            raise ValueError(f"split must be one of {', '.join(SPLITS)}, got {self.split!r}")
        if self.cell not in CELLS:
            raise ValueError(f"cell must be one of {', '.join(CELLS)}, got {self.cell!r}")
        for name in ("pooling", "residual", "rotate"):
            if type(getattr(self, name)) is not bool:
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        for name, lo, hi in (("k", 1, 100), ("d_steps", 0, 20), ("batch", 1, 1024), ("steps", 0, 10**7),
                             ("seed", 0, 2**31 - 1)):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{name} must be an integer in {lo}..{hi}, got {v!r}")
        for name in ("lr_g", "lr_d"):
            if not 0 < getattr(self, name) <= 1:
                raise ValueError(f"{name} must be in (0, 1], got {getattr(self, name)!r}")
        if not 0 <= self.adv_weight <= 100 or not 0 < self.clip_g <= 1e6:
            raise ValueError("adv_weight must be in [0, 100] and clip_g in (0, 1e6]")
        self.model_config()  # sizes and noise_dim < decoder_dim: SocialGANConfig's own checks

    def model_config(self) -> SocialGANConfig:
        return SocialGANConfig(
            cell=self.cell, embedding_dim=self.embedding_dim, encoder_dim=self.encoder_dim,
            decoder_dim=self.decoder_dim, mlp_dim=self.mlp_dim, bottleneck_dim=self.bottleneck_dim,
            noise_dim=self.noise_dim, pooling=self.pooling, residual=self.residual,
            d_encoder_dim=self.d_encoder_dim, d_mlp_dim=self.d_mlp_dim)

    @property
    def adversarial(self) -> bool:
        """G has noise to shape and D a say: False for the deterministic LSTM baseline."""
        return self.noise_dim > 0 and self.adv_weight > 0


class SocialGANTrainer(FamilyTrainer):
    """Owns G, D, their optimisers and the training windows. ``data``: a TrajectorySet to train on
    instead of the one the config names (tests)."""

    publish_every_steps = 25
    film_strip = False

    def __init__(self, *, config: SocialGANTrainConfig, data: TrajectorySet | None = None,
                 device=None) -> None:
        del device  # small recurrent nets on ragged scenes: the CPU is the right place
        self.config = config
        self.device = torch.device("cpu")
        self.train_set = data if data is not None else trajectory_set(config.data, config.split, "train")
        self.view_set = data if data is not None else trajectory_set(config.data, config.split, "test")
        with torch.random.fork_rng(devices=[]):  # seeded init without touching the global RNG
            torch.manual_seed(config.seed)
            self.G = TrajectoryGenerator(config=config.model_config())
            self.D = TrajectoryDiscriminator(config=config.model_config())
        self.gen = torch.Generator().manual_seed(config.seed + 1)
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=config.lr_g)
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=config.lr_d)
        self.steps_done = 0
        nan = torch.tensor(float("nan"))
        self._last = dict.fromkeys(STATS, nan)
        self._acc = torch.zeros(len(STATS))  # running sums for the curve
        self._acc_n = 0
        self.curve: dict[str, list[float]] = {"step": [], **{k: [] for k in STATS}}
        self._curve_every = CURVE_EVERY
        self.preview_windows = _busy_windows(self.view_set, PREVIEW_WINDOWS)

    # -- the family interface ------------------------------------------------------------
    @property
    def modules(self):
        return {"G": self.G, "D": self.D}

    @property
    def model_config(self) -> SocialGANConfig:
        return self.G.config

    @property
    def data_source(self) -> str:
        c = self.config
        where = ("synthetic crowds (social force, seeds 0-11)" if c.data is None
                 else f"ETH/UCY {c.data} split {c.split}")
        return f"{where}: {self.train_set.num_windows:,} windows, {self.train_set.num_peds:,} pedestrian rows"

    def optimizers(self):
        return {"G": self.opt_g, "D": self.opt_d}

    def generators(self):
        return {"steps": self.gen}

    # -- training ------------------------------------------------------------------------
    def _batch(self):
        idx = torch.randint(self.train_set.num_windows, (self.config.batch,), generator=self.gen)
        b = self.train_set.batch(idx.numpy())
        if not self.config.rotate:
            return b
        # one random rotation per window (the model only reads displacements and relative positions,
        # so turning about the origin is the same as turning about the window's centre)
        angle = torch.rand(len(idx), generator=self.gen) * (2 * math.pi)
        angle = angle.repeat_interleave(b.seq_start_end[:, 1] - b.seq_start_end[:, 0])  # (N,)
        cos, sin = torch.cos(angle), torch.sin(angle)
        rot = torch.stack([torch.stack([cos, sin], -1), torch.stack([-sin, cos], -1)], -2)  # (N, 2, 2)
        return b._replace(obs=b.obs @ rot, pred=b.pred @ rot)  # row vectors: (x, y) R^T

    def d_update(self) -> None:
        # (1) fix G; D learns real paths -> "real" (logit up), generated ones -> "fake" (logit down)
        obs, pred, sse, _ = self._batch()
        with torch.no_grad():
            fake = self.G(obs, sse, generator=self.gen)  # (N, T_pred, 2)
        n = obs.shape[0]
        logits = self.D(torch.cat([torch.cat([obs, pred], 1), torch.cat([obs, fake], 1)]))  # (2N,)
        loss = 2.0 * d_bce(logits[:n], logits[n:])  # BCE(real, 1) + BCE(fake, 0), as the official code
        self.opt_d.zero_grad(set_to_none=True)
        loss.backward()
        self.opt_d.step()
        probs = torch.sigmoid(logits.detach()).view(2, n).mean(dim=1)  # mean D(real), D(fake)
        self._last.update(d_loss=loss.detach(), d_real=probs[0], d_fake=probs[1])

    def g_update(self) -> None:
        # (2) G: variety loss through the closest of k futures + adversarial loss with D fixed
        c = self.config
        obs, pred, sse, _ = self._batch()
        z = self.G.noise(sse, c.k, generator=self.gen) if c.noise_dim > 0 else None
        variety, first = self.generator_losses(obs, pred, sse, z)
        loss = variety
        if c.adversarial:
            adv = g_nonsaturating(self.D(torch.cat([obs, first], 1)))  # -log D(G(z)); ln 2 at D = 1/2
            loss = loss + c.adv_weight * adv
            self._last["g_adv"] = adv.detach()
        params = list(self.G.parameters())
        for p, g in zip(params, torch.autograd.grad(loss, params)):  # D's weights get no gradient
            p.grad = g
        torch.nn.utils.clip_grad_norm_(params, c.clip_g)
        self.opt_g.step()
        self._last["g_variety"] = variety.detach()

    def generator_losses(self, obs: torch.Tensor, pred: torch.Tensor, sse: torch.Tensor,
                         z: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """(variety loss, the future of z[0] for D), both with a graph into G. z (k, N, noise_dim) or None.

        Only the future closest to the truth is penalised (min per scene window of the summed errors, as
        the official training code). The k futures are first drawn without a graph, then the chosen one
        (and z[0]'s, which D judges) are decoded again with one: the same loss and gradient as
        back-propagating through all k, at about 2/k of the cost.
        """
        n = obs.shape[0]
        context = self.G.encode(obs, sse)  # (N, C): encoder + pooling, with a graph
        if z is None:  # deterministic G (noise_dim 0): one future
            chosen = self.G.decode(obs, context, obs.new_zeros(n, 0))
            return variety_loss(chosen[None], pred, seq_start_end=sse), chosen
        k = z.shape[0]
        with torch.no_grad():
            futures = self.G.decode(obs.repeat(k, 1, 1), context.detach().repeat(k, 1),
                                    z.reshape(k * n, -1)).view(k, n, -1, 2)  # (k, N, T_pred, 2)
            best = closest_sample(futures, pred, sse)  # (N,) sample index, shared by a window
        both = self.G.decode(obs.repeat(2, 1, 1), context.repeat(2, 1),
                             torch.cat([z[best, torch.arange(n)], z[0]]))  # (2N, T_pred, 2)
        return variety_loss(both[None, :n], pred, seq_start_end=sse), both[n:]

    def step(self, mode: str = "both") -> dict[str, torch.Tensor]:
        """"both": d_steps D updates, then one G update; "d" / "g": one update of that player."""
        if mode not in ("both", "d", "g"):
            raise ValueError(f"mode must be 'both', 'd' or 'g', got {mode!r}")
        if self.config.adversarial and mode in ("both", "d"):
            for _ in range(self.config.d_steps if mode == "both" else 1):
                self.d_update()
        if mode in ("both", "g"):
            self.g_update()
            self.steps_done += 1
            self._record()
        return dict(self._last)

    def _record(self) -> None:
        """Average the stats over CURVE_EVERY steps into one curve point (one host sync per point)."""
        self._acc += torch.stack([self._last[k] for k in STATS]).float()
        self._acc_n += 1
        if self._acc_n < self._curve_every:
            return
        self.curve["step"].append(self.steps_done)
        for k, v in zip(STATS, (self._acc / self._acc_n).tolist()):
            self.curve[k].append(None if math.isnan(v) else round(v, 4))
        self._acc.zero_()
        self._acc_n = 0
        if len(self.curve["step"]) >= MAX_CURVE:  # keep the whole run in a bounded list
            self.curve = {k: v[1::2] for k, v in self.curve.items()}
            self._curve_every *= 2

    def state_dict(self) -> dict:
        state = super().state_dict()
        state["curve"] = {"every": self._curve_every, **self.curve}
        return state

    def load_state_dict(self, state) -> None:
        super().load_state_dict(state)
        saved = dict(state.get("curve", {}))
        self._curve_every = int(saved.pop("every", CURVE_EVERY))
        self.curve = {"step": [], **{k: [] for k in STATS}, **{k: list(v) for k, v in saved.items()}}

    @torch.no_grad()
    def preview(self) -> Preview:
        """Fixed busy windows of the held-out set, PREVIEW_K futures each from a fixed noise seed."""
        ts = self.view_set.subset(self.preview_windows)
        b = ts.batch()
        self.G.eval()
        k = PREVIEW_K if self.config.noise_dim > 0 else 1
        samples = self.G.sample(b.obs, b.seq_start_end, k, generator=torch.Generator().manual_seed(12345))
        self.G.train()
        payload = trajectory_payload(ts, samples.numpy(), step=self.steps_done)
        return Preview(kind="trajectories", data=payload)

    def evaluate(self, *, n: int, seed: int = 0) -> dict:
        """The family's evaluation, plus the training curve (it lands in the checkpoint's metrics)."""
        out = super().evaluate(n=n, seed=seed)
        out["train_curve"] = {"every": self._curve_every, **self.curve}
        return out


def closest_sample(futures: torch.Tensor, truth: torch.Tensor, seq_start_end: torch.Tensor) -> torch.Tensor:
    """(N,) index of the sample the variety loss keeps: futures (k, N, T, 2), truth (N, T, 2); per scene
    window the k minimising the summed mean squared error of its pedestrians (ties: the first)."""
    err = ((futures - truth) ** 2).sum(-1).mean(-1)  # (k, N): e_i^(k) as in variety_loss
    sizes = seq_start_end[:, 1] - seq_start_end[:, 0]
    window = torch.repeat_interleave(torch.arange(len(sizes)), sizes)  # (N,)
    per_window = err.new_zeros(err.shape[0], len(sizes)).index_add_(1, window, err)  # (k, W)
    return per_window.argmin(dim=0)[window]


def _busy_windows(ts: TrajectorySet, n: int) -> np.ndarray:
    """Indices of ``n`` windows spread over the set, each the busiest of its stretch (deterministic)."""
    sizes = ts.seq_start_end[:, 1] - ts.seq_start_end[:, 0]
    parts = np.array_split(np.arange(ts.num_windows), min(n, ts.num_windows))
    return np.array([p[np.argmax(sizes[p])] for p in parts if len(p)], dtype=np.int64)


def trajectory_payload(ts: TrajectorySet, samples: np.ndarray, *, step: int = 0) -> dict:
    """A read-only plot payload: obs (N, T_obs, 2), truth (N, T_pred, 2), samples (k, N, T_pred, 2),
    seq_start_end (W, 2), nonlinear (N,), step. Arrays are copies marked read-only."""
    out = {"obs": ts.obs, "truth": ts.pred, "samples": samples, "seq_start_end": ts.seq_start_end,
           "nonlinear": ts.nonlinear}
    out = {k: np.array(v) for k, v in out.items()}
    for v in out.values():
        v.setflags(write=False)
    return {**out, "step": int(step)}


def train_config_of(trained: Trained) -> SocialGANTrainConfig:
    tc = trained.train_config
    if isinstance(tc, SocialGANTrainConfig):
        return tc
    values = {k: v for k, v in dict(tc or {}).items() if k in SocialGANTrainConfig.__dataclass_fields__}
    return SocialGANTrainConfig(**values)


def evaluate_trajectories(trained: Trained, *, n: int = 0, seed: int = 0) -> dict:
    """ADE/FDE (m) on the held-out windows (synthetic seeds 100-103, or the split's test scene), at most
    ``n`` windows: best-of-20 per window and per pedestrian, one sample, the constant-velocity line."""
    cfg = train_config_of(trained)
    ts = limit_windows(trajectory_set(data_root(cfg.data), cfg.split, "test"), n, seed=seed)
    out = {"eval_on": describe(cfg.data, cfg.split)}
    stochastic = trained.model_config.noise_dim > 0
    out.update(evaluate_set(trained.modules["G"], ts, k=20, seed=seed, stochastic=stochastic))
    return out


FAMILY = Family(
    name="social-gan", config_cls=SocialGANTrainConfig, model_config_cls=SocialGANConfig,
    build=lambda cfg: {"G": TrajectoryGenerator(config=cfg), "D": TrajectoryDiscriminator(config=cfg)},
    trainer=SocialGANTrainer, capabilities=frozenset({TRAJECTORIES}), stat_names=STATS,
    step_modes=("both", "d", "g"), evaluate=evaluate_trajectories,
    summary="Social GAN: observed pedestrian paths -> k sampled futures (ETH/UCY or synthetic crowds)")
