"""The family registry and the image models: shapes, ranges, logits, configs, initialisation."""

import dataclasses
import json

import pytest
import torch
from _families import build
from torch import nn

from gan_core import families
from gan_core.models import dcgan, mlp
from gan_core.training.family import SAMPLES_Z, Family, from_dict, to_dict

B = 4


@pytest.fixture(autouse=True, scope="module")
def _one_thread():
    # tiny batches: a second thread only adds sync cost, and on a shared 2-core machine
    # two spinning threads per process slow these tests ~10x. Restored afterwards.
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


CASES = [
    ("mlp", {}),
    ("mlp", {"batchnorm": True}),
    ("dcgan", {}),
    ("dcgan", {"batchnorm": False}),
    ("dcgan", {"img_size": 32}),
    ("dcgan", {"img_size": 64}),
    ("dcgan", {"img_size": 32, "img_channels": 3}),
    ("dcgan", {"img_size": 64, "img_channels": 3}),
]


def _last_layer(net: nn.Module) -> nn.Module:
    return [m for m in net.modules() if isinstance(m, (nn.Linear, nn.Conv2d))][-1]


@pytest.mark.parametrize("family,overrides", CASES)
def test_shapes_range_and_logits(family, overrides):
    torch.manual_seed(0)
    G, D, cfg = build(family, **overrides)
    c, s = cfg.img_channels, cfg.img_size
    z = torch.randn(B, cfg.z_dim)
    x = G(z)
    assert x.shape == (B, c, s, s)
    assert x.min() >= -1.0 and x.max() <= 1.0  # Tanh output
    assert G(z, torch.zeros(B, dtype=torch.long)).shape == x.shape  # y accepted, ignored
    logits = D(x)
    assert logits.shape == (B,) and logits.dtype == torch.float32
    assert not any(isinstance(m, nn.Sigmoid) for m in D.modules())
    # a raw score, not a probability: shifting the last bias moves it outside [0, 1]
    with torch.no_grad():
        _last_layer(D).bias.fill_(-5.0)
        assert (D(x, None) < 0).all()
    # gradients reach every parameter of G through D (the G update of a training step)
    D(G(z)).sum().backward()
    assert all(p.grad is not None and torch.isfinite(p.grad).all() for p in G.parameters())


def test_mlp_is_the_course_network():
    G, D, _cfg = build("mlp")
    lin = lambda net: [(m.in_features, m.out_features) for m in net.modules() if isinstance(m, nn.Linear)]
    assert lin(G) == [(128, 1024), (1024, 1024), (1024, 784)]
    assert lin(D) == [(784, 256), (256, 256), (256, 1)]
    assert [type(m) for m in G.net if not isinstance(m, nn.Linear)] == [
        nn.ReLU,
        nn.ReLU,
        nn.Tanh,
    ]
    assert all(m.negative_slope == 0.2 for m in D.modules() if isinstance(m, nn.LeakyReLU))
    assert sum(p.numel() for p in G.parameters()) == 1_985_296
    assert sum(p.numel() for p in D.parameters()) == 267_009
    n_bn = lambda net: sum(isinstance(m, nn.BatchNorm1d) for m in net.modules())
    assert n_bn(G) == 0 and n_bn(build("mlp", batchnorm=True)[0]) == 2


def test_dcgan_layout_and_init():
    torch.manual_seed(0)
    G, D, _cfg = build("dcgan", img_size=64, img_channels=3)
    assert not any(isinstance(m, (nn.MaxPool2d, nn.AvgPool2d, nn.Linear)) for m in D.modules())
    ups = [m for m in G.modules() if isinstance(m, nn.ConvTranspose2d)][1:]
    assert len(ups) == 4 and all(m.kernel_size == (4, 4) and m.stride == (2, 2) for m in ups)
    convs = torch.cat([m.weight.flatten() for m in G.modules() if isinstance(m, nn.ConvTranspose2d)])
    assert convs.mean().abs() < 2e-3 and convs.std().item() == pytest.approx(0.02, rel=0.05)
    gammas = torch.cat([m.weight for m in G.modules() if isinstance(m, nn.BatchNorm2d)])
    assert gammas.mean().item() == pytest.approx(1.0, abs=0.01) and gammas.std() < 0.03
    # init_weights is reusable on any module
    conv = nn.Conv2d(3, 8, 3)
    dcgan.init_weights(conv)
    assert conv.bias.abs().sum() == 0


def test_unknown_family_lists_keys():
    with pytest.raises(KeyError) as err:
        build("stylegan")
    assert "mlp" in str(err.value) and "dcgan" in str(err.value)


def test_model_config_overrides_are_checked():
    fam = families.get_family("mlp")
    assert fam.model_config({"batchnorm": True}) == mlp.MLPConfig(batchnorm=True)
    with pytest.raises(TypeError, match="valid fields"):
        fam.model_config({"hidden": 3})
    with pytest.raises(ValueError):
        families.get_family("dcgan").model_config({"img_size": 48})
    with pytest.raises(ValueError, match="finite"):
        families.get_family("dcgan").model_config({"leaky_slope": float("nan")})
    with pytest.raises(ValueError, match="z_dim"):
        mlp.MLPConfig(z_dim=10**9)  # bounded before any tensor is allocated
    G, _D, cfg = build("dcgan", dcgan.DCGANConfig(z_dim=16), g_base=8, d_base=None)
    assert cfg == dcgan.DCGANConfig(z_dim=16, g_base=8)
    assert G(torch.randn(2, 16)).shape == (2, 1, 28, 28)
    with pytest.raises(TypeError):
        build("dcgan", mlp.MLPConfig())


@pytest.mark.parametrize("family,overrides", CASES)
def test_config_round_trip(family, overrides):
    fam = families.get_family(family)
    cfg = fam.model_config(overrides)
    d = json.loads(json.dumps(to_dict(cfg)))  # survives JSON (checkpoints)
    assert from_dict(fam.model_config_cls, d) == cfg
    with pytest.raises(TypeError):
        from_dict(fam.model_config_cls, {**d, "surprise": 1})


def test_register_and_unregister():
    @dataclasses.dataclass(frozen=True)
    class TinyConfig:
        z_dim: int = 2

    tiny = Family(name="tiny-test", config_cls=TinyConfig, model_config_cls=TinyConfig,
                  build=lambda c: {"G": nn.Linear(c.z_dim, 2)}, trainer=object,
                  capabilities=frozenset({SAMPLES_Z}), stat_names=("loss",))
    families.register(tiny)
    try:
        assert families.get_family("tiny-test") is tiny and "tiny-test" in families.family_names()
        with pytest.raises(ValueError):
            families.register(tiny)
        with pytest.raises(ValueError):
            families.unregister("mlp")  # shipped families cannot be removed
    finally:
        families.unregister("tiny-test")
    with pytest.raises(KeyError):
        families.get_family("tiny-test")


def test_family_declarations_are_checked():
    with pytest.raises(ValueError, match="capabilities"):
        dataclasses.replace(families.get_family("mlp"), capabilities=frozenset({"draws_cats"}))
    with pytest.raises(ValueError, match="step_modes"):
        dataclasses.replace(families.get_family("mlp"), step_modes=("d",))
