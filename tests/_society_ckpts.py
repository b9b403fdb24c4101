"""Small random-weight Social GAN checkpoints and a tiny ETH/UCY folder for the Society page's tests."""
from __future__ import annotations

from pathlib import Path

TINY = {"embedding_dim": 8, "encoder_dim": 16, "decoder_dim": 16, "mlp_dim": 16, "bottleneck_dim": 8,
        "d_encoder_dim": 8, "d_mlp_dim": 8}
STEPS = list(range(25, 325, 25))  # 12 logged points
# D leaves 2 ln 2, comes back and stays (the shipped synthetic run's shape); the variety loss falls
CURVE = {"every": 25, "step": STEPS,
         "d_loss": [1.39, 1.2, 0.9, 1.1, 1.38, 1.386, 1.387, 1.386, 1.385, 1.386, 1.387, 1.386],
         "g_adv": [0.69, 0.8, 1.1, 0.9, 0.7, 0.69, 0.69, 0.69, 0.69, 0.69, 0.69, 0.69],
         "g_variety": [3.0, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.35, 0.32, 0.3],
         "d_real": [0.5, 0.6, 0.7, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5],
         "d_fake": [0.5, 0.4, 0.3, 0.4, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]}
# D still moving at the end, the variety loss flat after the first point (the shipped zara1 run's shape)
MOVING = {**CURVE, "d_loss": [1.39, 1.386, 1.35, 1.2, 0.9, 0.6, 0.3, 0.5, 1.0, 1.3, 1.5, 1.45],
          "g_variety": [3.0, 0.6, 0.58, 0.6, 0.62, 0.59, 0.6, 0.65, 0.7, 0.66, 0.64, 0.66]}
ALL = ("social_gan_synthetic", "social_gan_synthetic_nopool", "social_gan_zara1", "social_lstm_zara1")


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


def make_checkpoints(folder: Path, *, eth_ucy: Path | None = None, names: tuple[str, ...] = ALL) -> Path:
    """Random-weight checkpoints named as the shipped ones (any subset of ``ALL``): social_gan_synthetic
    (pooling), social_gan_synthetic_nopool, and, with an ETH/UCY folder, social_gan_zara1 (its D still
    moving at the end) and the LSTM baseline social_lstm_zara1 (no noise, no pooling, a curve without D)."""
    import torch

    from gan_core import checkpoints
    from gan_core.models.social_gan import build_social_gan
    from gan_core.training.family import to_dict
    from gan_core.training.social_gan_step import SocialGANTrainConfig

    specs = {"social_gan_synthetic": {}, "social_gan_synthetic_nopool": {"pooling": False}}
    if eth_ucy is not None:
        specs["social_gan_zara1"] = {"data": str(eth_ucy), "split": "zara1"}
        specs["social_lstm_zara1"] = {"data": str(eth_ucy), "split": "zara1", "pooling": False,
                                      "noise_dim": 0}
    folder.mkdir(parents=True, exist_ok=True)
    for k, (name, over) in enumerate(specs.items()):
        if name not in names:
            continue
        torch.manual_seed(k)
        tc = SocialGANTrainConfig(**{"noise_dim": 4, **TINY, **over})
        G, D = build_social_gan(tc.model_config())
        curve = MOVING if name == "social_gan_zara1" else CURVE
        if not tc.noise_dim:
            curve = {**CURVE, "d_loss": [None] * len(STEPS), "g_adv": [None] * len(STEPS)}
        metrics = {"best20_ade": 0.5, "best20_fde": 1.0, "cv_ade": 0.6, "cv_fde": 1.2, "train_curve": curve}
        if name == "social_gan_zara1":
            metrics.update(best20_ade=0.7, cv_ade=0.6)  # constant velocity wins, as on the shipped zara1
        if not tc.noise_dim:
            metrics = {"det_ade": 0.8, "det_fde": 1.6, "cv_ade": 0.6, "cv_fde": 1.2, "train_curve": curve}
        checkpoints.save(folder / name, modules={"G": G, "D": D}, family="social-gan",
                         config=tc.model_config(), step=STEPS[-1], metrics=metrics, data_source="test",
                         recipe="(test fixture: random weights)", train_config=to_dict(tc))
    return folder
