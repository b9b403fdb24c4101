"""Image-to-image / checkerboard artefacts: why a transposed convolution's kernel should be a multiple of
its stride (Odena, Dumoulin & Olah, Distill 2016), seen in write counts, in untrained generators' spectra
and in three shipped generators that differ only in how they upsample. After training their mean spectra
look alike; what tells them apart is the period-2 pattern stamped at the same pixels of every sample
(``cb.locked_ratio``, ``cb.stamped_pattern``), measured against real digits.

Thin page: maths in gan_core.checkerboard, models in gan_core.models.upsampling (family "upsample"),
figures in ui/receptive_field_plots.
"""
from __future__ import annotations

import numpy as np
import streamlit as st

from gan_core import checkerboard as cb
from gan_core import explore as core
from gan_core.models.upsampling import VARIANTS, UpsamplingConfig, upsample_block
from gan_core.training.family import SAMPLES_Z
from ui import explore_widgets as ew
from ui import receptive_field_plots as plots
from ui.i18n import num, t
from ui.layout import show_code

NS = "img2img_checkerboard"
CFG = {"displaylogo": False}
PREDICT_KEY, SHOWN_KEY = "cb_predict", "cb_shown"
CHOICES = ("k3", "k3_k4", "all", "none")
ANSWER = "k3_k4"  # both transposed convs: k = 4 overlaps evenly, but its 2 x 2 output phases use different weights
IN_SIZE = 10  # input side of the write-count maps (output 10 * s)
N_MEASURE = 2048  # samples per measurement: the stamped part of real digits averages down to ~1 / sqrt(N)
STRIDE = 2  # both upsampling stages of the shipped generators
GREY = 127.5  # images in [-1, 1]: one grey level of 0..255 is 1 / 127.5


def _variant_config(variant: str) -> UpsamplingConfig:
    mode, kernel = VARIANTS[variant]
    return UpsamplingConfig(mode=mode, kernel=kernel)


@st.cache_data(show_spinner=False, max_entries=32)
def _untrained(variant: str, seed: int) -> tuple[np.ndarray, np.ndarray, float]:
    """(8 stretched samples, mean spectrum of 64, stride-peak ratio) of a freshly initialised generator."""
    images = cb.untrained_samples(_variant_config(variant), n=64, seed=seed)
    spec = cb.spectrum(images)
    return cb.stretch(images[:8]), spec, cb.stride_ratio(spec, STRIDE)


@st.cache_data(show_spinner=False)
def _real_stats() -> tuple[float, float, np.ndarray]:
    """(stride peak, stamped part, stamped pattern) of N_MEASURE real MNIST digits: what "none" looks like."""
    from gan_core.data import load_dataset

    real = np.asarray(load_dataset("mnist").images[:N_MEASURE], dtype=np.float32) / 127.5 - 1.0
    return _stats(real)


def _stats(images: np.ndarray) -> tuple[float, float, np.ndarray]:
    return (cb.stride_ratio(cb.spectrum(images), STRIDE), cb.locked_ratio(images, STRIDE),
            cb.stamped_pattern(images, STRIDE))


@st.cache_data(show_spinner=False, max_entries=16)
def _measured(stem: str, sha: str, seed: int) -> tuple[float, float, np.ndarray]:
    """(stride peak, stamped part, stamped pattern) of N_MEASURE fresh samples of a shipped generator."""
    model = ew.load(stem)
    return _stats(cb.sample_images(model.G, z_dim=model.z_dim, n=N_MEASURE, seed=seed))


def _spectra(specs: list[np.ndarray], titles: list[str], key: str) -> None:
    fig = plots.spectra_figure(specs, titles, cb.stride_frequencies(specs[0].shape[0], STRIDE),
                               x_title=t(f"{NS}.axis_fx"), y_title=t(f"{NS}.axis_fy"),
                               colorbar=t(f"{NS}.spectrum_colorbar"))
    st.plotly_chart(fig, key=key, config=CFG)


def section_write_counts() -> None:
    st.header(t(f"{NS}.counts_header"))
    st.markdown(t(f"{NS}.counts_intro", in_size=IN_SIZE))
    c1, c2 = st.columns(2)
    k = int(c1.slider(t(f"{NS}.kernel"), 1, 8, 3, key="cb_k"))
    s = int(c2.slider(t(f"{NS}.stride"), 2, 4, 2, key="cb_s"))
    deconv = cb.write_counts(k, s, in_size=IN_SIZE)
    resize = cb.write_counts(3, s, in_size=IN_SIZE, mode="resize")
    margin = k  # the border effect reaches at most k px in (padding ceil((k - s) / 2))
    left, right = st.columns(2)
    with left:
        st.plotly_chart(plots.count_heatmap(deconv, title=t(f"{NS}.deconv_title", k=k, s=s),
                                            x_title=t(f"{NS}.axis_x"), y_title=t(f"{NS}.axis_y"),
                                            colorbar=t(f"{NS}.writes")), key="cb_deconv_fig", config=CFG)
        inner = cb.interior(deconv, margin)
        st.metric(t(f"{NS}.uneven_metric"), num(cb.unevenness(deconv, margin), 2), help=t(f"{NS}.uneven_help"))
        verdict = "gaps" if inner.min() == 0 else ("even" if inner.min() == inner.max() else "uneven")
        st.markdown(t(f"{NS}.verdict_{verdict}", k=k, s=s, lo=int(inner.min()), hi=int(inner.max())))
    with right:
        st.plotly_chart(plots.count_heatmap(resize, title=t(f"{NS}.resize_title", s=s),
                                            x_title=t(f"{NS}.axis_x"), y_title=t(f"{NS}.axis_y"),
                                            colorbar=t(f"{NS}.writes")), key="cb_resize_fig", config=CFG)
        st.metric(t(f"{NS}.uneven_metric"), num(cb.unevenness(resize, 1), 2), help=t(f"{NS}.uneven_help"))
        st.markdown(t(f"{NS}.resize_note"))


