"""Explore / latent space: lerp vs slerp walks, a bilinear square, and DCGAN-style vector arithmetic."""
from __future__ import annotations

import math

import streamlit as st

from gan_core import explore as core
from gan_core import latent
from gan_core.training.family import SAMPLES_Z
from ui import explore_widgets as ew
from ui.explore_latent import auto_concepts
from ui.i18n import num, t
from ui.layout import show_code

POOL = 16  # numbered candidates the user picks from


st.title(t("explore_latent.title"))
st.markdown(t("explore_latent.intro"))
top = st.columns([2, 1])
with top[0]:
    model = ew.model_picker("latent_model", needs=SAMPLES_Z, prefer=("mnist_dcgan",))
if model is None:
    st.stop()
with top[1]:
    seed = ew.seed_box("latent_seed")
z_pool = core.pool(model, POOL, seed=seed)
pool_images = core.render(model, z_pool)
st.image(ew.numbered_grid(pool_images, nrow=8, scale=3), caption=t("explore_latent.pool_caption"), width="content",
         output_format="PNG")

# -- interpolation -----------------------------------------------------------------------------
st.header(t("explore_latent.walk_header"))
picked = st.pills(t("explore_latent.pick"), list(range(POOL)), selection_mode="multi", default=[0, 5],
                  key="latent_pick", help=t("explore_latent.pick_help")) or []
steps = st.slider(t("explore_latent.steps"), 5, 12, 8, key="latent_steps")
if len(picked) == 2:
    za, zb = z_pool[picked[0]], z_pool[picked[1]]
    walks = core.interpolations(model, za, zb, steps)
    for method in ("lerp", "slerp"):
        ew.show(walks[method][0], nrow=steps, scale=3, caption=t(f"explore_latent.{method}_caption"))
    left, right = st.columns([2, 1])
    with left:
        st.markdown(t("explore_latent.why_slerp", d=model.z_dim, shell=num(math.sqrt(model.z_dim), 1)))
        show_code(latent.slerp)
    with right:  # a raw Vega-Lite spec: st.line_chart builds and validates an Altair chart (~200 ms)
        st.vega_lite_chart(ew.norm_chart(walks["lerp"][1], walks["slerp"][1]), height=220)
    gif = ew.walk_gif(model, z_pool[picked].numpy(), steps)
    st.download_button(t("explore_latent.gif"), gif, file_name=f"{model.name}_walk.gif", mime="image/gif",
                       icon=":material/animated_images:", key="latent_gif")
elif len(picked) == 4:
    corners = z_pool[picked]
    cols = st.columns(2)
    for col, method in zip(cols, ("lerp", "slerp")):
        with col:
            ew.show(core.square(model, corners, steps, method=method), nrow=steps, scale=2,
                    caption=t(f"explore_latent.square_{method}"))
    st.caption(t("explore_latent.square_note"))
    gif = ew.walk_gif(model, corners[[0, 1, 3, 2]].numpy(), steps)  # around the square
    st.download_button(t("explore_latent.gif"), gif, file_name=f"{model.name}_square.gif", mime="image/gif",
                       icon=":material/animated_images:", key="latent_gif")
else:
    st.info(t("explore_latent.pick_count", n=len(picked)))

# -- vector arithmetic -------------------------------------------------------------------------
st.header(t("explore_latent.arith_header"))
st.markdown(t("explore_latent.arith_intro"))
manual, auto = st.tabs([t("explore_latent.tab_manual"), t("explore_latent.tab_auto")])
with manual:
    groups = {}  # one full-width row of numbers per concept: readable from the back of the room
    for name, default in (("a", [0, 1, 2]), ("b", [3, 4, 5]), ("c", [6, 7, 8])):
        groups[name] = st.pills(t(f"explore_latent.group_{name}"), list(range(POOL)), selection_mode="multi",
                                default=default, key=f"latent_group_{name}") or []
    sigma = st.slider(t("explore_latent.sigma"), 0.0, 1.0, 0.3, 0.05, key="latent_sigma")
    short = [t(f"explore_latent.group_{k}") for k, v in groups.items() if len(v) < 3]
    if short:
        st.warning(t("explore_latent.need_three", groups=", ".join(short)))
    else:
        out = core.arithmetic_grid(model, *(z_pool[groups[k]] for k in "abc"), n=9, sigma=sigma, seed=seed)
        show_code(core.arithmetic_grid)
        means, results = st.columns([3, 2])
        with means:
            ew.row_with_captions(out["means"], [t("explore_latent.mean_a"), t("explore_latent.mean_b"),
                                                t("explore_latent.mean_c")], scale=4)
        with results:
            ew.show(out["results"], nrow=3, scale=3, caption=t("explore_latent.result_caption"))
with auto:
    auto_concepts(model, z_pool, pool_images, seed=seed)
