"""Small shared page helpers: a page header and "show the real code" expanders (house style 11)."""

from __future__ import annotations

import inspect
from typing import Any

import streamlit as st

from ui.i18n import t


def page_header(title_key: str, intro_key: str | None = None, **kwargs: object) -> None:
    """``st.title(t(title_key))`` plus an optional intro paragraph ``t(intro_key, **kwargs)``."""
    st.title(t(title_key))
    if intro_key:
        st.markdown(t(intro_key, **kwargs))


def show_code(obj: Any, *, label: str | None = None, expanded: bool = False) -> None:
    """Show the source of a function/class/module that really runs, in a collapsed expander.

    ``label`` must already be translated; the default is ``t("common.show_code", name=...)``.
    """
    name = getattr(obj, "__qualname__", getattr(obj, "__name__", type(obj).__name__))
    try:
        source = inspect.getsource(obj)
    except (OSError, TypeError):
        source = None
    with st.expander(label or t("common.show_code", name=name), expanded=expanded):
        if source is None:
            st.caption(t("common.code_unavailable"))
        else:
            st.code(source, language="python")
