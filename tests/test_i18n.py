"""Translation catalogs and the "no hard-coded UI text" rule.

Catalog checks (assets/i18n/<lang>/<namespace>.json):
  - every language has the same files and the same keys as English; keys are "<namespace>.<name>"
    where <namespace> is the file name; values are non-empty strings or plural entries;
  - a plural entry ({"count": "n", "one": ..., "few": ..., "many": ..., "other": ...}) gives exactly
    the CLDR plural categories of its language (Babel's rules; "other" always), and "count" names a
    placeholder of the English text; any language may use one where English has a plain string
    (Polish needs few/many where English has only "points");
  - every value (every form of a plural entry) formats cleanly and uses exactly the same
    {placeholders} as English -- the "one"/"two"/"zero" forms may leave the count out ("jeden punkt");
  - every key used as ``t("literal.key")`` in app.py, pages/*.py and ui/*.py, and every key in
    ``app.PAGES``, exists in English.

Hard-coded text check (``find_literal_ui_text``), over app.py, pages/*.py, ui/*.py:
  A call is a Streamlit display/widget call when its method name is in ``DISPLAY_CALLS`` and its
  receiver is rooted at the streamlit module (``st.x``, ``st.sidebar.x``, ``st.columns(2)[0].x``) or at
  a name assigned from such an expression in the same file (``left, right = st.columns(2)``,
  ``with st.expander(...) as box``, ``for tab in st.tabs(...)``). For those calls it inspects the text
  arguments -- the first positional one (all of them for ``st.write``, the list items for ``st.tabs``;
  none for ``st.Page``/``st.page_link``/``st.image``, whose first argument is a path or data) and the
  keywords ``label=``, ``help=``, ``placeholder=``, ``caption=``, ``title=``, ``page_title=``, ``text=``,
  ``x_label=``, ``y_label=``.
  An argument is flagged when it is, or contains, a string literal with a letter in it (any script:
  Latin, CJK, Polish): plain literals, f-string text parts, ``"a" + x``, ``"%s" % x``,
  ``"...".format()``, both branches of ``x if c else y`` and ``a or b``.
  Allowed: strings without letters (``""``, ``"---"``, ``"🎲"``, ``"42"``), f-strings whose literal
  parts have no letters (``f"🌐 {t('common.language')}"``, ``f"{t('x.loss')}: {v:.3f}"``), HTML/CSS
  whose only letters are inside tags or ``<style>`` blocks, and Material icon codes (``:material/x:``).
  Escape hatch (use rarely, with a reason): a ``# i18n: ignore`` comment on the call's lines.
  Not seen: text passed through variables or helper functions' parameters, plotly titles. Route them
  through ``t()`` anyway.
"""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest

from ui.i18n import COUNT_FIELD, plural_categories

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "assets" / "i18n"
LANGS = ("en", "zh-TW", "zh-CN", "pl")

DISPLAY_CALLS = {
    "title", "header", "subheader", "markdown", "write", "caption", "text", "info", "warning", "error",
    "success", "toast", "button", "slider", "selectbox", "radio", "checkbox", "toggle", "number_input",
    "text_input", "text_area", "file_uploader", "expander", "tabs", "metric", "download_button",
    "select_slider", "multiselect", "pills", "segmented_control", "page_link", "link_button",
    "form_submit_button", "popover", "status", "spinner", "color_picker", "date_input", "time_input",
    "chat_input", "html", "image", "progress", "set_page_config", "Page",
    "line_chart", "bar_chart", "area_chart", "scatter_chart",
}
TEXT_KWARGS = {"label", "help", "placeholder", "caption", "title", "page_title", "text", "x_label", "y_label"}
NO_TEXT_POSITIONAL = {"Page", "page_link", "image", "progress", "set_page_config",
                      "line_chart", "bar_chart", "area_chart", "scatter_chart"}
IGNORE_MARK = "# i18n: ignore"


