"""Pure compute behind the Explore pages (the latency benchmark calls it too): loaded generators,
cached renders, latent walks and arithmetic, timelines, nearest training images, the model table.

A ``Model`` is a loaded generator checkpoint: any family that samples images from noise (capability
``samples_z``, ``samples_class`` or ``samples_codes``). Everything returns uint8 images
(B, H, W) grey or (B, H, W, 3) colour.
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from gan_core import checkpoints, latent
from gan_core.images import frames_gif, to_uint8
from gan_core.training.family import SAMPLES_CLASS, SAMPLES_CODES, SAMPLES_Z

SHIPPED = checkpoints.SHIPPED_DIR
GENERATES = frozenset({SAMPLES_Z, SAMPLES_CLASS, SAMPLES_CODES})  # what the Explore pages can draw
# Display order of the shipped generators (gallery table, default picks).
SHIPPED_ORDER = ("mnist_mlp", "mnist_dcgan", "mnist_lsgan", "mnist_wgangp", "mnist_cgan",
                 "mnist_infogan", "fashion_dcgan")


@dataclass(frozen=True)
class Model:
    stem: str
    family: str
    G: torch.nn.Module  # eval mode, frozen: shared by every session
    config: Any
    meta: dict

    @property
    def name(self) -> str:
        return Path(self.stem).name

    @property
    def z_dim(self) -> int:
        return int(self.config.z_dim)

    @property
    def capabilities(self) -> frozenset[str]:
        from gan_core.families import get_family

        return get_family(self.family).capabilities

    @property
    def conditional(self) -> bool:
        return SAMPLES_CLASS in self.capabilities

    @property
    def train_config(self) -> dict:
        return checkpoints.train_config_of(self.meta)

    @property
    def dataset(self) -> str:
        from gan_core.training.image_gan import dataset_of

        return dataset_of(self.train_config)

    @property
    def is_digits(self) -> bool:
        """Grey 28x28 MNIST digits: the classifier-based tools apply."""
        return self.dataset == "mnist" and int(getattr(self.config, "img_channels", 1)) == 1


def gan_infos(*folders: str | Path) -> list[checkpoints.CheckpointInfo]:
    """Checkpoints that sample images from noise (by capability, whatever the family), shipped ones
    first in SHIPPED_ORDER, then by name."""
    infos = [i for i in checkpoints.list_checkpoints(*folders) if i.capabilities & GENERATES]
    rank = {name: k for k, name in enumerate(SHIPPED_ORDER)}
    return sorted(infos, key=lambda i: (rank.get(i.path.name, len(rank)), i.path.name))


def load_model(stem: str | Path) -> Model:
    ckpt = checkpoints.load(stem)
    if "G" not in ckpt.modules:
        raise checkpoints.CheckpointError(f"{ckpt.path}: no generator in this checkpoint")
    G = ckpt.modules["G"].eval().requires_grad_(False)
    return Model(stem=str(ckpt.path), family=ckpt.family, G=G, config=ckpt.config, meta=ckpt.meta)


class LRU:
    """A small thread-safe least-recently-used cache (Streamlit reruns the whole page on every click,
    so unchanged sections must cost nothing: their images come from here)."""

    def __init__(self, size: int) -> None:
        self.size, self._data, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key: Hashable, make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value


def digest(*arrays: Any) -> str:
    """Content hash of arrays/tensors (shape + dtype + bytes)."""
    h = hashlib.blake2b(digest_size=16)
    for a in arrays:
        if a is None:
            h.update(b"none")
            continue
        arr = np.ascontiguousarray(a.detach().cpu().numpy() if hasattr(a, "detach") else a)
        h.update(f"{arr.shape}{arr.dtype}".encode())
        h.update(arr.tobytes())
    return h.hexdigest()


_renders = LRU(512)


def render(model: Model, z: torch.Tensor, y: torch.Tensor | None = None) -> np.ndarray:
    """z (B, z_dim) [+ labels (B,)] -> uint8 images (B, H, W[, 3]), cached per model and input.
    The returned array is shared: read-only."""
    if model.conditional and y is None:
        y = torch.arange(z.shape[0]) % 10
    y = y if model.conditional else None
    return _renders.get((model.meta.get("sha256", model.stem), digest(z, y)), lambda: _render(model, z, y))


@torch.inference_mode()
def _render(model: Model, z: torch.Tensor, y: torch.Tensor | None) -> np.ndarray:
    out = to_uint8(model.G(z.float(), y))
    out.flags.writeable = False
    return out


_classes = LRU(256)


def classify(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(class, confidence) of digit images from the shipped classifier, cached per image content."""
    from gan_core.concepts import digit_class

    return _classes.get(digest(images), lambda: digit_class(images))


