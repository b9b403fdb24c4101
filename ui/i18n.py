"""One lookup for every visible string: ``t("<namespace>.<name>", **kwargs)``.

Catalogs live in ``assets/i18n/<lang>/<namespace>.json`` (flat ``{"home.title": "..."}`` dicts); all
files of one language are merged. A page owner adds ``<namespace>.json`` to each of the four language
folders; ``tests/test_i18n.py`` checks that every language has the same keys and placeholders, and
``tests/test_glossary.py`` that each catalog uses the one term per concept of ``glossary.json``.

A value is a string, or -- for a sentence about a number of things -- a *plural entry*: the CLDR plural
categories of that language plus ``"count"``, the placeholder whose number picks the form::

    "x.found": {"count": "n", "one": "{n} punkt", "few": "{n} punkty", "many": "{n} punktów",
                "other": "{n} punktu"}

Babel's CLDR rules choose the form (``t("x.found", n=22)`` -> "22 punkty"); English has one/other,
Chinese only other (a plain string is fine there), Polish one/few/many/other ("other": fractions).

Numbers passed to ``t()`` are written the way the reader's language writes them: ``{v:.3f}`` gives
"0.693" in English and "0,693" in Polish, ``{n:,}`` groups thousands ("12,345" / "12 345"),
``{p:.0%}`` is a percentage. Numbers a page shows outside a sentence (``st.metric`` values, table
cells) go through ``num()`` / ``pct()`` / ``fmt()``, so text and the value beside it agree.

The current language is ``st.session_state["lang"]``; before the user picks one it comes from a
link's ``?lang=`` or else from the browser (``st.context.locale``). A key missing in the current language falls back to English, then to
the key itself, and is logged -- a page never crashes over a string.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import numbers
import re
import time
from collections.abc import Mapping
from pathlib import Path

import streamlit as st
from babel import Locale
from babel import numbers as bn

log = logging.getLogger(__name__)

I18N_DIR = Path(__file__).resolve().parent.parent / "assets" / "i18n"
# Language code -> its name written in that language (what the picker shows).
LANGS: dict[str, str] = {"en": "English", "zh-TW": "繁體中文", "zh-CN": "简体中文", "pl": "Polski"}
DEFAULT_LANG = "en"
SESSION_KEY = "lang"  # st.session_state[SESSION_KEY] holds the chosen code
_PICKER_KEY = "_lang_picker"
URL_PARAM = "lang"  # ?lang=zh-TW in a link; app.py keeps it in the address bar once chosen
EXPLICIT_KEY = "_lang_explicit"  # True once the language came from a link or the picker
# Language code -> CLDR locale: the script and region decide digits, separators and plural rules.
BABEL_LOCALES: dict[str, str] = {"en": "en", "zh-TW": "zh_Hant_TW", "zh-CN": "zh_Hans_CN", "pl": "pl"}
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")  # every CLDR plural category
COUNT_FIELD = "count"  # in a plural entry: the name of the placeholder whose number picks the form
# CLDR minimumGroupingDigits, which Babel does not apply: Polish writes 1234 but 12 345.
_MIN_GROUPING_DIGITS: dict[str, int] = {"pl": 2}

Entry = str | dict[str, str]


STAMP_TTL_S = 1.0  # how often the catalog folder is looked at again (t() runs hundreds of times a page)
_stamps: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {}


def _catalog_stamp(lang: str) -> tuple[tuple[str, float], ...]:
    """File names + mtimes: the cache key, so edited/added catalogs are picked up without a restart
    (within ``STAMP_TTL_S``: listing and stat-ing ~40 files on every lookup cost a page a quarter of its
    redraw time)."""
    now = time.monotonic()
    known = _stamps.get(lang)
    if known is not None and now - known[0] < STAMP_TTL_S:
        return known[1]
    folder = I18N_DIR / lang
    stamp = tuple((p.name, p.stat().st_mtime) for p in sorted(folder.glob("*.json")))
    _stamps[lang] = (now, stamp)
    return stamp


@functools.lru_cache(maxsize=16)
def _load(lang: str, stamp: tuple[tuple[str, float], ...]) -> dict[str, Entry]:
    merged: dict[str, Entry] = {}
    for name, _mtime in stamp:
        path = I18N_DIR / lang / name
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise TypeError(f"{path}: expected a flat JSON object of key -> string or plural entry")
        dupes = merged.keys() & data.keys()
        if dupes:
            log.warning("i18n: %s redefines keys %s", path, sorted(dupes))
        merged.update(data)
    return merged


def catalog(lang: str) -> dict[str, Entry]:
    """All entries of one language, merged from every ``assets/i18n/<lang>/*.json``."""
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


def url_lang() -> str | None:
    """The language a link asks for (``?lang=pl``, any case), or None."""
    raw = (st.query_params.get(URL_PARAM) or "").lower()
    return next((code for code in LANGS if code.lower() == raw), None)


def current_lang() -> str:
    """This session's language: as picked, else the link's ``?lang=``, else the browser's."""
    lang = st.session_state.get(SESSION_KEY)
    if lang not in LANGS:
        lang = url_lang() or _browser_lang()
        st.session_state[SESSION_KEY] = lang
    return lang


# -- numbers and plural forms (Babel / CLDR) ------------------------------------------------------
@functools.lru_cache(maxsize=8)
def babel_locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, BABEL_LOCALES[DEFAULT_LANG]))


def plural_categories(lang: str) -> frozenset[str]:
    """The categories a plural entry in ``lang`` must give: en {one, other}, pl {one, few, many, other}."""
    return babel_locale(lang).plural_form.tags | {"other"}


def plural_category(lang: str, count: float) -> str:
    """CLDR category of ``count`` in ``lang``: pl 1 -> one, 2..4 / 22 -> few, 5 / 12 -> many, 1.5 -> other."""
    return babel_locale(lang).plural_form(count)


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _finite(x: float) -> bool:
    return math.isfinite(float(x))


def _group(lang: str, magnitude: float, grouping: bool) -> bool:
    """Thousands separators on, unless the integer part is too short for this language to group."""
    return grouping and abs(magnitude) >= 10 ** (2 + _MIN_GROUPING_DIGITS.get(lang, 1))


def _with_digits(pattern: str, digits: int | None) -> str:
    """A CLDR pattern ("#,##0.###", "#,##0%") with exactly ``digits`` decimals (None: as the locale)."""
    if digits is None:
        return pattern
    return re.sub(r"0(?:\.[0#]+)?", "0" + ("." + "0" * digits if digits else ""), pattern, count=1)


def _sign(text: str, value: float, sign: str, lang: str) -> str:
    if sign in ("+", " ") and not text.startswith(("-", bn.get_minus_sign_symbol(babel_locale(lang)))):
        return (bn.get_plus_sign_symbol(babel_locale(lang)) if sign == "+" else " ") + text
    return text


def num(x: float, digits: int | None = None, *, lang: str | None = None, grouping: bool = True,
        signed: bool = False) -> str:
    """``x`` in the reader's number style: ``num(0.6931, 3)`` -> "0.693" (en) / "0,693" (pl).

    ``digits=None`` keeps the locale's default (at most 3 decimals); ``signed`` writes "+" on
    non-negative numbers, as the ``+`` format flag does."""
    lang = lang or current_lang()
    if not _finite(x):
        return str(float(x))  # "nan", "inf": a pattern would append decimals to them
    pattern = _with_digits(babel_locale(lang).decimal_formats[None].pattern, digits)
    text = bn.format_decimal(x, format=pattern, locale=babel_locale(lang),
                             group_separator=_group(lang, x, grouping))
    return _sign(text, x, "+" if signed else "", lang)


def pct(x: float, digits: int = 0, *, lang: str | None = None, signed: bool = False) -> str:
    """The share ``x`` (0.973) as a percentage in the reader's style: "97%" / ``digits=1`` "97.3%" / "97,3%"."""
    lang = lang or current_lang()
    if not _finite(x):
        return str(float(x))
    pattern = _with_digits(babel_locale(lang).percent_formats[None].pattern, digits)
    text = bn.format_percent(x, format=pattern, locale=babel_locale(lang), group_separator=_group(lang, x * 100, True))
    return _sign(text, x, "+" if signed else "", lang)


# sign, grouping, precision, type: what Babel writes itself; anything else (width, fill, "e", "g")
# keeps Python's layout with the locale's separators swapped in.
_SIMPLE_SPEC = re.compile(r"(?P<sign>[+\- ]?)(?P<group>,?)(?:\.(?P<prec>\d+))?(?P<kind>[dfF%]?)")


def _swap_separators(text: str, lang: str) -> str:
    loc = babel_locale(lang)
    return text.translate(str.maketrans({",": bn.get_group_symbol(loc), ".": bn.get_decimal_symbol(loc)}))


def fmt(value: float, spec: str = "", *, lang: str | None = None) -> str:
    """``format(value, spec)`` in the reader's number style (the same checks and errors as Python's).

    ``fmt(0.5, ".2f")`` -> "0.50" / "0,50"; ``fmt(12345, ",")`` -> "12,345" / "12 345"; an int without
    ``,`` is never grouped (seeds, years, step numbers stay as typed)."""
    lang = lang or current_lang()
    plain = format(value, spec)  # Python validates: a float under "d" raises ValueError as before
    m = _SIMPLE_SPEC.fullmatch(spec)
    if not _finite(value):
        return plain
    if m is None or (not m["kind"] and (m["prec"] or not isinstance(value, numbers.Integral))):
        return _swap_separators(plain, lang)  # layout specs, "e"/"g", str(float)
    if m["kind"] == "%":
        text = pct(value, int(m["prec"] or 6), lang=lang)
    else:
        digits = 0 if m["kind"] in ("", "d") else int(m["prec"] or 6)
        pattern = _with_digits(babel_locale(lang).decimal_formats[None].pattern, digits)
        text = bn.format_decimal(value, format=pattern, locale=babel_locale(lang),
                                 group_separator=_group(lang, value, bool(m["group"])))
    return _sign(text, value, m["sign"], lang)


def plotly_separators(lang: str | None = None) -> str:
    """Plotly's ``layout.separators`` (decimal mark, then thousands mark) for the reader's language."""
    loc = babel_locale(lang or current_lang())
    return bn.get_decimal_symbol(loc) + bn.get_group_symbol(loc)


class _LocalNumber:
    """A number inside ``str.format``: its format spec is applied in one language's style."""

    __slots__ = ("lang", "value")

    def __init__(self, value: float, lang: str) -> None:
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        return fmt(self.value, spec, lang=self.lang)

    def __str__(self) -> str:
        return fmt(self.value, "", lang=self.lang)

    def __repr__(self) -> str:
        return repr(self.value)


def _pick_form(entry: Entry, lang: str, kwargs: Mapping[str, object], key: str) -> str:
    if isinstance(entry, str):
        return entry
    count = kwargs.get(entry.get(COUNT_FIELD, ""))
    if not _is_number(count):
        log.error("i18n: plural entry %r (%s) needs a number in %r, got %r", key, lang, entry.get(COUNT_FIELD), count)
        return entry["other"]
    return entry.get(plural_category(lang, count)) or entry["other"]


def render(entry: Entry, lang: str, kwargs: Mapping[str, object], *, key: str = "?") -> str:
    """One catalog entry of ``lang`` filled with ``kwargs``: plural form chosen, numbers localised."""
    text = _pick_form(entry, lang, kwargs, key)
    if not kwargs:
        return text
    args = {name: _LocalNumber(v, lang) if _is_number(v) else v for name, v in kwargs.items()}
    try:
        return text.format(**args)
    except (KeyError, IndexError, ValueError, AttributeError):
        log.error("i18n: cannot format %r (%s) with %s", key, lang, sorted(kwargs))
        return text


def t(key: str, **kwargs: object) -> str:
    """Translate ``key`` into the current language and ``str.format`` it with ``kwargs``."""
    lang = current_lang()
    entry = catalog(lang).get(key)
    if entry is None:
        log.warning("i18n: key %r missing in %s, falling back to English", key, lang)
        lang, entry = DEFAULT_LANG, catalog(DEFAULT_LANG).get(key)
        if entry is None:
            log.error("i18n: key %r missing in English too", key)
            return key
    return render(entry, lang, kwargs, key=key)


def _on_pick() -> None:
    st.session_state[SESSION_KEY] = st.session_state[_PICKER_KEY]
    st.session_state[EXPLICIT_KEY] = True


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
