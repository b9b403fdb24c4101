"""The evidence each Check-yourself question reveals: shipped checkpoints, shipped 2-D states and the
embedded data, measured live (numbers from gan_core.check_yourself / objectives, cached here).

``QUESTIONS`` lists them in class order; each reveal function draws its pictures and numbers and
returns nothing. Text lives in ``assets/i18n/<lang>/learn_check.json`` under ``learn_check.<qid>_*``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import streamlit as st

from gan_core import check_yourself as cy
from gan_core import checkpoints
from gan_core import explore as core
from gan_core.objectives import LOG4, earth_mover_vs_js, equilibrium_levels, gaussian_game
from gan_core.training.toy2d import Toy2DTrainer
from gan_core.training.toy2d_presets import ready_meta, ready_trainer
from ui import explore_widgets as ew
from ui.check_figures import curves_figure, g_loss_vs_js_figure
from ui.i18n import num, t
from ui.layout import show_code
from ui.objective_plots import equilibrium_figure
from ui.toy2d_plots import playfield

NS = "learn_check"
STATIC = {"displaylogo": False, "staticPlot": True}
SHOW = {"heatmap": True, "manifold": False, "real": True, "fake": True, "arrows": False}
WALK_SEED = 7  # the two noise vectors of the latent walk


# -- cached sources ----------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def mnist():
    """The app's MNIST (full when installed, else the embedded 5,000 digits): read-only, shared."""
    from gan_core.data import load_dataset

    return load_dataset("mnist")


def shipped_model(name: str) -> core.Model | None:
    """A shipped generator by name, or None when its files are not here."""
    stem = checkpoints.SHIPPED_DIR / name
    try:
        return ew.load(stem)
    except (FileNotFoundError, checkpoints.CheckpointError):
        return None


@st.cache_data(show_spinner=False, max_entries=8)
def toy_summary(name: str) -> dict:
    """A shipped 2-D state: its view, recorded curves and trace, and how far its fakes travelled from
    where the same seed starts them (a fresh trainer of the same config, nothing trained)."""
    trainer = ready_trainer(name)
    fresh = Toy2DTrainer(config=trainer.config)
    meta = ready_meta(name)["metrics"]
    return {"view": trainer.view(), "history": meta["history"], "trace": meta.get("trace"),
            "moved": cy.fakes_moved(fresh.fake_points(1024), trainer.fake_points(1024)),
            "d_fake": cy.tail_stats(meta["history"], "d_fake", fraction=0.05)["mean"],
            "d_loss": cy.tail_stats(meta["history"], "d_loss"), "g_loss": cy.tail_stats(meta["history"], "g_loss")}


def _row(images: np.ndarray, captions: list[str], *, px: int = 168) -> None:
    """One picture per column at the same on-screen size (a long caption must not widen its picture)."""
    for col, img, cap in zip(st.columns(len(images)), images, captions):
        col.image(ew.png(img, nrow=1, scale=6), caption=cap, width=px, output_format="PNG")


def _missing(exc: Exception) -> None:
    st.info(t(f"{NS}.evidence_missing", detail=str(exc)))


def _open_playground(name: str) -> None:
    st.session_state["pg_preset"] = name
    st.session_state["pg_autoload"] = True


# -- one reveal per question ---------------------------------------------------------------------------
def reveal_g_sees_real() -> None:
    from gan_core.training.trainer import Trainer

    show_code(Trainer._update_g, label=t(f"{NS}.g_sees_real_code"), expanded=True)
    model = shipped_model("mnist_dcgan")
    if model is None:
        st.info(t(f"{NS}.no_model", name="mnist_dcgan"))
        return
    fakes = core.render(model, core.pool(model, 64, seed=0))
    train = mnist().images
    idx, dist = ew.nearest(fakes[:6], train)
    for col, fake, i, d in zip(st.columns(6), fakes[:6], idx, dist):
        col.image(ew.png(np.stack([fake, train[i]]), nrow=1, scale=3), caption=t(f"{NS}.pair", d=float(d)))
    res = _copy_check(model.stem)
    st.caption(t(f"{NS}.g_sees_real_numbers", **res))


