"""Social GAN (Gupta, Johnson, Fei-Fei, Savarese & Alahi, CVPR 2018), sized for a CPU.

Generator G (paper fig. 2), for pedestrian i of a scene window:
  encoder   e_i^t = phi(x_i^t - x_i^(t-1); W_ee)  (embedding of the displacement)
            h_ei^t = RNN(h_ei^(t-1), e_i^t; W_enc)                                     -> h_ei (N, H_enc)
  pooling   P_i = max_j MLP([phi(x_j - x_i), h_ej])  over every j of i's window        -> P_i  (N, bottleneck)
  context   c_i = MLP([h_ei, P_i])                                                     -> (N, H_dec - noise_dim)
  decoder   h_di^0 = [c_i, z],  z ~ N(0, I) of size noise_dim (one per pedestrian or per scene window)
            h_di^t = RNN(h_di^(t-1), phi(dx_i^(t-1))),  dx_i^t = W_out h_di^t,  x_i^t = x_i^(t-1) + dx_i^t
            (``residual``, the default here: dx_i^t = dx_i^(t-1) + W_out h_di^t: constant velocity + a change)
Discriminator D: an RNN encoder over the displacements of the whole observed + future path,
then an MLP to one *unbounded logit* per pedestrian (no sigmoid; the loss works on logits).

Unlike the official code: runs on CPU; D's head ends in a linear layer (the official MLP ends in a
ReLU, so its "logits" are >= 0); the noise size is set in the config; x, y are never swapped.
``pooling=False`` with ``noise_dim=0`` is the plain "LSTM" encoder-decoder baseline of the paper.
Shapes: N pedestrian rows, W windows given by seq_start_end (W, 2); positions (N, T, 2) in metres.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor, nn

from gan_core.models.social_pooling import SocialPooling

CELLS = {"lstm": nn.LSTMCell, "gru": nn.GRUCell}
NOISE_MIX = ("ped", "scene")
MAX_WIDTH = 1024
MAX_LEN = 200


@dataclass(frozen=True)
class SocialGANConfig:
    obs_len: int = 8  # T_obs observed positions (>= 2: the encoder reads T_obs - 1 displacements)
    pred_len: int = 12  # T_pred predicted positions
    cell: str = "lstm"  # recurrent cell of every encoder and decoder: "lstm" or "gru"
    embedding_dim: int = 16  # phi: displacement / relative-position embedding
    encoder_dim: int = 32  # H_enc, G's encoder state
    decoder_dim: int = 32  # H_dec, G's decoder state = [context, z]
    mlp_dim: int = 64  # hidden width of every MLP
    bottleneck_dim: int = 32  # size of the pooled vector P_i
    noise_dim: int = 8  # size of z; 0 = deterministic
    noise_mix: str = "ped"  # one z per pedestrian ("ped") or one shared by a scene window ("scene")
    pooling: bool = True  # False: no social context (the LSTM baseline)
    # True: the decoder's output is the *change* of the displacement, dx^t = dx^(t-1) + W_out h^t, so an
    # untrained decoder walks on at constant velocity and learning spends itself on the deviations
    # (turning, slowing, avoiding); False: W_out h^t is the displacement itself, as the paper writes it
    residual: bool = True
    d_encoder_dim: int = 64  # D's encoder state
    d_mlp_dim: int = 64  # D's head hidden width

    def __post_init__(self) -> None:
        sizes = {"obs_len": (2, MAX_LEN), "pred_len": (1, MAX_LEN), "noise_dim": (0, MAX_WIDTH)}
        for name in ("embedding_dim", "encoder_dim", "decoder_dim", "mlp_dim", "bottleneck_dim",
                     "d_encoder_dim", "d_mlp_dim"):
            sizes[name] = (1, MAX_WIDTH)
        for name, (lo, hi) in sizes.items():
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"SocialGANConfig.{name} must be an integer in {lo}..{hi}, got {v!r}")
        if self.cell not in CELLS:
            raise ValueError(f"SocialGANConfig.cell must be one of {sorted(CELLS)}, got {self.cell!r}")
        if self.noise_mix not in NOISE_MIX:
            raise ValueError(f"SocialGANConfig.noise_mix must be one of {NOISE_MIX}, got {self.noise_mix!r}")
        for name in ("pooling", "residual"):  # 1 / 0 / "yes" are refused, not coerced
            if type(getattr(self, name)) is not bool:
                raise ValueError(f"SocialGANConfig.{name} must be True or False, got {getattr(self, name)!r}")
        if self.noise_dim >= self.decoder_dim:
            raise ValueError(f"SocialGANConfig.noise_dim ({self.noise_dim}) must be smaller than decoder_dim "
                             f"({self.decoder_dim}): the decoder state is [context, z]")


class TrajectoryEncoder(nn.Module):
    """Displacements (N, T, 2) -> last RNN state (N, hidden): linear embedding phi, then an LSTM/GRU."""

    def __init__(self, *, embedding_dim: int, hidden_dim: int, cell: str) -> None:
        super().__init__()
        self.embed = nn.Linear(2, embedding_dim)
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(embedding_dim, hidden_dim, batch_first=True)

    def forward(self, rel: Tensor) -> Tensor:
        _, state = self.rnn(self.embed(rel))  # state: h (1, N, H) for GRU, (h, c) for LSTM
        h = state[0] if isinstance(state, tuple) else state
        return h[0]  # (N, H)


class TrajectoryGenerator(nn.Module):
    """G(obs, seq_start_end, z) -> predicted future positions (N, T_pred, 2), metres."""

    def __init__(self, *, config: SocialGANConfig) -> None:
        super().__init__()
        c = self.config = config
        self.encoder = TrajectoryEncoder(embedding_dim=c.embedding_dim, hidden_dim=c.encoder_dim, cell=c.cell)
        self.pool = SocialPooling(hidden_dim=c.encoder_dim, embedding_dim=c.embedding_dim,
                                  mlp_dim=c.mlp_dim, out_dim=c.bottleneck_dim) if c.pooling else None
        ctx_in = c.encoder_dim + (c.bottleneck_dim if c.pooling else 0)
        self.context = nn.Sequential(nn.Linear(ctx_in, c.mlp_dim), nn.ReLU(),
                                     nn.Linear(c.mlp_dim, c.decoder_dim - c.noise_dim))
        self.embed = nn.Linear(2, c.embedding_dim)
        self.cell = CELLS[c.cell](c.embedding_dim, c.decoder_dim)
        self.out = nn.Linear(c.decoder_dim, 2)  # W_out: state -> displacement (dx, dy)

    def encode(self, obs: Tensor, seq_start_end: Tensor) -> Tensor:
        """obs (N, T_obs, 2) absolute -> context c_i (N, H_dec - noise_dim). Uses only displacements
        and relative positions, so the prediction moves with the scene (translation invariant)."""
        h = self.encoder(obs.diff(dim=1))  # (N, H_enc) from T_obs - 1 displacements
        if self.pool is not None:
            h = torch.cat([h, self.pool(h, obs[:, -1], seq_start_end)], dim=1)  # [h_ei, P_i]
        return self.context(h)

    def noise(self, seq_start_end: Tensor, k: int = 1, *, generator: torch.Generator | None = None) -> Tensor:
        """z for k samples: (k, N, noise_dim) ~ N(0, I); with noise_mix="scene" one z per window."""
        sizes = seq_start_end[:, 1] - seq_start_end[:, 0]
        n = int(seq_start_end[-1, 1]) if len(seq_start_end) else 0
        rows = len(sizes) if self.config.noise_mix == "scene" else n
        z = torch.randn(k, rows, self.config.noise_dim, generator=generator)
        return z.repeat_interleave(sizes, dim=1) if self.config.noise_mix == "scene" else z

    def decode(self, obs: Tensor, context: Tensor, z: Tensor) -> Tensor:
        """obs (M, T_obs, 2), context (M, C), z (M, noise_dim) -> future (M, T_pred, 2), step by step."""
        h = torch.cat([context, z], dim=1)  # h_d^0 = [c_i, z]  (M, H_dec)
        state = (h, torch.zeros_like(h)) if self.config.cell == "lstm" else h
        pos, step = obs[:, -1], obs[:, -1] - obs[:, -2]  # last position and displacement (M, 2)
        out = []
        for _ in range(self.config.pred_len):
            state = self.cell(self.embed(step), state)
            delta = self.out(state[0] if isinstance(state, tuple) else state)  # (M, 2)
            step = step + delta if self.config.residual else delta
            pos = pos + step
            out.append(pos)
        return torch.stack(out, dim=1)  # (M, T_pred, 2)

    def forward(self, obs: Tensor, seq_start_end: Tensor, *, z: Tensor | None = None,
                generator: torch.Generator | None = None) -> Tensor:
        """One sample: obs (N, T_obs, 2), seq_start_end (W, 2) -> (N, T_pred, 2). z (N, noise_dim) or drawn."""
        z = self.noise(seq_start_end, generator=generator)[0] if z is None else z
        return self.decode(obs, self.encode(obs, seq_start_end), z)

    def sample(self, obs: Tensor, seq_start_end: Tensor, k: int, *,
               generator: torch.Generator | None = None) -> Tensor:
        """k samples in one batched pass (encoder and pooling run once): (k, N, T_pred, 2)."""
        n = obs.shape[0]
        context = self.encode(obs, seq_start_end).repeat(k, 1)  # (k N, C)
        z = self.noise(seq_start_end, k, generator=generator).reshape(k * n, -1)
        return self.decode(obs.repeat(k, 1, 1), context, z).view(k, n, self.config.pred_len, 2)


class TrajectoryDiscriminator(nn.Module):
    """D(traj) -> logits (N,): traj (N, T_obs + T_pred, 2) absolute; reads its displacements."""

    def __init__(self, *, config: SocialGANConfig) -> None:
        super().__init__()
        self.config = config
        self.encoder = TrajectoryEncoder(embedding_dim=config.embedding_dim, hidden_dim=config.d_encoder_dim,
                                         cell=config.cell)
        self.head = nn.Sequential(nn.Linear(config.d_encoder_dim, config.d_mlp_dim), nn.ReLU(),
                                  nn.Linear(config.d_mlp_dim, 1))  # linear last layer: unbounded logit

    def forward(self, traj: Tensor, seq_start_end: Tensor | None = None) -> Tensor:
        del seq_start_end  # a "local" D judges each pedestrian alone (the official default)
        return self.head(self.encoder(traj.diff(dim=1))).squeeze(-1)


def build_social_gan(config: SocialGANConfig | None = None) -> tuple[TrajectoryGenerator, TrajectoryDiscriminator]:
    """(G, D) for a config (defaults: the official run script's sizes, pred_len 12)."""
    cfg = config or SocialGANConfig()
    return TrajectoryGenerator(config=cfg), TrajectoryDiscriminator(config=cfg)
