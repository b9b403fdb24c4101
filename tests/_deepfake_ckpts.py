"""Small random-weight checkpoints for the deepfake page's tests: digit generators (the Explore set),
a plain and an adversarial swap model, a detector and a small style-studio model; all in one folder."""
from __future__ import annotations

from pathlib import Path

from gan_core.fake_sources import digit_generators


def make_deepfake_checkpoints(folder: Path) -> Path:
    import torch
    from _explore_ckpts import make_checkpoints

    from gan_core import checkpoints
    from gan_core.models.detector import DetectorConfig
    from gan_core.models.swap_ae import SwapAEConfig
    from gan_core.training.detector_step import FAMILY as DETECTOR
    from gan_core.training.swap_step import SwapModelConfig, build_modules

    make_checkpoints(folder)
    torch.manual_seed(0)
    cfg = SwapModelConfig(ae=SwapAEConfig(base=4, code_dim=4), d_base=4)
    for name, adv in (("swap_tiny", 0.0), ("swap_tiny_gan", 0.1)):
        mods = build_modules(cfg)
        keep = {k: m for k, m in mods.items() if adv or not k.startswith("D_")}
        checkpoints.save(folder / name, modules=keep, family="swap", config=cfg, step=5,
                         metrics={"digit_kept_A_to_B": 0.5, "typeset_score": 0.25, "handwritten_score": 0.75,
                                  "digit_read_real_B": 0.9, "identity_real_accuracy": 0.95,
                                  "identity_recon_kept": 0.9, "train_seconds": 60.0},
                         train_config={"adv_weight": adv, "steps": 5},
                         recipe=f"python -m gan_core train --family swap --out {name}", data_source="test")
    from gan_core.training.cyclegan_step import CycleGANConfig
    from gan_core.training.cyclegan_step import build_modules as cycle_modules

    cycle_cfg = CycleGANConfig(base=4, n_blocks=1, d_base=4, crop_size=32)
    checkpoints.save(folder / "style_tiny", modules=cycle_modules(cycle_cfg.model_config()), family="cyclegan",
                     config=cycle_cfg.model_config(), step=5, metrics={},
                     train_config={"crop_size": 32, "photo_side": 128, "steps": 5},
                     recipe="python -m gan_core train --family cyclegan --out style_tiny", data_source="test")
    gens = {g.name: g for g in digit_generators(folder)}
    det = DETECTOR.build(DetectorConfig(base=4))
    checkpoints.save(folder / "detector_tiny", modules=det, family="detector", config=DetectorConfig(base=4),
                     step=5, metrics={}, train_config={"train_generator": str(folder / "mnist_dcgan"), "steps": 5},
                     recipe="python -m gan_core train --family detector --out detector_tiny",
                     data_source=f"generated: mnist_dcgan (sha256 {gens['mnist_dcgan'].sha256})")
    return folder
