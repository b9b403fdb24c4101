"""Named starting points for the Train page: a fast start (the default), the course's exact
settings, and five classic changes to them.

Each preset is a ``TrainConfig`` plus the i18n keys of its name and of one sentence on what to
watch for (the strings live in ``assets/i18n/<lang>/train.json``; gan_core never imports the UI).
Every preset keeps the seed, so two presets started with the same seed differ only in the knob
the preset turns (e.g. beta1 0.5 vs 0.9). Each sentence is checked against a real run of its preset
on the embedded digits by ``bench.preset_claims`` (claims in ``gan_core.training.preset_claims``).
"""
from __future__ import annotations

from dataclasses import dataclass

from gan_core.training.config import TrainConfig

# The course notebook: MLP GAN, Adam(lr=2e-4, betas=(0.5, 0.999)), batch 64, BatchNorm in G.
COURSE = TrainConfig(model="mlp", loss="nonsaturating", lr_g=2e-4, lr_d=2e-4, beta1=0.5,
                     beta2=0.999, batch_size=64, d_steps=1, batchnorm=True, steps=2000)

# The fastest recipe measured to all ten digits (issue 13's sweep, bench.time_to_digits' rule):
# the DCGAN, 2 px shifts of everything D sees, R1 (gamma 2) on every 4th step, lr 6e-4 for both.
# 1,250 steps; the full-R1 DCGAN at lr 4e-4 needed 1,500, the MLP variants 3,000-4,000.
FAST = TrainConfig(model="dcgan", loss="nonsaturating", lr_g=6e-4, lr_d=6e-4, beta1=0.5, beta2=0.999,
                   batch_size=64, d_steps=1, batchnorm=True, augment_shift=2, r1_weight=2.0, r1_every=4,
                   steps=2000)  # batchnorm spelled out: the page's toggle shows it (the DCGAN's default too)
DEFAULT_PRESET = "fast"  # what the Train page opens with: a GAN visibly learning within a minute


@dataclass(frozen=True)
class Preset:
    key: str
    config: TrainConfig
    name_key: str  # i18n key of the short name, e.g. "train.preset_course"
    watch_key: str  # i18n key of the one sentence on what to watch for


def _preset(key: str, base: TrainConfig = COURSE, **changes: object) -> Preset:
    return Preset(key=key, config=base.replace(**changes), name_key=f"train.preset_{key}",
                  watch_key=f"train.preset_{key}_watch")


PRESETS: dict[str, Preset] = {p.key: p for p in (
    _preset("fast", FAST),
    _preset("course"),
    _preset("beta1_high", beta1=0.9),  # momentum keeps pushing after the game has turned: oscillation
    _preset("lr_high", lr_g=2e-3, lr_d=2e-3),  # 10x the course learning rate for both players
    _preset("d_fast", lr_d=2e-3),  # D learns 10x faster than G: D(G(z)) -> 0, G starves
    _preset("saturating", loss="minimax"),  # log(1 - D(G(z))) has ~0 gradient when D wins early
    _preset("no_bn", batchnorm=False),  # G without BatchNorm: fewer distinct digits (notes, lecture 12)
)}


def get_preset(key: str) -> Preset:
    """The preset called ``key``; unknown keys raise KeyError listing the valid ones."""
    if key not in PRESETS:
        raise KeyError(f"unknown preset {key!r}; valid presets: {', '.join(PRESETS)}")
    return PRESETS[key]