def section_untrained() -> None:
    st.header(t(f"{NS}.untrained_header"))
    st.markdown(t(f"{NS}.untrained_intro"))
    labels = {c: t(f"{NS}.choice_{c}") for c in CHOICES}  # a dict: labels fixed at run time
    st.radio(t(f"{NS}.predict_question"), CHOICES, index=None, key=PREDICT_KEY, format_func=labels.__getitem__,
             on_change=lambda: st.session_state.pop(SHOWN_KEY, None))
    guess = st.session_state.get(PREDICT_KEY)
    if st.button(t(f"{NS}.reveal"), key="cb_reveal", disabled=guess is None, help=t(f"{NS}.reveal_help")):
        st.session_state[SHOWN_KEY] = True
    if not st.session_state.get(SHOWN_KEY) or guess is None:
        return
    (st.success if guess == ANSWER else st.warning)(t(f"{NS}.{'right' if guess == ANSWER else 'wrong'}"))
    seed = ew.seed_box("cb_seed", label=t(f"{NS}.init_seed"))
    results = {variant: _untrained(variant, seed) for variant in VARIANTS}
    for col, (variant, (samples, _, _)) in zip(st.columns(3), results.items()):
        col.markdown(f"**{t(f'{NS}.variant_{variant}')}**")
        with col:
            ew.show(samples, nrow=4, scale=3, caption=t(f"{NS}.untrained_caption"))
    st.markdown(f"**{t(f'{NS}.spectrum_title')}**")
    _spectra([spec for _, spec, _ in results.values()], [t(f"{NS}.variant_{v}") for v in results],
             key="cb_untrained_spectra")
    for col, (_, _, ratio) in zip(st.columns(3), results.values()):
        col.metric(t(f"{NS}.ratio_metric"), num(ratio, 1), help=t(f"{NS}.ratio_help"))
    st.markdown(t(f"{NS}.untrained_after"))


def section_shipped() -> None:
    st.header(t(f"{NS}.shipped_header"))
    st.markdown(t(f"{NS}.shipped_intro"))
    found = {}
    for info in ew.infos():  # by capability and by the variant its run recorded, never by family name
        variant = info.train_config.get("variant") if isinstance(info.train_config, dict) else None
        if SAMPLES_Z in info.capabilities and variant in VARIANTS and variant not in found:
            found[variant] = info
    if not found:
        st.info(t(f"{NS}.no_models"), icon=":material/info:")
        return
    seed = ew.seed_box("cb_sample_seed", label=t(f"{NS}.sample_seed"))
    real = _real_stats()
    variants = [v for v in VARIANTS if v in found]
    measured = {}
    for col, variant in zip(st.columns(len(variants)), variants):
        info = found[variant]
        model = ew.load(info.path)
        measured[variant] = _measured(str(info.path), str(model.meta.get("sha256", "")), seed)
        peak, locked, _ = measured[variant]
        images = core.render(model, core.pool(model, 16, seed=seed))  # the same z for every variant
        with col:
            st.markdown(f"**{t(f'{NS}.variant_{variant}')}**")
            st.caption(t(f"{NS}.model_caption", name=info.path.name, steps=info.step))
            ew.show(images, nrow=4, scale=3)
            ew.show(images[0], nrow=1, scale=8, caption=t(f"{NS}.zoom_caption"))
            st.metric(t(f"{NS}.ratio_metric"), num(peak, 2), delta=num(peak - real[0], 2), delta_color="inverse",
                      help=t(f"{NS}.ratio_trained_help", real=real[0], n=N_MEASURE))
            st.metric(t(f"{NS}.locked_metric"), num(locked, 3), delta=num(locked - real[1], 3),
                      delta_color="inverse", help=t(f"{NS}.locked_help", real=real[1], n=N_MEASURE))

    st.subheader(t(f"{NS}.patterns_header"))
    st.markdown(t(f"{NS}.patterns_intro", n=N_MEASURE))
    names = [t(f"{NS}.variant_{v}") for v in measured] + [t(f"{NS}.real_digits")]
    patterns = [GREY * m[2] for m in measured.values()] + [GREY * real[2]]  # in grey levels
    titles = [t(f"{NS}.pattern_title", name=name, grey=float(np.abs(p).max())) for name, p in zip(names, patterns)]
    st.plotly_chart(plots.patterns_figure(patterns, titles, colorbar=t(f"{NS}.patterns_colorbar")),
                    key="cb_patterns_fig", config=CFG)
    st.caption(t(f"{NS}.patterns_caption"))
    peaks = [m[0] for m in measured.values()]
    st.markdown(t(f"{NS}.shipped_after", lo=min(peaks), hi=max(peaks), real=real[0],
                  top=max(float(np.abs(p).max()) for p in patterns[:-1])))


st.title(t(f"{NS}.title"))
st.markdown(t(f"{NS}.intro"))
section_write_counts()
section_untrained()
section_shipped()
st.header(t(f"{NS}.code_header"))
show_code(upsample_block)
show_code(cb.write_counts)
show_code(cb.stride_ratio)
show_code(cb.locked_ratio)
show_code(cb.stamped_pattern)
