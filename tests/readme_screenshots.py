"""Refresh the README's tour pictures from the browser suite's screenshots.

    .venv/bin/python -m pytest -m e2e tests/test_e2e_pages.py   # writes tests/artifacts/screens/
    .venv/bin/python tests/readme_screenshots.py [--readme]      # -> assets/screenshots/<page>.png

Each picture is the English page at 1280x800 as the class sees it on a fresh server, scaled to
960 px and reduced to 96 colours (a PNG of ~50 KB), so the tour stays small in the repository.
``--readme`` also rewrites the tour list in README.md (between ``<!-- tour:start -->`` and
``<!-- tour:end -->``: each page's title, address, one-line blurb from the catalogs and picture).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCREENS = ROOT / "tests" / "artifacts" / "screens" / "1280x800"
OUT = ROOT / "assets" / "screenshots"
WIDTH, COLOURS = 960, 96


def shrink(source: Path, target: Path) -> int:
    """The screenshot scaled to WIDTH and quantised; returns the PNG's size in bytes."""
    with Image.open(source) as im:
        im = im.convert("RGB")
        im = im.resize((WIDTH, round(im.height * WIDTH / im.width)), Image.LANCZOS)
        im.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            target, optimize=True)
    return target.stat().st_size


def main() -> None:
    import app
    from ui.i18n import catalog

    en = catalog("en")
    OUT.mkdir(parents=True, exist_ok=True)
    total, lines = 0, []
    for item in app.PAGES:
        stem = Path(item.path).stem
        source = SCREENS / f"{stem}_en.png"
        if not source.exists():
            print(f"missing {source} (run the browser suite first)", file=sys.stderr)
            continue
        total += shrink(source, OUT / f"{stem}.png")
        url = "" if item.path == app.PAGES[0].path else stem
        lines.append(f"- **{en[item.title_key]}** (`/{url}`): {en[item.blurb_key]}\n\n"
                     f"  ![{en[item.title_key]}](assets/screenshots/{stem}.png)")
    print(f"{len(lines)} pictures, {total / 1e6:.2f} MB in {OUT}", file=sys.stderr)
    if "--readme" in sys.argv:
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        start, end = "<!-- tour:start -->", "<!-- tour:end -->"
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        readme.write_text(head + start + "\n" + "\n".join(lines) + "\n" + end + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
