"""Hand-drawn SVG diagrams for the story page: one small picture per step of the story.

Shapes only (no emoji: projector laptops often lack colour-emoji fonts). Every label comes in
already translated and is XML-escaped here.
"""
from __future__ import annotations

import html

from ui.svg_text import fitted_text

W, H = 720, 230
REAL, FAKE, D_COL, NOISE = "#1b7837", "#762a83", "#2166ac", "#8c8c8c"


def _box(x: float, y: float, w: float, h: float, label: str, color: str, *, locked: bool = False,
         sub: str = "") -> str:
    tag = f"b{x:.0f}-{y:.0f}"  # data-fit / data-in: the browser test checks each label stays in its box
    out = (f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="12" fill="{color}" fill-opacity="0.14" '
           f'stroke="{color}" stroke-width="3" data-fit="{tag}"/>'
           + fitted_text(x + w / 2, y + h / 2 + (0 if sub else 6), label, size=19, width=w - 14, bold=True,
                         attrs=f'fill="{color}" data-in="{tag}"'))
    if sub:
        out += fitted_text(x + w / 2, y + h / 2 + 24, sub, size=15, width=w - 14,
                           attrs=f'fill="#333" data-in="{tag}"')
    if locked:  # a padlock in the top-right corner: "weights frozen"
        lx, ly = x + w - 30, y + 8
        out += (f'<rect x="{lx}" y="{ly + 10}" width="20" height="15" rx="3" fill="#444"/>'
                f'<path d="M{lx + 4},{ly + 10} v-4 a6,6 0 0 1 12,0 v4" fill="none" stroke="#444" stroke-width="3"/>')
    return out


def _arrow(x1: float, y1: float, x2: float, y2: float, label: str = "", color: str = "#333", *,
           dashed: bool = False, dy: float = -8) -> str:
    dash = ' stroke-dasharray="7,5"' if dashed else ""
    out = (f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{color}" stroke-width="3"{dash} '
           f'marker-end="url(#head)"/>')
    if label:
        out += fitted_text((x1 + x2) / 2, (y1 + y2) / 2 + dy, label, size=15, width=max(abs(x2 - x1) + 20, 80),
                           attrs=f'fill="{color}"')
    return out


def _note(x: float, y: float, label: str, *, size: float = 16, color: str = "#222", anchor: str = "start",
          width: float | None = None) -> str:
    """Free text, drawn small enough to fit ``width`` (default: up to the diagram's right edge)."""
    room = width if width is not None else W - x - 6
    return fitted_text(x, y, label, size=size, width=room, anchor=anchor, attrs=f'fill="{color}"')


def _frame(body: str, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="100%" '
            f'style="max-width:{int(W * 1.3)}px;background:white;border:1px solid #ddd;border-radius:8px" '
            f'font-family="sans-serif" role="img" aria-label="{html.escape(title)}">'
            '<defs><marker id="head" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto">'
            '<path d="M0,0 L10,4 L0,8 z" fill="#333"/></marker></defs>'
            f'{body}</svg>')


