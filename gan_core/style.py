"""CycleGAN at work on whole pictures (the Style studio page, ``bench.style`` and the family's
evaluation): translate, translate back, measure how far the round trip lands from the start.

Errors are mean absolute differences in pixel units of [0, 1] (0: identical; a uniform shift of
one grey level out of 255 is 0.004). The round trip runs in float32: the in-between picture is
not rounded to 8 bits, so the error is the model's, not the file format's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from gan_core.data.unpaired import to_tensor
from gan_core.images import to_uint8

# A perceptually ordered dark -> bright ramp (black, purple, red, orange, pale yellow), like "inferno".
_RAMP = np.array([[0, 0, 4], [87, 16, 110], [188, 55, 84], [249, 142, 9], [252, 255, 164]], dtype=np.float32)


@dataclass(frozen=True, eq=False)  # eq=False: arrays do not compare as one bool
class RoundTrip:
    """x -> G(x) -> F(G(x)) for one picture; uint8 (H, W, 3) pictures, (H, W) float heat."""

    source: np.ndarray
    translated: np.ndarray
    back: np.ndarray
    error: float  # mean |F(G(x)) - x| in [0, 1] units
    heat: np.ndarray  # float32 (H, W): per-pixel |F(G(x)) - x| averaged over the colours, [0, 1]


@torch.no_grad()
def _run(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None else torch.float32
    return model(x.to(dtype)).float().clamp(-1.0, 1.0)  # (1, 3, H, W)


def translate(model: nn.Module, picture: np.ndarray) -> np.ndarray:
    """uint8 (H, W, 3) -> uint8 (H, W, 3): one generator, any size."""
    return to_uint8(_run(model, to_tensor(picture)[None]))[0]


def round_trip(forward: nn.Module, backward: nn.Module, picture: np.ndarray) -> RoundTrip:
    """x, G(x), F(G(x)) and where F(G(x)) differs from x (G = ``forward``, F = ``backward``)."""
    x = to_tensor(picture)[None]  # (1, 3, H, W) in [-1, 1]
    fake = _run(forward, x)
    back = _run(backward, fake)
    diff = (back - x).abs().mean(1)[0] / 2.0  # (H, W), [-1, 1] units -> [0, 1] units
    return RoundTrip(source=picture, translated=to_uint8(fake)[0], back=to_uint8(back)[0],
                     error=float(diff.mean()), heat=diff.numpy())


def mae(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference of two uint8 pictures in [0, 1] units."""
    if a.shape != b.shape:
        raise ValueError(f"pictures differ in shape: {a.shape} vs {b.shape}")
    return float(np.abs(a.astype(np.float32) - b.astype(np.float32)).mean() / 255.0)


def mae_max(a: np.ndarray, b: np.ndarray) -> float:
    """Largest absolute difference of two uint8 pictures in [0, 1] units."""
    return float(np.abs(a.astype(np.int16) - b.astype(np.int16)).max() / 255.0)


def heat_rgb(heat: np.ndarray, *, vmax: float = 0.25) -> np.ndarray:
    """float (H, W) >= 0 -> uint8 (H, W, 3) on a dark-to-bright ramp; ``vmax`` and above is brightest."""
    if not np.isfinite(vmax) or vmax <= 0:
        raise ValueError(f"vmax must be a positive number, got {vmax}")
    pos = np.clip(np.nan_to_num(heat, nan=0.0) / vmax, 0.0, 1.0) * (len(_RAMP) - 1)  # (H, W) in [0, 4]
    low = np.minimum(pos.astype(np.int64), len(_RAMP) - 2)
    frac = (pos - low)[..., None].astype(np.float32)
    return np.rint(_RAMP[low] * (1.0 - frac) + _RAMP[low + 1] * frac).astype(np.uint8)


def colour_shift(a: np.ndarray, b: np.ndarray) -> float:
    """Distance between the mean colours of two pictures in [0, 1] units (a colour flip is large,
    a cartoon of the same scene is small: flat colours keep the average)."""
    ma = a.reshape(-1, 3).astype(np.float32).mean(0) / 255.0
    mb = b.reshape(-1, 3).astype(np.float32).mean(0) / 255.0
    return float(np.linalg.norm(ma - mb))


