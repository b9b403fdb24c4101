"""The image validator against a corpus of good and bad files that this test writes in tmp_path."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from gan_core.data.image_io import (
    FOLDER_LIMITS,
    MESSAGES,
    NOTES,
    UPLOAD_LIMITS,
    ImageLimits,
    ImageRejected,
    load_image,
    sniff_format,
)


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def gradient(w=64, h=48) -> Image.Image:
    """A smooth colour picture: red grows left to right, green top to bottom."""
    x, y = np.meshgrid(np.linspace(0, 255, w), np.linspace(0, 255, h))
    return Image.fromarray(np.stack([x, y, np.full_like(x, 90)], -1).astype(np.uint8))


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A real 8x8 PNG whose IHDR says width x height (CRC recomputed, so only the size lies)."""
    data = bytearray(encode(Image.new("RGB", (8, 8), "red"), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))  # CRC over "IHDR" + its 13 bytes
    return bytes(data)


def png_rgb16(pixels: np.ndarray) -> bytes:
    """A 16-bit-per-channel RGB PNG written by hand (Pillow cannot write one)."""
    h, w, _ = pixels.shape
    rows = b"".join(b"\x00" + pixels[r].astype(">u2").tobytes() for r in range(h))  # filter 0 per row
    ihdr = struct.pack(">IIBBBBB", w, h, 16, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(rows))
            + png_chunk(b"IEND", b""))


def rejected(source, **kw) -> ImageRejected:
    with pytest.raises(ImageRejected) as info:
        load_image(source, **kw)
    assert "{" not in str(info.value) and str(info.value).endswith(".")  # a finished sentence
    return info.value


def test_bad_files_get_codes_and_the_next_good_file_still_works(tmp_path):
    good = encode(gradient(), "JPEG", quality=90)
    jpeg = encode(gradient(200, 150), "JPEG")
    corpus = {
        "empty.jpg": (b"", "empty"),
        "truncated.jpg": (jpeg[: len(jpeg) // 2], "corrupt"),
        "notes.png": (b"shopping list:\n- milk\n- eggs\n" * 5, "text_renamed"),
        "notes.txt": ("zażółć gęślą jaźń, 你好\n".encode() * 5, "text_file"),
        "bomb.png": (png_claiming(30000, 30000), "pixel_bomb"),
        "big_header.png": (png_claiming(8000, 8000), "too_many_pixels"),
        "dot.png": (encode(Image.new("RGB", (1, 1), "blue"), "PNG"), "too_small"),
        "huge.png": (b"\x89PNG\r\n\x1a\n" + bytes(10_500_000), "too_large"),
        "photo.heic": (b"\x00\x00\x00\x18ftypheic" + bytes(200), "unsupported_format"),
        "drawing.svg": (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "unsupported_format"),
        "old.bmp": (encode(gradient(), "BMP"), "unsupported_format"),  # BMP: folders only
        "cars.bmp": (b"BMW and other cars we like\n" * 10, "text_renamed"),  # "BM" alone is no BMP
        "noise.jpg": (bytes(np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8)), "not_an_image"),
    }
    for name, (data, code) in corpus.items():
        path = tmp_path / name
        path.write_bytes(data)
        err = rejected(path)
        assert err.code == code, (name, err.code, str(err))
        assert MESSAGES[code].format(**err.params) == str(err)
        if code == "text_renamed":
            assert f"text file renamed to {path.suffix}" in str(err) and err.params["extension"] == path.suffix
        ok = load_image(good)  # a bad file never leaves the loader in a broken state
        assert ok.pixels.shape == (48, 64, 3) and ok.format == "JPEG" and ok.notes == ()
    assert rejected(tmp_path / "missing.png").code == "unreadable"
    assert rejected(tmp_path / "huge.png").params["limit_mb"] == 10.0  # from stat(), before reading
    assert rejected(corpus["bomb.png"][0]).params["megapixels"] == 900.0


def test_a_too_large_upload_reports_its_whole_size():
    """A stream is read only up to the limit + 1 bytes, but the message names the file's real size."""
    err = rejected(io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(2_500_000)), limits=ImageLimits(max_bytes=1_000_000))
    assert err.code == "too_large" and err.params == {"mb": 2.500008, "limit_mb": 1.0}


