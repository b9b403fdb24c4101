"""The CycleGAN family: config checks, losses, one step, exact resume (pools included), unpaired
domains from folders through the one validator, evaluation and the fp16 ship tool, and the CLI on
two tiny folders (train, resume, clear message for a folder with too few usable pictures)."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from gan_core import checkpoints, style
from gan_core.cli import main as cli
from gan_core.data.unpaired import MIN_IMAGES, CropSampler, Domain, DomainError, folder_domain
from gan_core.families import get_family
from gan_core.training.cyclegan_step import CycleGANConfig, CycleGANTrainer, g_adversarial, l1
from gan_core.training.family import IMAGE_TO_IMAGE, TRANSLATES_BOTH_WAYS


@pytest.fixture(autouse=True)
def _one_thread():
    """One torch thread: on a busy 2-core machine two threads wait on each other at every small op."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


TINY = {"base": 4, "n_blocks": 1, "d_base": 4, "d_layers": 2, "crop_size": 24, "photo_side": 48}


def pictures(n: int, seed: int, shape=(40, 56)) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    return tuple(rng.integers(0, 256, (*shape, 3), dtype=np.uint8) for _ in range(n))


def tiny_domains() -> tuple[Domain, Domain]:
    return (Domain(name="a", pictures=pictures(3, 0), source="test a"),
            Domain(name="b", pictures=pictures(3, 1, (30, 30)), source="test b"))


def trainer(**overrides) -> CycleGANTrainer:
    config = CycleGANConfig(**{**TINY, "steps": 10, "pool_size": 3, **overrides})
    return CycleGANTrainer(config=config, data=tiny_domains(), device=torch.device("cpu"))


def write_folder(folder: Path, n: int, *, bad: int = 0) -> Path:
    folder.mkdir(parents=True)
    for i, pic in enumerate(pictures(n, 7 + n, (36, 44))):
        Image.fromarray(pic).save(folder / f"p{i}.png" if i % 2 else folder / f"p{i}.jpg")
    for i in range(bad):
        (folder / f"bad{i}.png").write_bytes(b"not a picture at all, just words\n" * 4)
    return folder


def test_family_declared_by_capability():
    fam = get_family("cyclegan")
    assert {IMAGE_TO_IMAGE, TRANSLATES_BOTH_WAYS} <= fam.capabilities
    c = fam.default_config()  # the official recipe's weights
    assert (c.lambda_cycle, c.lambda_identity, c.pool_size, c.lr, c.beta1) == (10.0, 0.5, 50, 2e-4, 0.5)


@pytest.mark.parametrize("bad", [{"lambda_cycle": math.nan}, {"lambda_identity": -1.0}, {"lr": math.inf},
                                 {"crop_size": 16, "d_layers": 3}, {"domain_a": "  "}, {"steps": 0},
                                 {"base": 1000}, {"decay_from": -5}, {"upsample": "bilinear"}])
def test_config_refuses_bad_values(bad):
    with pytest.raises(ValueError):
        CycleGANConfig(**bad)


def test_losses_match_hand_computed_values():
    logits = torch.tensor([[0.0, 1.0], [2.0, 0.5]])
    assert g_adversarial(logits).item() == pytest.approx((1 + 0 + 1 + 0.25) / 4)  # no 1/2 in front
    assert l1(torch.tensor([1.0, -1.0]), torch.tensor([0.5, 0.0])).item() == pytest.approx(0.75)


def test_step_stats_identity_switch_and_lr_decay():
    t = trainer(decay_from=6, steps=10)
    calls = []
    t.G_AB.register_forward_hook(lambda *_: calls.append(1))
    stats = t.step()
    assert set(stats) == set(get_family("cyclegan").stat_names)
    assert all(torch.isfinite(v) for v in stats.values()) and stats["identity"] > 0
    assert len(calls) == 3  # G(a), G(F(b)) and the identity pass G(b)
    off = trainer(lambda_identity=0.0)
    calls_off = []
    off.G_AB.register_forward_hook(lambda *_: calls_off.append(1))
    assert off.step()["identity"] == 0 and len(calls_off) == 2
    lrs = []
    for s in range(10):
        t.steps_done = s
        lrs.append(t.lr_now())
    assert lrs[:7] == [2e-4] * 7 and lrs[8] == pytest.approx(2e-4 * 2 / 4) and lrs[-1] < lrs[-2]


