"""The CycleGAN family (Zhu et al., ICCV 2017): two generators, two discriminators, no pairs.

    python -m gan_core train --family cyclegan --out runs/style                  # photos <-> cartoons
    python -m gan_core train --family cyclegan --domain-a ~/horses --domain-b ~/zebras --out runs/hz

G_AB: A -> B and G_BA: B -> A (the paper's G and F) are ResNet-block generators, D_A and D_B 70x70
PatchGANs, as in the official code: least-squares GAN terms, cycle weight lambda = 10, identity
weight 0.5 x lambda, an image pool of 50 fakes per D, Adam(2e-4, beta1 0.5), batch 1, constant
learning rate and then (``decay_from``) a linear decay to zero. Training crops are ``crop_size``
px; the generators are fully convolutional, so they translate pictures of any size afterwards.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import ClassVar

import torch
from torch import Tensor, nn

from gan_core.data.unpaired import CropSampler, Domain, builtin_domains, folder_domain, held_out_pairs
from gan_core.device import pick_device
from gan_core.images import make_grid
from gan_core.losses import d_lsgan
from gan_core.models._checks import check_fields
from gan_core.models.cyclegan import (
    UPSAMPLE,
    ImagePool,
    ResnetGenerator,
    ResnetGeneratorConfig,
    discriminator_config,
)
from gan_core.models.patchgan import PatchDiscriminator
from gan_core.training.family import (
    IMAGE_TO_IMAGE,
    TRANSLATES_BOTH_WAYS,
    Family,
    FamilyTrainer,
    Preview,
    Trained,
    check_finite,
    from_dict,
)
from gan_core.training.trainer import build_lock, frozen

STATS = ("g_gan", "cycle", "identity", "d_a", "d_b", "lr")
PREVIEW_PER_DOMAIN = 2
EVAL_SIDE = 512  # held-out photos are judged at the page's size


@dataclass(frozen=True)
class CycleGANModelConfig:
    """What a checkpoint needs to rebuild G_AB, G_BA, D_A and D_B."""

    generator: ResnetGeneratorConfig = field(default_factory=ResnetGeneratorConfig)
    d_base: int = 32
    d_layers: int = 3  # 3: the paper's 70x70 PatchGAN
    crop_size: int = 128  # the training crops' side (D is fully convolutional too)

    def __post_init__(self) -> None:
        check_fields(self, ints={"d_base": (1, 256), "d_layers": (1, 5), "crop_size": (16, 512)})
        discriminator_config(base=self.d_base, n_layers=self.d_layers, img_size=self.crop_size)  # validates


def build_modules(config: CycleGANModelConfig) -> dict[str, nn.Module]:
    d = discriminator_config(base=config.d_base, n_layers=config.d_layers, img_size=config.crop_size)
    return {"G_AB": ResnetGenerator(config=config.generator), "G_BA": ResnetGenerator(config=config.generator),
            "D_A": PatchDiscriminator(config=d), "D_B": PatchDiscriminator(config=d)}


@dataclass(frozen=True)
class CycleGANConfig:
    family_name: ClassVar[str] = "cyclegan"
    domain_a: str | None = None  # folder of domain-A pictures (None: the built-in photos)
    domain_b: str | None = None  # folder of domain-B pictures (None: the filter's cartoons of other photos)
    photo_side: int = 512  # every picture is first scaled to this long side (the page's size)
    crop_size: int = 128  # square training crops
    max_zoom_out: float = 1.25  # crops cover 1x .. this x crop_size of a picture, resized to crop_size
    base: int = 16  # generator channels after the stem (official ngf 64)
    n_blocks: int = 4  # residual blocks (official 6 at 128 px, 9 at 256 px)
    upsample: str = "deconv"
    d_base: int = 16  # discriminator's first-layer channels (official ndf 64; = base, as officially)
    d_layers: int = 3
    lambda_cycle: float = 10.0  # lambda of the paper's eq. 3
    lambda_identity: float = 0.5  # identity weight = lambda_identity x lambda_cycle (official default)
    pool_size: int = 50  # fakes remembered per D (0: D sees only the newest)
    lr: float = 2e-4
    beta1: float = 0.5
    decay_from: int | None = None  # step after which lr falls linearly to 0 at `steps` (None: constant)
    batch_size: int = 1
    steps: int = 2000
    seed: int = 0

    def __post_init__(self) -> None:
        check_finite(self)
        check_fields(self, ints={"photo_side": (16, 4096), "crop_size": (16, 512), "base": (1, 128),
                                 "n_blocks": (0, 16), "d_base": (1, 256), "d_layers": (1, 5),
                                 "pool_size": (0, 1000), "batch_size": (1, 64), "steps": (1, 10_000_000),
                                 "seed": (0, 2**31 - 1)},
                     floats={"max_zoom_out": (1.0, 8.0), "lambda_cycle": (0.0, 1000.0),
                             "lambda_identity": (0.0, 100.0), "lr": (1e-7, 1.0), "beta1": (0.0, 0.999)},
                     choices={"upsample": UPSAMPLE})
        if self.decay_from is not None and not 0 <= self.decay_from <= 10_000_000:
            raise ValueError(f"decay_from must be a step in [0, 10,000,000] or none, got {self.decay_from}")
        for name in ("domain_a", "domain_b"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise ValueError(f"{name} must be a folder path or none, got {value!r}")
        self.model_config()  # the discriminator must fit the crops: fail here, with its message

    def model_config(self) -> CycleGANModelConfig:
        gen = ResnetGeneratorConfig(base=self.base, n_blocks=self.n_blocks, upsample=self.upsample)
        return CycleGANModelConfig(generator=gen, d_base=self.d_base, d_layers=self.d_layers,
                                   crop_size=self.crop_size)

    @property
    def builtin(self) -> bool:
        return self.domain_a is None and self.domain_b is None


def load_domains(config: CycleGANConfig) -> tuple[Domain, Domain]:
    """The run's two domains: folders when given, the built-in photos / cartoons otherwise."""
    a = b = None
    if config.domain_a is None or config.domain_b is None:
        a, b = builtin_domains(config.photo_side)
    if config.domain_a is not None:
        a = folder_domain(config.domain_a, photo_side=config.photo_side, what="--domain-a")
    if config.domain_b is not None:
        b = folder_domain(config.domain_b, photo_side=config.photo_side, what="--domain-b")
    return a, b