@st.cache_data(show_spinner=False, max_entries=2)
def _copy_check(stem: str) -> dict:
    model = ew.load(stem)
    return cy.copy_check(core.render(model, core.pool(model, 64, seed=0)), mnist().images)


def reveal_d_loss_zero() -> None:
    try:
        bal, stall = toy_summary("ring_balanced"), toy_summary("ring_strong_d_stall")
    except (FileNotFoundError, ValueError) as exc:
        _missing(exc)
        return
    levels = equilibrium_levels()
    st.plotly_chart(equilibrium_figure(bal["history"], levels), key="check_fig_d_loss", config=STATIC)
    st.caption(t(f"{NS}.d_loss_zero_numbers", d=bal["d_loss"]["mean"], log2=levels["d_loss"],
                 modes=bal["view"].coverage["modes"], d_stall=stall["d_loss"]["mean"], moved=stall["moved"],
                 modes_stall=stall["view"].coverage["modes"]))


def reveal_g_loss_min() -> None:
    try:
        bal = toy_summary("ring_balanced")
    except (FileNotFoundError, ValueError) as exc:
        _missing(exc)
        return
    if not bal["trace"]:
        _missing(ValueError("ring_balanced: no trace recorded"))
        return
    low = cy.lowest_g_loss(bal["history"], bal["trace"])
    st.plotly_chart(g_loss_vs_js_figure(bal["history"], bal["trace"], low), key="check_fig_g_loss", config=STATIC)
    st.caption(t(f"{NS}.g_loss_min_numbers", **low))


def reveal_collapse_curves() -> None:
    try:
        runs = {name: toy_summary(name) for name in ("ring_balanced", "ring_strong_d")}
    except (FileNotFoundError, ValueError) as exc:
        _missing(exc)
        return
    st.plotly_chart(curves_figure({t(f"{NS}.run_{k}"): v["history"] for k, v in runs.items()}),
                    key="check_fig_curves", config=STATIC)
    for name, s in runs.items():
        st.caption(t(f"{NS}.collapse_curves_numbers", run=t(f"{NS}.run_{name}"), d=s["d_loss"]["mean"],
                     d_sd=s["d_loss"]["std"], g=s["g_loss"]["mean"], g_sd=s["g_loss"]["std"], **s["view"].coverage))


def reveal_strong_d() -> None:
    for col, name in zip(st.columns(2), ("ring_strong_d_collapse", "ring_strong_d_stall")):
        with col:
            try:
                s = toy_summary(name)
            except (FileNotFoundError, ValueError) as exc:
                _missing(exc)
                continue
            st.markdown(f"**{t(f'{NS}.run_{name}')}**")
            st.plotly_chart(playfield(s["view"], show=SHOW, height=360), key=f"check_fig_{name}", config=STATIC)
            st.caption(t(f"{NS}.strong_d_numbers", moved=s["moved"], d_fake=s["d_fake"], **s["view"].coverage))
            if st.button(t(f"{NS}.open_playground"), key=f"check_open_{name}", on_click=_open_playground,
                         args=(name,)):
                st.switch_page("pages/learn_playground.py")


def reveal_js_overlap() -> None:
    rows = [earth_mover_vs_js(s) for s in (4.0, 2.0, 1.0)]
    for col, s, r in zip(st.columns(3), (4.0, 2.0, 1.0), rows):
        col.metric(t(f"{NS}.js_overlap_apart", d=s), t(f"{NS}.js_overlap_values", js=r["js"], w1=r["w1"]))


def reveal_v_min() -> None:
    same, off = gaussian_game(0.0, 1.0), gaussian_game(2.0, 0.7)
    c = st.columns(2)
    c[0].metric(t(f"{NS}.v_min_same"), num(same["v"], 3))
    c[1].metric(t(f"{NS}.v_min_off"), num(off["v"], 3))
    st.caption(t(f"{NS}.v_min_numbers", log4=-LOG4, js=off["js_nats"], total=off["v_from_js"]))


@st.cache_data(show_spinner=False, max_entries=2)
def _pixel_answers(digit: int) -> dict:
    data = mnist()
    return cy.pixel_loss_answers(data.images[np.asarray(data.labels) == digit])