def test_resume_continues_exactly_like_an_unbroken_run():
    straight = trainer()
    for _ in range(5):
        straight.step()
    first = trainer()
    for _ in range(3):
        first.step()
    state = first.state_dict()
    assert len(state["pools"]["A"]["images"]) == 3  # the pool's fakes travel with the state
    second = trainer()
    second.load_state_dict(state)
    for _ in range(2):
        second.step()
    for name, module in straight.modules.items():
        for (k, a), b in zip(module.state_dict().items(), second.modules[name].state_dict().values()):
            torch.testing.assert_close(a, b, msg=f"{name}.{k}")


def test_preview_rows_and_crop_sampler():
    t = trainer()
    grid = t.preview().image
    assert grid.dtype == np.uint8 and grid.shape == (4 * 26 + 2, 3 * 26 + 2, 3)  # 2 A rows + 2 B rows, 3 columns
    gen = torch.Generator().manual_seed(3)
    sampler = CropSampler(pictures(2, 5, (10, 12)), size=16, max_zoom_out=1.5, generator=gen)  # upscaled
    batch = sampler.sample(4)
    assert batch.shape == (4, 3, 16, 16) and batch.min() >= -1 and batch.max() <= 1
    again = CropSampler(pictures(2, 5, (10, 12)), size=16, max_zoom_out=1.5,
                        generator=torch.Generator().manual_seed(3)).sample(4)
    torch.testing.assert_close(batch, again)


def test_folder_domain_uses_the_validator_and_explains_too_few(tmp_path):
    good = folder_domain(write_folder(tmp_path / "ok", 4, bad=2), photo_side=32)
    assert len(good.pictures) == 4 and len(good.skipped) == 2 and max(good.pictures[0].shape[:2]) == 32
    assert "text file renamed to .png" in good.skipped[0]
    with pytest.raises(DomainError) as info:
        folder_domain(write_folder(tmp_path / "few", 2, bad=1), what="--domain-b")
    text = str(info.value)
    assert "--domain-b" in text and "has 2 usable picture(s)" in text and f"at least {MIN_IMAGES}" in text
    assert "Skipped 1 file(s)" in text and "Add more" in text
    with pytest.raises(DomainError, match="is not a folder"):
        folder_domain(tmp_path / "missing")


def test_round_trip_metrics_on_identity_nets():
    ident = torch.nn.Identity()
    ident.weight = torch.nn.Parameter(torch.zeros(1))  # _run reads the dtype from a parameter
    photo = pictures(1, 3, (20, 24))[0]
    trip = style.round_trip(ident, ident, photo)
    assert trip.error < 1e-6 and trip.heat.shape == (20, 24) and np.array_equal(trip.back, photo)
    cartoon = style.darken(photo, 0.5)
    result = style.evaluate_pairs(ident, ident, (("k", photo, cartoon),))
    assert result["cycle_err"] < 1e-6
    assert result["cartoon_err"] == pytest.approx(result["cartoon_err_unchanged"])  # G = do nothing
    heat = style.heat_rgb(np.array([[0.0, 0.1, 0.3]]), vmax=0.25)
    assert heat.shape == (1, 3, 3) and heat[0, 0].sum() < heat[0, 1].sum() < heat[0, 2].sum()


def test_instance_norm_generator_cannot_see_brightness():
    """The failure-gallery claim, on a fresh generator: half the light gives (almost) the same output."""
    from gan_core.models.cyclegan import ResnetGenerator, ResnetGeneratorConfig

    torch.manual_seed(0)
    g = ResnetGenerator(config=ResnetGeneratorConfig(base=4, n_blocks=1))
    photo = pictures(1, 9, (32, 32))[0] // 2 + 100  # mid-range: darkening never clips
    bright, dark = style.translate(g, photo), style.translate(g, style.darken(photo, 0.5))
    assert style.mae(bright, dark) < 0.01 < style.mae(photo, style.darken(photo, 0.5))


def test_variants_are_found_by_run_config():
    def info(name, **cfg):
        return checkpoints.CheckpointInfo(path=Path(name), family="cyclegan", step=3,
                                          train_config={"steps": 3000, "seed": 0, **cfg})
    infos = [info("main", steps=14000), info("on", lambda_identity=0.5), info("off", lambda_identity=0.0),
             info("free", lambda_cycle=0.0)]
    roles = style.variants(infos)
    assert {k: v.path.name for k, v in roles.items()} == {"identity_on": "on", "identity_off": "off",
                                                         "cycle_off": "free"}


