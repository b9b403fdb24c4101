"""Small random-weight Social GAN checkpoints and a tiny ETH/UCY folder for the Society page's tests."""
from __future__ import annotations

from pathlib import Path

TINY = {"embedding_dim": 8, "encoder_dim": 16, "decoder_dim": 16, "mlp_dim": 16, "bottleneck_dim": 8,
        "d_encoder_dim": 8, "d_mlp_dim": 8}
CURVE = {"every": 25, "step": [25, 50, 75], "d_loss": [1.2, 1.38, 1.39], "g_adv": [0.8, 0.7, 0.69],
         "g_variety": [3.0, 1.0, 0.5], "d_real": [0.6, 0.5, 0.5], "d_fake": [0.4, 0.5, 0.5]}


def write_eth_ucy(root: Path, splits: tuple[str, ...] = ("zara1",)) -> Path:
    """<root>/<split>/{train,test}/*.txt in ETH/UCY form, cut from two simulated scenes."""
    from gan_core.data.crowds import crowd_scene

    for split in splits:
        for part, seed in (("train", 1), ("test", 2)):
            rows = crowd_scene("groups", seed=seed, duration=24.0).tracks.rows
            folder = root / split / part
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{split}_{part}.txt").write_text(
                "\n".join(f"{int(f)}\t{int(p)}\t{x:.3f}\t{y:.3f}" for f, p, x, y in rows) + "\n")
    return root


def make_checkpoints(folder: Path, *, eth_ucy: Path | None = None) -> Path:
    """social_gan_synthetic (pooling), social_gan_synthetic_nopool, and with a folder social_gan_zara1 and the
    LSTM baseline social_lstm_zara1 (no noise, no pooling, a curve without D)."""
    import torch

    from gan_core import checkpoints
    from gan_core.training.family import to_dict
    from gan_core.training.social_gan_step import SocialGANTrainConfig

    specs = {"social_gan_synthetic": {}, "social_gan_synthetic_nopool": {"pooling": False}}
    if eth_ucy is not None:
        specs["social_gan_zara1"] = {"data": str(eth_ucy), "split": "zara1"}
        specs["social_lstm_zara1"] = {"data": str(eth_ucy), "split": "zara1", "pooling": False,
                                      "noise_dim": 0}
    for k, (name, over) in enumerate(specs.items()):
        torch.manual_seed(k)
        tc = SocialGANTrainConfig(**{"noise_dim": 4, **TINY, **over})
        from gan_core.models.social_gan import build_social_gan

        G, D = build_social_gan(tc.model_config())
        curve = CURVE if tc.noise_dim else {**CURVE, "d_loss": [None] * 3, "g_adv": [None] * 3}
        metrics = {"best20_ade": 0.5, "best20_fde": 1.0, "cv_ade": 0.6, "cv_fde": 1.2, "train_curve": curve}
        checkpoints.save(folder / name, modules={"G": G, "D": D}, family="social-gan",
                         config=tc.model_config(), step=75, metrics=metrics, data_source="test",
                         recipe="(test fixture: random weights)", train_config=to_dict(tc))
    return folder
