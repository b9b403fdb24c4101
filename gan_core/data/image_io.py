"""The one gate every picture passes before a model sees it: uploads, training folders, photo sources.

``load_image(source, max_side=512)`` takes bytes, a path or an uploaded file and returns a frozen
``LoadedImage`` (uint8 pixels + notes such as "downscaled from 6000x4000 to 512x341"), or raises
``ImageRejected``, whose ``code`` + ``params`` are stable keys a page can translate and whose
message says in plain English what was wrong and what to do. No Pillow exception escapes.

Order of the checks (cheapest first, nothing decoded before the header is judged):
1. byte size (a path is measured with ``stat`` before it is read);
2. type sniffed from the first bytes, never from the file name; Pillow may only use that one
   plugin (``Image.open(formats=[...])``), so no exotic decoder is ever tried on user data;
3. width x height from the header against ``max_pixels`` and ``min_side`` (decompression bombs:
   a 100-byte PNG may claim 30000x30000 = 2.7 GB of RGB); Pillow's own bomb error is mapped too;
4. decode, JPEG at a reduced scale (``draft``: 1/2, 1/4 or 1/8 of the pixels) when ``max_side``
   allows, then 16-bit/float/palette/CMYK/... -> 8 bits, downscale, alpha on white, EXIF rotation.

Pillow's DecompressionBombWarning is not turned into an error with ``warnings.catch_warnings``:
that swaps the process-wide filter list and is not thread-safe (Streamlit runs one script thread
per browser tab). Instead the pixel limit is ``min(max_pixels, Image.MAX_IMAGE_PIXELS)``, checked
right after the header is read, so every image Pillow would warn about is rejected anyway.
"""

from __future__ import annotations

import io
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from PIL import Image

__all__ = ["FOLDER_LIMITS", "UPLOAD_LIMITS", "ImageLimits", "ImageNote", "ImageRejected", "LoadedImage",
           "load_image"]

# English defaults; pages translate through i18n with the same code and params.
MESSAGES: dict[str, str] = {
    "empty": "The file is empty (0 bytes): choose the photo again, or upload another {allowed} photo.",
    "unreadable": "Could not read {name} ({reason}): check the path and the file's permissions.",
    "too_large": "The file is {mb:.1f} MB, more than the {limit_mb:.0f} MB limit: "
                 "save it as a smaller JPEG or resize it, then try again.",
    "text_file": "This file contains text, not a picture: upload a {allowed} photo.",
    "text_renamed": "This file is a text file renamed to {extension}: upload a {allowed} photo.",
    "not_an_image": "This file is not a picture (its first bytes match no image format): "
                    "upload a {allowed} photo.",
    "unsupported_format": "This is a {format} file, which is not accepted here: "
                          "convert it to {allowed} and try again.",
    "too_many_pixels": "The picture is {width}x{height} pixels ({megapixels:.0f} megapixels), more than "
                       "the {limit_megapixels:.0f}-megapixel limit: resize it and try again.",
    "pixel_bomb": "The picture claims {megapixels:.0f} megapixels, far more than the "
                  "{limit_megapixels:.0f}-megapixel limit: resize it and try again.",
    "too_small": "The picture is only {width}x{height} pixels; it needs at least {min_side} pixels on "
                 "each side: use a larger photo.",
    "corrupt": "The {format} file could not be decoded (it may be truncated or damaged): open it in "
               "an image viewer, save it again and retry.",
}
NOTES: dict[str, str] = {
    "downscaled": "downscaled from {width}x{height} to {new_width}x{new_height}",
    "first_frame": "first frame of an animated {format}",
    "exif_rotated": "turned upright as the photo's EXIF orientation ({orientation}) asks",
    "alpha_on_white": "transparent areas placed on white",
    "scaled_bits": "{bits}-bit picture scaled to 8 bits",
    "stretched": "{bits}-bit picture stretched from its range {low:g}..{high:g} to 0..255",
    "converted": "converted from {mode} to {target}",
}

