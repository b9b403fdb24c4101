"""Image-to-image models as the lessons and the benchmark use them: which trained variant is which,
running them on held-out pairs or a student's drawing, and the metric table.

The metric table of a variant on n held-out pairs (MNIST digits the classifier never trained on):
  l1_err, psnr, ssim, sharpness  on the pixels the model had to invent (completion: the hidden
                                 lower half; super-resolution, edges: the whole image), see
                                 ``gan_core.image_metrics``
  fid                            classifier-FID between the n outputs and their n true images
                                 (features of the shipped MNIST classifier; small n biases it
                                 upwards, so compare variants only at the same n)
  digit_acc                      how often the classifier reads the output as the true digit
Variants are told apart by their run config (a checkpoint's ``train_config``), never by file name.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from gan_core import checkpoints
from gan_core.data.paired import bicubic_baseline, to_model
from gan_core.image_metrics import all_metrics

METRIC_KEYS = ("l1_err", "sharpness", "fid", "digit_acc", "psnr", "ssim")
FREQ_KEYS = ("low_err", "high_err", "detail")
EVAL_N = 1000  # held-out pairs of the shipped metric tables (all of the embedded MNIST hold-out)
HIDDEN_FROM = 14  # completion hides rows 14..27 (gan_core.data.paired's default)


@dataclass(frozen=True)
class Variant:
    """One trained image-to-image recipe, described by what matters for the lesson."""

    task: str
    loss: str  # "l1" | "cgan" | "gan" | "l1_cgan" | "l1_gan" | "features" | "srgan"
    lam: float  # lambda_l1 (0 for cGAN only)
    d: str  # discriminator: "patch1", "pixel", "image2", ... ("" without one)
    skips: bool

    @property
    def key(self) -> str:
        """Short identifier, also the suffix of the shipped checkpoint names: l1, cgan, l1cgan100, ..."""
        base = {"l1_cgan": f"l1cgan{self.lam:g}", "l1_gan": f"l1gan{self.lam:g}"}.get(self.loss, self.loss)
        if self.d and self.d != "patch1" and self.loss not in ("l1", "features"):
            base += f"_d{self.d}"
        return base if self.skips else base + "_noskip"


def variant_of(train_config: Mapping[str, Any]) -> Variant | None:
    """The Variant a pix2pix run config describes, or None for other families' configs."""
    tc = dict(train_config or {})
    if "task" not in tc or "lambda_l1" not in tc or "adv_weight" not in tc:
        return None
    lam, adv = float(tc["lambda_l1"]), float(tc["adv_weight"])
    cond = bool(tc.get("conditional", True))
    if tc.get("content", "l1") == "features":
        loss = "srgan" if adv > 0 else "features"
    elif adv == 0:
        loss = "l1"
    elif lam == 0:
        loss = "cgan" if cond else "gan"
    else:
        loss = "l1_cgan" if cond else "l1_gan"
    kind = str(tc.get("d_kind", "patch"))
    d = "" if adv == 0 else ("pixel" if kind == "pixel" else f"{kind}{int(tc.get('d_layers', 1))}")
    return Variant(task=str(tc["task"]), loss=loss, lam=lam, d=d, skips=bool(tc.get("skips", True)))


def find_variants(infos: Iterable[checkpoints.CheckpointInfo], task: str) -> dict[str, checkpoints.CheckpointInfo]:
    """{variant key: checkpoint} of ``task`` among image-to-image checkpoints (first one per key wins:
    pass shipped ones first)."""
    from gan_core.training.family import IMAGE_TO_IMAGE

    found: dict[str, checkpoints.CheckpointInfo] = {}
    for info in infos:
        if IMAGE_TO_IMAGE not in info.capabilities:
            continue
        v = variant_of(info.train_config)
        if v is not None and v.task == task and v.key not in found:
            found[v.key] = info
    return found


# -- running a generator ------------------------------------------------------------------------
@torch.no_grad()
def predict(G: nn.Module, inputs: np.ndarray, *, batch_size: int = 500, dropout_noise: bool = False,
            seed: int = 0) -> np.ndarray:
    """uint8 (N, 28, 28) outputs of G for uint8 inputs (N, C, 28, 28). Eval mode (BatchNorm's running
    statistics, no dropout) unless ``dropout_noise``: then only the Dropout layers run in train mode,
    pix2pix's test-time noise, seeded. G's own modes are restored afterwards."""
    modes = {m: m.training for m in G.modules()}
    G.eval()
    if dropout_noise:
        for m in G.modules():
            if isinstance(m, nn.Dropout):
                m.train()
    try:
        device = next(G.parameters()).device
        state = torch.random.get_rng_state()
        torch.manual_seed(seed)  # dropout draws from the global generator
        out = []
        for i in range(0, len(inputs), batch_size):
            x = to_model(np.asarray(inputs[i : i + batch_size])).to(device)
            out.append(((G(x)[:, 0].float().cpu() + 1) * 127.5).round().clamp(0, 255).to(torch.uint8))
        torch.random.set_rng_state(state)
        return torch.cat(out).numpy()
    finally:
        for m, training in modes.items():
            m.train(training)


