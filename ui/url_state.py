"""A page's setup in its URL, as TensorFlow Playground does: ``/learn_playground?lang=pl&pg_lr_d=0.01``.

Every page gets this without code of its own. After a page has drawn, app.py asks which keyed
widgets it drew (``rendered``): selectboxes, radios, sliders, select-sliders, number inputs,
checkboxes and toggles are *settings*. A link carries each setting whose value differs from the
widget's declared default, written language-independently (the option itself, ``ring_fast_d`` or
``0.001``, never its translated label), so one link works in every language.

Opening a link: the first run draws the page as usual (that is when the widgets' options and
bounds become known), ``from_url`` checks every parameter against them (an unknown option, a value
outside a slider's range or a wrong type is ignored, never an exception box), and the next run
applies them before the widgets are drawn (``apply_pending``), as if a student had set them.

Reserved parameters: ``lang`` (the language), ``projector`` (projector mode), ``hide`` (comma-
separated widget keys whose controls are hidden, ``ui.shell``), ``preset`` (picks the page's
preset box: the one setting whose key ends in ``preset``; its on_change callback runs, as when a
student picks it by hand, and any other parameter then overrides what the preset set).

Streamlit keeps widget metadata in private structures; everything that reads them is in this
file, and ``tests/test_url_state.py`` fails if a Streamlit upgrade moves them.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

RESERVED = frozenset({"lang", "projector", "hide", "preset"})
PRESET_SUFFIX = "preset"
KEY_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,63}")  # keys a URL may name (CSS-safe)
PENDING_KEY = "_url_pending"  # [(key, value, callback | None)] applied before the next page run
APPLIED_KEY = "_url_applied"  # (page, query) pairs already applied in this session
# Streamlit serde classes of the widgets that are settings (buttons, uploaders, text boxes are not)
_OPTION_SERDES = {"SelectboxSerde", "RadioSerde", "SelectSliderSerde"}
_NUMBER_SERDES = {"SliderSerde", "NumberInputSerde"}
_BOOL_SERDES = {"CheckboxSerde"}
_INVALID = object()


@dataclass(frozen=True)
class Setting:
    """One keyed setting widget drawn in this run."""

    key: str
    value: Any
    default: Any
    kind: str  # "option" | "number" | "bool"
    serde: Any = None  # Streamlit's serde object: options / bounds for validating URL values
    callback: Callable[..., None] | None = None

    @property
    def changed(self) -> bool:
        return self.value != self.default


def encode(value: Any) -> str:
    """A value as a URL parameter: ``True`` -> "true", ``0.0002`` -> "0.0002", ``"ring"`` -> "ring"."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _number(raw: str, integer: bool) -> float | int | object:
    try:
        value = float(raw)
    except ValueError:
        return _INVALID
    if not math.isfinite(value):
        return _INVALID
    if integer:
        return int(value) if value == int(value) else _INVALID
    return value


def decode(raw: str, setting: Setting) -> Any:
    """The widget value ``raw`` asks for, or ``_INVALID`` when this widget cannot take it."""
    if setting.kind == "bool":
        return {"true": True, "1": True, "false": False, "0": False}.get(raw.lower(), _INVALID)
    if setting.kind == "option":
        options = getattr(setting.serde, "options", ())
        return next((opt for opt in options if encode(opt) == raw), _INVALID)
    integer = isinstance(setting.default, int) and not isinstance(setting.default, bool)
    value = _number(raw, integer)
    if value is _INVALID:
        return _INVALID
    low, high = getattr(setting.serde, "min_value", None), getattr(setting.serde, "max_value", None)
    if (low is not None and value < low) or (high is not None and value > high):
        return _INVALID
    return value


def _kind(serde: Any, value: Any) -> str | None:
    name = type(serde).__name__
    if name in _OPTION_SERDES and not isinstance(value, (list, tuple)):
        return "option"
    if name in _NUMBER_SERDES and isinstance(value, (int, float)) and not isinstance(value, bool):
        if name == "SliderSerde" and not getattr(serde, "single_value", True):
            return None  # range sliders: two values, not carried
        return "number"
    if name in _BOOL_SERDES and isinstance(value, bool):
        return "bool"
    return None


