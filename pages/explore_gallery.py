"""Explore / gallery: samples of every pretrained model, its training timeline, a comparison table,
and nearest training images (the model does not copy)."""
from __future__ import annotations

import numpy as np
import streamlit as st

from gan_core import explore as core
from ui import explore_widgets as ew
from ui.i18n import num, t

SEED_KEY = "gallery_seed"


def _new_samples() -> None:
    st.session_state[SEED_KEY] = (int(st.session_state.get(SEED_KEY, 0)) + 1) % (ew.MAX_SEED + 1)


st.title(t("explore_gallery.title"))
st.markdown(t("explore_gallery.intro"))
model = ew.model_picker("gallery_model", prefer=("mnist_dcgan",))
if model is None:
    st.stop()
st.caption(t("explore_gallery.model_caption", family=model.family, data=model.dataset,
             step=model.meta.get("step", 0), z_dim=model.z_dim))

# -- samples -----------------------------------------------------------------------------------
st.header(t("explore_gallery.samples_header"))
left, right = st.columns([3, 1])
with right:
    st.button(t("explore_gallery.new_samples"), icon=":material/casino:", on_click=_new_samples,
              key="gallery_new", width="stretch")
    seed = ew.seed_box(SEED_KEY)
images = core.render(model, core.pool(model, 64, seed=seed))
with right:
    st.download_button(t("explore_gallery.download"), lambda: ew.png(images, nrow=8, scale=4), icon=":material/download:",
                       file_name=f"{model.name}_seed{seed}.png", mime="image/png", key="gallery_download",
                       width="stretch")
with left:
    ew.show(images, nrow=8, scale=3, caption=t("explore_gallery.samples_caption", name=model.name, seed=seed))

# -- timeline ----------------------------------------------------------------------------------
st.header(t("explore_gallery.timeline_header"))
timeline = ew.timeline(model)
if timeline is None:
    st.info(t("explore_gallery.no_timeline"))
else:
    steps, grids = timeline
    chosen = st.select_slider(t("explore_gallery.timeline_step"), options=[int(s) for s in steps],
                              value=int(steps[-1]), key=f"gallery_timeline_{model.name}")
    frame = int(list(steps).index(chosen))
    ew.show(grids[frame], nrow=1, scale=2,
            caption=t("explore_gallery.timeline_caption", step=chosen, last=int(steps[-1])))
    st.caption(t("explore_gallery.timeline_note" if model.is_digits else "explore_gallery.timeline_note_images"))
    decay = float(model.train_config.get("ema_decay") or 0.0)
    if 0.0 < decay < 1.0:  # the shipped G is the weight average, the frames are the trained G
        st.caption(t("explore_gallery.ema_note", decay=decay, window=round(1.0 / (1.0 - decay))))

# -- not copying -------------------------------------------------------------------------------
st.header(t("explore_gallery.nearest_header"))
st.markdown(t("explore_gallery.nearest_intro"))
real = ew.training_images(model)
if real is None:
    st.info(t("explore_gallery.no_training_data"))
else:
    few = images[:6]
    idx, dist = ew.nearest(few, real)
    for col, sample, i, d in zip(st.columns(len(few)), few, idx, dist):
        with col:  # one picture per pair: sample on top, its nearest training image below
            ew.show(np.stack([sample, real[i]]), nrow=1, scale=3,
                    caption=t("explore_gallery.sample") + " / " + t("explore_gallery.nearest", distance=num(d, 0)))
    st.caption(t("explore_gallery.nearest_note", n=len(real)))

# -- comparison table --------------------------------------------------------------------------
st.header(t("explore_gallery.table_header"))
st.dataframe(ew.comparison_frame(), hide_index=True, width="stretch")
st.caption(t("explore_gallery.table_note"))
with st.expander(t("explore_gallery.recipe")):
    st.code(model.meta.get("recipe", ""), language="bash")
