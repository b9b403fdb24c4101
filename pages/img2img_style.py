"""Image-to-image / Style studio: CycleGAN turns a photo into a cartoon and back, and a cartoon into a
photo and back; identity loss on/off, the cycle loss as a predict-then-reveal, a failure gallery.

Thin page: translation and measurements in gan_core.style, Streamlit helpers in ui.style_widgets;
every upload passes gan_core.data.image_io before any model sees it.
"""
from __future__ import annotations

import streamlit as st

from gan_core import style
from gan_core.classroom import limits
from gan_core.training.cyclegan_step import CycleGANTrainer
from ui import style_widgets as sw
from ui.i18n import fmt, t
from ui.layout import show_code

NS = sw.NS
SOURCE_KEY, EXAMPLE_KEY, UPLOAD_KEY, KIND_KEY = "style_source", "style_example", "style_upload", "style_kind"
QUIZ_KEY, QUIZ_SHOWN = "style_quiz", "style_quiz_shown"
QUIZ_RIGHT = 1  # "any cartoon-looking picture: nothing ties it to the photo"
DARKEN = 0.5  # the failure gallery's darker copy: half the light


def section_metrics(model: sw.Translator) -> None:
    """The checkpoint's own evaluation (held-out photos for the built-in model)."""
    m = model.meta.get("metrics", {})
    cols = st.columns(3)
    cols[0].metric(t(f"{NS}.m_cycle"), sw.metric_value(m, "cycle_err"), help=t(f"{NS}.m_cycle_help"))
    cols[1].metric(t(f"{NS}.m_cartoon"), sw.metric_value(m, "cartoon_err"),
                   help=t(f"{NS}.m_cartoon_help", base=sw.metric_value(m, "cartoon_err_unchanged")))
    cols[2].metric(t(f"{NS}.m_steps"), fmt(int(model.meta.get("step", 0)), ","),
                   help=t(f"{NS}.m_steps_help", minutes=float(m.get("train_seconds", 0.0)) / 60))


def section_input() -> tuple[sw.Translator | None, tuple[object, str] | None]:
    """One row: model | source | example or upload. Returns the model and (picture uint8 (H, W, 3),
    long side <= 512, its kind) or None; a bad upload gets its translated message here."""
    c_model, c_source, c_pick = st.columns([1.2, 1, 1.6])
    with c_model:
        model = sw.picker("style_model")
    source = c_source.radio(t(f"{NS}.source"), ("example", "upload"), key=SOURCE_KEY,
                            format_func=lambda s: t(f"{NS}.src_{s}"))
    if source == "example":
        photos = sw.examples()
        if not photos:
            st.warning(t(f"{NS}.no_examples", packages="scikit-image, scikit-learn, Debian mate-backgrounds"))
            return model, None
        name = c_pick.selectbox(t(f"{NS}.example"), list(photos), key=EXAMPLE_KEY)
        return model, (photos[name], "photo")
    upload = c_pick.file_uploader(t(f"{NS}.upload"), type=list(sw.UPLOAD_TYPES), key=UPLOAD_KEY,
                                  help=t(f"{NS}.upload_help", mb=limits().upload_mb))
    kind = c_pick.radio(t(f"{NS}.kind"), ("photo", "cartoon"), key=KIND_KEY, horizontal=True,
                        format_func=lambda k: t(f"{NS}.kind_{k}"))
    if upload is None:
        st.info(t(f"{NS}.upload_prompt"))
        return model, None
    loaded = sw.read_upload(upload)  # translated message for every bad file; None then
    return model, ((loaded.pixels, kind) if loaded is not None else None)


def section_results(model: sw.Translator, picture, kind: str) -> None:
    photo_first = kind == "photo"
    if photo_first:
        st.header(t(f"{NS}.ab_header"))
        trip, seconds = sw.round_trip(model, picture, forward=True)
        sw.show_round_trip(trip, labels=(t(f"{NS}.lbl_photo"), t(f"{NS}.lbl_cartoon_g"), t(f"{NS}.lbl_back_a")),
                           key="style_dl_ab", file_name="cartoon.png")
        st.caption(t(f"{NS}.timing", seconds=seconds))
        cartoon = sw.cartoon_of(picture)
        st.header(t(f"{NS}.ba_header"))
        st.markdown(t(f"{NS}.ba_intro_filter", err=style.mae(trip.translated, cartoon),
                      base=style.mae(picture, cartoon)))
    else:
        cartoon = picture
        st.header(t(f"{NS}.ba_header"))
        st.markdown(t(f"{NS}.ba_intro_uploaded"))
    back, seconds = sw.round_trip(model, cartoon, forward=False)
    sw.show_round_trip(back, labels=(t(f"{NS}.lbl_cartoon_y"), t(f"{NS}.lbl_photo_f"), t(f"{NS}.lbl_back_b")),
                       key="style_dl_ba", file_name="photo.png")
    if photo_first:
        st.caption(t(f"{NS}.ba_vs_photo", err=style.mae(back.translated, picture)))
    else:
        st.caption(t(f"{NS}.timing", seconds=seconds))


def section_how() -> None:
    st.header(t(f"{NS}.how_header"))
    st.markdown(t(f"{NS}.how_steps"))
    st.markdown(t(f"{NS}.how_relatives"))
    show_code(CycleGANTrainer.step)


