"""Society / DeepFake awareness: how a swap is made (a working autoencoder on digits), spot the fake
(human vs machine, published baselines, machine advice that is sometimes wrong), a detector tested on
generators it never saw (AP vs accuracy at a threshold), the course's figures, and responsibility.

Thin page: the maths lives in gan_core (swap_step, swap_eval, detector_step, detection, spot_the_fake,
deepfake_facts); the sections in ui/deepfake_*.py.
"""
from __future__ import annotations

import streamlit as st

from ui.deepfake_detector import section_detector
from ui.deepfake_facts import section_facts, section_responsibility
from ui.deepfake_game import section_advice, section_game
from ui.deepfake_swap import section_swap
from ui.i18n import t

NS = "society_deepfakes"

st.title(t(f"{NS}.title"))
st.markdown(t(f"{NS}.intro"))
swap_tab, game_tab, detector_tab, facts_tab, resp_tab = st.tabs(
    [t(f"{NS}.tab_swap"), t(f"{NS}.tab_game"), t(f"{NS}.tab_detector"), t(f"{NS}.tab_facts"), t(f"{NS}.tab_resp")])
# each section is a fragment: a click in the game reruns the game, not the swap demo or the detector table
with swap_tab:
    st.fragment(section_swap)()
with game_tab:
    st.fragment(section_game)()
    st.fragment(section_advice)()
with detector_tab:
    st.fragment(section_detector)()
with facts_tab:
    st.fragment(section_facts)()
with resp_tab:
    section_responsibility()