def reveal_pixel_loss() -> None:
    data = mnist()
    res = _pixel_answers(7)
    real = data.images[np.asarray(data.labels) == 7][:6]
    st.image(ew.png(real, nrow=6, scale=3), caption=t(f"{NS}.pixel_loss_real"))
    pics = np.stack([res["mean"], res["median"], res["medoid"]])
    _row(pics, [t(f"{NS}.pixel_loss_{k}") for k in ("mean", "median", "medoid")])
    st.caption(t(f"{NS}.pixel_loss_numbers", **{k: v for k, v in res.items() if not isinstance(v, np.ndarray)}))


@st.cache_data(show_spinner=False, max_entries=2)
def _psnr(n: int) -> dict:
    return cy.psnr_blur_vs_shift(mnist().images[:n], sigma=1.0, shift=1)


def reveal_psnr() -> None:
    res = _psnr(300)
    _row(res["example"], [t(f"{NS}.psnr_{k}") for k in ("original", "blurred", "shifted")])
    st.caption(t(f"{NS}.psnr_numbers", pb=res["psnr_blur"], ps=res["psnr_shift"], share=res["blur_wins"],
                 n=res["n"], sb=res["sharp"]["blurred"], ss=res["sharp"]["shifted"]))


@st.cache_data(show_spinner=False, max_entries=2)
def _specks(n: int) -> dict:
    out = {"real": cy.stray_pixels(mnist().images[:n])}
    for name in ("mnist_mlp", "mnist_dcgan"):
        model = shipped_model(name)
        if model is not None:
            out[name] = cy.stray_pixels(core.render(model, core.pool(model, n, seed=0)))
    return out


def reveal_mlp_speckle() -> None:
    models = {name: shipped_model(name) for name in ("mnist_mlp", "mnist_dcgan")}
    for col, (name, model) in zip(st.columns(2), models.items()):
        if model is None:
            col.info(t(f"{NS}.no_model", name=name))
            continue
        pics = core.render(model, core.pool(model, 16, seed=0))
        col.image(ew.png(pics, nrow=4, scale=3), caption=name)
    res = _specks(256)
    if len(res) == 3:
        st.caption(t(f"{NS}.mlp_speckle_numbers", mlp=res["mnist_mlp"], dcgan=res["mnist_dcgan"], real=res["real"],
                     n=256))


def reveal_latent_walk() -> None:
    model = shipped_model("mnist_dcgan")
    if model is None:
        st.info(t(f"{NS}.no_model", name="mnist_dcgan"))
        return
    z = core.pool(model, 2, seed=WALK_SEED)
    frames, _ = core.interpolations(model, z[:1], z[1:], 9)["lerp"]
    st.image(ew.png(frames, nrow=9, scale=3), caption=t(f"{NS}.latent_walk_caption"))
    others = core.render(model, core.pool(model, 64, seed=WALK_SEED + 1))
    st.caption(t(f"{NS}.latent_walk_numbers", **cy.walk_smoothness(frames, others)))


@dataclass(frozen=True)
class Question:
    qid: str
    right: int  # index of the right option
    reveal: Callable[[], None]
    link: str | None = None  # the page where the app shows it at length
    n_options: int = 3


QUESTIONS: tuple[Question, ...] = (
    Question("g_sees_real", 2, reveal_g_sees_real, "pages/explore_gallery.py"),
    Question("d_loss_zero", 1, reveal_d_loss_zero, "pages/learn_objectives.py"),
    Question("g_loss_min", 1, reveal_g_loss_min, "pages/learn_playground.py"),
    Question("collapse_curves", 1, reveal_collapse_curves, "pages/learn_playground.py"),
    Question("strong_d", 2, reveal_strong_d, "pages/learn_story.py"),
    Question("js_overlap", 1, reveal_js_overlap, "pages/learn_objectives.py"),
    Question("v_min", 1, reveal_v_min, "pages/learn_objectives.py"),
    Question("pixel_loss", 1, reveal_pixel_loss, "pages/img2img_losses.py"),
    Question("psnr", 1, reveal_psnr, "pages/img2img_losses.py"),
    Question("mlp_speckle", 0, reveal_mlp_speckle, "pages/explore_gallery.py"),
    Question("latent_walk", 1, reveal_latent_walk, "pages/explore_latent.py"),
)
