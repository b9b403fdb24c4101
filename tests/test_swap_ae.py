"""Swap autoencoder: shapes, the swap path (A's code through B's decoder), warp, discriminators, config."""

import math

import pytest
import torch

from gan_core.models.swap_ae import (
    SwapAEConfig,
    SwapAutoencoder,
    build_discriminators,
    random_warp,
    reconstruction_loss,
)

B = 3


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


def _x(seed: int = 0) -> torch.Tensor:
    return torch.rand(B, 1, 28, 28, generator=torch.Generator().manual_seed(seed)) * 2 - 1


@pytest.mark.parametrize(("code", "shape"), [("vector", (16,)), ("spatial", (4, 7, 7))])
def test_encoder_decoder_shapes_and_range(code, shape):
    torch.manual_seed(0)
    model = SwapAutoencoder(config=SwapAEConfig(code=code, code_dim=16, code_channels=4, base=8))
    z = model.encode(_x())
    assert tuple(z.shape) == (B, *shape) == (B, *model.config.code_shape)
    for identity in ("A", "B"):
        out = model.decode(z, identity)
        assert out.shape == (B, 1, 28, 28)
        assert out.abs().max() <= 1.0  # Tanh
    assert model(_x(), "A").shape == (B, 1, 28, 28)


def test_swap_is_bs_decoder_on_as_code():
    torch.manual_seed(0)
    model = SwapAutoencoder(config=SwapAEConfig(base=8))
    x = _x()
    with torch.no_grad():
        code = model.encoder(x)
        swapped = model.swap(x, to="B")
        assert torch.equal(swapped, model.decoders["B"](code))
        assert torch.equal(model.swap(x, to="A"), model(x, "A"))
        # the decoders are separate modules: B's output differs from A's on the same code
        assert not torch.allclose(swapped, model.decoders["A"](code))
    assert model.decoders["A"] is not model.decoders["B"]
    assert set(model.decoders) == {"A", "B"}


def test_swap_gradient_reaches_shared_encoder_and_only_the_used_decoder():
    torch.manual_seed(0)
    model = SwapAutoencoder(config=SwapAEConfig(base=8))
    x = _x()
    reconstruction_loss(model(x, "B"), x).backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in model.encoder.parameters())
    assert all(p.grad is None for p in model.decoders["A"].parameters())
    assert all(p.grad is not None for p in model.decoders["B"].parameters())


def test_unknown_identity_lists_valid_ones():
    model = SwapAutoencoder(config=SwapAEConfig(base=4))
    with pytest.raises(KeyError, match="A, B"):
        model.swap(_x(), to="C")


def test_three_identities_build_three_decoders():
    model = SwapAutoencoder(config=SwapAEConfig(identities=("hand", "font", "fashion"), base=4))
    assert set(model.decoders) == {"hand", "font", "fashion"}


def test_reconstruction_loss_is_mean_absolute_error():
    a = torch.tensor([[0.0, 1.0], [-1.0, 0.5]])
    b = torch.tensor([[0.5, 1.0], [1.0, 0.0]])
    assert reconstruction_loss(a, b).item() == pytest.approx((0.5 + 0 + 2 + 0.5) / 4)
    with pytest.raises(ValueError):
        reconstruction_loss(a, b[:1])


def test_random_warp_is_seeded_and_zero_strength_is_identity():
    x = _x()
    w1 = random_warp(x, strength=1.5, generator=torch.Generator().manual_seed(1))
    w2 = random_warp(x, strength=1.5, generator=torch.Generator().manual_seed(1))
    assert torch.equal(w1, w2) and w1.shape == x.shape
    assert not torch.allclose(w1, x)
    assert torch.allclose(random_warp(x, strength=0.0), x, atol=1e-5)
    with pytest.raises(ValueError):
        random_warp(x, strength=math.nan)


def test_discriminators_one_per_identity_return_logits():
    ds = build_discriminators(config=SwapAEConfig(base=4), d_base=4)
    assert set(ds) == {"A", "B"}
    out = ds["B"](_x())
    assert out.shape == (B,)
    assert not any(isinstance(m, torch.nn.BatchNorm2d) for m in ds.modules())


@pytest.mark.parametrize(
    "bad",
    [
        {"base": 0},
        {"base": -8},
        {"code_dim": 0},
        {"code_channels": -1},
        {"base": math.nan},
        {"leaky_slope": math.nan},
        {"leaky_slope": -0.1},
        {"code": "image"},
        {"identities": ("A",)},
        {"identities": ("A", "A")},
        {"identities": ("A", "B.C")},
        {"img_size": 30},
    ],
)
def test_config_refuses_bad_values(bad):
    with pytest.raises(ValueError):
        SwapAEConfig(**bad)
