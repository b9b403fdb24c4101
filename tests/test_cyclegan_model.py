"""CycleGAN's ResNet generator (any input size, the paper's layout) and the image pool."""

import pytest
import torch
from torch import nn

from gan_core import receptive_field as rf
from gan_core.models.cyclegan import (
    UPSAMPLE,
    ImagePool,
    ResidualBlock,
    ResnetGenerator,
    ResnetGeneratorConfig,
    discriminator_config,
)
from gan_core.models.patchgan import PatchDiscriminator, layer_table


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


@pytest.mark.parametrize("upsample", UPSAMPLE)
def test_output_size_equals_input_size(upsample):
    g = ResnetGenerator(config=ResnetGeneratorConfig(base=4, n_blocks=1, upsample=upsample))
    for h, w in [(1, 1), (17, 31), (32, 32), (30, 45)]:  # tiny, odd, a multiple of 4, mixed
        x = torch.randn(2, 3, h, w, requires_grad=True)
        y = g(x)
        assert y.shape == (2, 3, h, w), (h, w)
        assert y.abs().max() <= 1.0  # tanh
        y.mean().backward()  # odd sizes train too
        assert x.grad is not None and x.grad.abs().sum() > 0


def test_paper_layout_small_and_default():
    g = ResnetGenerator(config=ResnetGeneratorConfig(base=16, n_blocks=4))
    blocks = [m for m in g.modules() if isinstance(m, ResidualBlock)]
    strided = [m for m in g.modules() if isinstance(m, nn.Conv2d) and m.stride == (2, 2)]
    ups = [m for m in g.modules() if isinstance(m, nn.ConvTranspose2d)]
    norms = [m for m in g.modules() if isinstance(m, nn.InstanceNorm2d)]
    assert len(blocks) == 4 and len(strided) == 2 and len(ups) == 2
    assert [m.out_channels for m in strided] == [32, 64] and [m.out_channels for m in ups] == [32, 16]
    assert all(not n.affine and not n.track_running_stats for n in norms)  # per-image statistics only
    assert isinstance(g.net[0], nn.ReflectionPad2d) and g.net[1].kernel_size == (7, 7)  # c7s1 stem
    assert isinstance(g.net[-1], nn.Tanh) and g.net[-2].kernel_size == (7, 7)
    small = sum(p.numel() for p in g.parameters())
    default = sum(p.numel() for p in ResnetGenerator(config=ResnetGeneratorConfig()).parameters())
    assert small < 400_000 and 1_500_000 < default < 2_500_000


def test_each_image_is_translated_on_its_own():
    """InstanceNorm: no batch statistics, so an image's output does not depend on its batch mates."""
    g = ResnetGenerator(config=ResnetGeneratorConfig(base=4, n_blocks=2))
    x = torch.randn(3, 3, 24, 24)
    together = g(x)
    for i in range(3):
        torch.testing.assert_close(together[i:i + 1], g(x[i:i + 1]), atol=1e-5, rtol=1e-5)
    g.eval()  # and eval mode computes the same function (no running statistics)
    torch.testing.assert_close(g(x), together, atol=1e-5, rtol=1e-5)


def test_config_refuses_bad_values():
    for bad in ({"base": 0}, {"n_blocks": -1}, {"upsample": "bilinear"}, {"in_channels": 3.0}):
        with pytest.raises(ValueError):
            ResnetGeneratorConfig(**bad)


def test_discriminator_is_the_70px_patchgan():
    cfg = discriminator_config(base=8, n_layers=3, img_size=128)
    assert rf.receptive_field(layer_table(cfg)) == 70
    d = PatchDiscriminator(config=cfg)
    assert d(None, torch.randn(2, 3, 128, 128)).shape == (2, 1, 14, 14)  # one logit per 70x70 patch
    assert d(None, torch.randn(1, 3, 96, 160)).shape == (1, 1, 10, 18)  # fully convolutional too


def fakes(batch: int, start: int) -> torch.Tensor:
    """Images whose pixels all equal their serial number, so outputs can be traced to inputs."""
    return torch.arange(start, start + batch, dtype=torch.float32).view(batch, 1, 1, 1).expand(batch, 3, 2, 2)


def ids(images: torch.Tensor) -> list[int]:
    return [int(v) for v in images[:, 0, 0, 0]]


def test_pool_fills_then_mixes_half_old_half_new():
    pool = ImagePool(size=50, seed=0)
    for start in range(0, 50, 10):  # filling: the new fakes come straight back
        assert ids(pool.query(fakes(10, start))) == list(range(start, start + 10))
    assert len(pool) == 50
    served_old = 0
    for start in range(50, 2050, 4):
        new = list(range(start, start + 4))
        out = ids(pool.query(fakes(4, start)))
        for got, fresh in zip(out, new, strict=True):
            assert got <= fresh  # either this fake or one stored before it
            served_old += got != fresh
    assert len(pool) == 50
    assert 0.45 < served_old / 2000 < 0.55  # p = 0.5 (CycleGAN's pool)


def test_pool_seeded_detached_and_checked():
    a, b = ImagePool(size=5, seed=3), ImagePool(size=5, seed=3)
    for start in range(0, 60, 3):
        torch.testing.assert_close(a.query(fakes(3, start)), b.query(fakes(3, start)))
    x = fakes(2, 0).clone().requires_grad_(True)
    assert not ImagePool(size=2).query(x * 2).requires_grad  # D's update never reaches G
    torch.testing.assert_close(ImagePool(size=0).query(x), x.detach())  # size 0: no history
    always = ImagePool(size=2, p_history=1.0, seed=0)
    always.query(fakes(2, 0))
    for start in range(10, 20):  # full and p = 1: every answer is an older fake, never the new one
        assert ids(always.query(fakes(1, start))) != [start]
    with pytest.raises(ValueError, match="fixed-size"):
        always.query(torch.zeros(1, 3, 4, 4))
    with pytest.raises(ValueError):
        ImagePool(size=-1)


def test_pool_state_round_trip_continues_exactly():
    pool = ImagePool(size=6, seed=1)
    for start in range(0, 30, 3):
        pool.query(fakes(3, start))
    state = pool.state_dict()
    resumed = ImagePool(size=6, seed=99)
    resumed.load_state_dict(state)
    for start in range(30, 90, 3):
        assert ids(pool.query(fakes(3, start))) == ids(resumed.query(fakes(3, start)))