def rendered_keys() -> list[str]:
    """User keys of the widgets drawn in this script run, sorted (private ``_keys`` left out)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return []
    keys = ctx.shared.widget_user_keys_this_run.snapshot()
    return sorted(k for k in keys if isinstance(k, str) and KEY_PATTERN.fullmatch(k) and k not in RESERVED)


def _widgets():  # -> Iterator[(key, widget_id, WidgetMetadata, SessionState)]
    from streamlit.runtime.state import get_session_state

    state = get_session_state()._state  # SessionState behind the thread-safe wrapper
    for key in rendered_keys():
        widget_id = state.get_widget_id_from_key(key)
        meta = state._new_widget_state.widget_metadata.get(widget_id) if widget_id else None
        if meta is not None:
            yield key, widget_id, meta, state


def bound_params() -> dict[str, str]:
    """The URL parameters of widgets Streamlit binds itself (``bind="query-params"``, e.g. the story's
    step) drawn in this run: a link carries them as they are."""
    return {key: st.query_params[key] for key, _, meta, _ in _widgets()
            if getattr(meta, "bind", None) and key in st.query_params}


def rendered() -> dict[str, Setting]:
    """The settings drawn in this run: key -> Setting (widgets bound to the URL by Streamlit itself
    with ``bind="query-params"`` manage their own parameter and are left out)."""
    out: dict[str, Setting] = {}
    for key, widget_id, meta, state in _widgets():
        if getattr(meta, "bind", None):
            continue
        serde = getattr(meta.serializer, "__self__", None)
        try:
            value, default = state[widget_id], meta.deserializer(None)
        except (KeyError, TypeError, ValueError):
            continue
        kind = _kind(serde, value)
        if kind is not None:
            callback = None
            if meta.callback is not None:
                callback = functools.partial(meta.callback, *(meta.callback_args or ()), **(meta.callback_kwargs or {}))
            out[key] = Setting(key, value, default, kind, serde, callback)
    return out


def link_params(settings: Mapping[str, Setting]) -> dict[str, str]:
    """The parameters that reproduce these settings (only those that differ from the default)."""
    return {key: encode(s.value) for key, s in sorted(settings.items()) if s.changed}


def preset_key(settings: Mapping[str, Setting]) -> str | None:
    keys = [k for k in settings if k.endswith(PRESET_SUFFIX)]
    return keys[0] if len(keys) == 1 else None


def from_url(settings: Mapping[str, Setting], params: Mapping[str, str]) -> list[tuple[str, Any, Callable | None]]:
    """What ``params`` (the URL's query) asks of these settings, validated; preset first (with its
    callback, as if picked by hand), then the rest. Unknown or invalid parameters are dropped."""
    params = dict(params)
    wanted: list[tuple[str, Any, Callable | None]] = []
    preset = preset_key(settings)
    if preset and "preset" in params:
        params.setdefault(preset, params["preset"])
    if preset and preset in params:
        value = decode(params.pop(preset), settings[preset])
        if value is not _INVALID:
            wanted.append((preset, value, settings[preset].callback))
    for key, raw in params.items():
        if key in RESERVED or key not in settings:
            continue
        value = decode(raw, settings[key])
        if value is not _INVALID and value != settings[key].value:
            wanted.append((key, value, None))
    return wanted


def _query() -> dict[str, str]:
    return {k: st.query_params.get(k, "") for k in st.query_params}


def schedule_from_url(page_id: str) -> bool:
    """After a page has drawn: queue what this URL asks of its settings (once per page and URL in
    a session) and return True when the page must run again to apply it."""
    params = {k: v for k, v in _query().items() if k not in ("lang", "projector", "hide")}
    if not params:
        return False
    stamp = (page_id, tuple(sorted(params.items())))
    applied: set = st.session_state.setdefault(APPLIED_KEY, set())
    if stamp in applied:
        return False
    applied.add(stamp)
    wanted = from_url(rendered(), params)
    if wanted:
        st.session_state[PENDING_KEY] = wanted
    return bool(wanted)


def apply_pending() -> None:
    """Before a page draws: set the widget values a link asked for (callbacks first: a preset)."""
    for key, value, callback in st.session_state.pop(PENDING_KEY, []):
        st.session_state[key] = value
        if callback is not None:
            callback()


def hidden_keys() -> list[str]:
    """Widget keys named by ``?hide=a,b`` (only well-formed keys)."""
    raw = st.query_params.get("hide", "")
    return [k for k in dict.fromkeys(raw.split(",")) if KEY_PATTERN.fullmatch(k)]


def hide_css(keys: list[str]) -> str:
    """CSS hiding the controls with these keys (Streamlit gives a keyed element the class st-key-<key>)."""
    if not keys:
        return ""
    return "<style>" + ",".join(f".st-key-{k}" for k in keys) + "{display:none !important}</style>"
