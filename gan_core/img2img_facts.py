"""Published numbers the image-to-image lessons set beside our own (values as printed, with sources).

pix2pix: Isola, Zhu, Zhou, Efros, "Image-to-Image Translation with Conditional Adversarial
Networks", CVPR 2017. FCN-scores on Cityscapes labels -> photo: an FCN-8s segmenter run on the
generated photos; per-pixel accuracy, per-class accuracy, class IoU (higher is better).
  Table 1: by objective (generator U-Net, discriminator 70x70 PatchGAN).
  Table 2: by discriminator patch size (objective L1 + cGAN).
SRGAN: Ledig et al., "Photo-Realistic Single Image Super-Resolution Using a Generative Adversarial
Network", CVPR 2017: 4x super-resolution; on BSD100, PSNR and the mean opinion score (MOS, 26 raters
scoring 1-5) disagree. Its perceptual loss: l_SR = l_X (content) + 1e-3 * l_Gen (adversarial).
The course's table (PSNR / SSIM) names no data set; it is shown as the course gives it.
"""

from __future__ import annotations

FCN_COLUMNS = ("per_pixel_acc", "per_class_acc", "class_iou")

# Table 1: loss -> (per-pixel acc., per-class acc., class IoU)
PIX2PIX_TABLE1: dict[str, tuple[float, float, float]] = {
    "L1": (0.42, 0.15, 0.11),
    "GAN": (0.22, 0.05, 0.01),
    "cGAN": (0.57, 0.22, 0.16),
    "L1+GAN": (0.64, 0.20, 0.15),
    "L1+cGAN": (0.66, 0.23, 0.17),
}
PIX2PIX_GROUND_TRUTH = (0.80, 0.26, 0.21)  # the FCN on the real photos: the ceiling of both tables

# Table 2: discriminator receptive field -> (per-pixel acc., per-class acc., class IoU)
PIX2PIX_TABLE2: dict[str, tuple[float, float, float]] = {
    "1x1": (0.39, 0.15, 0.10),
    "16x16": (0.65, 0.21, 0.17),
    "70x70": (0.66, 0.23, 0.17),
    "286x286": (0.42, 0.16, 0.11),
}
PIX2PIX_LAMBDA = 100.0  # the weight of L1 in the paper's final objective

# SRGAN on BSD100, 4x: method -> (PSNR dB, MOS)
SRGAN_BSD100: dict[str, tuple[float | None, float]] = {
    "SRResNet": (27.58, 2.29),
    "SRGAN": (25.16, 3.56),
    "original": (None, 4.46),
}
SRGAN_ADV_WEIGHT = 1e-3  # l_SR = l_X + 1e-3 * l_Gen

# The course notes' super-resolution table: method -> (PSNR dB, SSIM); the notes name no data set.
COURSE_SR_TABLE: dict[str, tuple[float, float]] = {
    "bicubic": (21.59, 0.6423),
    "SRResNet": (23.53, 0.7832),
    "SRGAN": (21.15, 0.6868),
}