def evaluate_pairs(g_ab: nn.Module, g_ba: nn.Module,
                   pairs: tuple[tuple[str, np.ndarray, np.ndarray], ...]) -> dict:
    """Cycle errors both ways and G's cartoons against the filter's, on (key, photo, cartoon) triples
    none of which the model trained on. Baselines say what doing nothing would score."""
    if not pairs:
        raise ValueError("no held-out photos to evaluate on")
    aba, bab, vs_filter, nothing, to_photo = [], [], [], [], []
    for _key, photo, cartoon in pairs:
        there = round_trip(g_ab, g_ba, photo)  # photo -> cartoon -> photo
        aba.append(there.error)
        bab.append(round_trip(g_ba, g_ab, cartoon).error)  # cartoon -> photo -> cartoon
        vs_filter.append(mae(there.translated, cartoon))  # G's cartoon vs the filter's, never paired
        nothing.append(mae(photo, cartoon))  # "translate" by returning the photo unchanged
        to_photo.append(mae(translate(g_ba, cartoon), photo))  # F(filter(x)) vs the real photo
    mean = lambda v: round(float(np.mean(v)), 4)
    return {"cycle_err": mean(aba + bab), "cycle_err_aba": mean(aba), "cycle_err_bab": mean(bab),
            "cartoon_err": mean(vs_filter), "cartoon_err_unchanged": mean(nothing),
            "photo_err": mean(to_photo), "eval_photos": len(pairs)}


def evaluate_round_trips(g_ab: nn.Module, g_ba: nn.Module, a: tuple[np.ndarray, ...],
                         b: tuple[np.ndarray, ...]) -> dict:
    """Cycle errors both ways on pictures of each domain (a user's folders: no held-out set)."""
    aba = [round_trip(g_ab, g_ba, p).error for p in a]
    bab = [round_trip(g_ba, g_ab, p).error for p in b]
    return {"cycle_err": round(float(np.mean(aba + bab)), 4), "cycle_err_aba": round(float(np.mean(aba)), 4),
            "cycle_err_bab": round(float(np.mean(bab)), 4), "eval_pictures": len(aba) + len(bab)}


def darken(picture: np.ndarray, factor: float) -> np.ndarray:
    """Every pixel times ``factor`` (0 < factor <= 1): the same scene, less light."""
    if not 0.0 < factor <= 1.0:
        raise ValueError(f"factor must be in (0, 1], got {factor}")
    return np.rint(picture.astype(np.float32) * factor).astype(np.uint8)


def _config_of(info: object) -> dict:
    return dict(getattr(info, "train_config", {}) or {})


def variants(infos: list) -> dict[str, object]:
    """Pick the ablation checkpoints out of ``infos`` (CheckpointInfo of two-way translators) by
    their run configs, not their names: ``identity_off`` (lambda_identity = 0, cycle on),
    ``cycle_off`` (lambda_cycle = 0) and ``identity_on``: a model whose run config equals the
    identity-off one except for lambda_identity (same steps, seed and data), so the two compare fairly."""
    def weights(info) -> tuple[float, float]:
        c = _config_of(info)
        return float(c.get("lambda_cycle", 10.0)), float(c.get("lambda_identity", 0.5))

    out: dict[str, object] = {}
    off = [i for i in infos if weights(i)[0] > 0 and weights(i)[1] == 0]
    cyc = [i for i in infos if weights(i)[0] == 0]
    if cyc:
        out["cycle_off"] = cyc[0]
    for candidate in off:
        base = {k: v for k, v in _config_of(candidate).items() if k != "lambda_identity"}
        twin = next((i for i in infos if weights(i)[1] > 0 and weights(i)[0] > 0
                     and {k: v for k, v in _config_of(i).items() if k != "lambda_identity"} == base), None)
        if twin is not None:
            out["identity_off"], out["identity_on"] = candidate, twin
            break
    return out
