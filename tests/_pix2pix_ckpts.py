"""Small random-weight pix2pix checkpoints of every variant the "GAN vs MAE" page shows (its tests)."""
from __future__ import annotations

import dataclasses
from pathlib import Path

VARIANTS = {  # checkpoint name -> run-config overrides
    "completion_l1": {"adv_weight": 0.0},
    "completion_cgan": {"lambda_l1": 0.0},
    "completion_l1cgan100": {},
    "completion_l1cgan10": {"lambda_l1": 10.0},
    "completion_l1cgan1": {"lambda_l1": 1.0},
    "completion_l1cgan100_dpixel": {"d_kind": "pixel"},
    "completion_l1cgan100_dimage2": {"d_kind": "image", "d_layers": 2},
    "completion_l1cgan100_noskip": {"skips": False},
    "superres_l1": {"task": "superres", "adv_weight": 0.0},
    "superres_l1cgan100": {"task": "superres"},
    "superres_srgan": {"task": "superres", "content": "features", "lambda_l1": 1.0, "adv_weight": 0.001},
}


LIVE = "completion_l1cgan1"  # saved without a metric table: the page computes that row itself


def fake_metrics(k: int) -> dict:
    """A stored metric table as finish_shipped writes it (made-up values: the page only shows them)."""
    return {"l1_err": 0.1 + k / 100, "sharpness": 0.05, "fid": 10.0 + k, "digit_acc": 0.5, "psnr": 15.0,
            "ssim": 0.5, "low_err": 0.05, "high_err": 0.04, "detail": 0.3 + k / 20, "n": 1000}


def make_checkpoints(folder: Path, names: tuple[str, ...] | None = None) -> Path:
    """Save tiny (g_base 4, d_base 4) random generators with real run configs into ``folder``."""
    import torch

    from gan_core import checkpoints
    from gan_core.training.pix2pix_step import Pix2PixConfig, build_modules

    for k, name in enumerate(names or VARIANTS):
        values = {"task": "completion", **VARIANTS[name]}
        config = Pix2PixConfig(g_base=4, d_base=4, steps=10, **values)
        torch.manual_seed(k)
        modules = build_modules(config.model_config())
        if config.adv_weight == 0:
            modules.pop("D")
        checkpoints.save(folder / f"pix2pix_{name}", modules=modules, family="pix2pix",
                         config=config.model_config(), train_config=dataclasses.asdict(config), step=10,
                         metrics={"train_seconds": 1.0, **({} if name == LIVE else fake_metrics(k))}, recipe=f"python -m gan_core train --family pix2pix "
                         f"--out pix2pix_{name}", data_source="test: random weights")
    return folder
