"""Small random-weight checkpoints of every family the Explore pages use (shared by their tests)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

SPECS = {  # name -> (family, config overrides)
    "mnist_mlp": ("mlp", {"z_dim": 8, "g_hidden": 32, "d_hidden": 16}),
    "mnist_dcgan": ("dcgan", {"z_dim": 16, "g_base": 8, "d_base": 8}),
    "mnist_cgan": ("cgan", {"z_dim": 16, "g_base": 8, "d_base": 8}),
    "mnist_infogan": ("infogan", {"z_dim": 20, "g_base": 8, "d_base": 8, "q_hidden": 16}),
    "faces_dcgan": ("dcgan", {"z_dim": 16, "g_base": 8, "d_base": 8, "img_channels": 3, "img_size": 32}),
}


def make_checkpoints(folder: Path) -> Path:
    import torch
    from _families import build

    from gan_core import checkpoints
    from gan_core.images import make_grid

    for k, (name, (family, overrides)) in enumerate(SPECS.items()):
        torch.manual_seed(k)
        G, D, config = build(family, **overrides)
        G.eval()
        stem = checkpoints.save(
            folder / name, modules={"G": G, "D": D}, family=family, config=config, step=30,
            metrics={"fid": 10.0 + k, "coverage": 10, "confidence": 0.9, "train_seconds": 1.0,
                     "label_accuracy": 0.5},
            train_config={"model": family, **({"dataset": "folder", "data_folder": str(folder / "gone"),
                                               "image_size": overrides.get("img_size")}
                                              if "faces" in name else {"dataset": "mnist"}),
                          **({"ema_decay": 0.999} if name == "mnist_dcgan" else {})},
            recipe=f"python -m gan_core train --family {family} --out {name}", data_source="mnist: test")
        with torch.no_grad():
            grids = np.stack([make_grid(G(torch.randn(16, config.z_dim))) for _ in range(3)])
        np.savez_compressed(f"{stem}.timeline.npz", steps=np.array([1, 10, 30]), grids=grids)
    return folder
