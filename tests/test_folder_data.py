"""Training on a folder of pictures: loading, validation, RGB batches, and the CLI end to end."""
import json

import numpy as np
import pytest
import torch
from PIL import Image

from gan_core.data import BatchSampler, load_image_folder
from gan_core.data.folder import FolderError


def write_folder(root, n=20, *, broken=1):
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    for i in range(n):
        w, h = 40 + 7 * i, 30 + 3 * i  # assorted sizes and aspect ratios
        arr = rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        img = Image.fromarray(arr)
        if i % 4 == 1:
            img = img.convert("L")  # grey files become RGB
        if i % 4 == 2:
            img = img.convert("RGBA")
        img.save(root / (f"img{i:02d}." + ("jpg" if i % 4 == 0 else "png")))
    for j in range(broken):
        (root / f"broken{j}.png").write_bytes(b"\x89PNG this is not really a picture")
    (root / "notes.txt").write_text("not an image")
    return root


def test_load_folder_rgb_and_skips(tmp_path):
    data = load_image_folder(write_folder(tmp_path / "horses"), size=32, min_images=8)
    assert data.images.shape == (20, 32, 32, 3) and data.images.dtype == np.uint8
    assert data.labels.shape == (20,) and data.name == "horses"
    assert "1 unreadable" in data.source


def test_too_few_and_bad_arguments(tmp_path):
    folder = write_folder(tmp_path / "few", n=3, broken=2)
    with pytest.raises(FolderError, match=r"found 3 usable image\(s\), need at least 16.*2 unreadable"):
        load_image_folder(folder)
    with pytest.raises(FolderError, match="one of 28, 32, 64"):
        load_image_folder(folder, size=48)
    with pytest.raises(FolderError, match="not a folder"):
        load_image_folder(tmp_path / "missing")


def test_huge_or_tiny_images_are_skipped(tmp_path, monkeypatch):
    import gan_core.data.folder as folder_mod

    folder = write_folder(tmp_path / "sizes", n=4, broken=0)
    Image.new("RGB", (4, 4)).save(folder / "tiny.png")
    monkeypatch.setattr(folder_mod, "MAX_PIXELS", 1500)  # the smallest test images are 40x30 = 1200
    data = load_image_folder(folder, size=28, min_images=1)
    assert len(data) < 4 and "unreadable" in data.source  # big ones and tiny.png skipped


def test_sampler_handles_rgb(tmp_path):
    data = load_image_folder(write_folder(tmp_path / "rgb"), size=64, min_images=8)
    x, y = BatchSampler(data=data, device="cpu", seed=0).sample(5)
    assert x.shape == (5, 3, 64, 64) and x.dtype == torch.float32
    assert -1.0 <= x.min() and x.max() <= 1.0 and y.shape == (5,)


def test_cli_trains_dcgan_on_a_folder(tmp_path, capsys):
    from gan_core import checkpoints
    from gan_core.cli import main

    folder = write_folder(tmp_path / "faces", n=18)
    out = tmp_path / "runs" / "faces_dcgan"
    code = main(["train", "--family", "dcgan", "--dataset", "folder", "--data-folder", str(folder),
                 "--image-size", "32", "--steps", "4", "--batch-size", "8", "--snapshots", "2", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    meta = json.loads(out.with_suffix(".json").read_text())
    assert "--data-folder" in meta["recipe"] and "--image-size 32" in meta["recipe"]
    assert meta["train_config"]["image_size"] == 32  # the same config always gives the same run
    assert meta["config"]["img_channels"] == 3 and meta["config"]["img_size"] == 32
    ckpt = checkpoints.load(out)
    z = torch.randn(2, ckpt.config.z_dim)
    assert ckpt.modules["G"](z).shape == (2, 3, 32, 32)
    with np.load(str(out) + ".timeline.npz") as f:
        assert f["grids"].shape[-1] == 3 and len(f["steps"]) >= 2
    assert out in [i.path for i in checkpoints.list_checkpoints(tmp_path / "runs")]


def test_cli_explains_a_bad_folder(tmp_path, capsys):
    from gan_core.cli import main

    folder = write_folder(tmp_path / "bad", n=2)
    code = main(["train", "--family", "dcgan", "--dataset", "folder", "--data-folder", str(folder),
                 "--image-size", "32", "--steps", "1", "--out", str(tmp_path / "x")])
    assert code == 2
    assert "need at least" in capsys.readouterr().err
    # a folder of pictures named as MNIST's IDX folder is an error that says what to do, not a silent
    # fallback to the embedded digits
    code = main(["train", "--family", "dcgan", "--data-folder", str(folder), "--steps", "1",
                 "--out", str(tmp_path / "y")])
    assert code == 2 and "--dataset folder" in capsys.readouterr().err


def test_folder_goes_through_the_validator(tmp_path):
    """16-bit greys are scaled (not clipped to white), EXIF rotation applies, renamed text is named."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    ramp = np.tile(np.linspace(0, 65535, 64), (64, 1)).astype(np.uint16)  # (64, 64) 16-bit grey ramp
    Image.fromarray(ramp).save(folder / "a_ramp16.png")
    tall = Image.new("RGB", (64, 32), "blue")
    tall.paste((255, 0, 0), (0, 0, 32, 32))  # stored: red left half; EXIF 6 turns it to red on top
    exif = Image.Exif()
    exif[0x0112] = 6
    tall.save(folder / "b_rotated.jpg", quality=95, exif=exif.tobytes())
    (folder / "c_letter.png").write_text("Dear Sir or Madam,\n" * 20)
    data = load_image_folder(folder, size=32, min_images=2)
    assert len(data) == 2 and "1 unreadable" in data.source
    grey = data.images[0].astype(float)  # the ramp: dark on the left, light on the right, not all white
    assert grey[:, :4].mean() < 20 and grey[:, -4:].mean() > 230 and 100 < grey.mean() < 155
    rotated = data.images[1].astype(int)  # centre square of the upright 32x64 picture: red above blue
    assert rotated[2, 16, 0] > 200 and rotated[29, 16, 2] > 200
    with pytest.raises(FolderError, match=r"c_letter.png: This file is a text file renamed to \.png"):
        load_image_folder(folder, size=32, min_images=3)


def test_big_pictures_are_reduced_right_after_decoding(tmp_path, monkeypatch):
    import gan_core.data.folder as folder_mod

    seen = []
    real = folder_mod.load_image
    monkeypatch.setattr(folder_mod, "load_image", lambda *a, **kw: seen.append(kw["max_side"]) or real(*a, **kw))
    folder = tmp_path / "big"
    folder.mkdir()
    for i in range(2):
        Image.fromarray(np.full((900, 1200, 3), 60 * i + 40, np.uint8)).save(folder / f"{i}.png")
    data = load_image_folder(folder, size=28, min_images=2)
    assert data.images.shape == (2, 28, 28, 3) and seen == [112, 112]  # decoded at most 4 x 28 px long
    assert abs(int(data.images[1].mean()) - 100) <= 1
