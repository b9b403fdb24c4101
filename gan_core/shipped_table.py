"""The README's "Shipped models" table, generated from the checkpoints' JSON sidecars.

`markdown_table()` lists every checkpoint under checkpoints/ (toy2d/ included, runs/ never): name, family,
steps, training minutes, the family's headline metrics and the recipe that made it.
`write_readme()` puts a fresh table between the marker comments in README.md, so the table never goes stale
(tests/test_shipped_table.py fails when a checkpoint and the table disagree). Reads JSON only.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from pathlib import Path

from gan_core.checkpoints import REPO_ROOT, SHIPPED_DIR, CheckpointInfo, list_checkpoints

START = "<!-- shipped-models:start -->"
END = "<!-- shipped-models:end -->"
README = REPO_ROOT / "README.md"
HEADER = ("| Model | Family | Steps | Minutes (run) | Minutes (idle) | Headline metrics | Recipe |\n"
          "|---|---|--:|--:|--:|---|---|")


def _num(metrics: dict, key: str) -> float | None:
    value = metrics.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return value


def _pick(metrics: dict, specs: Iterable[tuple[str, str]], limit: int = 3) -> list[str]:
    """Format the first `limit` metrics of (key, format) that the sidecar holds as numbers."""
    out = []
    for key, fmt in specs:
        value = _num(metrics, key)
        if value is not None and len(out) < limit:
            out.append(fmt.format(value))
    return out


FID = ("fid", "FID {:.1f}")
COVERAGE = ("coverage", "coverage {:.0f}/10")
CONFIDENCE = ("confidence", "confidence {:.2f}")
IMAGE_GAN = (FID, COVERAGE, CONFIDENCE)
SPECS: dict[str, tuple[tuple[str, str], ...]] = {
    "mlp": IMAGE_GAN, "dcgan": IMAGE_GAN, "infogan": IMAGE_GAN, "upsample": IMAGE_GAN,
    "cgan": (FID, ("label_accuracy", "right digit {:.1%}"), COVERAGE),
    "pix2pix": (FID, ("sharpness", "sharpness {:.3f}"), ("psnr", "PSNR {:.1f} dB")),
    "cyclegan": (("cycle_err", "cycle error {:.3f}"), ("cartoon_err", "cartoon vs filter {:.3f}"),
                 ("photo_err", "photo error {:.3f}")),
    "social-gan": (("best20_ade", "best-of-20 ADE {:.2f} m"), ("best20_fde", "FDE {:.2f} m")),
    "classifier": (("holdout_accuracy", "held-out accuracy {:.1%}"),),
    "swap": (("digit_kept_A_to_B", "digit kept A→B {:.0%}"), ("digit_kept_B_to_A", "B→A {:.0%}"),
             ("identity_recon_kept", "identity kept {:.0%}")),
}
# a family without its own line (a new one, e.g. social-lstm): the first three of these it holds
GENERIC = (FID, ("best20_ade", "best-of-20 ADE {:.2f} m"), ("best20_fde", "FDE {:.2f} m"),
           ("one_ade", "ADE {:.2f} m"), ("one_fde", "FDE {:.2f} m"), ("ade", "ADE {:.2f} m"),
           ("fde", "FDE {:.2f} m"), ("cycle_err", "cycle error {:.3f}"), ("l1_err", "L1 error {:.3f}"),
           ("psnr", "PSNR {:.1f} dB"), ("ssim", "SSIM {:.2f}"), ("holdout_accuracy", "held-out accuracy {:.1%}"),
           ("accuracy", "accuracy {:.1%}"), COVERAGE, CONFIDENCE)


def _detector(metrics: dict) -> list[str]:
    ap = {key[3:]: v for key in metrics if key.startswith("ap_") and (v := _num(metrics, key)) is not None}
    own = metrics.get("trained_on")
    out = [f"AP {ap[own]:.3f} on {own}"] if own in ap else []
    if ap:
        out.append(f"mean AP {sum(ap.values()) / len(ap):.3f} over {len(ap)} generators")
    return out


def _toy2d(metrics: dict) -> list[str]:
    coverage, divergence = metrics.get("coverage"), metrics.get("divergence")
    out = []
    if isinstance(coverage, dict):
        if _num(coverage, "modes") is not None and _num(coverage, "modes_total") is not None:
            out.append(f"{coverage['modes']:.0f}/{coverage['modes_total']:.0f} modes")
        out += _pick(coverage, [("quality", "quality {:.2f}")])
    if isinstance(divergence, dict):
        out += _pick(divergence, [("js", "JS {:.2f}")])
    return out


def _social_gan(metrics: dict) -> list[str]:
    out = _pick(metrics, SPECS["social-gan"])
    where = metrics.get("eval_on")
    return out + [f"on {where}"] if out and isinstance(where, str) and where else out


SPECIAL: dict[str, Callable[[dict], list[str]]] = {"detector": _detector, "toy2d": _toy2d,
                                                   "social-gan": _social_gan}


def headline(family: str, metrics: dict) -> str:
    """The 1-3 numbers that say how good a checkpoint of `family` is, as one short phrase ("-": none)."""
    if family in SPECIAL:
        parts = SPECIAL[family](metrics)
    else:
        parts = _pick(metrics, SPECS.get(family, GENERIC))
    return ", ".join(parts) or "-"


def minutes(metrics: dict, key: str = "train_seconds") -> str:
    """Minutes from a sidecar's seconds: ``train_seconds`` is the wall time of the run that made the
    checkpoint (often sharing the cores with another training); ``idle_train_seconds`` is the recipe
    re-timed on an idle machine by ``python -m bench.train_time --write``."""
    seconds = _num(metrics, key)
    return "-" if seconds is None else f"{seconds / 60:.1f}"


def shipped_name(info: CheckpointInfo) -> str:
    """The checkpoint's stem relative to checkpoints/ (``mnist_dcgan``, ``toy2d/ring_balanced``)."""
    return info.path.relative_to(SHIPPED_DIR).as_posix()


