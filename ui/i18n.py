"""One lookup for every visible string: ``t("<namespace>.<name>", **kwargs)``.

Catalogs live in ``assets/i18n/<lang>/<namespace>.json`` (flat ``{"home.title": "..."}`` dicts); all
files of one language are merged. A page owner adds ``<namespace>.json`` to each of the four language
folders; ``tests/test_i18n.py`` checks that every language has the same keys and placeholders.

The current language is ``st.session_state["lang"]``; before the user picks one it comes from the
browser (``st.context.locale``). A key missing in the current language falls back to English, then to
the key itself, and is logged -- a page never crashes over a string.
"""

from __future__ import annotations

import functools
import json
import logging
from pathlib import Path

import streamlit as st

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"
# Language code -> its name written in that language (what the picker shows).
LANGS: dict[str, str] = {"en": "English", "zh-TW": "繁體中文", "zh-CN": "简体中文", "pl": "Polski"}
DEFAULT_LANG = "en"
SESSION_KEY = "lang"  # st.session_state[SESSION_KEY] holds the chosen code
_PICKER_KEY = "_lang_picker"


def _catalog_stamp(lang: str) -> tuple[tuple[str, float], ...]:
    """File names + mtimes: the cache key, so edited/added catalogs are picked up without a restart."""
    folder = I18N_DIR / lang
    return tuple((p.name, p.stat().st_mtime) for p in sorted(folder.glob("*.json")))


@functools.lru_cache(maxsize=16)
def _load(lang: str, stamp: tuple[tuple[str, float], ...]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, _mtime in stamp:
        path = I18N_DIR / lang / name
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TypeError(f"{path}: expected a flat JSON object of key -> string")
        dupes = merged.keys() & data.keys()
        if dupes:
            log.warning("i18n: %s redefines keys %s", path, sorted(dupes))
        merged.update(data)
    return merged


def catalog(lang: str) -> dict[str, str]:
    """All strings of one language, merged from every ``assets/i18n/<lang>/*.json``."""
    return _load(lang, _catalog_stamp(lang))


def locale_to_lang(locale: str | None) -> str:
    """Map a browser locale (``zh-Hant-TW``, ``pl-PL``, ``en-US``...) to one of ``LANGS``."""
    if not locale:
        return DEFAULT_LANG
    parts = locale.replace("_", "-").lower().split("-")
    if parts[0] == "pl":
        return "pl"
    if parts[0] == "zh":
        if "hant" in parts or "hans" in parts:  # the script subtag decides: zh-Hant-CN, zh-Hans-TW
            return "zh-TW" if "hant" in parts else "zh-CN"
        return "zh-TW" if {"tw", "hk", "mo"} & set(parts[1:]) else "zh-CN"
    return DEFAULT_LANG


def _browser_lang() -> str:
    return locale_to_lang(st.context.locale)  # None without a browser (bare script, AppTest) -> "en"


def current_lang() -> str:
    lang = st.session_state.get(SESSION_KEY)
    if lang not in LANGS:
        lang = _browser_lang()
        st.session_state[SESSION_KEY] = lang
    return lang


def t(key: str, **kwargs: object) -> str:
    """Translate ``key`` into the current language and ``str.format`` it with ``kwargs``."""
    lang = current_lang()
    text = catalog(lang).get(key)
    if text is None:
        log.warning("i18n: key %r missing in %s, falling back to English", key, lang)
        text = catalog(DEFAULT_LANG).get(key)
        if text is None:
            log.error("i18n: key %r missing in English too", key)
            return key
    if not kwargs:
        return text
    try:
        return text.format(**kwargs)
    except (KeyError, IndexError, ValueError):
        log.error("i18n: cannot format %r (%s) with %s", key, lang, sorted(kwargs))
        return text


def _on_pick() -> None:
    st.session_state[SESSION_KEY] = st.session_state[_PICKER_KEY]


def language_picker() -> str:
    """Sidebar selectbox listing the languages in their own names; returns the chosen code."""
    lang = current_lang()
    codes = list(LANGS)
    st.sidebar.selectbox(
        f":material/language: {t('common.language')}",
        codes,
        index=codes.index(lang),
        format_func=LANGS.__getitem__,
        key=_PICKER_KEY,
        on_change=_on_pick,
    )
    return current_lang()
