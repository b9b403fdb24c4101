"""Every place that samples a shipped generator draws z from the prior it was trained on.

InfoGAN trains on N(0, I) noise, a one-hot c1 and continuous codes c2, c3 ~ U(-1, 1). Drawing all of z from
N(0, I) puts a continuous code outside [-1, 1] in about half of the samples (P(|N(0,1)| > 1) = 0.32 per code):
a rotation or width G never learned. The evaluation, the gallery, the CLI's sample command, the deepfake
lesson's fakes, the live quality probe and the EMA's BatchNorm re-estimation all go through ``Family.draw_z``.
"""
from __future__ import annotations

import numpy as np
import pytest
import torch
from _families import build

from gan_core.families import get_family
from gan_core.models.infogan import split_latent


def _is_training_prior(z: torch.Tensor, cfg) -> bool:
    noise, slots, cont = split_latent(z, cfg)
    one_hot = bool(((slots == 0) | (slots == 1)).all() and (slots.sum(dim=1) == 1).all())
    return one_hot and bool((cont.abs() <= 1).all()) and float(noise.abs().max()) > 1.0  # noise stays Gaussian


def test_infogan_draws_its_training_prior_and_others_stay_gaussian():
    _, _, cfg = build("infogan", z_dim=20, g_base=8, d_base=8, q_hidden=16)
    z = get_family("infogan").draw_z(cfg, 500, seed=3)
    assert z.shape == (500, 20) and _is_training_prior(z, cfg)
    torch.testing.assert_close(z, get_family("infogan").draw_z(cfg, 500, seed=3))  # seeded
    assert not torch.equal(z, get_family("infogan").draw_z(cfg, 500, seed=4))
    # the old all-Gaussian draw broke the codes' range in about half the samples: what the fix is about
    old = torch.randn(500, 20, generator=torch.Generator().manual_seed(3))
    assert not _is_training_prior(old, cfg)
    assert 0.4 < float((split_latent(old, cfg)[2].abs() > 1).any(dim=1).float().mean()) < 0.65
    _, _, dcfg = build("dcgan", z_dim=16, g_base=8, d_base=8)
    torch.testing.assert_close(get_family("dcgan").draw_z(dcfg, 7, seed=5),
                               torch.randn(7, 16, generator=torch.Generator().manual_seed(5)))  # unchanged


class _Recorder(torch.nn.Module):
    """Wraps a G and keeps every z it is called with."""

    def __init__(self, G: torch.nn.Module) -> None:
        super().__init__()
        self.G, self.seen = G, []

    def forward(self, z, y=None):
        self.seen.append(z.detach().clone())
        return self.G(z, y)


def test_evaluation_scores_infogan_on_its_training_prior(monkeypatch):
    from gan_core import metrics
    from gan_core.training.family import Trained
    from gan_core.training.image_gan import evaluate_images

    G, D, cfg = build("infogan", z_dim=20, g_base=8, d_base=8, q_hidden=16)
    rec = _Recorder(G.eval())
    seen_z = []
    real_generate = metrics.generate

    def spy(G, **kw):
        seen_z.append(kw.get("z"))
        return real_generate(G, **kw)

    monkeypatch.setattr(metrics, "generate", spy)
    m = evaluate_images(Trained(family="infogan", modules={"G": rec, "D": D}, model_config=cfg,
                                train_config={"model": "infogan", "dataset": "mnist"}), n=64, seed=2)
    assert m["n"] == 64 and seen_z[0] is not None
    z = torch.cat(rec.seen)
    assert z.shape == (64, 20) and _is_training_prior(z, cfg)
    torch.testing.assert_close(z, get_family("infogan").draw_z(cfg, 64, seed=2))
    with pytest.raises(ValueError, match="z must be"):
        metrics.generate(G, n=3, z_dim=20, z=torch.zeros(4, 20))


def test_gallery_cli_and_fakes_sample_infogan_from_its_prior(explore_ckpts, tmp_path):
    from gan_core import explore
    from gan_core.cli import main
    from gan_core.fake_sources import draw, load_generator

    model = explore.load_model(str(explore_ckpts / "mnist_infogan"))
    assert _is_training_prior(explore.pool(model, 64, seed=1), model.config)
    dc = explore.load_model(str(explore_ckpts / "mnist_dcgan"))
    torch.testing.assert_close(explore.pool(dc, 4, seed=1), torch.randn(4, dc.z_dim, generator=torch.Generator().manual_seed(1)))
    torch.testing.assert_close(explore.pool(dc, 3, seed=7), explore.pool(dc, 3, seed=7))  # the seed box: same seed, same z

    G, latents, conditional, _ = load_generator(explore_ckpts / "mnist_infogan")
    z = latents(32, torch.Generator().manual_seed(0))
    assert not conditional and _is_training_prior(z, model.config)
    x = draw(G, 32, latents=latents, conditional=False, generator=torch.Generator().manual_seed(0))
    assert x.shape == (32, 1, 28, 28) and float(x.abs().max()) <= 1.0

    png = tmp_path / "s.png"
    assert main(["sample", str(explore_ckpts / "mnist_infogan"), "--n", "16", "--seed", "1", "--png", str(png)]) == 0
    from PIL import Image

    from gan_core.images import make_grid

    expected = make_grid(explore.render(model, explore.pool(model, 16, seed=1)))  # the gallery's samples, same seed
    np.testing.assert_array_equal(np.asarray(Image.open(png).convert("L")), expected)


def test_ema_batchnorm_is_re_estimated_on_the_training_prior(monkeypatch):
    """The shipped (averaged) InfoGAN's BatchNorm statistics come from the codes G is trained on."""
    from gan_core.data import load_mnist
    from gan_core.training.config import TrainConfig
    from gan_core.training.family import new_trainer

    trainer = new_trainer(TrainConfig(model="infogan", steps=2, batch_size=8, grid_n=16, ema_decay=0.9),
                          data=load_mnist(), device=torch.device("cpu"))
    trainer.step()
    family = trainer.family
    calls = []
    real_draw = type(family).draw_z

    def spy(self, model_config, n, **kw):
        z = real_draw(self, model_config, n, **kw)
        calls.append(z)
        return z

    monkeypatch.setattr(type(family), "draw_z", spy)
    trainer.sample_generator()
    assert calls and all(_is_training_prior(z, trainer.model_config) for z in calls)
    assert all(z.shape[0] == 256 for z in calls)
