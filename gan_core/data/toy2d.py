"""Two-dimensional toy distributions for the playground, plus CSV parsing of user points.

Every distribution lives inside the square [-BOX, BOX]^2 so that the heatmap, the manifold and
the divergence grid all share one frame. A distribution is turned into a *pool*: a fixed array of
samples (N, 2) float32 drawn once with a seed; training batches are random index draws from the
pool (cheap, and the same for built-in and user-drawn data).
"""
from __future__ import annotations

import csv
import io
import math
import re

import numpy as np

BOX = 3.0  # the playground shows x, y in [-BOX, BOX]
DISTRIBUTIONS = ("ring", "grid", "moons", "spiral", "line", "custom")
MAX_CSV_BYTES = 2**20  # 1 MiB, the uploader's "1MB per file"; the page lowers it to upload_mb if that is smaller
MAX_CSV_ROWS = 20_000  # a spreadsheet column of a few thousand points is a normal thing to bring
MAX_CELL_CHARS = 100  # a float needs ~25 characters; csv itself stops at 131,072 with a bare _csv.Error
FLOAT32_MAX = float(np.finfo(np.float32).max)  # ~3.4e38: the playground trains in float32; 1e39 -> inf
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:[eE][+-]?\d+)?")  # "1,5" as Polish / German Excel writes 1.5
MIN_POINTS = 2


