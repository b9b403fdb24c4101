"""Labels that stay inside their box in hand-drawn SVG diagrams, in every language.

The server cannot measure text the way the browser will draw it (the font is the reader's
sans-serif), so widths are estimated on the generous side: a CJK character is one em, a Latin
letter about 0.6 em (bold a little more). A label whose estimate is wider than its box is drawn
smaller, down to ``MIN_SIZE``; one still too wide at that size is squeezed into the box with
``textLength`` (the browser then fits it exactly). ``tests/test_e2e_pages.py`` checks in a real
browser that no label ends up outside its diagram box.
"""

from __future__ import annotations

import html
import unicodedata

MIN_SIZE = 12.0  # px in the diagram's own units; below this a projector loses the text


def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0  # CJK ideographs, full-width punctuation
    if ch.isspace():
        return 0.3
    if ch in "il.,:;'!|()[]":
        return 0.32
    if ch.isupper() or ch.isdigit() or ch in "mwMW@%":
        return 0.68
    return 0.58


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated drawn width of ``text`` at font size ``size`` (generous, never much too small)."""
    return sum(_char_em(ch) for ch in text) * size * (1.08 if bold else 1.0)


def fit_size(text: str, size: float, width: float, *, bold: bool = False) -> float:
    """The font size at which ``text`` fits ``width`` (never larger than ``size``, never below MIN_SIZE)."""
    needed = text_width(text, size, bold=bold)
    if needed <= width:
        return size
    return max(MIN_SIZE, round(size * width / needed, 1))


def fitted_text(x: float, y: float, text: str, *, size: float, width: float, bold: bool = False,
                anchor: str = "middle", attrs: str = "") -> str:
    """An SVG <text> of ``text`` (XML-escaped) that fits ``width``: smaller, or squeezed at MIN_SIZE."""
    fs = fit_size(text, size, width, bold=bold)
    squeeze = ""
    if text_width(text, fs, bold=bold) > width:
        squeeze = f' textLength="{width:.0f}" lengthAdjust="spacingAndGlyphs"'
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-size="{fs:g}"{weight}{squeeze}'
            f'{" " + attrs if attrs else ""}>{html.escape(text)}</text>')
