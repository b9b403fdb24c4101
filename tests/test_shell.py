"""The frame app.py draws around every page (ui/shell.py, ui/url_state.py, ui/app_frame.py), under
streamlit.testing: links that set language, settings, hidden controls and projector mode; the
language kept in the address bar; the legacy pages/ guard. The browser side (a fresh server's first
request, what a reader sees) is tests/test_e2e_pages.py."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import url_state
from ui.i18n import catalog

ROOT = Path(__file__).resolve().parent.parent
OBJECTIVES = "pages/learn_objectives.py"  # a light page with sliders and a radio
TRAIN = "pages/train_mnist.py"  # has a preset box (key train_preset)


def open_link(page: str, **params: str) -> AppTest:
    """What a browser opening /<page>?<params> gets (query parameters before the first run)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _html(at) -> str:
    return "\n".join(el.proto.body for el in at.get("html"))


def _link(at) -> dict:
    match = re.search(r"data-link='([^']*)'", _html(at))
    assert match, "no 'copy link to this setup' button"
    import html

    return json.loads(html.unescape(match.group(1)))


def test_a_link_sets_language_settings_and_hidden_controls_ignoring_bad_values():
    at = open_link(OBJECTIVES, lang="zh-TW", ob_mu="1.5", ob_sigma="9", ob_cost_view="dlogit", ob_shift="abc",
                   hide="ob_mu,bad key!")
    assert at.session_state["lang"] == "zh-TW"
    assert at.title[0].value == catalog("zh-TW")["learn_objectives.title"]
    assert at.slider(key="ob_mu").value == 1.5  # valid: applied
    assert at.radio(key="ob_cost_view").value == "dlogit"  # an option, by its id (not its label)
    assert at.slider(key="ob_sigma").value == 0.7  # 9 is outside the slider's 0.2..3.0: ignored
    assert at.slider(key="ob_shift").value == 2.5  # not a number: ignored
    css = _html(at)
    assert ".st-key-ob_mu{display:none" in css.replace(" ", "") and "bad" not in css
    link = _link(at)
    assert "lang=zh-TW" in link["url"] and "ob_mu=1.5" in link["url"] and "ob_cost_view=dlogit" in link["url"]
    assert "ob_sigma" not in link["url"]  # at its default: not in the link
    assert "ob_mu" in link["keys"] and link["hidden"] == ["ob_mu"]


def test_the_link_of_a_setup_reproduces_it():
    at = open_link(OBJECTIVES, lang="en")  # (AppTest's radio looks options up by their English label)
    at.slider(key="ob_shift").set_value(-1.0).run()
    at.radio(key="ob_cost_view").set_value("dlogit").run()
    url = _link(at)["url"]
    params = dict(p.split("=", 1) for p in url.split("?", 1)[1].split("&"))
    again = open_link(OBJECTIVES, **params)
    assert again.slider(key="ob_shift").value == -1.0 and again.radio(key="ob_cost_view").value == "dlogit"
    assert again.session_state["lang"] == "en"


def test_preset_parameter_picks_the_preset_as_if_chosen_by_hand():
    at = open_link(TRAIN, preset="d_fast", train_seed="7")
    assert at.session_state["train_preset"] == "d_fast"
    assert at.session_state["train_lr_d"] == pytest.approx(2e-3)  # what the preset's callback sets
    assert at.session_state["train_seed"] == 7  # another parameter on top of the preset
    unknown = open_link(TRAIN, preset="no_such_preset")
    assert unknown.session_state["train_preset"] == "fast"  # the default preset


def test_language_pick_and_projector_mode_stay_in_the_address_bar():
    at = open_link("pages/home.py")
    assert "lang" not in at.query_params  # the browser's language needs no parameter
    at.sidebar.selectbox(key="_lang_picker").select("pl").run()
    assert at.query_params["lang"] == ["pl"] or at.query_params["lang"] == "pl"
    at.sidebar.toggle(key="_projector").set_value(True).run()
    assert "projector" in at.query_params and "font-size:22px" in _html(at).replace(" ", "")
    at.sidebar.toggle(key="_projector").set_value(False).run()
    assert "projector" not in at.query_params and "font-size:22px" not in _html(at).replace(" ", "")
    reloaded = open_link("pages/home.py", lang="pl", projector="1")  # F5 on that address
    assert reloaded.session_state["lang"] == "pl" and reloaded.session_state["_projector"] is True


def test_presenter_notes_are_in_the_sidebar_when_the_page_has_them():
    at = open_link(OBJECTIVES, lang="pl")
    expanders = [e.label for e in at.sidebar.expander]
    assert catalog("pl")["shell.notes"] in expanders
    notes = next(e for e in at.sidebar.expander if e.label == catalog("pl")["shell.notes"])
    assert notes.markdown[0].value == catalog("pl")["notes.learn_objectives"]


def test_a_legacy_pages_run_restarts_through_the_app_frame():
    """Streamlit's pages/ mode (a fresh server's first request): the guard switches it off and
    reruns, so the page never draws outside app.py's frame."""

    def script():
        import streamlit as st
        from streamlit.runtime.pages_manager import PagesManager

        from ui.app_frame import ensure_app_frame

        st.session_state["runs"] = st.session_state.get("runs", 0) + 1
        if st.session_state["runs"] == 1:
            PagesManager.uses_pages_directory = True  # what a fresh server with pages/ starts in
        ensure_app_frame()
        st.write(f"legacy={PagesManager.uses_pages_directory}")

    at = AppTest.from_function(script, default_timeout=30)
    at.run()
    assert at.session_state["runs"] == 2 and at.markdown[0].value == "legacy=False"


@pytest.mark.parametrize(("raw", "kind", "default", "serde", "expected"), [
    ("true", "bool", False, None, True),
    ("0", "bool", False, None, False),
    ("maybe", "bool", False, None, "invalid"),
    ("0.001", "option", 0.0001, type("S", (), {"options": (0.0001, 0.001)})(), 0.001),
    ("1e-3", "option", 0.0001, type("S", (), {"options": (0.0001, 0.001)})(), "invalid"),
    ("ring", "option", "grid", type("S", (), {"options": ("grid", "ring")})(), "ring"),
    ("4", "number", 1, type("S", (), {"min_value": 1, "max_value": 10})(), 4),
    ("4.5", "number", 1, type("S", (), {"min_value": 1, "max_value": 10})(), "invalid"),
    ("11", "number", 1, type("S", (), {"min_value": 1, "max_value": 10})(), "invalid"),
    ("nan", "number", 0.5, type("S", (), {"min_value": None, "max_value": None})(), "invalid"),
    ("-2.5", "number", 0.5, type("S", (), {"min_value": -3.0, "max_value": None})(), -2.5),
])
def test_decode_accepts_only_what_the_widget_can_take(raw, kind, default, serde, expected):
    setting = url_state.Setting("k", default, default, kind, serde)
    value = url_state.decode(raw, setting)
    assert (value is url_state._INVALID) if expected == "invalid" else (value == expected and type(value) is type(expected))
    if expected != "invalid":
        assert url_state.decode(url_state.encode(value), setting) == value  # encode is decode's inverse