# -- catalogs ------------------------------------------------------------------------------------
def load_lang(lang: str) -> dict[str, dict[str, object]]:
    """namespace -> raw JSON object for one language."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((I18N / lang).glob("*.json"))}


def merged(lang: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for data in load_lang(lang).values():
        out.update(data)
    return out


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def forms(value: object) -> dict[str, str]:
    """A catalog value as {form: text}: {"": text} for a string, the categories of a plural entry."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != COUNT_FIELD}
    return {"": value}


def all_placeholders(value: object) -> set[str]:
    return set().union(*(placeholders(text) for text in forms(value).values() if isinstance(text, str)))


def entry_problems(lang: str, key: str, value: object) -> list[str]:
    """Why ``value`` is not a valid catalog value of ``lang`` (empty list: it is)."""
    if isinstance(value, str):
        return [] if value.strip() else [f"{lang}: {key!r} is empty"]
    if not isinstance(value, dict):
        return [f"{lang}: {key!r} is neither a string nor a plural entry"]
    problems = []
    cats = set(value) - {COUNT_FIELD}
    want = set(plural_categories(lang))
    if cats != want:
        problems.append(f"{lang}: plural entry {key!r} has forms {sorted(cats)}; {lang} needs exactly {sorted(want)}")
    count = value.get(COUNT_FIELD)
    if not isinstance(count, str) or not count:
        problems.append(f"{lang}: plural entry {key!r} needs \"{COUNT_FIELD}\": the placeholder holding the number")
    for form, text in forms(value).items():
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{lang}: {key!r} form {form!r} is empty or not a string")
    return problems


class _AnyValue:
    """Stands in for any argument: accepts every format spec ({rate:.1f}, {share:.0%})."""

    def __format__(self, spec: str) -> str:
        return "x"


def test_language_folders_exist():
    assert sorted(p.name for p in I18N.iterdir() if p.is_dir()) == sorted(LANGS)