def test_header_checked_before_decoding():
    err = rejected(png_claiming(8000, 8000))  # 64 MP > 50 MP: refused from the header alone
    assert (err.params["width"], err.params["height"]) == (8000, 8000)
    assert "8000x8000 pixels (64 megapixels)" in str(err)
    err = rejected(png_claiming(100, 100), limits=ImageLimits(max_pixels=5000))
    assert err.code == "too_many_pixels"  # the caller's own limit, far below Pillow's


def test_16bit_png_is_scaled_not_clipped():
    ramp = np.linspace(0, 65535, 32 * 32).reshape(32, 32).astype(np.uint16)  # (32, 32) 16-bit grey
    grey = load_image(encode(Image.fromarray(ramp), "PNG"), mode="L")
    assert grey.pixels.min() == 0 and grey.pixels.max() == 255
    np.testing.assert_allclose(grey.pixels, ramp / 257.0, atol=0.51)  # scaled, not clipped at 255
    assert grey.pixels.mean() == pytest.approx(127.5, abs=1) and grey.messages == ("16-bit picture scaled to 8 bits",)
    rgb16 = np.zeros((16, 16, 3), np.uint16)
    rgb16[..., 0], rgb16[..., 1], rgb16[..., 2] = 65535, 32896, 1000  # 255, 128, 3.9 in 8 bits
    out = load_image(png_rgb16(rgb16)).pixels
    assert out.shape == (16, 16, 3) and abs(int(out[0, 0, 0]) - 255) <= 1 and abs(int(out[0, 0, 1]) - 128) <= 1
    assert out[0, 0, 2] <= 4