def diagram(step: int, L: dict[str, str]) -> str:
    """SVG for story step 1..6; `L` maps label names (see page) to translated strings."""
    if step == 1:  # forger and appraiser
        body = (_box(20, 80, 110, 60, L["noise"], NOISE) + _arrow(130, 110, 190, 110)
                + _box(190, 70, 150, 80, L["g"], FAKE, sub=L["forger"])
                + _arrow(340, 110, 440, 110, L["fake"], FAKE)
                + _box(445, 70, 150, 80, L["d"], D_COL, sub=L["detective"])
                + _box(445, 175, 150, 44, L["real"], REAL) + _arrow(520, 175, 520, 152, "", REAL)
                + _arrow(595, 110, 650, 110) + _note(655, 105, L["verdict"]))
    elif step == 2:  # counterfeiter and police: a loop
        body = (_box(60, 70, 180, 90, L["g"], FAKE, sub=L["counterfeiter"])
                + _box(480, 70, 180, 90, L["d"], D_COL, sub=L["police"])
                + _arrow(240, 95, 478, 95, L["banknotes"], FAKE) + _arrow(480, 140, 242, 140, L["verdict"], D_COL, dy=22)
                + _note(360, 40, L["round"], color="#333", anchor="middle", width=560))
    elif step == 3:  # creator and critic: expand, then contract
        body = (_box(10, 90, 100, 50, L["inspiration"], NOISE) + _arrow(110, 115, 150, 115)
                + f'<polygon points="150,95 290,45 290,185 150,135" fill="{FAKE}" fill-opacity="0.14" stroke="{FAKE}" stroke-width="3"/>'
                + fitted_text(225, 120, L["creator"], size=18, width=120, bold=True, attrs=f'fill="{FAKE}"')
                + _arrow(290, 115, 340, 115) + _box(340, 85, 100, 60, L["work"], FAKE) + _arrow(440, 115, 480, 115)
                + f'<polygon points="480,45 620,95 620,135 480,185" fill="{D_COL}" fill-opacity="0.14" stroke="{D_COL}" stroke-width="3"/>'
                + fitted_text(550, 120, L["critic"], size=18, width=120, bold=True, attrs=f'fill="{D_COL}"')
                + _arrow(620, 115, 650, 115) + _note(655, 100, f"1 {L['good']}") + _note(655, 135, f"0 {L['bad']}"))
    elif step == 4:  # the blind forger: no line of sight from G to the real data, only D's verdict
        body = (_box(30, 90, 170, 90, L["g"], FAKE, sub=L["blind"])
                + _box(300, 90, 170, 90, L["d"], D_COL, sub=L["detective"])
                + _box(560, 90, 140, 90, L["real"], REAL, sub=L["mona_lisa"]) + _arrow(560, 135, 472, 135)
                + _arrow(200, 112, 298, 112, L["fake"], FAKE) + _arrow(300, 160, 202, 160, L["score"], D_COL, dy=22)
                + '<path d="M115,88 Q 372,-20 630,88" fill="none" stroke="#999" stroke-width="2.5" stroke-dasharray="6,6"/>'
                + '<path d="M357,19 l30,30 M387,19 l-30,30" stroke="#d6604d" stroke-width="6" stroke-linecap="round"/>'
                + _note(396, 22, L["wall"], size=15, color="#d6604d"))
    elif step == 5:  # training step 1: G frozen, D learns real=1 fake=0
        body = (_box(20, 30, 150, 70, L["g"], FAKE, locked=True, sub=L["frozen"])
                + _arrow(170, 65, 300, 85, L["fake"], FAKE)
                + _box(20, 140, 150, 60, L["real"], REAL) + _arrow(170, 170, 300, 140, "", REAL)
                + _box(300, 70, 170, 90, L["d"], D_COL, sub=L["learns"])
                + _arrow(470, 95, 560, 70, "", REAL) + _note(565, 75, L["real_is_1"], size=17, color=REAL)
                + _arrow(470, 135, 560, 160, "", FAKE) + _note(565, 170, L["fake_is_0"], size=17, color=FAKE))
    else:  # training step 2: D frozen, G learns so that D says 1
        body = (_box(20, 85, 110, 60, L["noise"], NOISE) + _arrow(130, 115, 170, 115)
                + '<rect x="165" y="40" width="420" height="150" rx="16" fill="none" stroke="#999" stroke-dasharray="6,5"/>'
                + _note(375, 32, L["one_net"], size=15, color="#555", anchor="middle", width=410)
                + _box(180, 70, 150, 90, L["g"], FAKE, sub=L["learns"]) + _arrow(330, 115, 420, 115)
                + _box(420, 70, 150, 90, L["d"], D_COL, locked=True, sub=L["frozen"])
                + _arrow(570, 115, 620, 115) + _note(625, 120, L["target_1"], size=17, color=REAL)
                + _arrow(495, 212, 255, 212, L["gradient"], "#d6604d", dashed=True, dy=-6))
    return _frame(body, L.get("title", ""))