def test_cli_trains_on_two_tiny_folders_resumes_and_ships(tmp_path, capsys):
    a, b = write_folder(tmp_path / "a", 4), write_folder(tmp_path / "b", 5, bad=1)
    out = tmp_path / "runs" / "style"
    args = ["train", "--family", "cyclegan", "--domain-a", str(a), "--domain-b", str(b), "--base", "4",
            "--n-blocks", "1", "--d-base", "4", "--d-layers", "2", "--crop-size", "24", "--photo-side", "48",
            "--threads", "1", "--snapshots", "2", "--out", str(out)]
    assert cli([*args, "--steps", "3"]) == 0
    meta = checkpoints.read_meta(out)
    assert meta["step"] == 3 and "--domain-a" in meta["recipe"] and "1 unusable file(s) skipped" in meta["data_source"]
    assert meta["metrics"]["eval_pictures"] == 9 and 0 <= meta["metrics"]["cycle_err"] < 1
    assert cli([*args, "--steps", "5", "--resume"]) == 0
    assert checkpoints.read_meta(out)["step"] == 5
    stem = __import__("gan_core.training.cyclegan_ship", fromlist=["compact"]).compact(out, tmp_path / "ship")
    shipped = checkpoints.load(stem)
    assert set(shipped.modules) == {"G_AB", "G_BA"}
    from safetensors.torch import load_file
    assert all(t.dtype == torch.float16 for t in load_file(str(stem) + ".safetensors").values())
    assert next(shipped.modules["G_AB"].parameters()).dtype == torch.float32  # loaded back as float32
    assert checkpoints.read_meta(stem)["metrics"]["fp16_max_diff"] < 0.02
    capsys.readouterr()
    few = write_folder(tmp_path / "few", 1, bad=2)
    assert cli(["train", "--family", "cyclegan", "--domain-a", str(few), "--domain-b", str(b),
                "--steps", "2", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert "error: --domain-a:" in err and "has 1 usable picture(s)" in err and "Traceback" not in err


def test_domain_folders_share_the_upload_validator_on_the_whole_corpus(tmp_path):
    """The issue's corpus in a domain folder: odd-but-usable files load (first frame, CMYK, 16 bits,
    EXIF rotation), bad ones are skipped with the validator's reason; the good ones still train."""
    from test_image_io import encode, gradient, png_claiming, png_rgb16

    folder = tmp_path / "corpus"
    folder.mkdir()
    jpeg = encode(gradient(200, 150), "JPEG")
    frames = [Image.new("RGB", (40, 40), c) for c in ("red", "green")]
    exif = Image.Exif()
    exif[0x0112] = 6
    usable = {"anim.gif": encode(frames[0], "GIF", save_all=True, append_images=frames[1:]),
              "cmyk.jpg": encode(Image.new("CMYK", (40, 30), (255, 0, 0, 0)), "JPEG"),
              "deep.png": png_rgb16(np.full((30, 40, 3), 40000, np.uint16)),
              "turned.jpg": encode(gradient(60, 30), "JPEG", exif=exif.tobytes())}
    bad = {"empty.jpg": b"", "truncated.jpg": jpeg[: len(jpeg) // 2], "notes.png": b"milk\neggs\n" * 9,
           "bomb.png": png_claiming(30000, 30000), "dot.png": encode(Image.new("RGB", (1, 1)), "PNG"),
           "huge.png": b"\x89PNG\r\n\x1a\n" + bytes(65_000_000)}
    for name, data in {**usable, **bad}.items():
        (folder / name).write_bytes(data)
    domain = folder_domain(folder, photo_side=64)
    assert len(domain.pictures) == len(usable) and len(domain.skipped) == len(bad)
    assert all(p.dtype == np.uint8 and p.ndim == 3 and p.shape[2] == 3 for p in domain.pictures)
    turned = domain.pictures[sorted(usable).index("turned.jpg")]
    assert turned.shape[0] > turned.shape[1]  # EXIF 6: stored 60x30, shown 30 wide and 60 tall
    reasons = "\n".join(domain.skipped)
    for phrase in ("empty (0 bytes)", "could not be decoded", "text file renamed to .png", "claims 900",
                   "only 1x1 pixels", "more than the 64 MB limit"):
        assert phrase in reasons, phrase