def test_animated_gif_gives_first_frame_with_a_note():
    frames = [Image.new("P", (32, 32), i) for i in range(3)]
    for i, frame in enumerate(frames):
        frame.putpalette([255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * 759)
        frame.paste(i, (0, 0, 32, 32))
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    out = load_image(data)
    assert tuple(out.pixels[5, 5]) == (255, 0, 0)  # frame 0 is red
    assert out.messages == ("first frame of an animated GIF",)
    still = load_image(encode(frames[1], "GIF"))
    assert tuple(still.pixels[5, 5]) == (0, 255, 0) and still.notes == ()
    apng = encode(Image.new("RGB", (20, 20), "blue"), "PNG", save_all=True,
                  append_images=[Image.new("RGB", (20, 20), "white")])
    assert load_image(apng).messages == ("first frame of an animated PNG",)


def test_cmyk_jpeg_becomes_rgb():
    cmyk = Image.new("CMYK", (32, 32), (255, 0, 0, 0))  # pure cyan ink
    out = load_image(encode(cmyk, "JPEG", quality=95))
    assert out.pixels.shape == (32, 32, 3)
    r, g, b = (int(v) for v in out.pixels[16, 16])
    assert r < 20 and g > 235 and b > 235
    assert "converted from CMYK to RGB" in out.messages


def test_exif_orientation_is_applied():
    stored = Image.new("RGB", (40, 20), "blue")
    stored.paste((255, 0, 0), (0, 0, 20, 20))  # red on the left of the stored pixels
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90 degrees clockwise to display", as phones write it
    out = load_image(encode(stored, "JPEG", quality=95, exif=exif.tobytes()))
    assert out.pixels.shape == (40, 20, 3) and out.original_size == (40, 20)  # displayed upright: tall
    assert out.pixels[5, 10, 0] > 200 and out.pixels[35, 10, 2] > 200  # red on top, blue below
    assert any("EXIF orientation (6)" in m for m in out.messages)
    big = load_image(encode(gradient(600, 300), "JPEG", exif=exif.tobytes()), max_side=100)
    assert big.pixels.shape == (100, 50, 3) and big.messages[0] == "downscaled from 300x600 to 50x100"


def test_alpha_and_palette_transparency_on_white():
    pal = Image.new("P", (20, 20), 0)
    pal.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    pal.paste(1, (10, 0, 20, 20))  # right half blue; index 0 (red) is transparent
    out = load_image(encode(pal, "PNG", transparency=0))
    assert tuple(out.pixels[5, 2]) == (255, 255, 255) and tuple(out.pixels[5, 15]) == (0, 0, 255)
    assert out.messages == ("transparent areas placed on white",)
    rgba = Image.new("RGBA", (20, 20), (0, 0, 0, 128))  # half-transparent black -> mid grey
    assert abs(int(load_image(encode(rgba, "PNG")).pixels[0, 0, 0]) - 127) <= 1
    la = Image.new("LA", (20, 20), (0, 0))
    assert load_image(encode(la, "PNG"), mode="L").pixels.max() == 255
    opaque = load_image(encode(Image.new("RGBA", (20, 20), (10, 20, 30, 255)), "PNG"))
    assert tuple(opaque.pixels[0, 0]) == (10, 20, 30) and opaque.notes == ()


def test_webp_and_folder_formats():
    out = load_image(encode(gradient(), "WEBP", quality=95))
    assert out.format == "WEBP" and out.pixels.shape == (48, 64, 3)
    assert np.abs(out.pixels.astype(int) - np.asarray(gradient(), dtype=int)).mean() < 6
    for fmt in ("BMP", "TIFF"):
        assert load_image(encode(gradient(), fmt), limits=FOLDER_LIMITS).format == fmt
    f32 = Image.fromarray(np.linspace(-3, 5, 400, dtype=np.float32).reshape(20, 20))  # mode F, any range
    stretched = load_image(encode(f32, "TIFF"), limits=FOLDER_LIMITS, mode="L")
    assert stretched.pixels.min() == 0 and stretched.pixels.max() == 255 and "stretched" in stretched.messages[0]


def test_downscale_early_and_keep_aspect():
    out = load_image(encode(gradient(600, 400), "JPEG"), max_side=128)
    assert out.pixels.shape == (85, 128, 3) and out.original_size == (600, 400)
    assert out.messages == ("downscaled from 600x400 to 128x85",)
    png = load_image(encode(gradient(600, 400), "PNG"), max_side=128)
    assert png.pixels.shape == (85, 128, 3)
    assert np.abs(png.pixels.astype(int) - out.pixels.astype(int)).mean() < 4  # same picture either way
    assert load_image(encode(gradient(600, 400), "PNG"), max_side=None).pixels.shape == (400, 600, 3)


def test_uploaded_file_objects_and_arguments():
    upload = io.BytesIO(encode(gradient(), "PNG"))
    upload.name = "holiday.png"
    first = load_image(upload).pixels
    np.testing.assert_array_equal(load_image(upload).pixels, first)  # a re-run reads it from the start
    text = io.BytesIO(b"just some words here\n" * 4)
    text.name = "cat.jpg"
    assert rejected(text).params["extension"] == ".jpg"
    with pytest.raises(ValueError, match="mode"):
        load_image(b"x", mode="CMYK")
    with pytest.raises(ValueError, match="formats"):
        ImageLimits(formats=("JPEG", "PSD"))
    with pytest.raises(ValueError, match="max_bytes"):
        ImageLimits(max_bytes=0)
    assert UPLOAD_LIMITS.allowed == "JPEG, PNG, WebP or GIF"
    assert sniff_format(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "WEBP" and sniff_format(b"hello") is None
    assert set(NOTES) >= {"downscaled", "first_frame", "exif_rotated", "alpha_on_white", "scaled_bits"}


def test_damaged_files_never_raise_anything_else():
    rng = np.random.default_rng(1)
    originals = [encode(gradient(), fmt) for fmt in ("PNG", "JPEG", "GIF", "WEBP")]
    accepted = 0
    for data in originals:
        for _ in range(25):  # flip a few bytes past the magic number, or cut the file short
            broken = bytearray(data)
            if rng.random() < 0.5:
                for i in rng.integers(12, len(broken), 4):
                    broken[i] = int(rng.integers(256))
            else:
                broken = broken[: int(rng.integers(12, len(broken)))]
            try:
                load_image(bytes(broken))
                accepted += 1
            except ImageRejected as err:
                assert err.code in ("corrupt", "too_small", "too_many_pixels", "pixel_bomb")
    assert accepted < 100  # some damage must have been noticed