class ToyDataError(ValueError):
    """Bad user data. `code` + `params` let a page show a translated message (i18n key
    "learn_playground.err_<code>" with the same placeholders); str(err) is the English text."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def mode_centers(name: str) -> np.ndarray | None:
    """Centres of the Gaussian modes for the mixture distributions, (K, 2); None otherwise."""
    if name == "ring":
        ang = np.arange(8) * (2 * math.pi / 8)
        return np.stack([2.0 * np.cos(ang), 2.0 * np.sin(ang)], axis=1)
    if name == "grid":
        g = np.arange(-2.0, 2.01, 1.0)
        xx, yy = np.meshgrid(g, g)
        return np.stack([xx.ravel(), yy.ravel()], axis=1)
    return None


MODE_STD = {"ring": 0.08, "grid": 0.06}


def sample_distribution(name: str, n: int, *, seed: int = 0) -> np.ndarray:
    """n samples (n, 2) float32 from a built-in distribution (not "custom")."""
    rng = np.random.default_rng(seed)
    if name in ("ring", "grid"):
        centers = mode_centers(name)
        k = rng.integers(0, len(centers), size=n)
        pts = centers[k] + rng.normal(0.0, MODE_STD[name], size=(n, 2))
    elif name == "moons":
        # two interleaved half circles (unit radius), shifted and scaled to fill the box
        upper = rng.random(n) < 0.5
        t = rng.uniform(0.0, math.pi, size=n)
        x = np.where(upper, np.cos(t), 1.0 - np.cos(t))
        y = np.where(upper, np.sin(t), 0.5 - np.sin(t))
        pts = np.stack([x - 0.5, y - 0.25], axis=1) * 1.6 + rng.normal(0.0, 0.06, size=(n, 2))
    elif name == "spiral":
        # Archimedean spiral r ~ theta, 1.75 turns
        t = np.sqrt(rng.random(n)) * 3.5 * math.pi
        r = 0.22 * t
        pts = np.stack([r * np.cos(t), r * np.sin(t)], axis=1) + rng.normal(0.0, 0.05, size=(n, 2))
    elif name == "line":
        t = rng.uniform(-2.0, 2.0, size=n)
        pts = np.stack([t, 0.5 * t], axis=1) + rng.normal(0.0, 0.03, size=(n, 2))
    else:
        raise KeyError(f"unknown distribution {name!r}; valid: {', '.join(DISTRIBUTIONS)}")
    return np.clip(pts, -BOX, BOX).astype(np.float32)


def pool_from_points(points: np.ndarray, n: int, *, seed: int = 0, jitter: float = 0.05) -> np.ndarray:
    """A pool (n, 2) drawn from user points: pick a point uniformly, add N(0, jitter^2) noise.

    The jitter turns a handful of clicked points into a smooth density the nets can learn.
    """
    pts = np.asarray(points, dtype=np.float32).reshape(-1, 2)
    if len(pts) < MIN_POINTS:
        raise ToyDataError("too_few", f"need at least {MIN_POINTS} points, got {len(pts)}", n=len(pts), min=MIN_POINTS)
    rng = np.random.default_rng(seed)
    out = pts[rng.integers(0, len(pts), size=n)] + rng.normal(0.0, jitter, size=(n, 2))
    return np.clip(out, -BOX, BOX).astype(np.float32)


def make_pool(name: str, n: int = 20_000, *, seed: int = 0, points: np.ndarray | None = None) -> np.ndarray:
    """The sample pool for a distribution; "custom" needs `points` (K, 2)."""
    if name == "custom":
        if points is None:
            raise ToyDataError("need_points", "the custom distribution needs points (draw or upload some)")
        return pool_from_points(points, n, seed=seed)
    return sample_distribution(name, n, seed=seed)


def fit_to_box(points: np.ndarray, *, half_width: float = 2.5) -> np.ndarray:
    """Centre points and scale them uniformly so the largest |coordinate| is half_width.

    Uploaded CSVs come in any units (metres, pixels...); the shape is kept, the scale is not.
    """
    pts = np.asarray(points, dtype=np.float64)
    centred = pts - (pts.max(axis=0) + pts.min(axis=0)) / 2.0
    span = float(np.abs(centred).max())
    scale = half_width / span if span > 0 else 1.0
    return (centred * scale).astype(np.float32)


def text_of(cells: list[str]) -> str:
    """A short echo of a bad row for error messages."""
    return ",".join(cells)[:40]


def _number(cell: str, delimiter: str | None) -> float:
    """A cell as a float; a decimal comma ("1,5") counts when the separator is not a comma."""
    if delimiter != "," and _DECIMAL_COMMA.fullmatch(cell):
        cell = cell.replace(",", ".")
    return float(cell)


def _is_header(row: list[str], delimiter: str | None = ",") -> bool:
    try:
        [_number(c, delimiter) for c in row]
    except ValueError:
        return True
    return False


def _delimiter(sample: str) -> str | None:
    """";" (spreadsheets in comma-decimal languages), tab, ",", or None for spaces between x and y."""
    if ";" in sample:
        return ";"
    if "\t" in sample:
        return "\t"
    if "," in sample:
        return ","
    return None


def _rows(text: str, delimiter: str | None):  # -> Iterator[list[str]]
    """Rows of cells. newline=None: "\\r\\n" and a lone "\\r" (old Mac / Excel exports) end a line too."""
    lines = io.StringIO(text, newline=None)
    if delimiter is None:
        yield from (line.split() for line in lines)
        return
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        yield from reader
    except csv.Error:  # non-strict csv raises only for a cell over its field limit (131,072 characters)
        raise ToyDataError("long_value", f"row {reader.line_num}: a value is longer than {MAX_CELL_CHARS} characters",
                           row=reader.line_num, limit=MAX_CELL_CHARS) from None


def _value(cell: str, delimiter: str | None, lineno: int, cells: list[str]) -> float:
    """One coordinate, refused (naming the row) unless it is a number float32 can hold."""
    if len(cell) > MAX_CELL_CHARS:
        raise ToyDataError("long_value", f"row {lineno}: a value is longer than {MAX_CELL_CHARS} characters",
                           row=lineno, limit=MAX_CELL_CHARS)
    try:
        v = _number(cell, delimiter)
    except ValueError:
        raise ToyDataError("not_number", f"row {lineno}: not a number: {text_of(cells)!r}", row=lineno, text=text_of(cells)) from None
    if math.isnan(v) or (math.isinf(v) and "inf" in cell.lower()):  # written as nan / inf / infinity
        raise ToyDataError("not_finite", f"row {lineno}: values must be finite numbers", row=lineno)
    if abs(v) > FLOAT32_MAX:  # 1e39, or 1e999 (inf in float64 too)
        raise ToyDataError("out_of_range", f"row {lineno}: {text_of(cells)!r} is beyond +-{FLOAT32_MAX:.1e}, "
                           "the largest float32", row=lineno, text=text_of(cells), limit=FLOAT32_MAX)
    return v


def parse_points_csv(data: bytes | str, *, max_bytes: int = MAX_CSV_BYTES, max_rows: int = MAX_CSV_ROWS) -> np.ndarray:
    """Parse "x,y" rows into (N, 2) float32; raise ToyDataError naming the first bad row.

    Accepted: an optional header line (first row, non-numeric, e.g. "x,y"), blank lines,
    comma / semicolon / tab / space separators, and a decimal comma with semicolons or tabs (a
    Polish Excel export: "1,5;2,25"), and "\\n", "\\r\\n" or "\\r" line ends. Rows are numbered from 1 as a
    spreadsheet would. Refused, naming the row: a cell over MAX_CELL_CHARS, a quote that never closes (csv
    would swallow the rest of the file into one cell), text, nan / inf, and numbers
    beyond float32 (the page trains in float32, where 1e39 becomes inf and poisons the run).
    """
    if isinstance(data, bytes):
        if len(data) > max_bytes:
            raise ToyDataError("too_big", f"file is {len(data):,} bytes; the limit is {max_bytes:,} bytes", size=len(data), limit=max_bytes)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ToyDataError("not_utf8", f"file is not UTF-8 text (byte {exc.start}); save it as a plain CSV", byte=exc.start) from None
    else:
        text = data
        if len(text.encode("utf-8")) > max_bytes:
            raise ToyDataError("too_big", f"file is larger than {max_bytes:,} bytes", size=len(text), limit=max_bytes)
    if "\x00" in text:
        raise ToyDataError("binary", "file contains binary data; expected a text CSV with x,y rows")
    delimiter = _delimiter(text[:4096])
    rows: list[tuple[float, float]] = []
    for lineno, row in enumerate(_rows(text, delimiter), start=1):
        if delimiter is not None and any("\n" in c for c in row):  # a quote opened and never closed
            raise ToyDataError("open_quote", f'row {lineno}: a value opens a quotation mark (") that never closes',
                               row=lineno)
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if lineno == 1 and _is_header(cells, delimiter):
            continue
        if len(cells) != 2:
            raise ToyDataError("columns", f"row {lineno}: expected 2 values (x,y), found {len(cells)}", row=lineno, n=len(cells))
        rows.append((_value(cells[0], delimiter, lineno, cells), _value(cells[1], delimiter, lineno, cells)))
        if len(rows) > max_rows:
            raise ToyDataError("too_many_rows", f"more than {max_rows:,} rows (row {lineno}); use a smaller sample", row=lineno, limit=max_rows)
    if len(rows) < MIN_POINTS:
        raise ToyDataError("too_few", f"found {len(rows)} data rows; need at least {MIN_POINTS}", n=len(rows), min=MIN_POINTS)
    return np.asarray(rows, dtype=np.float32)