def region(task: str) -> slice:
    """Rows the model had to invent: the hidden lower half for completion, all rows otherwise."""
    return slice(HIDDEN_FROM, None) if task == "completion" else slice(None)


def metric_table(outputs: np.ndarray, targets: np.ndarray, labels: np.ndarray | None, task: str, *,
                 classifier: nn.Module | None = None) -> dict[str, float]:
    """The six measures of uint8 outputs (N, 28, 28) against targets (N, 28, 28) (see module doc).
    ``fid``/``digit_acc`` need the MNIST classifier: left out for Fashion-MNIST (edges)."""
    out, true = np.asarray(outputs), np.asarray(targets)
    if true.ndim == 4:
        true = true[:, 0]
    rows = region(task)
    result = all_metrics(out[:, rows], true[:, rows])
    if task in ("completion", "superres"):
        from gan_core.metrics import classifier_features, frechet_distance

        probs, feats = classifier_features(out, classifier=classifier)
        _, real_feats = classifier_features(true, classifier=classifier)
        result["fid"] = frechet_distance(feats, real_feats)
        if labels is not None:
            result["digit_acc"] = float((probs.argmax(axis=1) == np.asarray(labels)).mean())
    return {k: round(float(result[k]), 4) for k in METRIC_KEYS if k in result}