@pytest.mark.parametrize("lang", LANGS)
def test_same_files_and_keys_as_english(lang):
    en, other = load_lang("en"), load_lang(lang)
    assert sorted(other) == sorted(en), f"{lang}: namespace files differ from en"
    problems = []
    for ns, data in en.items():
        missing = sorted(set(data) - set(other[ns]))
        extra = sorted(set(other[ns]) - set(data))
        if missing:
            problems.append(f"{lang}/{ns}.json is missing {missing}")
        if extra:
            problems.append(f"{lang}/{ns}.json has keys not in en: {extra}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_keys_namespaced_and_values_nonempty(lang):
    problems = []
    for ns, data in load_lang(lang).items():
        assert isinstance(data, dict), f"{lang}/{ns}.json must be a flat JSON object"
        for key, value in data.items():
            if not key.startswith(f"{ns}.") or key == f"{ns}.":
                problems.append(f"{lang}/{ns}.json: key {key!r} must start with '{ns}.'")
            problems += entry_problems(lang, key, value)
    assert not problems, "\n".join(problems)


# Markdown italics around Chinese text: CJK fonts have no italic face, so the browser slants the glyphs;
# Chinese emphasises with bold instead. (Asterisks inside formulas such as D* are not emphasis.)
CJK_ITALIC = re.compile(r"(?<![*\\A-Za-z0-9])\*(?![*\s])([^*\n]{1,40}?)(?<![*\s])\*(?![*A-Za-z0-9])")


def cjk_italics(text: str) -> list[str]:
    return [m.group(0) for m in CJK_ITALIC.finditer(text)
            if re.search(r"[\u4e00-\u9fff]", m.group(1)) and not re.search(r"[A-Za-z0-9()=]", m.group(1))]


def test_cjk_italic_check_catches_slanted_chinese_only():
    assert cjk_italics("它仍把那些數字*排*在前面") == ["*排*"]
    assert cjk_italics("它仍把那些數字**排**在前面, V(D*, G*) 與 *emphasis*") == []


@pytest.mark.parametrize("lang", ("zh-TW", "zh-CN"))
def test_chinese_emphasis_is_bold_not_italic(lang):
    problems = [f"{lang}: {key!r} has {found}" for key, value in merged(lang).items()
                for text in forms(value).values() if (found := cjk_italics(text))]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_match_english(lang):
    en, other = merged("en"), merged(lang)
    problems = []
    for key, value in other.items():
        if key not in en or entry_problems(lang, key, value) or entry_problems("en", key, en[key]):
            continue  # reported by the tests above
        want = all_placeholders(en[key])
        if isinstance(value, dict) and value[COUNT_FIELD] not in want:
            problems.append(f"{lang}: {key!r} counts {value[COUNT_FIELD]!r}, which is not a placeholder in en")
        for form, text in forms(value).items():
            where = f"{key!r}" + (f" form {form!r}" if form else "")
            try:
                names = placeholders(text)
                text.format(**{n: _AnyValue() for n in names})
            except (ValueError, KeyError, IndexError) as e:
                problems.append(f"{lang}: {where} does not format ({e}); write literal braces as {{{{ }}}}")
                continue
            optional = {value[COUNT_FIELD]} if form in ("zero", "one", "two") else set()
            if not (want - optional <= names <= want):
                problems.append(f"{lang}: {where} uses {sorted(names)}, en uses {sorted(want)}")
    assert not problems, "\n".join(problems)


def test_plural_entry_checks_catch_bad_entries():
    good = {"count": "n", "one": "{n} punkt", "few": "{n} punkty", "many": "{n} punktów", "other": "{n} punktu"}
    assert entry_problems("pl", "x.k", good) == []
    assert entry_problems("en", "x.k", {"count": "n", "one": "one point", "other": "{n} points"}) == []
    assert entry_problems("zh-TW", "x.k", {"count": "n", "other": "{n} 個點"}) == []
    no_many = {k: v for k, v in good.items() if k != "many"}
    assert "needs exactly" in entry_problems("pl", "x.k", no_many)[0]
    assert "needs exactly" in entry_problems("en", "x.k", good)[0]  # English has no few/many
    assert "needs \"count\"" in entry_problems("pl", "x.k", {**good, "count": ""})[0]
    assert "is empty" in entry_problems("pl", "x.k", {**good, "few": " "})[0]
    assert entry_problems("pl", "x.k", 3) and entry_problems("pl", "x.k", "  ")


# -- source files --------------------------------------------------------------------------------
def ui_sources() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").glob("*.py"))]


def used_keys(tree: ast.AST) -> list[tuple[int, str]]:
    """Literal keys of ``t("...")`` calls."""
    return [
        (node.lineno, node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"
        and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
    ]


def test_used_keys_exist_in_english():
    en = merged("en")
    missing = []
    for path in ui_sources():
        for line, key in used_keys(ast.parse(path.read_text(encoding="utf-8"))):
            if key not in en:
                missing.append(f"{path.relative_to(ROOT)}:{line}: t({key!r}) has no English text")
    assert not missing, "\n".join(missing)


def test_navigation_keys_exist_and_pages_exist():
    import app

    en = merged("en")
    for item in app.PAGES:
        assert (ROOT / item.path).is_file(), f"app.PAGES lists {item.path}, which does not exist"
        assert item.group in app.GROUPS, f"{item.path}: unknown group {item.group!r}"
        for key in (item.title_key, item.blurb_key):
            assert key in en, f"{item.path}: {key!r} missing in assets/i18n/en"
    for key in filter(None, app.GROUPS.values()):
        assert key in en, f"group title {key!r} missing in assets/i18n/en"


# -- the hard-coded-text checker -----------------------------------------------------------------
_STYLE = re.compile(r"<style\b.*?</style>", re.DOTALL | re.IGNORECASE)
_TAG = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&#?\w+;")
_ICON = re.compile(r":material/[a-z0-9_]+:|:[a-z0-9_+-]+:")


def has_text(s: str) -> bool:
    """True when a literal contains a letter outside HTML tags/styles, entities and icon codes."""
    stripped = _ICON.sub("", _ENTITY.sub("", _TAG.sub("", _STYLE.sub("", s))))
    return any(ch.isalpha() for ch in stripped)


def offending(node: ast.AST | None) -> str | None:
    """The first hard-coded text fragment inside an argument expression, else None."""
    if node is None:
        return None
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) and has_text(node.value) else None
    if isinstance(node, ast.JoinedStr):  # f-string: only its literal parts are text
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str) and has_text(part.value):
                return part.value
        return None
    if isinstance(node, ast.BinOp):
        return offending(node.left) or offending(node.right)
    if isinstance(node, ast.IfExp):
        return offending(node.body) or offending(node.orelse)
    if isinstance(node, ast.BoolOp):
        return next(filter(None, map(offending, node.values)), None)
    if isinstance(node, (ast.List, ast.Tuple)):
        return next(filter(None, map(offending, node.elts)), None)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return offending(node.func.value)
    return None


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript, ast.Starred)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _target_names(target: ast.AST) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def streamlit_names(tree: ast.AST) -> set[str]:
    """Names bound to the streamlit module, and names assigned from streamlit expressions."""
    roots = {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.Import)
             for a in n.names if a.name == "streamlit"}
    for _ in range(3):  # a few passes: containers made from containers
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                if _root_name(node.value) in roots:
                    roots.update(n for t in targets for n in _target_names(t))
            elif isinstance(node, (ast.With, ast.AsyncWith)):
                for item in node.items:
                    if item.optional_vars is not None and _root_name(item.context_expr) in roots:
                        roots.update(_target_names(item.optional_vars))
            elif isinstance(node, (ast.For, ast.AsyncFor)) and _root_name(node.iter) in roots:
                roots.update(_target_names(node.target))
    return roots