def g_adversarial(logits: Tensor) -> Tensor:
    """The official CycleGAN generator's least-squares term: E[(D(G(x)) - 1)^2] (Mao et al. 2017).

    No 1/2 in front (``losses.g_lsgan`` has one): the cycle weight 10 is tuned against this scale."""
    return ((logits - 1.0) ** 2).mean()


def l1(a: Tensor, b: Tensor) -> Tensor:
    """Mean |a - b|: the cycle and identity losses (the paper's ||F(G(x)) - x||_1)."""
    return (a - b).abs().mean()


class CycleGANTrainer(FamilyTrainer):
    """Holds G_AB, G_BA, D_A, D_B, their two Adam optimisers, the two pools and the crop samplers."""

    def __init__(self, *, config: CycleGANConfig, data: tuple[Domain, Domain] | None = None,
                 device: torch.device | None = None) -> None:
        self.config = config
        self.device = device or pick_device()
        self.domains = data if data is not None else load_domains(config)
        self._held_out = data is None and config.builtin  # the built-in domains have held-out photos
        self._model_config = config.model_config()
        with build_lock:  # torch.manual_seed is process-wide
            torch.manual_seed(config.seed)
            built = {k: m.to(self.device) for k, m in build_modules(self._model_config).items()}
        self.G_AB, self.G_BA, self.D_A, self.D_B = (built[k] for k in ("G_AB", "G_BA", "D_A", "D_B"))
        betas = (config.beta1, 0.999)
        self.opt_g = torch.optim.Adam(itertools.chain(self.G_AB.parameters(), self.G_BA.parameters()),
                                      lr=config.lr, betas=betas)
        self.opt_d = torch.optim.Adam(itertools.chain(self.D_A.parameters(), self.D_B.parameters()),
                                      lr=config.lr, betas=betas)
        self.gen = torch.Generator().manual_seed(config.seed)  # crops of both domains
        a, b = self.domains
        self.crops_a = CropSampler(a.pictures, size=config.crop_size, max_zoom_out=config.max_zoom_out,
                                   generator=self.gen)
        self.crops_b = CropSampler(b.pictures, size=config.crop_size, max_zoom_out=config.max_zoom_out,
                                   generator=self.gen)
        self.pool_a = ImagePool(size=config.pool_size, seed=config.seed + 1)  # fake A's for D_A
        self.pool_b = ImagePool(size=config.pool_size, seed=config.seed + 2)  # fake B's for D_B
        self.fixed_a, self.fixed_b = self._preview_inputs()
        self.steps_done = 0

    def _preview_inputs(self) -> tuple[Tensor, Tensor]:
        """Fixed crops for the film strip: held-out photos and their cartoons (built-in domains),
        else the centre of the first pictures of each folder."""
        if self._held_out:
            pairs = held_out_pairs(self.config.photo_side)[:PREVIEW_PER_DOMAIN]
            if pairs:
                sampler = CropSampler(tuple(p for _, p, _ in pairs) + tuple(c for _, _, c in pairs),
                                      size=self.config.crop_size, max_zoom_out=1.0, generator=self.gen)
                crops = sampler.centre_crops(2 * len(pairs)).to(self.device)
                return crops[:len(pairs)], crops[len(pairs):]
        return (self.crops_a.centre_crops(PREVIEW_PER_DOMAIN).to(self.device),
                self.crops_b.centre_crops(PREVIEW_PER_DOMAIN).to(self.device))

    # -- the family interface ------------------------------------------------------------
    @property
    def modules(self) -> dict[str, nn.Module]:
        return {"G_AB": self.G_AB, "G_BA": self.G_BA, "D_A": self.D_A, "D_B": self.D_B}

    @property
    def model_config(self) -> CycleGANModelConfig:
        return self._model_config

    @property
    def data_source(self) -> str:
        a, b = self.domains
        return f"A: {a.source}; B: {b.source}"

    def optimizers(self) -> dict[str, torch.optim.Optimizer]:
        return {"G": self.opt_g, "D": self.opt_d}

    def generators(self) -> dict[str, torch.Generator]:
        return {"crops": self.gen}

    def state_dict(self) -> dict:
        return {**super().state_dict(), "pools": {"A": self.pool_a.state_dict(), "B": self.pool_b.state_dict()}}

    def load_state_dict(self, state) -> None:
        super().load_state_dict(state)
        self.pool_a.load_state_dict(state["pools"]["A"])
        self.pool_b.load_state_dict(state["pools"]["B"])

    def lr_now(self) -> float:
        """Constant, then linear to 0 at the last step (the official 'linear' policy, in steps)."""
        c = self.config
        if c.decay_from is None or self.steps_done < c.decay_from:
            return c.lr
        return c.lr * max(0.0, (c.steps - self.steps_done) / max(1, c.steps - c.decay_from))

    def step(self, mode: str = "both") -> dict[str, Tensor]:
        c = self.config
        lr = self.lr_now()
        for group in (*self.opt_g.param_groups, *self.opt_d.param_groups):
            group["lr"] = lr
        real_a = self.crops_a.sample(c.batch_size).to(self.device)  # (B, 3, s, s) in [-1, 1]
        real_b = self.crops_b.sample(c.batch_size).to(self.device)
        # (1) update G_AB and G_BA with D_A, D_B frozen (official optimize_parameters order)
        with frozen(self.D_A), frozen(self.D_B):
            fake_b = self.G_AB(real_a)  # G(x)
            rec_a = self.G_BA(fake_b)  # F(G(x)): must come back to x
            fake_a = self.G_BA(real_b)  # F(y)
            rec_b = self.G_AB(fake_a)  # G(F(y)): must come back to y
            g_gan = g_adversarial(self.D_B(None, fake_b)) + g_adversarial(self.D_A(None, fake_a))
            cycle = l1(rec_a, real_a) + l1(rec_b, real_b)
            w_idt = c.lambda_cycle * c.lambda_identity
            if w_idt > 0:  # a picture already in the target domain should pass unchanged
                identity = l1(self.G_AB(real_b), real_b) + l1(self.G_BA(real_a), real_a)
            else:
                identity = torch.zeros((), device=self.device)
            loss_g = g_gan + c.lambda_cycle * cycle + w_idt * identity
            self.opt_g.zero_grad(set_to_none=True)
            loss_g.backward()
            self.opt_g.step()
        # (2) update D_A and D_B: 1/2 [(D(real) - 1)^2 + D(fake from the pool)^2]
        d_b = d_lsgan(self.D_B(None, real_b), self.D_B(None, self.pool_b.query(fake_b)))
        d_a = d_lsgan(self.D_A(None, real_a), self.D_A(None, self.pool_a.query(fake_a)))
        self.opt_d.zero_grad(set_to_none=True)
        (d_a + d_b).backward()
        self.opt_d.step()
        self.steps_done += 1
        return {"g_gan": g_gan.detach(), "cycle": cycle.detach(), "identity": identity.detach(),
                "d_a": d_a.detach(), "d_b": d_b.detach(), "lr": torch.tensor(lr)}

    @torch.no_grad()
    def preview(self) -> Preview:
        """Rows: a, G(a), F(G(a)) for each fixed A crop, then b, F(b), G(F(b)) for each B crop."""
        fake_b = self.G_AB(self.fixed_a)
        fake_a = self.G_BA(self.fixed_b)
        rows = [torch.stack(t, 1) for t in ((self.fixed_a, fake_b, self.G_BA(fake_b)),
                                            (self.fixed_b, fake_a, self.G_AB(fake_a)))]
        grid = torch.cat(rows).flatten(0, 1)  # (2n * 3, 3, s, s)
        return Preview(kind="image_grid", image=make_grid(grid, nrow=3))