def held_out(task: str, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(inputs, targets, labels) of n held-out pairs, a seeded sample without replacement."""
    from gan_core.training.pix2pix_step import task_pairs

    pairs, labels, _ = task_pairs(task, "test")
    if not 2 <= n <= len(pairs):
        raise ValueError(f"n must be in [2, {len(pairs)}] for {task!r} (got {n})")
    idx = np.sort(np.random.default_rng(seed).choice(len(pairs), n, replace=False))
    return pairs.inputs[idx], pairs.targets[idx, 0], labels[idx]


def table_n(task: str) -> int:
    """Held-out pairs behind a task's metric table: EVAL_N, or all when fewer exist."""
    from gan_core.training.pix2pix_step import task_pairs

    return min(EVAL_N, len(task_pairs(task, "test")[0]))


def row_keys(task: str) -> tuple[str, ...]:
    """The keys of a task's metric row (no classifier measures for Fashion-MNIST's edges task)."""
    keys = METRIC_KEYS if task in ("completion", "superres") else ("l1_err", "sharpness", "psnr", "ssim")
    return (*keys, *FREQ_KEYS)


def evaluate_trained(trained: Any, *, n: int, seed: int = 0) -> dict:
    """The family's evaluation: the metric table of a trained pix2pix G on n held-out pairs."""
    tc = trained.train_config
    tc = dataclasses.asdict(tc) if dataclasses.is_dataclass(tc) else dict(tc or {})
    task = str(tc.get("task", "completion"))
    inputs, targets, labels = held_out(task, min(n, 10_000), seed)
    outputs = predict(trained.modules["G"], inputs)
    return {**metric_table(outputs, targets, labels, task), **frequency_split(outputs, targets, task),
            "n": len(inputs)}


def bicubic_metrics(n: int, seed: int = 0) -> dict:
    """The classical super-resolution baseline through the same table."""
    inputs, targets, labels = held_out("superres", n, seed)
    out = bicubic_baseline(inputs)[:, 0]
    return {**metric_table(out, targets, labels, "superres"), **frequency_split(out, targets, "superres"), "n": n}


def half_checkpoint(stem: str | Path) -> Path:
    """Rewrite a checkpoint's float32 tensors as float16 (half the file; loading copies them back
    into float32 modules). The sidecar keeps config, recipe and metrics; its sha256 is renewed."""
    ckpt = checkpoints.load(stem)
    for module in ckpt.modules.values():
        module.half()
    meta = ckpt.meta
    return checkpoints.save(stem, modules=ckpt.modules, family=ckpt.family, config=meta["config"],
                            train_config=meta.get("train_config"), step=meta["step"],
                            metrics={**meta["metrics"], "stored_dtype": "float16"}, recipe=meta["recipe"],
                            data_source=meta["data_source"])


def finish_shipped(stem: str | Path, *, n: int = EVAL_N, seed: int = 0) -> dict:
    """After training a shipped model: store it as float16, evaluate the stored weights on n held-out
    pairs, write the metrics into the sidecar and drop the resume file. Safe to repeat."""
    from gan_core.training.cli_train import resume_path
    from gan_core.training.family import Trained

    meta = checkpoints.read_meta(stem)
    if meta["metrics"].get("stored_dtype") != "float16":
        half_checkpoint(stem)
    ckpt = checkpoints.load(stem)
    trained = Trained(family=ckpt.family, modules=ckpt.modules, model_config=ckpt.config,
                      train_config=ckpt.train_config)
    result = evaluate_trained(trained, n=n, seed=seed)
    checkpoints.update_metrics(stem, result)
    resume_path(stem).unlink(missing_ok=True)
    return result


def gaussian_blur(images: np.ndarray, sigma: float = 1.0) -> np.ndarray:
    """(N, H, W) float64 low-pass copy (separable Gaussian, radius 3 sigma, edges replicated)."""
    a = np.asarray(images, dtype=np.float64)
    if not 0.1 <= sigma <= 5:
        raise ValueError(f"sigma must be in [0.1, 5], got {sigma}")
    r = int(np.ceil(3 * sigma))
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    pad = np.pad(a, ((0, 0), (r, r), (r, r)), mode="edge")
    rows = sum(w * pad[:, i : i + a.shape[1], :] for i, w in enumerate(k))  # blur down the columns
    return sum(w * rows[:, :, i : i + a.shape[2]] for i, w in enumerate(k))  # then along the rows


def frequency_split(outputs: np.ndarray, targets: np.ndarray, task: str, *, sigma: float = 1.0) -> dict[str, float]:
    """Which frequencies a variant gets right, on the pixels it had to invent (images uint8 (N, H, W)):
    low_err   mean |blur(out) - blur(true)|: the coarse shape and brightness (the "colours");
    high_err  mean |detail(out) - detail(true)|, detail = image - blur: the edges themselves;
    detail    mean |detail(out)| / mean |detail(true)|: how much fine detail there is (1 = as real)."""
    out = np.asarray(outputs, dtype=np.float64) / 255
    true = np.asarray(targets, dtype=np.float64) / 255
    rows = region(task)
    lo_o, lo_t = gaussian_blur(out, sigma)[:, rows], gaussian_blur(true, sigma)[:, rows]
    hi_o, hi_t = out[:, rows] - lo_o, true[:, rows] - lo_t
    return {"low_err": round(float(np.abs(lo_o - lo_t).mean()), 4),
            "high_err": round(float(np.abs(hi_o - hi_t).mean()), 4),
            "detail": round(float(np.abs(hi_o).mean() / max(np.abs(hi_t).mean(), 1e-12)), 4)}


def d_field(d: str) -> int | None:
    """Receptive field in pixels of a variant's D ("pixel", "patch1", "image2", ...; "" -> None)."""
    if not d:
        return None
    from gan_core.models.patchgan import PatchGANConfig, layer_table
    from gan_core.receptive_field import receptive_field

    kind = "pixel" if d == "pixel" else d.rstrip("0123456789")
    layers = 1 if kind == "pixel" else int(d[len(kind):])
    return receptive_field(layer_table(PatchGANConfig(kind=kind, n_layers=layers)))


def ink_share(outputs: np.ndarray, targets: np.ndarray, task: str) -> float:
    """How much ink a variant puts where it had to invent (images uint8 (N, H, W)): the outputs' total
    brightness over the true images' (1 = as much as real; an empty hidden half gives about 0, a grey
    average of the possible strokes about 1)."""
    rows = region(task)
    out = np.asarray(outputs, dtype=np.float64)[:, rows].sum()
    true = np.asarray(targets, dtype=np.float64)
    true = (true[:, 0] if true.ndim == 4 else true)[:, rows].sum()
    return round(float(out / max(true, 1e-12)), 4)


def majority_ink_pixels(task: str = "completion", *, threshold: float = 0.5) -> tuple[int, int]:
    """(k, n): k of the n pixels a model must invent are ink (brightness > threshold) in more than half
    of the training images. Everywhere else "no ink" holds the majority, so it is the per-pixel median:
    MAE's best single answer for a pixel before the input is taken into account."""
    from gan_core.training.pix2pix_step import task_pairs

    pairs, _, _ = task_pairs(task, "train")
    ink = pairs.targets[:, 0, region(task)].astype(np.float64) / 255 > threshold  # (N, rows, W)
    share = ink.mean(axis=0)
    return int((share > 0.5).sum()), int(share.size)