def shipped(folder: str | Path = SHIPPED_DIR) -> list[CheckpointInfo]:
    """Every checkpoint under checkpoints/, in the family registry's order, then by name."""
    from gan_core.families import family_names

    order = {name: i for i, name in enumerate(family_names())}
    infos = list_checkpoints(folder)
    return sorted(infos, key=lambda i: (order.get(i.family, len(order)), i.family, i.path.as_posix()))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(infos: Iterable[CheckpointInfo] | None = None) -> str:
    """A Markdown table of the shipped checkpoints (no trailing newline)."""
    rows = [HEADER]
    for info in shipped() if infos is None else infos:
        recipe = f"`{info.recipe}`" if info.recipe else "-"
        cells = (f"`{shipped_name(info)}`", info.family, str(info.step), minutes(info.metrics),
                 minutes(info.metrics, "idle_train_seconds"),
                 headline(info.family, info.metrics), recipe)
        rows.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(rows)


def between_markers(text: str) -> str:
    """The text between START and END (ValueError when the markers are missing or out of order)."""
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"the README has no {START} ... {END} markers around the shipped-models table")
    return text[start + len(START):end]


def replace_table(text: str, table: str) -> str:
    between_markers(text)  # checks the markers
    start, end = text.find(START) + len(START), text.find(END)
    return f"{text[:start]}\n{table}\n{text[end:]}"


def write_readme(path: str | Path = README, table: str | None = None) -> bool:
    """Replace the table between the markers in `path`; True when the file changed."""
    path = Path(path)
    old = path.read_text(encoding="utf-8")
    new = replace_table(old, markdown_table() if table is None else table)
    if new != old:
        path.write_text(new, encoding="utf-8")
    return new != old
