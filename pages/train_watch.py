"""Train / watch the class run: the run the lecturer shared, live and read-only, for every student."""
from __future__ import annotations

import streamlit as st

from ui import train_watch as W
from ui.i18n import t
from ui.layout import page_header

page_header("train_watch.title", "train_watch.intro")
W.code_from_link()
W.code_picker()
run = W.shared_run()
if run is None:
    if st.session_state.get(W.CODE_KEY):
        st.warning(t("train_watch.unknown_code", code=str(st.session_state[W.CODE_KEY]).upper()))
    else:
        st.info(t("train_watch.no_code"))
    st.stop()
if st.button(t("train_watch.fork"), key="watch_fork", icon=":material/fork_right:", help=t("train_watch.fork_help"),
             on_click=W.fork, args=(run,)):
    st.switch_page("pages/train_mnist.py")
W.live(run)