# First bytes -> Pillow format name. Longer, more specific signatures are irrelevant here: no two overlap.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"), (b"MM\x00*", "TIFF"),
)
_BMP_HEADER_SIZES = (12, 40, 52, 56, 64, 108, 124)  # "BM" alone is too weak: a text may start with it
# Recognised only to name them in the message.
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"), (b"PK\x03\x04", "ZIP"), (b"\x00\x00\x01\x00", "ICO"), (b"8BPS", "Photoshop PSD"),
)
_FTYP = {b"heic": "HEIC", b"heix": "HEIC", b"mif1": "HEIF", b"msf1": "HEIF", b"avif": "AVIF"}
_FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF", "BMP": "BMP", "TIFF": "TIFF"}
# EXIF orientation (tag 0x0112) -> the transpose that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
            4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270,
            7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90}


@dataclass(frozen=True)
class ImageLimits:
    """What a caller accepts. ``formats`` are Pillow names (JPEG, PNG, WEBP, GIF, BMP, TIFF)."""

    max_bytes: int = 10_000_000
    max_pixels: int = 50_000_000  # from the header, before decoding; 8000x6000 phone photos pass
    min_side: int = 16  # a photo translator needs some pixels to work on
    formats: tuple[str, ...] = ("JPEG", "PNG", "WEBP", "GIF")

    def __post_init__(self) -> None:
        for name in ("max_bytes", "max_pixels", "min_side"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < 1:
                raise ValueError(f"ImageLimits.{name} must be an integer >= 1, got {value!r}")
        unknown = set(self.formats) - set(_FORMAT_NAMES)
        if not self.formats or unknown:
            raise ValueError(f"ImageLimits.formats must be a non-empty subset of {sorted(_FORMAT_NAMES)}, "
                             f"got {self.formats!r}")

    @property
    def allowed(self) -> str:
        """The accepted formats for a sentence: "JPEG, PNG, WebP or GIF"."""
        names = [_FORMAT_NAMES[f] for f in self.formats]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


UPLOAD_LIMITS = ImageLimits()
FOLDER_LIMITS = ImageLimits(max_bytes=64_000_000, max_pixels=40_000_000, min_side=8,
                            formats=("JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"))


class ImageRejected(ValueError):
    """A picture that cannot be used. ``code`` and ``params`` are stable (for i18n); str() is English."""

    def __init__(self, code: str, params: Mapping[str, Any] | None = None) -> None:
        self.code = code
        self.params = dict(params or {})
        super().__init__(MESSAGES[code].format(**self.params))


@dataclass(frozen=True)
class ImageNote:
    """Something the loader changed that the user should know about."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return NOTES[self.code].format(**self.params)


@dataclass(frozen=True, eq=False)  # eq=False: arrays do not compare as one bool
class LoadedImage:
    pixels: np.ndarray  # uint8 (H, W, 3) for mode "RGB", (H, W) for "L"
    format: str  # the sniffed Pillow format, e.g. "PNG"
    original_size: tuple[int, int]  # (width, height) stored in the file, before rotation
    notes: tuple[ImageNote, ...] = ()

    @property
    def messages(self) -> tuple[str, ...]:
        return tuple(n.message for n in self.notes)


def sniff_format(head: bytes) -> str | None:
    """Pillow format name from the first bytes, or None for anything that is not a known picture."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:2] == b"BM" and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "BMP"
    return next((fmt for magic, fmt in _MAGIC if head.startswith(magic)), None)


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):  # UTF-8/16 byte-order marks
        return True
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:  # a multi-byte character cut at the end of `head` is still text
        if exc.start < len(head) - 3:
            return False
        text = head[: exc.start].decode("utf-8")
    return bool(text) and all(c.isprintable() or c in "\t\r\n\f" for c in text)


def _other_format(head: bytes) -> str | None:
    if head[4:8] == b"ftyp" and head[8:12] in _FTYP:
        return _FTYP[head[8:12]]  # iPhone photos (HEIC) are the common case
    return next((fmt for magic, fmt in _OTHER_MAGIC if head.startswith(magic)), None)


