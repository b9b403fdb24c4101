"""DiffAugment translation: pixels move by at most max_shift, borders fill, gradients pass."""
from __future__ import annotations

import torch

from gan_core.training.augment import translate


def test_translation_moves_each_image_within_the_limit():
    x = torch.full((32, 1, 9, 9), -1.0)
    x[:, 0, 4, 4] = 1.0  # one bright pixel in the middle of every image
    out = translate(x, max_shift=2, generator=torch.Generator().manual_seed(0))
    assert out.shape == x.shape
    for img in out[:, 0]:
        (r, c), = (img == 1.0).nonzero().tolist()
        assert abs(r - 4) <= 2 and abs(c - 4) <= 2
        assert (img == -1.0).sum() == 80  # everything else is background
    moved = {tuple((img == 1.0).nonzero()[0].tolist()) for img in out[:, 0]}
    assert len(moved) > 5  # each image draws its own shift


def test_shift_zero_is_identity_and_gradients_reach_the_input():
    x = torch.randn(4, 3, 8, 8, requires_grad=True)
    gen = torch.Generator().manual_seed(1)
    assert translate(x, max_shift=0, generator=gen) is x
    translate(x, max_shift=1, generator=gen).sum().backward()
    assert x.grad is not None and x.grad.abs().sum() > 0
