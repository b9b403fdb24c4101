"""Where the shipped pix2pix models agree with the papers the "GAN vs MAE" page cites, and where not.

Each function reads measured rows (ui.img2img_losses.table) or outputs and writes the matching
sentence: the paper's reading when ours show it, else what our own pictures show and a question for
the class. Nothing here is hard-coded to one set of checkpoints: retrained models pick their branch.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from gan_core.img2img import HIDDEN_FROM
from ui import img2img_losses as il
from ui.i18n import pct, t

NS = il.NS
EMPTY = 0.5  # below this share of the real ink a variant "left the hidden half (almost) empty"
CLEARLY = 1.2  # FID ratio called "clearly worse": the shipped whole-image / 16-px ratio is 0.88 on all
# 1,000 held-out digits and 1.06 on 250 of them (seed 1), so smaller gaps are sampling noise here


def empty(row: dict) -> bool:
    """Did this variant leave the pixels it had to invent (almost) empty? (its "ink" share)"""
    return row.get("ink", 1.0) < EMPTY


def frequencies(task: str, rows: dict[str, dict]) -> None:
    """The pix2pix reading (L1 gets the low frequencies) against our L1 only and L1 + cGAN."""
    if "l1" not in rows or "l1cgan100" not in rows:
        return
    l1, both = rows["l1"], rows["l1cgan100"]
    values = {"l1": l1["low_err"], "both": both["low_err"], "d_l1": l1["detail"], "d_both": both["detail"]}
    if l1["low_err"] <= both["low_err"]:
        st.markdown(t(f"{NS}.freq_agree", **values))
        return
    parts = [t(f"{NS}.freq_differ", **values)]
    if empty(l1):
        parts.append(t(f"{NS}.freq_empty", ink=pct(l1["ink"])))
    if both["l1_err"] < l1["l1_err"]:  # the same network reached a lower L1 error with the discriminator
        parts.append(t(f"{NS}.freq_not_optimum", l1_err=l1["l1_err"], both_err=both["l1_err"]))
    st.markdown(" ".join(parts))
    if empty(l1) and task == "completion":
        k, n = il.majority_ink(task)
        st.info(t(f"{NS}.freq_question", k=k, n=n), icon=":material/school:")


def lambda_infinite(rows: dict[str, dict]) -> None:
    """λ = ∞ (L1 only): the paper's blur, or ours leaving the hidden half empty."""
    if "l1" in rows:
        st.markdown(t(f"{NS}.lambda_inf_{'empty' if empty(rows['l1']) else 'blur'}", ink=pct(rows["l1"]["ink"])))


def patches(rows: dict[str, dict], steps: dict[str, int]) -> None:
    """The paper's 1x1 judge added little to L1 and its whole-image judge scored worse: do ours?"""
    if "l1cgan100_dpixel" in rows and "l1" in rows:
        pixel = rows["l1cgan100_dpixel"]
        st.markdown(t(f"{NS}.patch_pixel_{'empty' if empty(pixel) else 'drew'}", ink=pct(pixel["ink"]),
                      fid_px=pixel["fid"], fid_l1=rows["l1"]["fid"]))
    if "l1cgan100" in rows and "l1cgan100_dimage2" in rows:
        patch, whole = rows["l1cgan100"]["fid"], rows["l1cgan100_dimage2"]["fid"]
        key = "patch_whole_worse" if whole > CLEARLY * patch else "patch_whole_not_worse"
        st.markdown(t(f"{NS}.{key}", whole=whole, patch=patch, steps_whole=steps.get("l1cgan100_dimage2", 0),
                      steps_patch=steps.get("l1cgan100", 0)))


def skips(with_skips: np.ndarray | None, without: np.ndarray | None, targets: np.ndarray) -> None:
    """Error on the visible upper half (what G was shown) with and without skips, on the digits shown."""
    if with_skips is None or without is None:
        return
    err = [float(np.abs(v[:, :HIDDEN_FROM] / 255 - targets[:, :HIDDEN_FROM] / 255).mean()) for v in (with_skips, without)]
    st.markdown(t(f"{NS}.unet_measured", skips=err[0], noskip=err[1]))


def srgan(rows: dict[str, dict]) -> None:
    """The SRGAN-like variant (classifier features + 10^-3 GAN): measured on its own yardstick; when its
    pictures are further from the truth than bicubic's, say so with the numbers, and ask why."""
    if "srgan" not in rows:
        return
    st.markdown(t(f"{NS}.srgan_note"))
    own, bic = rows["srgan"], rows.get("bicubic")
    if bic is not None and own["psnr"] < bic["psnr"]:
        st.markdown(t(f"{NS}.srgan_off", psnr=own["psnr"], bic=bic["psnr"], acc=pct(own["digit_acc"])))


def superres(rows: dict[str, dict]) -> None:
    """SRGAN's trade (higher PSNR for the pixel loss, more realism with the GAN) in our numbers."""
    if "l1" in rows and "l1cgan100" in rows:
        l1, both = rows["l1"], rows["l1cgan100"]
        key = "sr_ours_agree" if l1["psnr"] > both["psnr"] and both["fid"] < l1["fid"] else "sr_ours_differ"
        st.markdown(t(f"{NS}.{key}", p_l1=l1["psnr"], p_both=both["psnr"], f_l1=l1["fid"], f_both=both["fid"]))
