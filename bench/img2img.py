"""GAN vs MAE vs GAN + MAE in numbers: the shipped pix2pix checkpoints on held-out MNIST pairs.

    python -m bench.img2img            # all 1,000 held-out digits
    python -m bench.img2img --quick    # 300 of them (under a minute)

No training: each shipped generator completes (or super-resolves) the same held-out digits, and the
metric table is computed here from its outputs (gan_core.img2img.metric_table): L1 error, sharpness
(gradient energy), classifier-FID, digit accuracy, PSNR, SSIM. Prints the table, checks the orderings
the lesson expects, and ends with one JSON line:
{"completion": {"l1": {...}, "cgan": {...}, "l1_cgan": {...}},
 "superres": {"bicubic": {...}, "l1": {...}, "l1_cgan": {...}}}
A checkpoint that is not there gives null values (and a line saying so).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import torch

from bench.common import emit, parser
from gan_core import checkpoints
from gan_core import img2img as core

KEYS = core.METRIC_KEYS  # l1_err, sharpness, fid, digit_acc, psnr, ssim
SHIPPED = {  # JSON key -> checkpoint name (the table also prints the extra variants)
    "completion": {"l1": "pix2pix_completion_l1", "cgan": "pix2pix_completion_cgan",
                   "l1_cgan": "pix2pix_completion_l1cgan100"},
    "superres": {"l1": "pix2pix_superres_l1", "l1_cgan": "pix2pix_superres_l1cgan100"},
}
EXTRA = {"completion": ("l1cgan10", "l1cgan1", "l1cgan100_dpixel", "l1cgan100_dimage2", "l1cgan100_noskip"),
         "superres": ("srgan",)}


def _row(folder: Path, name: str, task: str, held: tuple) -> dict | None:
    stem = folder / name
    if not checkpoints.files_of(stem)[1].is_file():
        print(f"  MISSING {stem} (not trained yet?)", file=sys.stderr)
        return None
    inputs, targets, labels = held
    out = core.predict(checkpoints.load(stem).modules["G"], inputs)
    return core.metric_table(out, targets, labels, task)


def _print(task: str, rows: dict[str, dict | None]) -> None:
    print(f"\n{task}: {'variant':<22}" + "".join(f"{k:>11}" for k in KEYS))
    for name, row in rows.items():
        cells = "".join(f"{row[k]:>11.4f}" if row and k in row else f"{'-':>11}" for k in KEYS)
        print(f"{'':<{len(task) + 2}}{name:<22}{cells}")


def _check(label: str, ok: bool | None) -> None:
    print(f"  {'yes' if ok else ('n/a' if ok is None else 'NO '):>3}  {label}")


def main() -> None:
    p = parser("pix2pix variants on held-out digits: L1, sharpness, classifier-FID, digit accuracy, PSNR, SSIM")
    p.add_argument("--folder", default=str(checkpoints.SHIPPED_DIR), help="where the checkpoints are")
    args = p.parse_args()
    torch.set_num_threads(1)
    n = 300 if args.quick else core.EVAL_N
    folder = Path(args.folder)
    t0 = time.perf_counter()
    result: dict[str, dict] = {}
    for task, names in SHIPPED.items():
        held = core.held_out(task, min(n, core.table_n(task)), 0)
        rows: dict[str, dict | None] = {}
        if task == "superres":
            rows["bicubic"] = core.metric_table(core.bicubic_baseline(held[0])[:, 0], held[1], held[2], task)
        for key, name in names.items():
            rows[key] = _row(folder, name, task, held)
        shown = dict(rows)
        for key in EXTRA[task]:
            shown[key] = _row(folder, f"pix2pix_{task}_{key}", task, held)
        _print(task, shown)
        result[task] = {k: ({m: round(v[m], 4) for m in KEYS} if v else {m: None for m in KEYS})
                        for k, v in rows.items()}
    c, s = result["completion"], result["superres"]

    def less(a: dict, b: dict, key: str) -> bool | None:
        return None if a[key] is None or b[key] is None else a[key] < b[key]

    print(f"\nexpected orderings ({n} held-out pairs, {time.perf_counter() - t0:.0f} s):")
    _check("completion: L1+cGAN has a lower classifier-FID than L1", less(c["l1_cgan"], c["l1"], "fid"))
    _check("completion: L1+cGAN is sharper than L1", less(c["l1"], c["l1_cgan"], "sharpness"))
    _check("completion: L1+cGAN has a lower L1 error than cGAN", less(c["l1_cgan"], c["cgan"], "l1_err"))
    _check("superres: L1 has the highest PSNR", None if None in (s["l1"]["psnr"], s["l1_cgan"]["psnr"]) else
           s["l1"]["psnr"] > max(s["bicubic"]["psnr"], s["l1_cgan"]["psnr"]))
    _check("superres: L1+cGAN has the lowest classifier-FID", None if None in (s["l1"]["fid"], s["l1_cgan"]["fid"])
           else s["l1_cgan"]["fid"] < min(s["bicubic"]["fid"], s["l1"]["fid"]))
    emit(result)


if __name__ == "__main__":
    main()