def find_literal_ui_text(source: str, filename: str = "<src>") -> list[str]:
    """``"file:line: st.<call>(...) hard-coded text 'fragment'"`` for every violation in ``source``."""
    tree = ast.parse(source, filename)
    lines = source.splitlines()
    roots = streamlit_names(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        if name not in DISPLAY_CALLS or _root_name(node.func.value) not in roots:
            continue
        if any(IGNORE_MARK in line for line in lines[node.lineno - 1 : node.end_lineno]):
            continue
        if name in NO_TEXT_POSITIONAL:
            args: list[ast.AST] = []
        elif name == "write":
            args = list(node.args)
        else:
            args = node.args[:1]
        args += [kw.value for kw in node.keywords if kw.arg in TEXT_KWARGS]
        for arg in args:
            text = offending(arg)
            if text is not None:
                found.append(f"{filename}:{node.lineno}: .{name}(...) has hard-coded text {text[:40]!r}; use t()")
    return found


def test_no_hard_coded_text_in_ui_sources():
    problems = []
    for path in ui_sources():
        problems += find_literal_ui_text(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not problems, "\n".join(problems)


CHECKER_SAMPLE = '''
import streamlit as st
from ui.i18n import t
st.title("Hello")                                   # 4 flagged
st.title(t("home.title"))
st.sidebar.button("Go", key="go")                   # 6 flagged
left, right = st.columns(2)
left.metric("Loss", 0.3)                            # 8 flagged
right.metric(t("x.loss"), "0.3")
st.markdown("")
st.markdown("---")
st.button("🎲")
st.write(t("a.b"), "and more")                      # 13 flagged
st.caption(f"{t('a.b')}: {3:.2f}")
st.caption(f"Seed {3}")                             # 15 flagged
st.slider(t("a.b"), 0, 9, help="How many")          # 16 flagged
st.markdown("<div style='color:red'>&nbsp;</div>", unsafe_allow_html=True)
st.markdown("<b>Bold</b>", unsafe_allow_html=True)  # 18 flagged
for tab in st.tabs([t("a.b"), "Second"]):           # 19 flagged
    tab.write("inside")                             # 20 flagged
with st.expander(t("a.b")) as box:
    box.info("Note: " + t("a.b"))                   # 22 flagged
st.Page("pages/x.py", title="Home")                 # 23 flagged
st.Page("pages/x.py", title=t("home.nav_title"))
st.page_link("pages/x.py", label=t("a.b"))
st.image(img, caption="A grid")                     # 26 flagged
st.error("Failed: {}".format(e))                    # 27 flagged
st.info(t("a.b") if ok else "fallback")             # 28 flagged
st.warning("Raw text")  # i18n: ignore
log.warning("not streamlit")
st.markdown(":material/home:")
st.text_input(t("a.b"), placeholder="Type here")    # 32 flagged
'''


def test_checker_flags_exactly_the_hard_coded_calls():
    found = find_literal_ui_text(CHECKER_SAMPLE)
    flagged = sorted(int(msg.split(":")[1]) for msg in found)
    assert flagged == [4, 6, 8, 13, 15, 16, 18, 19, 20, 22, 23, 26, 27, 28, 32], "\n".join(found)


# -- runtime behaviour of t() ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("locale", "lang"),
    [("zh-TW", "zh-TW"), ("zh-HK", "zh-TW"), ("zh-Hant", "zh-TW"), ("zh-Hant-CN", "zh-TW"),
     ("zh", "zh-CN"), ("zh-CN", "zh-CN"), ("zh-Hans-TW", "zh-CN"), ("zh_SG", "zh-CN"), ("pl", "pl"),
     ("pl-PL", "pl"), ("en-US", "en"), ("de-DE", "en"), ("", "en"), (None, "en")],
)
def test_browser_locale_mapping(locale, lang):
    from ui.i18n import locale_to_lang

    assert locale_to_lang(locale) == lang


def test_missing_key_falls_back_to_english_then_key(monkeypatch, caplog):
    from ui import i18n

    fake = {"en": {"x.only_en": "English {n}"}, "pl": {}}
    monkeypatch.setattr(i18n, "catalog", lambda lang: fake.get(lang, {}))
    monkeypatch.setattr(i18n, "current_lang", lambda: "pl")
    assert i18n.t("x.only_en", n=3) == "English 3"
    assert i18n.t("x.nowhere") == "x.nowhere"
    assert i18n.t("x.only_en", wrong=1) == "English {n}"  # bad kwargs: unformatted, never a crash
    assert "x.nowhere" in caplog.text and "x.only_en" in caplog.text


def test_catalog_merges_all_files_of_a_language():
    from ui.i18n import catalog

    for lang in LANGS:
        assert catalog(lang) == merged(lang)


# -- plural forms and numbers (Babel / CLDR) ------------------------------------------------------
POINTS = {
    "en": {"count": "n", "one": "Found {n} point", "other": "Found {n} points"},
    "pl": {"count": "n", "one": "{n} punkt", "few": "{n} punkty", "many": "{n} punktów", "other": "{n} punktu"},
}


@pytest.mark.parametrize(
    ("lang", "n", "text"),
    [("en", 1, "Found 1 point"), ("en", 0, "Found 0 points"), ("en", 2, "Found 2 points"),
     ("pl", 1, "1 punkt"), ("pl", 2, "2 punkty"), ("pl", 4, "4 punkty"), ("pl", 5, "5 punktów"),
     ("pl", 12, "12 punktów"), ("pl", 14, "14 punktów"), ("pl", 22, "22 punkty"), ("pl", 25, "25 punktów"),
     ("pl", 0, "0 punktów"), ("pl", 1.5, "1,5 punktu")],
)
def test_plural_entry_picks_the_cldr_form(lang, n, text):
    from ui.i18n import render

    assert render(POINTS[lang], lang, {"n": n}) == text


def test_plural_entry_without_its_count_falls_back_to_other(caplog):
    from ui.i18n import render

    assert render(POINTS["pl"], "pl", {"m": 3}) == "{n} punktu"  # wrong kwargs: unformatted, logged
    assert "needs a number" in caplog.text
    assert render({"count": "n", "other": "{n} 個點"}, "zh-TW", {"n": 1}) == "1 個點"


@pytest.mark.parametrize(
    ("lang", "spec", "value", "text"),
    [("en", ".3f", 0.69315, "0.693"), ("pl", ".3f", 0.69315, "0,693"), ("zh-TW", ".3f", 0.69315, "0.693"),
     ("zh-CN", ".2f", -1.5, "-1.50"), ("pl", "+.2f", 0.25, "+0,25"), ("pl", "+.1f", -0.25, "-0,2"),
     ("en", ",", 12345, "12,345"), ("pl", ",", 12345, "12\u00a0345"), ("pl", ",", 1234, "1234"),
     ("en", ",", 1234, "1,234"), ("en", "", 12345, "12345"), ("pl", "", 12345, "12345"),  # seeds stay as typed
     ("pl", "", 0.5, "0,5"), ("en", ".0%", 0.456, "46%"), ("pl", ".1%", 0.4567, "45,7%"),
     ("pl", ".2e", 0.000123, "1,23e-04"), ("pl", ">7.2f", 2.5, "   2,50"), ("pl", ".2f", float("nan"), "nan")],
)
def test_fmt_writes_numbers_the_readers_way(lang, spec, value, text):
    from ui.i18n import fmt

    assert fmt(value, spec, lang=lang) == text


def test_num_and_pct_helpers():
    from ui.i18n import num, pct, plotly_separators

    assert (num(0.69315, 3, lang="en"), num(0.69315, 3, lang="pl")) == ("0.693", "0,693")
    assert num(12345.678, lang="pl") == "12\u00a0345,678" and num(12345.678, lang="en") == "12,345.678"
    assert num(2, 1, lang="pl", signed=True) == "+2,0" and num(-2, 1, lang="pl", signed=True) == "-2,0"
    assert (pct(0.973, 1, lang="en"), pct(0.973, 1, lang="pl"), pct(0.973, lang="zh-CN")) == ("97.3%", "97,3%", "97%")
    assert plotly_separators("pl") == ",\u00a0" and plotly_separators("zh-TW") == ".,"
    with pytest.raises(ValueError):
        from ui.i18n import fmt

        fmt(0.5, "d", lang="pl")  # the same errors as format(): t() logs them and shows the raw text


def test_t_localises_numbers_and_plurals_end_to_end(monkeypatch):
    from ui import i18n

    fake = {"pl": {"x.tail": "średnia {d:.3f}, log 2 = {log2:.3f}", "x.n": POINTS["pl"]},
            "en": {"x.tail": "mean {d:.3f}, log 2 = {log2:.3f}", "x.n": POINTS["en"], "x.only_en": POINTS["en"]}}
    monkeypatch.setattr(i18n, "catalog", lambda lang: fake.get(lang, {}))
    monkeypatch.setattr(i18n, "current_lang", lambda: "pl")
    assert i18n.t("x.tail", d=0.70123, log2=0.693147) == "średnia 0,701, log 2 = 0,693"
    assert [i18n.t("x.n", n=n) for n in (1, 3, 7)] == ["1 punkt", "3 punkty", "7 punktów"]
    assert i18n.t("x.only_en", n=1) == "Found 1 point"  # English fallback: English rules and numbers
    assert i18n.t("x.tail", d="0.5", log2=1.0) == "średnia {d:.3f}, log 2 = {log2:.3f}"  # str under .3f: logged


def test_every_language_has_a_babel_locale():
    from ui.i18n import BABEL_LOCALES, babel_locale

    assert set(BABEL_LOCALES) == set(LANGS)
    assert [str(babel_locale(lang)) for lang in LANGS] == ["en", "zh_Hant_TW", "zh_Hans_CN", "pl"]
