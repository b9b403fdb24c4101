"""A family defined here, in the test, goes through every part of the engine unchanged: Run, the
JobPool, a checkpoint round trip, CLI train/eval/sample/list, and the Gallery's picker (which must not
list it: it draws no images from noise). A 1-D autoencoder with no adversary: nothing GAN-shaped."""
from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import ClassVar

import pytest
import torch
from torch import nn

from gan_core import checkpoints, cli, families
from gan_core.training.family import SWAPS, Family, FamilyTrainer, Preview, Trained, check_finite
from gan_core.training.pool import JobPool
from gan_core.training.run import Run


@dataclass(frozen=True)
class SquashConfig:  # the model config: what a checkpoint rebuilds the modules from
    width: int = 8
    code: int = 1

    def __post_init__(self) -> None:
        if not 1 <= self.width <= 256 or not 1 <= self.code <= 8:
            raise ValueError("width must be 1..256 and code 1..8")


@dataclass(frozen=True)
class SquashRun:  # the run config: what CLI flags set
    family_name: ClassVar[str] = "squash-test"
    model: SquashConfig = dataclasses.field(default_factory=SquashConfig)
    lr: float = 1e-2
    steps: int = 60
    seed: int = 0

    def __post_init__(self) -> None:
        check_finite(self)


def build(cfg: SquashConfig) -> dict[str, nn.Module]:
    return {"enc": nn.Sequential(nn.Linear(1, cfg.width), nn.Tanh(), nn.Linear(cfg.width, cfg.code)),
            "dec": nn.Sequential(nn.Linear(cfg.code, cfg.width), nn.Tanh(), nn.Linear(cfg.width, 1))}


class SquashTrainer(FamilyTrainer):
    publish_every_steps = 10

    def __init__(self, *, config: SquashRun, data=None, device=None) -> None:
        self.config, self.device, self.steps_done = config, torch.device("cpu"), 0
        torch.manual_seed(config.seed)
        self._modules = build(config.model)
        self.gen = torch.Generator().manual_seed(config.seed)
        self.opt = torch.optim.Adam([p for m in self._modules.values() for p in m.parameters()], lr=config.lr)

    @property
    def modules(self):
        return self._modules

    @property
    def model_config(self):
        return self.config.model

    @property
    def data_source(self) -> str:
        return "x ~ N(0, 1)"

    def optimizers(self):
        return {"opt": self.opt}

    def generators(self):
        return {"data": self.gen}

    def step(self, mode: str = "both") -> dict[str, torch.Tensor]:
        x = torch.randn(64, 1, generator=self.gen)
        loss = (self._modules["dec"](self._modules["enc"](x)) - x).abs().mean()
        self.opt.zero_grad()
        loss.backward()
        self.opt.step()
        self.steps_done += 1
        return {"l1": loss.detach()}

    @torch.no_grad()
    def preview(self) -> Preview:
        x = torch.linspace(-2, 2, 9)[:, None]
        return Preview(kind="curve", data={"x": x.numpy(), "y": self._modules["dec"](self._modules["enc"](x)).numpy()})