def _variant(role: str) -> sw.Translator | None:
    info = style.variants(sw.infos()).get(role)
    return sw.load(info) if info is not None else None


def section_identity(picture) -> None:
    st.header(t(f"{NS}.id_header"))
    st.markdown(t(f"{NS}.id_intro"))
    on, off = _variant("identity_on"), _variant("identity_off")
    if on is None or off is None:
        st.info(t(f"{NS}.id_missing"))
        return
    cols = st.columns(3)
    cols[0].image(sw.png(picture), caption=t(f"{NS}.lbl_photo"), width="stretch")
    for col, model, label in ((cols[1], on, "lbl_id_on"), (cols[2], off, "lbl_id_off")):
        trip, _ = sw.round_trip(model, picture, forward=True)
        col.image(sw.png(trip.translated), width="stretch",
                  caption=t(f"{NS}.{label}", shift=style.colour_shift(picture, trip.translated), error=trip.error))
    st.caption(t(f"{NS}.id_note", name_on=on.name, name_off=off.name))


def section_quiz(picture) -> None:
    st.header(t(f"{NS}.quiz_header"))
    st.markdown(t(f"{NS}.quiz_intro"))
    choice = st.radio(t(f"{NS}.quiz_question"), (0, 1, 2), index=None, key=QUIZ_KEY,
                      format_func=lambda i: t(f"{NS}.quiz_a{i}"),
                      on_change=lambda: st.session_state.pop(QUIZ_SHOWN, None))
    if st.button(t(f"{NS}.reveal"), key="style_reveal", disabled=choice is None):
        st.session_state[QUIZ_SHOWN] = True
    if not st.session_state.get(QUIZ_SHOWN) or choice is None:
        return
    right = choice == QUIZ_RIGHT
    (st.success if right else st.warning)(t(f"{NS}.quiz_right") if right else t(f"{NS}.quiz_wrong"))
    free, tied = _variant("cycle_off"), _variant("identity_on")
    if free is None:
        st.info(t(f"{NS}.quiz_missing"))
        return
    trip, _ = sw.round_trip(free, picture, forward=True)
    sw.show_round_trip(trip, labels=(t(f"{NS}.lbl_photo"), t(f"{NS}.lbl_free_g"), t(f"{NS}.lbl_free_back")),
                       key="style_dl_free", file_name="no_cycle.png")
    tied_err = sw.round_trip(tied, picture, forward=True)[0].error if tied is not None else float("nan")
    st.markdown(t(f"{NS}.quiz_explain", free=trip.error, tied=tied_err, name=free.name))


def section_failures(model: sw.Translator, picture) -> None:
    st.header(t(f"{NS}.fail_header"))
    st.subheader(t(f"{NS}.fail_dark_title"))
    dark = style.darken(picture, DARKEN)
    trip, _ = sw.round_trip(model, dark, forward=True)
    bright, _ = sw.round_trip(model, picture, forward=True)
    sw.show_round_trip(trip, labels=(t(f"{NS}.lbl_dark"), t(f"{NS}.lbl_cartoon_g"), t(f"{NS}.lbl_back_a")),
                       key="style_dl_dark", file_name="dark_cartoon.png")
    st.markdown(t(f"{NS}.fail_dark_body", same=style.mae(trip.translated, bright.translated),
                  error=trip.error, bright_error=bright.error, factor=DARKEN))
    st.subheader(t(f"{NS}.fail_colour_title"))
    flips = sw.colour_flips()
    if flips is None:
        st.info(t(f"{NS}.id_missing"))
    else:
        title, photo, on_cartoon, off_cartoon = flips
        cols = st.columns(3)
        cols[0].image(sw.png(photo), caption=title, width="stretch")
        cols[1].image(sw.png(on_cartoon), width="stretch",
                      caption=t(f"{NS}.lbl_shift_on", shift=style.colour_shift(photo, on_cartoon)))
        cols[2].image(sw.png(off_cartoon), width="stretch",
                      caption=t(f"{NS}.lbl_shift_off", shift=style.colour_shift(photo, off_cartoon)))
        st.markdown(t(f"{NS}.fail_colour_body"))
    st.subheader(t(f"{NS}.fail_shape_title"))
    st.markdown(t(f"{NS}.fail_shape_body", field=sw.receptive_field(model)))


def section_own_folders() -> None:
    st.header(t(f"{NS}.own_header"))
    st.markdown(t(f"{NS}.own_body"))
    st.code("python -m gan_core train --family cyclegan --domain-a ~/pictures/summer \\\n"
            "    --domain-b ~/pictures/winter --steps 3000 --out runs/summer_winter\n"
            "python -m gan_core train --family cyclegan ... --out runs/summer_winter --resume",
            language="bash")


st.title(t(f"{NS}.title"))
st.markdown(t(f"{NS}.intro"))
translator, chosen = section_input()
if translator is not None and chosen is not None:
    section_results(translator, *chosen)
if translator is not None:
    section_metrics(translator)
section_how()
if translator is not None and chosen is not None and chosen[1] == "photo":  # these start from a photo
    section_identity(chosen[0])
    section_quiz(chosen[0])
    section_failures(translator, chosen[0])
section_own_folders()
