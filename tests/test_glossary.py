"""Every catalog against assets/i18n/glossary.json: one term per concept per language.

For each concept and each non-English language:
  - where the English text of a key has the concept (the concept's ``en`` regex), that key's text in the
    language uses the concept's term (its ``match`` regex: the term with its inflections);
  - no text of the language contains a ``forbidden`` variant;
  - an ``exclusive`` term appears only in keys whose English text has the concept.
And for every language: a number placeholder followed straight by a count noun ("{n} punktów") sits
in a plural entry, and no text patches a plural by hand ("step(s)", "krok(i)").
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "assets" / "i18n"
GLOSSARY = json.loads((I18N / "glossary.json").read_text(encoding="utf-8"))
LANGS = ("en", "zh-TW", "zh-CN", "pl")
OTHERS = LANGS[1:]
FLAGS = re.IGNORECASE | re.MULTILINE
PLACEHOLDER = re.compile(r"\{[^{}]*\}")  # "{seed}" is a number, not the word seed


def merged(lang: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for path in sorted((I18N / lang).glob("*.json")):
        out.update(json.loads(path.read_text(encoding="utf-8")))
    return out


def texts(value: object) -> list[str]:
    """The visible texts of a catalog value: the string, or every form of a plural entry."""
    if isinstance(value, dict):
        return [v for k, v in value.items() if k != "count" and isinstance(v, str)]
    return [value] if isinstance(value, str) else []


def glossary_problems(lang: str, catalog: dict[str, object], english: dict[str, object],
                      concepts: dict[str, dict]) -> list[str]:
    """Why ``catalog`` (language ``lang``) breaks the glossary ``concepts``; empty when it follows it."""
    problems = []
    for name, concept in concepts.items():
        rule = concept[lang]
        en_re = re.compile(concept["en"], FLAGS)
        term_re = re.compile(rule.get("match", re.escape(rule["term"])), FLAGS)
        forbidden = [re.compile(f, FLAGS) for f in rule.get("forbidden", [])]
        skip = set(concept.get("skip", [])) | set(rule.get("skip", []))
        for key, value in catalog.items():
            joined = "\n".join(texts(value))
            for bad in forbidden:
                if bad.search(joined):
                    problems.append(f"{lang} {key}: {bad.search(joined).group(0)!r} -- {name} is {rule['term']!r}")
            if key in skip or key not in english:
                continue
            has_concept = bool(en_re.search(PLACEHOLDER.sub("", "\n".join(texts(english[key])))))
            if has_concept and not term_re.search(joined):
                problems.append(f"{lang} {key}: English says {name!r}, the text lacks {rule['term']!r}: {joined[:80]!r}")
            if rule.get("exclusive") and not has_concept and term_re.search(joined):
                problems.append(f"{lang} {key}: {rule['term']!r} means {name!r} only, but English here has no {name!r}")
    return problems


def count_noun_problems(lang: str, catalog: dict[str, object], nouns: list[str]) -> list[str]:
    """Plain strings that put a count noun right after a placeholder, or patch a plural by hand."""
    after_number = re.compile(r"\{\w+(?::[^}]*)?\}\s+(" + "|".join(map(re.escape, nouns)) + r")\b", FLAGS)
    by_hand = re.compile(r"\w\((s|i|y|e|ów|ek)\)")
    problems = []
    for key, value in catalog.items():
        for text in texts(value):
            if isinstance(value, str) and after_number.search(text):
                problems.append(f"{lang} {key}: {after_number.search(text).group(0)!r} needs a plural entry")
            if by_hand.search(text):
                problems.append(f"{lang} {key}: {by_hand.search(text).group(0)!r}: write a plural entry instead")
    return problems


def test_glossary_is_well_formed_and_every_concept_occurs():
    english = merged("en")
    en_text = "\n".join(t for v in english.values() for t in texts(v))
    for name, concept in GLOSSARY["concepts"].items():
        assert set(concept) >= {"en", *OTHERS}, f"{name}: needs en and {OTHERS}"
        assert re.search(concept["en"], en_text, FLAGS), f"{name}: no English text has it; remove or fix the regex"
        for lang in OTHERS:
            rule = concept[lang]
            assert rule.get("term"), f"{name}/{lang}: no term"
            for pattern in [rule.get("match", ""), *rule.get("forbidden", [])]:
                re.compile(pattern)
            assert re.search(rule.get("match", re.escape(rule["term"])), rule["term"], FLAGS), \
                f"{name}/{lang}: 'match' does not accept the term itself"
            for pattern in rule.get("forbidden", []):
                assert not re.search(pattern, rule["term"], FLAGS), f"{name}/{lang}: the term is forbidden"


@pytest.mark.parametrize("lang", OTHERS)
def test_catalog_uses_one_term_per_concept(lang):
    problems = glossary_problems(lang, merged(lang), merged("en"), GLOSSARY["concepts"])
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_counted_nouns_come_from_plural_entries(lang):
    problems = count_noun_problems(lang, merged(lang), GLOSSARY["count_nouns"][lang])
    assert not problems, "\n".join(problems)


def test_checkers_catch_the_inconsistencies_they_exist_for():
    concepts = {k: GLOSSARY["concepts"][k] for k in ("mode collapse", "preset", "default", "critic (WGAN)")}
    english = {"a.x": "Mode collapse: 3 digits", "a.p": "Preset", "a.d": "course defaults", "a.c": "critic",
               "a.story": "A creator and a critic"}
    zh_tw = {"a.x": "模式崩塌：3 個數字", "a.p": "預設", "a.d": "課程預設", "a.c": "評論器", "a.story": "評論者"}
    found = glossary_problems("zh-TW", zh_tw, english, concepts)
    assert any("a.x" in p and "'模式崩塌'" in p for p in found)  # a forbidden variant
    assert any("a.x" in p and "lacks" in p for p in found)  # ... and the term is missing
    assert any("a.p" in p and "lacks '示範設定'" in p for p in found)
    assert any("a.p" in p and "'預設' means 'default' only" in p for p in found)  # exclusive
    assert not any("a.d" in p or "a.c" in p for p in found)
    assert any("a.story" in p and "評論者" in p for p in found)  # forbidden everywhere, even in a skipped key
    pl = {"a.x": "Załamanie modów", "a.p": "Gotowe ustawienie", "a.d": "domyślne z kursu", "a.c": "krytyk"}
    found = glossary_problems("pl", pl, english, concepts)
    assert [p.split(":")[0] for p in found] == ["pl a.x", "pl a.x"]
    nouns = GLOSSARY["count_nouns"]["pl"]
    plural = {"count": "n", "one": "{n} punkt", "few": "{n} punkty", "many": "{n} punktów", "other": "{n} punktu"}
    found = count_noun_problems("pl", {"a.n": "Znaleziono {n} punktów", "a.ok": plural, "a.k": "({k} krok(i))",
                                       "a.loc": "na {n} próbkach", "a.fmt": "{n:,} kroków"}, nouns)
    assert sorted(p.split(":")[0] for p in found) == ["pl a.fmt", "pl a.k", "pl a.n"]
