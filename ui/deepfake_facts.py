"""The deepfake page's facts (predict, then reveal; charts; the notes checked against their source) and
its short responsibility section. Numbers come from ``gan_core.deepfake_facts`` with their sources."""
from __future__ import annotations

import math

import streamlit as st

from gan_core.deepfake_facts import SOURCES, TARGET_SECTORS_2020, fact
from ui import deepfake_data as dd
from ui.i18n import fmt, num, pct, t

NS = "society_deepfakes"
GUESS_KEY, GUESS_SHOWN = "df_guess_porn", "df_guess_porn_shown"
DOUBLE_KEY, DOUBLE_SHOWN = "df_guess_double", "df_guess_double_shown"
DOUBLING_OPTIONS = (3, 6, 12, 24)  # months
COUNTS = (("deepfakes_dec_2018", 0.0), ("deepfakes_2019", 7.0), ("deepfakes_jun_2020", 18.0))  # months after Dec 2018
CAVEATS = ("doubling_months", "deepfakes_2019", "target_entertainment_2020", "target_three_sectors_stated_2020")


def _reveal_button(key: str, shown_key: str, *, disabled: bool) -> bool:
    if st.button(t(f"{NS}.reveal"), key=key, disabled=disabled and not st.session_state.get(shown_key)):
        st.session_state[shown_key] = True
    return bool(st.session_state.get(shown_key))


def _share_chart(share: float, guess: float) -> dict:
    values = [{"what": t(f"{NS}.porn_label"), "share": share}, {"what": t(f"{NS}.other_label"), "share": 100 - share}]
    return {
        "layer": [
            {"data": {"values": values}, "mark": {"type": "bar"},
             "encoding": {"x": {"field": "share", "type": "quantitative", "stack": "zero",
                                "title": t(f"{NS}.chart_share"), "scale": {"domain": [0, 100]}},
                          "color": {"field": "what", "type": "nominal", "title": None,
                                    "scale": {"range": ["#dc2626", "#94a3b8"]}}}},
            {"data": {"values": [{"guess": guess, "label": t(f"{NS}.your_guess_label")}]},
             "mark": {"type": "rule", "strokeWidth": 3, "color": "#1d4ed8"},
             "encoding": {"x": {"field": "guess", "type": "quantitative"}}},
        ],
        "height": 60,
    }


def _growth_chart() -> dict:
    start = fact("deepfakes_dec_2018").value
    measured = [{"month": m, "count": fact(k).value, "when": fact(k).describes, "kind": t(f"{NS}.growth_measured")}
                for k, m in COUNTS]
    doubling = [{"month": m, "count": round(start * 2 ** (m / 6.0)), "kind": t(f"{NS}.growth_doubling")}
                for m in range(0, 19, 3)]
    return {
        "layer": [
            {"data": {"values": doubling}, "mark": {"type": "line", "strokeDash": [6, 4]},
             "encoding": {"x": {"field": "month", "type": "quantitative", "title": t(f"{NS}.chart_months")},
                          "y": {"field": "count", "type": "quantitative", "scale": {"type": "log"},
                                "title": t(f"{NS}.chart_count")},
                          "color": {"field": "kind", "type": "nominal", "title": None}}},
            {"data": {"values": measured}, "mark": {"type": "line", "point": {"size": 90}, "strokeWidth": 3},
             "encoding": {"x": {"field": "month", "type": "quantitative"},
                          "y": {"field": "count", "type": "quantitative"},
                          "color": {"field": "kind", "type": "nominal", "title": None},
                          "tooltip": [{"field": "when"}, {"field": "count", "format": ","}]}},
        ],
        "height": 300,
    }


def _sector_chart() -> dict:
    values = [{"sector": t(f"{NS}.sector_{k}"), "share": v} for k, v in TARGET_SECTORS_2020.items()]
    return {
        "data": {"values": values},
        "mark": {"type": "bar", "cornerRadiusEnd": 3},
        "encoding": {"y": {"field": "sector", "type": "nominal", "sort": None, "title": None},
                     "x": {"field": "share", "type": "quantitative", "title": t(f"{NS}.chart_share")}},
        "height": {"step": 32},
    }


def section_facts() -> None:
    st.subheader(t(f"{NS}.facts_header"))
    st.markdown(t(f"{NS}.facts_intro"))
    porn = fact("porn_share_2019")
    st.markdown("#### " + t(f"{NS}.q_porn"))
    guess = int(st.slider(t(f"{NS}.your_guess"), 0, 100, 50, 1, key=GUESS_KEY, format="%d%%"))
    if _reveal_button("df_reveal_porn", GUESS_SHOWN, disabled=False):
        st.metric(t(f"{NS}.porn_answer"), pct(porn.value / 100), delta=t(f"{NS}.guess_off", d=guess - porn.value),
                  delta_color="off")
        st.vega_lite_chart(_share_chart(porn.value, guess), width="stretch")
        st.caption(t(f"{NS}.porn_source", n=int(fact("deepfakes_2019").value)))

    st.markdown("#### " + t(f"{NS}.q_double"))
    names = {m: t(f"{NS}.months", n=m) for m in DOUBLING_OPTIONS}
    choice = dd.choice(st.radio, t(f"{NS}.your_prediction"), list(DOUBLING_OPTIONS), key=DOUBLE_KEY, names=names,
                       index=None, horizontal=True)
    if _reveal_button("df_reveal_double", DOUBLE_SHOWN, disabled=choice is None):
        months = fact("doubling_months").value
        verdict = "right" if choice == months else "other"
        st.markdown(t(f"{NS}.double_answer_{verdict}", n=int(months)))
        st.vega_lite_chart(_growth_chart(), width="stretch")
        growth = fact("deepfakes_jun_2020").value / fact("deepfakes_dec_2018").value
        st.caption(t(f"{NS}.growth_caption", x=num(growth, 1), m=num(18 / math.log2(growth), 1)))

    st.markdown("#### " + t(f"{NS}.sectors_header"))
    st.vega_lite_chart(_sector_chart(), width="stretch")
    st.caption(t(f"{NS}.sectors_caption", total=num(fact("target_three_sectors_stated_2020").value, 1),
                 other=num(TARGET_SECTORS_2020["other"], 1)))

    st.markdown("#### " + t(f"{NS}.check_header"))
    st.markdown(t(f"{NS}.check_intro"))
    for k, key in enumerate(CAVEATS, start=1):
        st.markdown(t(f"{NS}.check_q_{key}", k=k))
        with st.expander(t(f"{NS}.check_answer")):
            st.markdown(t(f"{NS}.check_a_{key}"))
    with st.expander(t(f"{NS}.sources_header")):
        for key in ("technews2020", "deeptrace2019", "sensity2020", "nightingale2022", "wang2020"):
            s = SOURCES[key]
            link = f" — {s.url}" if s.url else ""
            st.markdown(t(f"{NS}.source_line", title=s.title, publisher=s.publisher, date=s.date, link=link))
        st.caption(t(f"{NS}.source_cited", year=fmt(2020, "d")))


def section_responsibility() -> None:
    st.subheader(t(f"{NS}.resp_header"))
    st.info(t(f"{NS}.resp_learning"), icon=":material/school:")
    for key in ("harms", "checks", "provenance", "law"):
        st.markdown("#### " + t(f"{NS}.resp_{key}_header"))
        st.markdown(t(f"{NS}.resp_{key}"))
