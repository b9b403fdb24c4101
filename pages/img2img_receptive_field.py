"""Image-to-image / receptive fields: how much of the picture one output cell of a discriminator judges.

Thin page: the maths lives in gan_core.receptive_field (formula, table, from a module, measured) and
gan_core.receptive_field_lesson (table checks, backward walk, presets' real modules); figures in
ui/receptive_field_plots. The checkerboard lesson is its own page (pages/img2img_checkerboard.py).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from gan_core import receptive_field as rf
from gan_core import receptive_field_lesson as lesson
from ui import receptive_field_plots as plots
from ui.i18n import pct, t
from ui.layout import show_code

NS = "img2img_rf"
CFG = {"displaylogo": False}
PRESET_KEY, SIZE_KEY, TABLE_KEY, ROWS_KEY = "rf_preset", "rf_input_size", "rf_table", "rf_rows"
ROW_KEY, COL_KEY = "rf_cell_row", "rf_cell_col"
QUIZ_GUESS, QUIZ_SHOWN = "rf_quiz_guess", "rf_quiz_shown"
PRESET_ORDER = ("dcgan_d_28", "course_1", "course_2", "course_3", "course_4", "course_5", "pix2pix_n0",
                "pix2pix_n1", "pix2pix_n3", "pix2pix_n5", "pix2pix_nlayer0", "conv4_stride2", "conv3_pool2")
COVERAGE_SIZE = 24  # side of the coverage heatmap (numbers still readable in every cell)


def _load_preset() -> None:
    name = st.session_state[PRESET_KEY]
    st.session_state[ROWS_KEY] = lesson.rows_of(lesson.lesson_presets()[name])
    st.session_state[SIZE_KEY] = lesson.default_input_size(name)
    st.session_state.pop(TABLE_KEY, None)  # the editor's edits belonged to the old table


def _init_state() -> None:
    if st.session_state.get(PRESET_KEY) not in PRESET_ORDER:
        st.session_state[PRESET_KEY] = PRESET_ORDER[0]
        _load_preset()
    if ROWS_KEY not in st.session_state:
        _load_preset()


@st.cache_resource(show_spinner=False)
def _examples() -> dict[str, np.ndarray]:
    """An MNIST digit (28, 28) and, when installed, a photo (H, W, 3): read once per process."""
    from gan_core.data import load_dataset
    from gan_core.data.photos import example_photos, load_photo

    data = load_dataset("mnist")
    out = {"digit": np.asarray(data.images[int(np.flatnonzero(data.labels == 3)[0])])}
    photos = example_photos()
    if photos:
        out["photo"] = load_photo(photos[0], max_side=512)
    return out


@st.cache_data(show_spinner=False, max_entries=64)
def _example(kind: str, size: int) -> np.ndarray:
    ex = _examples()
    return lesson.example_image(kind, size, digit=ex["digit"], photo=ex.get("photo"))


@st.cache_data(show_spinner=False, max_entries=128)
def _agreement(preset: str, layers: tuple[rf.Layer, ...], size: int, cell: tuple[int, int]):
    module, source = lesson.real_module(preset, layers, input_size=size)
    return lesson.three_ways(layers, module, input_size=size, cell=cell), source


def _table_message(err: lesson.TableError) -> str:
    field = t(f"{NS}.col_{err.field}") if err.field else ""
    return t(f"{NS}.err_{err.code}", row=err.row, field=field, value=str(err.value), low=err.low, high=err.high)


def section_quiz() -> None:
    st.header(t(f"{NS}.quiz_header"))
    guess = st.number_input(t(f"{NS}.quiz_question"), min_value=1, max_value=10_000, value=None, step=1,
                            key=QUIZ_GUESS, placeholder=t(f"{NS}.quiz_placeholder"),
                            on_change=lambda: st.session_state.pop(QUIZ_SHOWN, None))  # a new guess: hide
    if st.button(t(f"{NS}.quiz_reveal"), key="rf_quiz_reveal", disabled=guess is None,
                 help=t(f"{NS}.quiz_reveal_help")):
        st.session_state[QUIZ_SHOWN] = True
    if not st.session_state.get(QUIZ_SHOWN) or guess is None:
        return
    answer = rf.receptive_field(lesson.QUIZ_LAYERS)
    verdict = "quiz_right" if int(guess) == answer else "quiz_wrong"
    (st.success if verdict == "quiz_right" else st.warning)(t(f"{NS}.{verdict}", guess=int(guess), answer=answer))
    rows = rf.table(lesson.QUIZ_LAYERS)
    st.markdown(t(f"{NS}.quiz_explain", r1=rows[0].rf, r2=rows[1].rf, r3=rows[2].rf))


def section_calculator() -> tuple[tuple[rf.Layer, ...], int] | None:
    """Preset, input size and the editable table; returns (layers, input size) or None (message shown)."""
    st.header(t(f"{NS}.calc_header"))
    st.markdown(t(f"{NS}.calc_intro"))
    left, right = st.columns([3, 1])
    names = {name: t(f"{NS}.preset_{name}") for name in PRESET_ORDER}  # a dict: labels fixed at run time
    left.selectbox(t(f"{NS}.preset"), PRESET_ORDER, key=PRESET_KEY, on_change=_load_preset,
                   format_func=names.__getitem__)
    size = int(right.number_input(t(f"{NS}.input_size"), min_value=lesson.INPUT_SIZES[0],
                                  max_value=lesson.INPUT_SIZES[1], step=1, key=SIZE_KEY,
                                  help=t(f"{NS}.input_size_help")))
    columns = {
        "kind": st.column_config.SelectboxColumn(t(f"{NS}.col_kind"), options=rf.KINDS, required=True,
                                                 default="conv", format_func={k: t(f"{NS}.kind_{k}") for k in rf.KINDS}.get),
        **{f: st.column_config.NumberColumn(t(f"{NS}.col_{f}"), min_value=lo, max_value=hi, step=1,
                                            default=1 if f != "padding" else 0, help=t(f"{NS}.help_{f}"))
           for f, (lo, hi) in rf.LIMITS.items()},
    }
    base = pd.DataFrame(st.session_state[ROWS_KEY], columns=list(lesson.FIELDS))
    edited = st.data_editor(base, key=TABLE_KEY, num_rows="dynamic", hide_index=True, column_config=columns,
                            width="stretch")
    st.caption(t(f"{NS}.table_hint"))
    try:
        layers = lesson.layers_from_rows(edited.to_dict("records"))
        lesson.check_input_size(layers, size)
    except lesson.TableError as err:
        st.error(_table_message(err), icon=":material/error:")
        return None
    return layers, size


def section_results(layers: tuple[rf.Layer, ...], size: int, preset: str) -> None:
    rows = rf.table(layers, size)
    last = rows[-1]
    if layers == lesson.lesson_presets()[preset]:
        note = "note_course" if preset.startswith("course_") else f"note_{preset}"
        st.info(t(f"{NS}.{note}"), icon=":material/lightbulb:")
    c1, c2, c3 = st.columns(3)
    c1.metric(t(f"{NS}.metric_rf"), f"{last.rf} × {last.rf}", help=t(f"{NS}.metric_rf_help"))
    c2.metric(t(f"{NS}.metric_jump"), str(last.jump), help=t(f"{NS}.metric_jump_help"))
    c3.metric(t(f"{NS}.metric_map"), f"{last.out_size} × {last.out_size}")
    frame = pd.DataFrame([{"#": r.index, t(f"{NS}.col_kind"): t(f"{NS}.kind_{r.layer.kind}"),
                           "k": r.layer.kernel, "s": r.layer.stride, "p": r.layer.padding, "d": r.layer.dilation,
                           t(f"{NS}.col_rf"): r.rf, t(f"{NS}.col_jump"): r.jump, t(f"{NS}.col_out"): r.out_size}
                          for r in rows])
    st.dataframe(frame, hide_index=True, width="stretch")

    st.subheader(t(f"{NS}.formula_header"))
    st.markdown(t(f"{NS}.formula_intro"))
    st.latex(r"r_{\ell} = d_\ell\,(k_\ell - 1) + 1 + (r_{\ell+1} - 1)\,s_\ell,\qquad r_{L+1} = 1,"
             r"\qquad j = s_1\, s_2 \cdots s_L")
    walk = lesson.backward_walk(layers)
    lines = [rf"r_{{{len(layers) + 1}}} &= 1"] + [
        rf"r_{{{w.index}}} &= {w.k_eff} + ({w.r_out} - 1) \cdot {w.stride} = {w.r_in}" for w in walk]
    st.latex(r"\begin{aligned}" + r"\\".join(lines) + r"\end{aligned}")
    guess = lesson.same_layer_guess(layers)
    if guess != last.rf:
        st.warning(t(f"{NS}.slip", guess=guess, true=last.rf, k=layers[0].k_eff, s=layers[0].stride),
                   icon=":material/help:")
        with st.expander(t(f"{NS}.slip_answer_label")):
            st.markdown(t(f"{NS}.slip_answer", guess=guess, true=last.rf))


def section_overlay(layers: tuple[rf.Layer, ...], size: int, preset: str) -> None:
    st.header(t(f"{NS}.overlay_header"))
    st.markdown(t(f"{NS}.overlay_intro"))
    h = rf.table(layers, size)[-1].out_size
    kinds = ["digit", "photo"] if "photo" in _examples() else ["digit"]
    left, right = st.columns([1, 2])
    with left:
        labels = {k: t(f"{NS}.example_{k}") for k in kinds}
        kind = st.radio(t(f"{NS}.example"), kinds, key="rf_example", format_func=labels.__getitem__, horizontal=True)
        cell = [0, 0]
        for i, key in enumerate((ROW_KEY, COL_KEY)):
            if not isinstance(st.session_state.get(key), int) or not 0 <= st.session_state[key] < h:
                st.session_state[key] = h // 2  # a new table: start at the centre cell
            if h > 1:
                cell[i] = st.slider(t(f"{NS}.cell_{'row' if i == 0 else 'col'}"), 0, h - 1, key=key)
        if h == 1:
            st.caption(t(f"{NS}.one_cell"))
    row, col = cell
    box = rf.patch_bounds(layers, row, col, input_size=size)
    full = rf.patch_bounds(layers, row, col)
    side = rf.receptive_field(layers)
    inside = (box[2] - box[0] + 1) * (box[3] - box[1] + 1)
    with left:
        st.metric(t(f"{NS}.metric_share"), pct(inside / size**2, 1), help=t(f"{NS}.metric_share_help"))
        if inside == size * size:
            st.warning(t(f"{NS}.whole_image"), icon=":material/fullscreen:")
        elif side * side > inside:
            st.caption(t(f"{NS}.padding_note", outside=side * side - inside))
    with right:
        fig = plots.overlay_figure(_example(kind, size), box, full,
                                   title=t(f"{NS}.overlay_title", row=row, col=col, side=side),
                                   x_title=t(f"{NS}.axis_x_px"), y_title=t(f"{NS}.axis_y_px"))
        st.plotly_chart(fig, key="rf_overlay_fig", config=CFG)

    st.subheader(t(f"{NS}.three_header"))
    st.markdown(t(f"{NS}.three_intro"))
    if lesson.probe_macs(layers, input_size=size) > lesson.MAX_PROBE_MACS:
        st.info(t(f"{NS}.too_big_to_measure"), icon=":material/hourglass_disabled:")
        return
    agreement, source = _agreement(preset, layers, size, (row, col))
    st.caption(t(f"{NS}.source_{source}"))
    boxes = {"analytic": agreement.analytic, "module": agreement.from_module, "measured": agreement.measured}
    st.dataframe(pd.DataFrame([{t(f"{NS}.col_method"): t(f"{NS}.method_{name}"), t(f"{NS}.col_top"): b[0],
                                t(f"{NS}.col_left"): b[1], t(f"{NS}.col_bottom"): b[2], t(f"{NS}.col_right"): b[3],
                                t(f"{NS}.col_height"): b[2] - b[0] + 1} for name, b in boxes.items()]),
                 hide_index=True, width="stretch")
    if agreement.agree:
        st.success(t(f"{NS}.agree"), icon=":material/check_circle:")
    else:
        st.error(t(f"{NS}.disagree"), icon=":material/report:")


def section_remarks() -> None:
    st.header(t(f"{NS}.remarks_header"))
    st.subheader(t(f"{NS}.remark1_header"))
    st.markdown(t(f"{NS}.remark1"))
    presets = lesson.lesson_presets()
    for col, name in zip(st.columns(2), ("conv4_stride2", "conv3_pool2")):
        col.markdown(f"**{t(f'{NS}.preset_{name}')}**")
        col.dataframe(pd.DataFrame([{"#": r.index, t(f"{NS}.col_kind"): t(f"{NS}.kind_{r.layer.kind}"),
                                     "k": r.layer.kernel, "s": r.layer.stride, t(f"{NS}.col_rf"): r.rf,
                                     t(f"{NS}.col_jump"): r.jump, t(f"{NS}.col_out"): r.out_size}
                                    for r in rf.table(presets[name], 28)]), hide_index=True, width="stretch")
    st.caption(t(f"{NS}.remark1_after"))

    st.subheader(t(f"{NS}.remark2_header"))
    st.markdown(t(f"{NS}.remark2", size=COVERAGE_SIZE))
    left, right = st.columns([1, 2])
    k = int(left.slider(t(f"{NS}.cov_kernel"), 1, 8, 4, key="rf_cov_k"))
    s = int(left.slider(t(f"{NS}.cov_stride"), 1, 4, 3, key="rf_cov_s"))
    counts = rf.coverage_counts(COVERAGE_SIZE, kernel=k, stride=s)
    summary = lesson.coverage_summary(counts, margin=k + s - 1)
    verdict = "cov_gaps" if 0 in summary else ("cov_even" if len(summary) == 1 else "cov_uneven")
    left.markdown(t(f"{NS}.{verdict}", k=k, s=s))
    left.dataframe(pd.DataFrame([{t(f"{NS}.col_times"): times, t(f"{NS}.col_pixels"): n}
                                 for times, n in summary.items()]), hide_index=True)
    with right:
        st.plotly_chart(plots.count_heatmap(counts, title=t(f"{NS}.cov_title", k=k, s=s),
                                            x_title=t(f"{NS}.axis_x_px"), y_title=t(f"{NS}.axis_y_px"),
                                            colorbar=t(f"{NS}.cov_colorbar")), key="rf_cov_fig", config=CFG)


st.title(t(f"{NS}.title"))
st.markdown(t(f"{NS}.intro"))
_init_state()
section_quiz()
calc = section_calculator()
if calc is not None:
    section_results(*calc, st.session_state[PRESET_KEY])
    section_overlay(*calc, st.session_state[PRESET_KEY])
section_remarks()
st.header(t(f"{NS}.code_header"))
show_code(rf.receptive_field)
show_code(rf.table)
show_code(rf.measure_receptive_field)
