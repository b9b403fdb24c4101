"""CGAN page helpers: the classifier's verdicts and a diagram of where the label enters G and D."""
from __future__ import annotations

import numpy as np

from gan_core.metrics import CLASSIFIER_STEM
from ui.i18n import pct, t


def verdicts(images: np.ndarray, wanted: list[int] | None = None) -> list[str]:
    """A caption per image: "→ 7 (99%) ✓" against the requested digit (index by default)."""
    if not CLASSIFIER_STEM.with_suffix(".json").is_file():
        return [t("explore_cgan.no_classifier")] * len(images)
    from gan_core.explore import classify

    cls, conf = classify(images)
    wanted = list(range(len(images))) if wanted is None else wanted
    return [t("explore_cgan.verdict_ok" if c == w else "explore_cgan.verdict_bad", d=int(c), p=pct(p))
            for c, p, w in zip(cls, conf, wanted)]


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def diagram_dot() -> str:
    """Graphviz DOT: [z ; onehot(y)] into G; D adds the score of digit y to its "looks real" score
    and, from the image alone, names the digit (which must equal y)."""
    lab = {k: _q(t(f"explore_cgan.diag_{k}")) for k in
           ("z", "y", "onehot", "concat_g", "g", "fake", "real", "d", "pick", "out", "aux", "match")}
    return f"""digraph cgan {{
  rankdir=TB; bgcolor="transparent"; nodesep=0.3; ranksep=0.35;
  node [shape=box, style="rounded,filled", fillcolor="#f1f5f9", fontname="sans-serif", fontsize=20];
  z [label={lab['z']}]; y [label={lab['y']}, fillcolor="#fde68a"];
  onehot [label={lab['onehot']}, fillcolor="#fde68a"]; cg [label={lab['concat_g']}];
  G [label={lab['g']}, fillcolor="#bfdbfe"]; fake [label={lab['fake']}]; real [label={lab['real']}];
  D [label={lab['d']}, fillcolor="#fecaca"]; pick [label={lab['pick']}, fillcolor="#fde68a"];
  out [label={lab['out']}, shape=ellipse]; aux [label={lab['aux']}, shape=ellipse];
  z -> cg; y -> onehot -> cg -> G -> fake -> D; real -> D;
  D -> pick -> out; y -> pick; D -> aux;
  y -> aux [style=dashed, label={lab['match']}, fontname="sans-serif", fontsize=18];
}}"""
