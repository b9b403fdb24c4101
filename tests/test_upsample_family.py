"""The "upsample" family: the image-GAN run config + a variant, three generators that differ only in their
upsampling layers (against the DCGAN discriminator), training steps, checkpoints and the stride-peak metric."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch
from torch import nn

from gan_core import checkerboard as cb
from gan_core import checkpoints
from gan_core.data.mnist import ImageData
from gan_core.families import get_family
from gan_core.models import dcgan
from gan_core.models.upsampling import UpsampleGANConfig, UpsamplingConfig
from gan_core.training import upsampling_step
from gan_core.training.export import save_trainer
from gan_core.training.family import SAMPLES_Z, Trained, new_trainer
from gan_core.training.flags import flags_of, recipe_command

FAMILY = get_family("upsample")


def _digits(n: int = 32) -> ImageData:
    """Random 28x28 'digits': the trainer only needs shapes here (no 5,000-image MNIST load)."""
    rng = np.random.default_rng(0)
    return ImageData(images=rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), labels=np.arange(n) % 10,
                     source="test", name="mnist", class_names=tuple("0123456789"))


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


def test_run_config_carries_the_variant_and_refuses_bad_ones() -> None:
    cfg = FAMILY.default_config(variant="k3", seed=1)
    assert (cfg.model, cfg.variant, cfg.family_name) == ("upsample", "k3", "upsample")
    assert FAMILY.capabilities == {SAMPLES_Z}
    assert "--variant" in {f.flag for f in flags_of(FAMILY)} and "--model" not in {f.flag for f in flags_of(FAMILY)}
    assert "--variant k3" in recipe_command(FAMILY, cfg, "runs/x")
    for bad in ({"variant": "k5"}, {"model": "dcgan"}, {"loss": "wgan-gp"}, {"lr_g": math.nan}):
        with pytest.raises(ValueError):
            FAMILY.default_config(**bad)
    assert FAMILY.default_config(loss="wgan-gp", batchnorm=False).variant == "k4"  # no BatchNorm: allowed
    with pytest.raises(ValueError):
        UpsampleGANConfig(variant="bilinear")
    with pytest.raises(ValueError):
        UpsampleGANConfig(img_size=30)


@pytest.mark.parametrize(("variant", "upsampler", "kernel"),
                         [("k3", nn.ConvTranspose2d, 3), ("k4", nn.ConvTranspose2d, 4), ("resize", nn.Upsample, 3)])
def test_trainer_builds_the_variant_and_steps(variant: str, upsampler: type, kernel: int) -> None:
    trainer = new_trainer(FAMILY.default_config(variant=variant, batch_size=8, steps=2, grid_n=4), data=_digits())
    assert trainer.model_config.variant == variant
    assert sum(isinstance(m, upsampler) for m in trainer.G.modules()) == 2  # both upsampling stages
    if upsampler is nn.ConvTranspose2d:
        assert {m.kernel_size for m in trainer.G.modules() if isinstance(m, nn.ConvTranspose2d)} == {(kernel, kernel)}
    assert isinstance(trainer.D, dcgan.Discriminator)  # the same judge for every variant
    for _ in range(2):
        stats = trainer.step()
    assert all(torch.isfinite(v) for k, v in stats.items() if k in ("d_loss", "g_loss"))
    assert trainer.preview().image.dtype.name == "uint8"


def test_only_the_upsampling_differs_between_variants() -> None:
    shapes = {}
    for variant in ("k3", "k4"):
        built = FAMILY.build(UpsampleGANConfig(variant=variant))
        shapes[variant] = {f"{m}.{k}": tuple(v.shape) for m, mod in built.items() for k, v in mod.state_dict().items()}
    differ = {k for k in shapes["k3"] if shapes["k3"][k] != shapes["k4"][k]}
    assert differ == {"G.net.2.weight", "G.net.5.weight"}  # the two transposed-conv kernels


def test_checkpoint_round_trip_keeps_the_variant(tmp_path) -> None:
    trainer = new_trainer(FAMILY.default_config(variant="resize", batch_size=8, steps=1, grid_n=4), data=_digits())
    trainer.step()
    stem = save_trainer(trainer, tmp_path / "up_resize")
    ckpt = checkpoints.load(stem)
    assert ckpt.family == "upsample" and ckpt.config.variant == "resize"
    assert ckpt.meta["train_config"]["variant"] == "resize"
    z = torch.randn(3, 64, generator=torch.Generator().manual_seed(0))
    trainer.G.eval()
    with torch.no_grad():
        assert torch.equal(ckpt.modules["G"](z), trainer.G(z))


def test_evaluation_adds_the_stride_peak(monkeypatch) -> None:
    monkeypatch.setattr(upsampling_step, "evaluate_images", lambda trained, *, n, seed: {"fid": 1.0})
    config = UpsampleGANConfig(variant="k3")
    torch.manual_seed(0)
    result = FAMILY.evaluate(Trained(family="upsample", modules=FAMILY.build(config), model_config=config),
                             n=256, seed=0)
    assert result["fid"] == 1.0 and result["stride_ratio"] > 3  # untrained k3: a strong period-2 peak


def test_sample_stride_ratio_separates_deconv_from_resize_at_init() -> None:
    ratios = {}
    for variant, kw in (("k3", {"kernel": 3}), ("resize", {"mode": "resize"})):
        torch.manual_seed(1)
        from gan_core.models.upsampling import Generator

        gen = Generator(config=UpsamplingConfig(**kw)).train()
        ratios[variant] = cb.sample_stride_ratio(gen, z_dim=64, n=128, seed=0)
        assert gen.training  # the generator's mode is restored
    assert ratios["k3"] > 3 and ratios["resize"] < 1
    assert dataclasses.asdict(UpsampleGANConfig(variant="k4")).keys() >= {"variant", "g_base", "d_base"}
