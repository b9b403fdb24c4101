"""Where the deepfake lesson's generated digits come from: whatever digit generators are shipped NOW.

The MNIST generators in ``checkpoints/`` may be retrained at any time, so nothing here hard-codes
their names or numbers: ``digit_generators`` lists every checkpoint that samples 28x28 grey MNIST
digits (by capability and data set, never by family name), and ``sample_digits`` draws seeded
samples from one of them. A sample set is identified by the weights' sha256, so a retrained
generator never reuses the samples of the old one.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from gan_core import checkpoints
from gan_core.explore import GENERATES, LRU, SHIPPED_ORDER
from gan_core.images import to_uint8
from gan_core.training.family import SAMPLES_CLASS

MAX_SAMPLES = 20_000
_models = LRU(16)
_samples = LRU(64)


@dataclass(frozen=True)
class DigitGenerator:
    name: str  # the checkpoint's file name, e.g. "mnist_dcgan"
    family: str
    stem: Path
    sha256: str


def resolve_stem(name_or_path: str | Path) -> Path:
    """A bare name ("mnist_dcgan") is a shipped checkpoint; anything with a folder is a path."""
    p = Path(name_or_path)
    return checkpoints.stem_of(p if p.parent != Path(".") else checkpoints.SHIPPED_DIR / p)


def digit_generators(*folders: str | Path) -> list[DigitGenerator]:
    """Checkpoints (default: the shipped ones) that sample MNIST digits from noise, in the gallery's
    order. Fashion or colour generators are left out: the real pictures here are MNIST digits."""
    infos = checkpoints.list_checkpoints(*(folders or (checkpoints.SHIPPED_DIR,)))
    out = []
    for info in infos:
        tc = info.train_config or {}
        if not info.capabilities & GENERATES or tc.get("dataset", "mnist") != "mnist":
            continue
        if tc.get("image_size") not in (None, 28) or tc.get("data_folder"):
            continue
        try:
            sha = checkpoints.read_meta(info.path)["sha256"]
        except checkpoints.CheckpointError:
            continue
        out.append(DigitGenerator(name=info.path.name, family=info.family, stem=info.path, sha256=sha))
    rank = {name: k for k, name in enumerate(SHIPPED_ORDER)}
    return sorted(out, key=lambda g: (rank.get(g.name, len(rank)), g.name))


Latents = Callable[[int, torch.Generator], torch.Tensor]  # (n, generator) -> z (n, z_dim) from G's training prior


def load_generator(stem: str | Path) -> tuple[torch.nn.Module, Latents, bool, str]:
    """(G in eval mode, frozen; its latents; conditional?; sha256) of a generator checkpoint, cached per file."""
    stem = resolve_stem(stem)
    sha = checkpoints.read_meta(stem)["sha256"]

    def make():
        from gan_core.families import get_family

        ckpt = checkpoints.load(stem)
        caps = get_family(ckpt.family).capabilities
        if "G" not in ckpt.modules or not caps & GENERATES:
            raise checkpoints.CheckpointError(f"{stem}: not a generator checkpoint (family {ckpt.family!r})")
        G = ckpt.modules["G"].eval().requires_grad_(False)
        family, config = get_family(ckpt.family), ckpt.config

        def latents(n: int, generator: torch.Generator) -> torch.Tensor:
            return family.draw_z(config, n, generator=generator)

        return G, latents, SAMPLES_CLASS in caps, sha

    return _models.get((str(stem), sha), make)


@torch.no_grad()
def draw(G: torch.nn.Module, n: int, *, latents: Latents, conditional: bool,
         generator: torch.Generator) -> torch.Tensor:
    """n samples (n, 1, 28, 28) in [-1, 1] with latents drawn from ``generator`` (labels cycle 0..9)."""
    z = latents(n, generator)
    y = torch.arange(n) % 10 if conditional else None
    return G(z, y).float().clamp(-1.0, 1.0).reshape(n, 1, 28, 28)


def sample_digits(stem: str | Path, n: int, *, seed: int = 0) -> np.ndarray:
    """n seeded samples, uint8 (n, 28, 28), read-only and cached per (weights, n, seed)."""
    if not 1 <= n <= MAX_SAMPLES:
        raise ValueError(f"n must be between 1 and {MAX_SAMPLES:,} (got {n})")
    G, latents, conditional, sha = load_generator(stem)

    def make() -> np.ndarray:
        gen = torch.Generator().manual_seed(seed)
        parts = [draw(G, min(500, n - i), latents=latents, conditional=conditional, generator=gen)
                 for i in range(0, n, 500)]
        out = to_uint8(torch.cat(parts))  # (n, 28, 28)
        out.flags.writeable = False
        return out

    return _samples.get((sha, n, seed), make)