def evaluate(trained: Trained, *, n: int, seed: int = 0) -> dict:
    x = torch.randn(n, 1, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        err = (trained.modules["dec"](trained.modules["enc"](x)) - x).abs().mean()
    return {"l1": round(float(err), 4)}


SQUASH = Family(name="squash-test", config_cls=SquashRun, model_config_cls=SquashConfig, build=build,
                trainer=SquashTrainer, capabilities=frozenset({SWAPS}), stat_names=("l1",), evaluate=evaluate,
                summary="a test family: a 1-D autoencoder")


@pytest.fixture(autouse=True)
def registered():
    families.register(SQUASH)
    yield
    families.unregister(SQUASH.name)


def test_run_and_pool_train_it_and_a_checkpoint_round_trips(tmp_path):
    pool = JobPool(max_running=1)
    run = pool.submit(SquashRun(steps=60), owner="me")
    try:
        run.join(60)
        snap = run.snapshot()
        assert snap.status == "finished" and snap.step == 60
        assert list(snap.history) == ["step", "l1"] and snap.history["l1"][-1] < snap.history["l1"][0]
        assert snap.preview.kind == "curve" and not snap.frames  # no image: no film strip
        stem = run.save(tmp_path / "squash")
    finally:
        pool.shutdown()
    ckpt = checkpoints.load(stem)
    assert ckpt.family == "squash-test" and ckpt.config == SquashConfig() and ckpt.meta["step"] == 60
    assert ckpt.train_config["lr"] == 1e-2 and "--family squash-test" in ckpt.meta["recipe"]
    x = torch.randn(5, 1)
    with torch.no_grad():
        torch.testing.assert_close(ckpt.modules["dec"](ckpt.modules["enc"](x)),
                                   run.trainer.modules["dec"](run.trainer.modules["enc"](x)))


def test_cli_trains_evaluates_resumes_and_refuses_to_sample_it(tmp_path, capsys):
    out = tmp_path / "runs" / "squash"
    assert cli.main(["train", "--family", "squash-test", "--model-width", "4", "--steps", "30",
                     "--out", str(out)]) == 0
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["config"]["width"] == 4 and meta["step"] == 30 and "l1" in meta["metrics"]
    assert "--model-width 4" in meta["recipe"]  # nested config fields become flags
    assert cli.main(["train", "--family", "squash-test", "--model-width", "4", "--steps", "30",
                     "--out", str(out)]) == 2  # never silently replaces a checkpoint
    assert "--overwrite" in capsys.readouterr().err
    assert cli.main(["train", "--family", "squash-test", "--model-width", "4", "--steps", "50",
                     "--out", str(out), "--resume"]) == 0
    assert checkpoints.load(out).meta["step"] == 50  # continued from 30
    capsys.readouterr()
    assert cli.main(["eval", str(out), "--n", "100", "--json"]) == 0
    assert "l1" in json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert cli.main(["sample", str(out), "--png", str(tmp_path / "x.png")]) == 2
    assert "does not sample images" in capsys.readouterr().err


def test_resume_continues_exactly_where_an_uninterrupted_run_would_be(tmp_path):
    straight, split = tmp_path / "straight", tmp_path / "split"
    assert cli.main(["train", "--family", "squash-test", "--steps", "40", "--out", str(straight)]) == 0
    assert cli.main(["train", "--family", "squash-test", "--steps", "25", "--out", str(split)]) == 0
    assert cli.main(["train", "--family", "squash-test", "--steps", "40", "--out", str(split), "--resume"]) == 0
    a, b = checkpoints.load(straight), checkpoints.load(split)
    for name in ("enc", "dec"):
        for key, value in a.modules[name].state_dict().items():
            torch.testing.assert_close(b.modules[name].state_dict()[key], value)


def test_the_gallery_does_not_list_it(tmp_path, app_test, monkeypatch):
    from gan_core import explore

    stem = checkpoints.save(tmp_path / "squash", modules=build(SquashConfig()), family="squash-test",
                            config=SquashConfig(), step=1, metrics={}, recipe="python -m gan_core train",
                            data_source="test")
    assert [i.name for i in checkpoints.list_checkpoints(tmp_path)] == [stem.name]
    assert explore.gan_infos(tmp_path) == []  # no image-from-noise capability: not a Gallery model
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(tmp_path))
    at = app_test("pages/explore_gallery.py")
    assert not at.exception and "gallery_model" not in [w.key for w in at.selectbox]  # nothing to pick
    assert at.info  # a message, no crash


def test_run_refuses_a_mode_the_family_does_not_have():
    run = Run(config=SquashRun())
    with pytest.raises(ValueError, match="both"):
        run.step_once("stage")