def pool(model: Model, n: int, *, seed: int) -> torch.Tensor:
    """(n, z_dim) seeded candidate latents for a page's numbered sample grid, from the model's training prior."""
    from gan_core.families import get_family

    return get_family(model.family).draw_z(model.config, n, seed=seed)


# -- latent explorer --------------------------------------------------------------------
def interpolations(model: Model, za: torch.Tensor, zb: torch.Tensor, n: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{"lerp" | "slerp": (images (n, ...), |z| along the walk (n,))}: one batched G call."""
    walks = {m: latent.walk(za, zb, n, method=m) for m in ("lerp", "slerp")}
    images = render(model, torch.cat(list(walks.values())))
    return {m: (images[k * n:(k + 1) * n], w.norm(dim=1).numpy()) for k, (m, w) in enumerate(walks.items())}


def square(model: Model, corners: torch.Tensor, n: int, *, method: str = "slerp") -> np.ndarray:
    return render(model, latent.bilinear_square(corners, n, method=method))  # (n * n, ...)


def arithmetic_grid(model: Model, a: torch.Tensor, b: torch.Tensor, c: torch.Tensor, *,
                    n: int = 9, sigma: float = 0.25, seed: int = 0) -> dict[str, np.ndarray]:
    """A, B, C (k_i, z_dim) chosen samples -> decoded means of A, B, C and the n results
    around A - B + C (the first result is the exact answer)."""
    va, vb, vc = (latent.concept_vector(m) for m in (a, b, c))
    answer = latent.arithmetic(va, vb, vc)
    images = render(model, torch.cat([torch.stack([va, vb, vc]), latent.neighbourhood(answer, n, sigma=sigma, seed=seed)]))
    return {"means": images[:3], "results": images[3:]}


def concept_dial(model: Model, base: torch.Tensor, direction: torch.Tensor, strengths: list[float]) -> np.ndarray:
    """base + s * direction for each strength s: (len(strengths), ...) images."""
    s = torch.tensor(strengths, dtype=base.dtype)[:, None]
    return render(model, base[None] + s * direction[None])


def measure_pool(model: Model, z: torch.Tensor) -> dict[str, np.ndarray]:
    """Concept scores of the decoded pool: thickness, slant, classifier class + confidence."""
    from gan_core import concepts

    images = render(model, z)
    out = {"thickness": concepts.stroke_thickness(images), "slant": concepts.slant(images)}
    cls, conf = classify(images)
    out["class"], out["confidence"] = cls, conf
    return out


# -- InfoGAN / unconditional sweeps ----------------------------------------------------------
def infogan_latent(model: Model, noise: torch.Tensor, cat: torch.Tensor, cont: torch.Tensor) -> torch.Tensor:
    from gan_core.models.infogan import make_latent

    return make_latent(noise, cat, cont, model.config)


def infogan_sweep(model: Model, noise: torch.Tensor, *, which: int, values: np.ndarray,
                  fixed_cont: np.ndarray, cats: list[int]) -> np.ndarray:
    """Rows = c1 values ``cats``, columns = continuous code ``which`` over ``values``; the
    same noise vector everywhere (as in the InfoGAN paper's figure 2)."""
    rows, cols = len(cats), len(values)
    cont = torch.tensor(np.tile(fixed_cont, (rows * cols, 1)), dtype=torch.float32)
    cont[:, which] = torch.tensor(np.tile(values, rows), dtype=torch.float32)
    cat = torch.tensor(np.repeat(cats, cols))
    return render(model, infogan_latent(model, noise.expand(rows * cols, -1), cat, cont))


def dimension_sweep(model: Model, z: torch.Tensor, *, dim: int, values: np.ndarray) -> np.ndarray:
    """Rows = the given latents z (R, z_dim), columns = z[dim] set to each value."""
    zz = z[:, None, :].repeat(1, len(values), 1)  # (R, V, z_dim)
    zz[:, :, dim] = torch.tensor(values, dtype=z.dtype)[None, :]
    return render(model, zz.reshape(-1, z.shape[1]))


# -- gallery -----------------------------------------------------------------------------------
def load_timeline(stem: str | Path) -> tuple[np.ndarray, np.ndarray] | None:
    """(steps (T,), grids (T, H, W[, 3]) uint8) from <stem>.timeline.npz, or None."""
    path = Path(str(checkpoints.stem_of(stem)) + ".timeline.npz")
    if not path.is_file():
        return None
    with np.load(path, allow_pickle=False) as f:  # never unpickle
        return np.asarray(f["steps"]), np.asarray(f["grids"])


def nearest_real(samples: np.ndarray, real: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each sample (B, H, W[, C]) uint8: index of the nearest real image (L2 in pixels) and
    the RMS pixel distance (0..255). ``real`` (N, H, W[, C]) uint8."""
    s = torch.tensor(samples.reshape(len(samples), -1), dtype=torch.float32)
    r = torch.tensor(real.reshape(len(real), -1), dtype=torch.float32)
    d2 = torch.cdist(s, r).pow(2)  # (B, N)
    best = d2.argmin(dim=1)
    rms = (d2.gather(1, best[:, None]).squeeze(1) / s.shape[1]).sqrt()
    return best.numpy(), rms.numpy()


def training_images(model: Model, *, limit: int = 10_000) -> np.ndarray | None:
    """The model's training images (uint8), when they can be loaded here; else None."""
    tc = model.train_config
    try:
        if model.dataset == "folder":
            from gan_core.data import load_image_folder

            data = load_image_folder(tc["data_folder"], size=int(model.config.img_size))
        else:
            from gan_core.data import load_dataset

            data = load_dataset(model.dataset)
    except (OSError, ValueError, KeyError, RuntimeError, ImportError):  # DataUnavailable, FolderError: not here
        return None
    return data.images[:limit]


def comparison_rows(infos: list[checkpoints.CheckpointInfo]) -> list[dict]:
    """One row per generator: name, family, data, FID, coverage, confidence, params, time, steps."""
    rows = []
    for info in infos:
        m = info.metrics
        params = None
        try:
            meta = json.loads(Path(str(info.path) + ".json").read_text(encoding="utf-8"))
            params = (meta.get("params") or {}).get("G")
        except (OSError, ValueError):
            pass
        from gan_core.training.image_gan import dataset_of

        rows.append({
            "name": info.path.name, "family": info.family,
            "data": dataset_of(info.train_config or None),
            "fid": m.get("fid"), "coverage": m.get("coverage"), "confidence": m.get("confidence"),
            "label_accuracy": m.get("label_accuracy"), "params_g": params,
            "train_seconds": m.get("train_seconds"), "steps": info.step,
        })
    return rows


def to_gif(frames: np.ndarray, *, scale: int = 3, duration_ms: int = 120, bounce: bool = True) -> bytes:
    """Animated GIF bytes of frames (T, H, W[, 3]) uint8, upscaled, looping (there and back)."""
    seq = list(frames) + (list(frames[-2:0:-1]) if bounce else [])
    return frames_gif(seq, scale=scale, frame_ms=duration_ms)


def walk_through(model: Model, points: torch.Tensor, steps: int, *, closed: bool = False) -> np.ndarray:
    """Frames of a slerp walk visiting points (P, z_dim) in order (back to the first if closed)."""
    pts = torch.cat([points, points[:1]]) if closed else points
    legs = [latent.walk(pts[i], pts[i + 1], steps, method="slerp")[:-1] for i in range(len(pts) - 1)]
    return render(model, torch.cat(legs + [pts[-1:]]))


def auto_direction(z: torch.Tensor, scores: dict[str, np.ndarray], concept: str, *, k: int,
                   digits: tuple[int, int] = (0, 1)) -> tuple[np.ndarray, np.ndarray]:
    """(indices of A, indices of B) in the measured pool for a concept:
    "thickness" / "slant": the k highest vs the k lowest; "class": k most confident samples
    classified as digits[1] (A) vs as digits[0] (B)."""
    from gan_core import concepts

    if concept == "class":
        a = concepts.members(scores["class"], digits[1], k=k, confidence=scores["confidence"])
        b = concepts.members(scores["class"], digits[0], k=k, confidence=scores["confidence"])
        return a, b
    return concepts.split_by(scores[concept], min(k, len(z) // 2))


def walk_gif(model: Model, points: torch.Tensor, steps: int) -> bytes:
    """Animated GIF of a slerp walk through points (P, z_dim): there and back for two points,
    a closed loop for more."""
    frames = walk_through(model, points, steps, closed=len(points) > 2)
    return to_gif(frames, scale=4, bounce=len(points) == 2)