def _train_config(trained: Trained) -> CycleGANConfig:
    tc = trained.train_config
    if isinstance(tc, CycleGANConfig):
        return tc
    return from_dict(CycleGANConfig, dict(tc or {}))


def evaluate(trained: Trained, *, n: int = 5, seed: int = 0) -> dict:
    """Built-in domains: cycle error both ways on the held-out photos (and the filter's cartoons of
    them), and how close G's cartoons come to the filter's (``style.evaluate_pairs``). A user's
    folders have no held-out set: cycle errors on up to ``n`` of each folder's pictures."""
    from gan_core import style

    if not {"G_AB", "G_BA"} <= set(trained.modules):
        raise ValueError(f"this checkpoint holds no pair of generators (modules: {', '.join(trained.modules)})")
    if n < 1:
        raise ValueError(f"evaluation needs at least one picture (got n={n})")
    config = _train_config(trained)
    g_ab, g_ba = trained.modules["G_AB"], trained.modules["G_BA"]
    if config.builtin:
        return style.evaluate_pairs(g_ab, g_ba, held_out_pairs(EVAL_SIDE)[:n])
    a, b = load_domains(config)
    result = style.evaluate_round_trips(g_ab, g_ba, a.pictures[:n], b.pictures[:n])
    return {**result, "eval_set": "training pictures (folders have no held-out set)"}


FAMILY = Family(
    name="cyclegan", config_cls=CycleGANConfig, model_config_cls=CycleGANModelConfig, build=build_modules,
    trainer=CycleGANTrainer, capabilities=frozenset({IMAGE_TO_IMAGE, TRANSLATES_BOTH_WAYS}), stat_names=STATS,
    evaluate=evaluate, summary="CycleGAN: two generators translate between two unpaired picture domains")
