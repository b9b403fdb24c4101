"""How good is a digit swap? Three questions, each with its control, on pictures no model trained on.

1. Is the picture rebuilt?  Reconstruction L1 (mean |x - dec_k(E(x))| in [-1, 1] units) per identity.
2. Is the digit (the "pose") kept?  The shipped MNIST classifier reads the swapped picture; a swap
   keeps the digit when it reads the input's label. Control: how often it reads the REAL pictures of
   that identity right (it learned handwriting, so typeset digits may already cost it a little).
3. Does the swap take the other identity's look?  A small identity classifier (handwritten vs typeset),
   trained here on real pictures of both identities (seeded, a few seconds), judges each swap.
   "typeset score" = share of A -> B swaps it calls typeset; "handwritten score" = share of
   B -> A swaps it calls handwritten. Controls: its accuracy on held-out real pictures, and on the
   reconstructions (decoder outputs are smoother than photos of ink: if it called the
   reconstructions by the wrong identity, its verdict on swaps would mean little).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F

from gan_core.models.detector import Detector, DetectorConfig

IDENTITY_STEPS = 300  # identity classifier: 300 steps of 64 + 64 pictures (~4 s on one core)
IDENTITY_BASE = 8


def train_identity_classifier(a: np.ndarray, b: np.ndarray, *, seed: int = 0, steps: int = IDENTITY_STEPS,
                              base: int = IDENTITY_BASE, batch: int = 64) -> Detector:
    """A small CNN whose logit > 0 means "typeset (B)": real A uint8 (N, 28, 28) vs real B."""
    from gan_core.training.swap_step import to_input

    gen = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = Detector(config=DetectorConfig(base=base, batchnorm=False, dropout=0.0))
    xa, xb = to_input(a), to_input(b)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    target = torch.cat([torch.zeros(batch), torch.ones(batch)])
    model.train()
    with torch.enable_grad():  # callers may evaluate under no_grad
        for _ in range(steps):
            ia = torch.randint(len(xa), (batch,), generator=gen)
            ib = torch.randint(len(xb), (batch,), generator=gen)
            loss = F.binary_cross_entropy_with_logits(model(torch.cat([xa[ia], xb[ib]])), target)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
    return model.eval().requires_grad_(False)


@torch.no_grad()
def called_typeset(model: Detector, x: torch.Tensor) -> np.ndarray:
    """bool (N,): the identity classifier calls each picture (N, 1, 28, 28) in [-1, 1] typeset."""
    return np.concatenate([(model(x[i:i + 500]) > 0).numpy() for i in range(0, len(x), 500)])


def _share(mask: np.ndarray) -> float:
    return round(float(np.mean(mask)), 4)


@torch.no_grad()
def evaluate_swap(trained: Any, *, n: int = 1000, seed: int = 0) -> dict:
    """The three questions above on ``n`` held-out pictures per identity (n <= 1,000: MNIST's
    held-out digits). ``trained``: a ``Trained`` of the swap family (checkpoint or live trainer)."""
    from gan_core.concepts import digit_class
    from gan_core.training.swap_step import IDENTITIES, assemble, held_out_data, identity_data, to_input

    if not 10 <= n <= 1000:
        raise ValueError(f"the swap evaluation uses 10 to 1,000 held-out digits per identity (got {n})")
    tc = trained.train_config
    folder = tc.get("data_folder") if isinstance(tc, dict) else getattr(tc, "data_folder", None)
    ae = assemble(dict(trained.modules), trained.model_config)
    held = held_out_data(n, data_folder=folder, seed=seed)
    x = {k: to_input(held[k].images) for k in IDENTITIES}
    labels = {k: np.asarray(held[k].labels) for k in IDENTITIES}
    other = {"A": "B", "B": "A"}
    recon = {k: ae(x[k], k) for k in IDENTITIES}
    swapped = {k: ae.swap(x[k], to=other[k]) for k in IDENTITIES}  # k's pictures drawn as the other
    out: dict[str, float | int] = {"n": n}
    for k in IDENTITIES:
        out[f"recon_l1_{k}"] = round(float((recon[k] - x[k]).abs().mean()), 4)
    for k in IDENTITIES:
        read_real, _ = digit_class(x[k])
        read_swap, _ = digit_class(swapped[k])
        out[f"digit_read_real_{k}"] = _share(read_real == labels[k])
        out[f"digit_kept_{k}_to_{other[k]}"] = _share(read_swap == labels[k])
    # the identity classifier: trained on real training pictures of both identities, never on held-out ones
    train = identity_data(font_images=4000, seed=seed + 17, data_folder=folder)
    judge = train_identity_classifier(train["A"].images, train["B"].images, seed=seed,
                                      steps=IDENTITY_STEPS, base=IDENTITY_BASE)
    real_b = {k: called_typeset(judge, x[k]) for k in IDENTITIES}
    out["identity_real_accuracy"] = round((_share(~real_b["A"]) + _share(real_b["B"])) / 2, 4)
    out["identity_recon_kept"] = round((_share(~called_typeset(judge, recon["A"]))
                                        + _share(called_typeset(judge, recon["B"]))) / 2, 4)
    out["typeset_score"] = _share(called_typeset(judge, swapped["A"]))  # A -> B called typeset
    out["handwritten_score"] = _share(~called_typeset(judge, swapped["B"]))  # B -> A called handwritten
    return out
