"""The shipped swap and detector do what the page says, re-checked on fresh pictures (other seeds than
the sidecar's evaluation), not by reading stored numbers."""
from __future__ import annotations

import json

import numpy as np
import pytest

from gan_core import checkpoints
from gan_core.checkpoints import SHIPPED_DIR
from gan_core.training.family import Trained

SWAP, SWAP_GAN, DETECTOR = "swap_digits", "swap_digits_gan", "detector_dcgan"


pytestmark = pytest.mark.usefixtures("one_torch_thread")  # conftest: torch at 1 thread for this module


def _trained(name: str) -> Trained:
    ckpt = checkpoints.load(SHIPPED_DIR / name)
    return Trained(family=ckpt.family, modules=ckpt.modules, model_config=ckpt.config,
                   train_config=ckpt.train_config)


def _meta(name: str) -> dict:
    return json.loads((SHIPPED_DIR / f"{name}.json").read_text(encoding="utf-8"))


SWAPS = [SWAP, SWAP_GAN]
# how often the handwritten digit must survive its typeset swap: the adversary buys the target's look
# with some of the digits (see test_adversarial_swap_trades_digits_for_the_look)
DIGIT_KEPT = {SWAP: 0.8, SWAP_GAN: 0.7}


def _fresh(name: str) -> dict:
    import gan_core.swap_eval as se

    return se.evaluate_swap(_trained(name), n=300, seed=1)  # other digits and fonts than the sidecar's


@pytest.mark.parametrize("name", SWAPS)
def test_shipped_swap_keeps_the_digit_and_changes_the_look(name):
    meta = _meta(name)
    assert meta["recipe"].startswith("python -m gan_core train --family swap")
    assert meta["metrics"]["train_seconds"] > 0 and meta["metrics"]["threads"] == 1
    fresh = _fresh(name)
    # the claims the page shows, with room for 300 pictures instead of 1,000
    for key in ("digit_kept_A_to_B", "typeset_score", "handwritten_score"):
        assert fresh[key] >= meta["metrics"][key] - 0.1, (key, fresh[key], meta["metrics"][key])
    assert fresh["digit_kept_A_to_B"] >= DIGIT_KEPT[name]  # the handwritten digit's identity survives the swap
    assert fresh["typeset_score"] >= 0.5  # most swaps look typeset to the nearest-neighbour judge
    assert fresh["identity_recon_kept"] >= 0.8  # ... which does read decoder outputs by their identity


def test_adversarial_swap_is_the_gan_route():
    plain, gan = _meta(SWAP), _meta(SWAP_GAN)
    assert gan["train_config"]["adv_weight"] > 0 == plain["train_config"]["adv_weight"]
    assert gan["train_config"]["steps"] == plain["train_config"]["steps"]  # a fair comparison on the page
    assert set(gan["params"]) == {"encoder", "decoder_A", "decoder_B", "D_A", "D_B"}
    assert set(plain["params"]) == {"encoder", "decoder_A", "decoder_B"}


def test_adversarial_swap_trades_digits_for_the_look():
    """The page's GAN-route paragraph, on fresh pictures: with the discriminators the swaps to handwriting
    look handwritten about twice as often, the typeset ones no less typeset, and the digit survives the
    swap a little less often (D judges the look, not the digit)."""
    plain, gan = _fresh(SWAP), _fresh(SWAP_GAN)
    assert gan["handwritten_score"] >= max(1.6 * plain["handwritten_score"], plain["handwritten_score"] + 0.2), \
        (plain, gan)
    assert gan["typeset_score"] >= plain["typeset_score"] - 0.05, (plain, gan)
    kept = {name: (m["digit_kept_A_to_B"] + m["digit_kept_B_to_A"]) / 2 for name, m in (("plain", plain), ("gan", gan))}
    assert kept["plain"] - 0.12 <= kept["gan"] <= kept["plain"] - 0.02, kept  # a little less often


def _detector_judges(real_seed: int, fake_seed: int, n: int = 300,
                     only: str | None = None) -> dict[str, tuple[float, object]]:
    """{generator: (AP, ThresholdReport at 0.5)} of the shipped detector: n fresh held-out real digits
    against n fresh samples of every shipped digit generator (or of ``only``)."""
    from gan_core.detection import accuracy_at, average_precision
    from gan_core.fake_sources import digit_generators, sample_digits
    from gan_core.spot_the_fake import real_digits
    from gan_core.training.detector_step import score

    model = _trained(DETECTOR).modules["detector"]
    real = score(model, real_digits(n, seed=real_seed))
    y = np.r_[np.zeros(n), np.ones(n)]
    out = {}
    for gen in digit_generators():
        if only not in (None, gen.name):
            continue
        s = np.r_[real, score(model, sample_digits(gen.stem, n, seed=fake_seed))]
        out[gen.name] = (average_precision(y, s), accuracy_at(y, s, 0.5))
    return out


def test_shipped_detector_catches_its_generator_on_fresh_samples():
    from gan_core.fake_sources import digit_generators

    meta = _meta(DETECTOR)
    assert "--train-generator mnist_dcgan" in meta["recipe"] or meta["train_config"]["train_generator"] == "mnist_dcgan"
    seen = {g.name: g for g in digit_generators()}["mnist_dcgan"]
    ap, at_half = _detector_judges(real_seed=7, fake_seed=777, only=seen.name)[seen.name]
    if seen.sha256 in meta["data_source"]:  # the generator it trained on is still the shipped one
        assert ap >= 0.95
        assert at_half.accuracy >= 0.9
    else:  # retrained since: the page marks it "name only"; the detector must still rank it
        assert ap >= 0.8


def test_shipped_detector_ranks_unseen_generators_but_misses_many_at_half():
    """The page's calibration lesson, on fresh pictures: on every generator it never saw the AP stays high,
    yet at the 0.5 threshold it catches clearly fewer of their digits than of its own generator's, and for
    some only about half."""
    judged = _detector_judges(real_seed=11, fake_seed=1234)
    ap = {name: a for name, (a, _) in judged.items()}
    caught = {name: r.fake_accuracy for name, (_, r) in judged.items()}
    seen = _meta(DETECTOR)["train_config"]["train_generator"]
    unseen = sorted(set(caught) - {seen})
    assert len(unseen) >= 3, caught
    assert caught[seen] >= 0.9 and all(ap[n] >= 0.85 for n in unseen), (ap, caught)  # it still ranks them
    assert all(caught[n] <= caught[seen] - 0.1 for n in unseen), caught  # ... but misses many at 0.5
    assert min(caught[n] for n in unseen) <= 0.65, caught  # for some, only about half
