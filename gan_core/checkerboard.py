"""Checkerboard artefacts of transposed convolutions, counted and seen in the Fourier spectrum.

A transposed convolution with kernel k and stride s pastes one k x k copy of its kernel per input
pixel, s pixels apart. Output pixels under more pastes get more "paint": the write count is even
in the interior only when k is a multiple of s (k=4, s=2: every interior pixel 2 x 2 = 4 times;
k=3, s=2: 1, 2 or 4 times in a checkerboard). Odena, Dumoulin & Olah, "Deconvolution and
Checkerboard Artifacts", Distill 2016. Even with k divisible by s, each of the s x s output phases
uses different kernel weights, so a random (untrained) generator already shows a pattern with
period s: in the 2-D spectrum a peak at N / s cycles per image (14 for stride 2 on 28 px, the
highest frequency a 28-px image has). Nearest-neighbour resize + convolution has no such peak.

After training, that peak in the mean spectrum is gone (each sample's own fine detail fills the same bins), yet
a transposed conv still stamps a fixed period-s pattern at the same pixels of every output. Averaging
many samples keeps it and cancels the digits' own detail: ``locked_ratio`` measures it, and
``stamped_pattern`` shows it as a signed map.

The write count of a transposed conv equals how often a strided conv of the same k, s sees each
input pixel (``receptive_field.coverage_counts``): one is the transpose of the other.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from gan_core.models.upsampling import Generator, UpsamplingConfig, transposed_padding


def write_counts(kernel: int, stride: int, *, in_size: int, padding: int | None = None,
                 output_padding: int | None = None, mode: str = "deconv") -> np.ndarray:
    """(H_out, W_out) int map: how many (input pixel, kernel tap) products write each output pixel.

    mode "deconv": ConvTranspose2d(kernel, stride), computed exactly as conv_transpose2d(ones input,
    ones kernel); by default padding and output_padding make the output exactly stride * in_size
    (``transposed_padding``). mode "resize": nearest x stride, then a kernel x kernel conv with
    "same" zero padding: every interior pixel gets kernel^2 products, whatever the stride.
    """
    if not (1 <= kernel <= 16 and 1 <= stride <= 8 and 1 <= in_size <= 512):
        raise ValueError(f"need 1 <= kernel <= 16, 1 <= stride <= 8, 1 <= in_size <= 512; "
                         f"got {kernel}, {stride}, {in_size}")
    ones = torch.ones(1, 1, in_size, in_size, dtype=torch.float64)
    kern = torch.ones(1, 1, kernel, kernel, dtype=torch.float64)
    if mode == "resize":
        up = F.interpolate(ones, scale_factor=stride, mode="nearest")  # (1, 1, s * n, s * n)
        out = F.conv2d(F.pad(up, ((kernel - 1) // 2, kernel // 2) * 2), kern)  # same size as up
        return out[0, 0].round().to(torch.int64).numpy()
    if mode != "deconv":
        raise ValueError(f"mode must be 'deconv' or 'resize', got {mode!r}")
    if padding is None or output_padding is None:
        p, op = transposed_padding(kernel, stride) if kernel >= stride else (0, 0)
        padding = p if padding is None else padding
        output_padding = op if output_padding is None else output_padding
    out = F.conv_transpose2d(ones, kern, stride=stride, padding=padding, output_padding=output_padding)
    return out[0, 0].round().to(torch.int64).numpy()


def interior(counts: np.ndarray, margin: int) -> np.ndarray:
    """The map without a ``margin``-pixel frame (borders get fewer pastes for any k and s)."""
    if margin < 0 or 2 * margin >= min(counts.shape):
        raise ValueError(f"margin {margin} leaves nothing of a {counts.shape} map")
    return counts[margin : counts.shape[0] - margin, margin : counts.shape[1] - margin]


def unevenness(counts: np.ndarray, margin: int) -> float:
    """max / min of the interior counts: 1.0 means every interior pixel is written equally often."""
    inner = interior(counts, margin)
    return float(inner.max() / max(inner.min(), 1))


def untrained_samples(config: UpsamplingConfig, *, n: int = 64, seed: int = 0) -> np.ndarray:
    """(n, H, W) float32 outputs of a freshly initialised generator (channel 0), in eval mode.

    Values are small (weights ~ N(0, 0.02)): stretch each image before showing it.
    """
    if not 1 <= n <= 1024:
        raise ValueError(f"n must be in [1, 1024], got {n}")
    torch.manual_seed(seed)  # the weights
    gen = Generator(config=config).eval()
    z = torch.randn(n, config.z_dim, generator=torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        return gen(z)[:, 0].numpy().astype(np.float32)


def spectrum(images: np.ndarray) -> np.ndarray:
    """(H, W) mean magnitude of the 2-D DFT over a batch (N, H, W), centred (fftshift), DC removed.

    Each image's mean is subtracted first; frequency (fy, fx) in cycles per image sits at
    index (H // 2 + fy, W // 2 + fx).
    """
    x = np.asarray(images, dtype=np.float64)
    if x.ndim == 2:
        x = x[None]
    x = x - x.mean(axis=(1, 2), keepdims=True)
    mag = np.abs(np.fft.fftshift(np.fft.fft2(x), axes=(1, 2))).mean(0)
    mag[x.shape[1] // 2, x.shape[2] // 2] = 0.0
    return mag


def strongest_frequencies(spec: np.ndarray, top: int = 4) -> list[tuple[int, int, float]]:
    """The ``top`` largest entries of a centred spectrum as (fy, fx, magnitude), fy, fx in cycles per image."""
    h, w = spec.shape
    order = np.argsort(spec.ravel(), kind="stable")[::-1][:top]
    return [(int(i // w - h // 2), int(i % w - w // 2), float(spec.flat[i])) for i in order]


def stride_frequencies(size: int, stride: int) -> list[tuple[int, int]]:
    """Non-DC frequencies (fy, fx) of a pattern repeating every ``stride`` px on a size x size image:
    multiples of size / stride on both axes (for stride 2 on 28 px: (0, -14), (-14, 0), (-14, -14))."""
    if size % stride:
        raise ValueError(f"a period of {stride} px does not tile {size} px")
    step, half = size // stride, size // 2
    fs = [f - half for f in range(size) if (f - half) % step == 0]  # signed, in [-size/2, size/2)
    return [(fy, fx) for fy in fs for fx in fs if (fy, fx) != (0, 0)]


def stride_ratio(spec: np.ndarray, stride: int) -> float:
    """Mean magnitude at the stride frequencies over the median magnitude: >> 1 means a checkerboard."""
    h, w = spec.shape
    if h != w:
        raise ValueError(f"need a square spectrum, got {spec.shape}")
    vals = [spec[h // 2 + fy, w // 2 + fx] for fy, fx in stride_frequencies(h, stride)]
    return float(np.mean(vals) / max(np.median(spec), 1e-12))


def sample_images(generator: torch.nn.Module, *, z_dim: int, n: int = 256, seed: int = 0) -> np.ndarray:
    """(n, H, W) float32: ``n`` fresh samples (channel 0) of a generator G(z) from seeded noise, drawn in
    eval mode; the generator's mode is restored afterwards."""
    if not 1 <= n <= 4096:
        raise ValueError(f"n must be in [1, 4096], got {n}")
    z = torch.randn(n, z_dim, generator=torch.Generator().manual_seed(seed))
    was_training = generator.training
    generator.eval()
    try:
        with torch.no_grad():
            return generator(z.to(next(generator.parameters()).device))[:, 0].float().cpu().numpy()
    finally:
        generator.train(was_training)


def sample_spectrum(generator: torch.nn.Module, *, z_dim: int, n: int = 256, seed: int = 0) -> np.ndarray:
    """Mean centred spectrum (see ``spectrum``) of ``n`` fresh samples of a generator G(z)."""
    return spectrum(sample_images(generator, z_dim=z_dim, n=n, seed=seed))


def sample_stride_ratio(generator: torch.nn.Module, *, z_dim: int, n: int = 256, seed: int = 0,
                        stride: int = 2) -> float:
    """``stride_ratio`` of a generator's fresh samples: how much the period-``stride`` pattern stands out."""
    return stride_ratio(sample_spectrum(generator, z_dim=z_dim, n=n, seed=seed), stride)


def stretch(images: np.ndarray) -> np.ndarray:
    """(N, H, W) floats -> uint8, each image stretched to its own min..max (untrained outputs are tiny)."""
    x = np.asarray(images, dtype=np.float64)
    lo, hi = x.min(axis=(-2, -1), keepdims=True), x.max(axis=(-2, -1), keepdims=True)
    return np.rint(255.0 * (x - lo) / np.maximum(hi - lo, 1e-12)).astype(np.uint8)


def _mean_image(images: np.ndarray) -> np.ndarray:
    x = np.asarray(images, dtype=np.float64)
    if x.ndim != 3:
        raise ValueError(f"need a batch (N, H, W), got shape {x.shape}")
    return (x - x.mean(axis=(1, 2), keepdims=True)).mean(0)  # (H, W): what every sample shares


def locked_ratio(images: np.ndarray, stride: int) -> float:
    """The part of the stride peak that sits at the same pixels in every image, over the same median as
    ``stride_ratio``: |DFT of the mean image| at the stride frequencies / median of the mean spectrum.

    A pattern the architecture stamps on every output survives averaging many samples; a digit's own
    fine detail has a different phase in every image and averages away (to about 1 / sqrt(N) of it).
    """
    spec = spectrum(images)
    h, w = spec.shape
    mean = np.abs(np.fft.fftshift(np.fft.fft2(_mean_image(images))))
    vals = [mean[h // 2 + fy, w // 2 + fx] for fy, fx in stride_frequencies(h, stride)]
    return float(np.mean(vals) / max(np.median(spec), 1e-12))


def stamped_pattern(images: np.ndarray, stride: int) -> np.ndarray:
    """(H, W): the period-``stride`` part of the mean image (inverse DFT of its stride frequencies only),
    in the images' own units: the checkerboard every sample carries, made visible."""
    mean = _mean_image(images)
    h, w = mean.shape
    spec = np.fft.fft2(mean)
    keep = np.zeros_like(spec)
    for fy, fx in stride_frequencies(h, stride):
        keep[fy % h, fx % w] = spec[fy % h, fx % w]
    return np.real(np.fft.ifft2(keep))

