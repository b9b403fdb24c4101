"""How fast does one MLP-GAN training step run here, against the course notebook and the CPU ceiling?

Three measurements in one process, alternated so drift in machine load hits both loops alike:
- ref: the loop as the course notebook writes it: a torchvision-style DataLoader doing
  per-sample ToTensor + Normalize on PIL images, Sigmoid + BCELoss, plain Adam, `.item()` every step;
- ours: gan_core's Trainer (uint8 tensor batches, BCE-with-logits, fused Adam, no per-step sync);
- ceiling: a 1024^3 fp32 matmul, the most this CPU does in GFLOP/s.
Both loops train the same course MLP GAN (G 128-1024-1024-784, D 784-256-256-1) at batch 64.

    python -m bench.train_speed [--quick]
JSON: {"ref_ms_per_step", "ours_ms_per_step", "speedup", "ceiling_gflops", "ours_gflops", "ceiling_fraction"}
"""
from __future__ import annotations

import time

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset
from torch.utils.flop_counter import FlopCounterMode

from bench.common import emit, median_ms, parser
from gan_core.data import load_mnist
from gan_core.device import set_threads
from gan_core.models.mlp import Discriminator, Generator, MLPConfig
from gan_core.training.config import TrainConfig
from gan_core.training.trainer import Trainer

BATCH = 64


class _PILDigits(Dataset):
    """Per-sample PIL image + transforms, as torchvision's MNIST dataset serves them."""

    def __init__(self, images) -> None:
        from PIL import Image
        from torchvision import transforms

        self.images = images
        self.to_pil = Image.fromarray
        self.transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int):
        return self.transform(self.to_pil(self.images[i])), 0


class ReferenceLoop:
    """The course notebook's loop: D ends in Sigmoid, BCELoss, a float() every step."""

    def __init__(self, images, *, seed: int) -> None:
        torch.manual_seed(seed)
        cfg = MLPConfig(batchnorm=False)
        G, D = Generator(config=cfg), Discriminator(config=cfg)
        self.G, self.D, self.z_dim = G, nn.Sequential(D, nn.Sigmoid()), cfg.z_dim
        self.loader = DataLoader(_PILDigits(images), batch_size=BATCH, shuffle=True, drop_last=True)
        self.batches = iter(self.loader)
        self.bce = nn.BCELoss()
        self.opt_g = torch.optim.Adam(self.G.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.opt_d = torch.optim.Adam(self.D.parameters(), lr=2e-4, betas=(0.5, 0.999))
        self.log: list[tuple[float, float]] = []

    def _batch(self) -> torch.Tensor:
        try:
            return next(self.batches)[0]
        except StopIteration:
            self.batches = iter(self.loader)
            return next(self.batches)[0]

    def step(self) -> None:
        real = self._batch().view(BATCH, -1)
        ones, zeros = torch.ones(BATCH), torch.zeros(BATCH)
        fake = self.G(torch.randn(BATCH, self.z_dim))
        d_loss = self.bce(self.D(real).view(-1), ones) + self.bce(self.D(fake.detach()).view(-1), zeros)
        self.opt_d.zero_grad()
        d_loss.backward()
        self.opt_d.step()
        g_loss = self.bce(self.D(fake).view(-1), ones)
        self.opt_g.zero_grad()
        g_loss.backward()
        self.opt_g.step()
        self.log.append((d_loss.item(), g_loss.item()))


def ceiling_gflops(repeats: int) -> float:
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    a @ b  # warm-up
    ms = median_ms(lambda: a @ b, repeats=repeats)
    return 2 * 1024**3 / (ms / 1000) / 1e9


def flops_per_step(trainer: Trainer) -> float:
    """FLOPs of one real training step, counted by torch's own flop counter."""
    with FlopCounterMode(display=False) as counter:
        trainer.step()
    return float(counter.get_total_flops())


def main() -> None:
    args = parser(__doc__.splitlines()[0]).parse_args()
    threads = set_threads()
    steps, rounds = (40, 3) if args.quick else (150, 5)
    data = load_mnist()
    ref = ReferenceLoop(data.images, seed=0)
    ours = Trainer(config=TrainConfig(model="mlp", loss="nonsaturating", batchnorm=False, batch_size=BATCH),
                   data=data)
    flops = flops_per_step(ours)
    for _ in range(5):  # warm-up both
        ref.step()
        ours.step()
    ref_times, our_times, ceilings = [], [], []
    for _ in range(rounds):
        t0 = time.perf_counter()
        for _ in range(steps):
            ref.step()
        ref_times.append((time.perf_counter() - t0) * 1000 / steps)
        t0 = time.perf_counter()
        for _ in range(steps):
            stats = ours.step()
        float(stats["g_loss"])  # one sync at the end, as the Run does per snapshot
        our_times.append((time.perf_counter() - t0) * 1000 / steps)
        ceilings.append(ceiling_gflops(repeats=5))
    ref_ms, our_ms = sorted(ref_times)[len(ref_times) // 2], sorted(our_times)[len(our_times) // 2]
    ceiling = max(ceilings)
    ours_gflops = flops / (our_ms / 1000) / 1e9
    print(f"threads {threads}, batch {BATCH}, {rounds} rounds x {steps} steps, data: {data.source}")
    print(f"counted FLOPs per step: {flops / 1e9:.3f} GFLOP")
    print(f"reference (DataLoader + Sigmoid/BCELoss + .item()): {ref_ms:.2f} ms/step  rounds {ref_times}")
    print(f"ours (uint8 sampler + logits + fused Adam):         {our_ms:.2f} ms/step  rounds {our_times}")
    print(f"matmul ceiling: {ceiling:.1f} GFLOP/s; ours reaches {ours_gflops:.1f} GFLOP/s")
    emit({"ref_ms_per_step": ref_ms, "ours_ms_per_step": our_ms, "speedup": ref_ms / our_ms,
          "ceiling_gflops": ceiling, "ours_gflops": ours_gflops, "ceiling_fraction": ours_gflops / ceiling})


if __name__ == "__main__":
    main()