def _read(source: bytes | bytearray | memoryview | str | os.PathLike | BinaryIO,
          limits: ImageLimits) -> tuple[bytes, str]:
    """(content, name); a path is measured before it is read, a stream is read up to the limit + 1."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data, name = bytes(source), ""
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise ImageRejected("too_large", {"mb": size / 1e6, "limit_mb": limits.max_bytes / 1e6})
            data = path.read_bytes()
        except OSError as exc:
            raise ImageRejected("unreadable", {"name": path.name, "reason": exc.strerror or type(exc).__name__}) \
                from None
        name = path.name
    else:  # a file object, e.g. Streamlit's UploadedFile (a BytesIO with .name)
        seekable = getattr(source, "seekable", lambda: False)()
        if seekable:
            source.seek(0)  # a re-run script may hand over the same, already-read upload
        data, name = source.read(limits.max_bytes + 1), str(getattr(source, "name", "") or "")
        if len(data) > limits.max_bytes and seekable:  # say the file's size, not where reading stopped
            raise ImageRejected("too_large", {"mb": source.seek(0, io.SEEK_END) / 1e6,
                                              "limit_mb": limits.max_bytes / 1e6})
    if len(data) > limits.max_bytes:
        raise ImageRejected("too_large", {"mb": len(data) / 1e6, "limit_mb": limits.max_bytes / 1e6})
    return data, name


def _check_type(data: bytes, name: str, limits: ImageLimits) -> str:
    allowed = {"allowed": limits.allowed, "formats": limits.formats}
    if not data:
        raise ImageRejected("empty", allowed)
    head = data[:512]
    fmt = sniff_format(head)
    if fmt is None:
        if _looks_like_text(head):
            if b"<svg" in head.lower():
                raise ImageRejected("unsupported_format", {**allowed, "format": "SVG"})
            ext = Path(name).suffix.lower()
            if ext and ext not in (".txt", ".csv", ".md", ".json"):
                raise ImageRejected("text_renamed", {**allowed, "extension": ext})
            raise ImageRejected("text_file", allowed)
        other = _other_format(head)
        if other is None:
            raise ImageRejected("not_an_image", allowed)
        raise ImageRejected("unsupported_format", {**allowed, "format": other})
    if fmt not in limits.formats:
        raise ImageRejected("unsupported_format", {**allowed, "format": _FORMAT_NAMES[fmt]})
    return fmt


def _to_8bit(img: Image.Image, fmt: str, notes: list[ImageNote]) -> Image.Image:
    """Any Pillow mode -> one of L, LA, RGB, RGBA (8 bits per channel), with a note when it matters."""
    mode = img.mode
    if mode in ("L", "LA", "RGB", "RGBA"):
        return img
    if mode.startswith("I;16") or mode in ("I", "F"):
        a = np.nan_to_num(np.asarray(img).astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0)  # (H, W)
        if mode.startswith("I;16") or (mode == "I" and fmt == "PNG"):  # 16-bit samples 0..65535
            out = a / 257.0  # 65535 / 257 = 255 exactly: scaled, never clipped to white
            notes.append(ImageNote("scaled_bits", {"bits": 16}))
        elif mode == "F" and a.min() >= 0.0 and a.max() <= 1.0:
            out = a * 255.0
            notes.append(ImageNote("scaled_bits", {"bits": 32}))
        else:  # 32-bit integers or floats of unknown range: stretch what is there
            low, high = float(a.min()), float(a.max())
            out = (a - low) * (255.0 / (high - low)) if high > low else np.zeros_like(a)
            notes.append(ImageNote("stretched", {"bits": 32, "low": low, "high": high}))
        return Image.fromarray(np.clip(np.rint(out), 0, 255).astype(np.uint8), mode="L")
    if mode in ("P", "PA"):
        has_alpha = mode == "PA" or "transparency" in img.info
        return img.convert("RGBA" if has_alpha else "RGB")  # the palette is a lookup table, not a mode
    target = {"1": "L", "La": "LA", "RGBa": "RGBA", "RGBX": "RGB"}.get(mode, "RGB")
    notes.append(ImageNote("converted", {"mode": mode, "target": target}))  # CMYK, YCbCr, LAB, HSV, ...
    return img.convert(target)


def _decode(data: bytes, fmt: str, max_side: int | None, limits: ImageLimits,
            notes: list[ImageNote]) -> tuple[Image.Image, tuple[int, int], int]:
    """Header checks, then decode (JPEG at reduced scale) -> (8-bit image, stored size, EXIF orientation)."""
    pixel_limit = min(limits.max_pixels, Image.MAX_IMAGE_PIXELS or limits.max_pixels)
    try:
        img = Image.open(io.BytesIO(data), formats=[fmt])
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # refused inside open()
        # (the warning arrives as an exception only where warnings are errors, e.g. python -W error)
        claimed = re.search(r"\((\d+) pixels\)", str(exc))  # "Image size (900000000 pixels) exceeds ..."
        raise ImageRejected("pixel_bomb", {"megapixels": int(claimed[1]) / 1e6 if claimed else float("inf"),
                                           "limit_megapixels": pixel_limit / 1e6}) from None
    width, height = img.size
    if width * height > pixel_limit:
        raise ImageRejected("too_many_pixels", {"width": width, "height": height,
                                                "megapixels": width * height / 1e6,
                                                "limit_megapixels": pixel_limit / 1e6})
    if min(width, height) < limits.min_side:
        raise ImageRejected("too_small", {"width": width, "height": height, "min_side": limits.min_side})
    if getattr(img, "is_animated", False):  # GIF / APNG / WebP / multi-page TIFF: we stay on frame 0
        notes.append(ImageNote("first_frame", {"format": _FORMAT_NAMES[fmt]}))
    try:
        orientation = int(img.getexif().get(0x0112, 1))
    except Exception:  # noqa: BLE001 - a malformed EXIF block only loses the rotation
        orientation = 1
    if fmt == "JPEG" and max_side is not None and max(width, height) > max_side:
        k = max_side / max(width, height)  # decode at the smallest 1/2^n scale still >= the target
        img.draft(None, (math.ceil(width * k), math.ceil(height * k)))
    img.load()
    return _to_8bit(img, fmt, notes), (width, height), orientation


def load_image(source: bytes | bytearray | memoryview | str | os.PathLike | BinaryIO, *,
               max_side: int | None = 512, mode: str = "RGB",
               limits: ImageLimits = UPLOAD_LIMITS) -> LoadedImage:
    """Validate and decode one picture -> ``LoadedImage`` (uint8, long side <= ``max_side``).

    ``mode`` is "RGB" (H, W, 3) or "L" (H, W); ``max_side=None`` keeps the full size. Raises
    ``ImageRejected`` (a ValueError) for every unusable input, with ``code`` in ``MESSAGES``.
    """
    if mode not in ("RGB", "L"):
        raise ValueError(f"mode must be 'RGB' or 'L', got {mode!r}")
    if max_side is not None and max_side < 1:
        raise ValueError(f"max_side must be >= 1 or None, got {max_side}")
    data, name = _read(source, limits)
    fmt = _check_type(data, name, limits)
    notes: list[ImageNote] = []
    try:
        img, (width, height), orientation = _decode(data, fmt, max_side, limits, notes)
        if max_side is not None and max(img.size) > max_side:
            k = max_side / max(width, height)
            new = (max(1, round(width * k)), max(1, round(height * k)))
            # reducing_gap: box-average by an integer factor first (fast), then Lanczos for the rest
            img = img.resize(new, Image.Resampling.LANCZOS, reducing_gap=3.0)
        if img.mode in ("RGBA", "LA"):
            alpha = img.getchannel("A")
            if alpha.getextrema()[0] < 255:
                notes.append(ImageNote("alpha_on_white"))
            white = Image.new(img.mode[:-1], img.size, "white")
            white.paste(img.convert(img.mode[:-1]), mask=alpha)  # composite over white, not over black
            img = white
        img = img.convert(mode)
        if orientation in _UPRIGHT:
            img = img.transpose(_UPRIGHT[orientation])
            notes.append(ImageNote("exif_rotated", {"orientation": orientation}))
        pixels = np.array(img, dtype=np.uint8)  # a copy: nothing keeps the Pillow buffer alive
    except ImageRejected:
        raise
    except Exception:  # noqa: BLE001 - Pillow plugins raise OSError, SyntaxError, struct.error, ...
        raise ImageRejected("corrupt", {"format": _FORMAT_NAMES[fmt]}) from None
    if max(pixels.shape[:2]) < max(width, height):
        shown = (height, width) if orientation in (5, 6, 7, 8) else (width, height)  # as displayed
        notes.insert(0, ImageNote("downscaled", {"width": shown[0], "height": shown[1],
                                                 "new_width": pixels.shape[1], "new_height": pixels.shape[0]}))
    return LoadedImage(pixels=pixels, format=fmt, original_size=(width, height), notes=tuple(notes))
