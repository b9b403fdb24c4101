"""Checkpoints: round trip, and every way a file can be wrong gives a CheckpointError that says why."""

from __future__ import annotations

import json

import pytest
import torch

from gan_core import checkpoints
from gan_core.checkpoints import CheckpointError, files_of, list_checkpoints, load, save
from gan_core.models.classifier import Classifier, ClassifierConfig

SMALL_CLF = ClassifierConfig(c1=4, c2=8, feat_dim=16)


def _save_classifier(stem, *, config=SMALL_CLF, module_config=None, **kw):
    torch.manual_seed(0)
    model = Classifier(config=module_config or config)
    args = {
        "family": "classifier",
        "config": config,
        "step": 7,
        "metrics": {"holdout_accuracy": 0.5},
        "recipe": "python -m test",
        "data_source": "random",
    }
    args.update(kw)
    return save(stem, modules={"C": model}, **args), model


def _edit_json(stem, fn):
    sidecar = files_of(stem)[1]
    meta = json.loads(sidecar.read_text())
    fn(meta)
    sidecar.write_text(json.dumps(meta))


def test_mlp_round_trip_outputs_match(tmp_path):
    from dataclasses import asdict as config_to_dict

    from _families import build

    torch.manual_seed(0)
    G, D, cfg = build("mlp", z_dim=8, g_hidden=32, d_hidden=16)
    stem = save(
        tmp_path / "run.v1",
        modules={"G": G, "D": D},
        family="mlp",
        config=config_to_dict(cfg),
        step=123,
        metrics={"fid": 1.5},
        recipe="python -m gan_core train",
        data_source="embedded",
    )
    for path in (stem, f"{stem}.json", f"{stem}.safetensors"):  # every spelling of the path works
        ckpt = load(path)
        assert ckpt.family == "mlp" and ckpt.config == cfg and ckpt.meta["step"] == 123
        assert not ckpt.modules["G"].training and not ckpt.modules["D"].training
    z = torch.randn(5, 8)
    G.eval(), D.eval()
    with torch.no_grad():
        torch.testing.assert_close(ckpt.modules["G"](z), G(z))
        torch.testing.assert_close(ckpt.modules["D"](G(z)), D(G(z)))
    assert sum(p.numel() for p in ckpt.modules["G"].parameters()) == ckpt.meta["params"]["G"]


def test_classifier_round_trip_and_sidecar_fields(tmp_path):
    stem, model = _save_classifier(tmp_path / "clf")
    meta = json.loads(files_of(stem)[1].read_text())
    assert set(checkpoints.REQUIRED_KEYS) <= set(meta)
    assert meta["params"]["C"] == sum(p.numel() for p in model.parameters())
    ckpt = load(stem)
    assert ckpt.config == SMALL_CLF
    x = torch.rand(3, 1, 28, 28) * 2 - 1
    with torch.no_grad():
        torch.testing.assert_close(ckpt.modules["C"](x), model.eval()(x))


def test_tampered_weights_rejected_by_sha256(tmp_path):
    stem, _ = _save_classifier(tmp_path / "clf")
    weights = files_of(stem)[0]
    data = bytearray(weights.read_bytes())
    data[-10] ^= 0xFF  # flip bits inside the tensor data: still parses, but is not what was saved
    weights.write_bytes(bytes(data))
    with pytest.raises(CheckpointError, match="sha256"):
        load(stem)


def test_wrong_shapes_name_the_tensor(tmp_path):
    # weights of a wider network under a config that promises a narrower one
    stem, _ = _save_classifier(tmp_path / "clf", module_config=ClassifierConfig(c1=4, c2=8, feat_dim=24))
    with pytest.raises(CheckpointError, match=r"C\.fc\.1\.weight.*shape"):
        load(stem)


def test_missing_and_unexpected_tensors(tmp_path):
    stem, _ = _save_classifier(tmp_path / "clf")
    from safetensors.torch import load_file, save_file

    weights = files_of(stem)[0]
    tensors = load_file(str(weights))
    tensors.pop("C.head.1.bias")
    save_file(tensors, str(weights))
    _edit_json(
        stem, lambda m: m.update(sha256=checkpoints.sha256_file(weights))
    )  # a consistent but incomplete file
    with pytest.raises(CheckpointError, match=r"missing.*C\.head\.1\.bias"):
        load(stem)
    tensors["G.net.0.weight"] = torch.zeros(2)
    tensors["C.head.1.bias"] = torch.zeros(10)
    save_file(tensors, str(weights))
    _edit_json(stem, lambda m: m.update(sha256=checkpoints.sha256_file(weights)))
    with pytest.raises(CheckpointError, match=r"unexpected tensor 'G\.net\.0\.weight'"):
        load(stem)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda m: m.pop("sha256"), "missing required key.*sha256"),
        (lambda m: [m.pop("config"), m.pop("recipe")], "missing required key.*config, recipe"),
        (lambda m: m.update(family="stylegan9"), "unknown family 'stylegan9'; valid: .*classifier"),
        (lambda m: m.update(step="ten"), "'step' should be int"),
        (lambda m: m["config"].update(wings=2), "config does not fit family 'classifier'"),
    ],
)
def test_bad_json_rejected_with_clear_message(tmp_path, edit, message):
    stem, _ = _save_classifier(tmp_path / "clf")
    _edit_json(stem, edit)
    with pytest.raises(CheckpointError, match=message):
        load(stem)


def test_unreadable_files(tmp_path):
    with pytest.raises(CheckpointError, match="not found"):
        load(tmp_path / "nothing")
    stem, _ = _save_classifier(tmp_path / "clf")
    files_of(stem)[1].write_text("{not json")
    with pytest.raises(CheckpointError, match="not valid JSON"):
        load(stem)
    stem, _ = _save_classifier(tmp_path / "clf2")
    weights = files_of(stem)[0]
    weights.write_bytes(b"\x00" * 16)  # garbage with a matching digest: the parser must refuse it
    _edit_json(stem, lambda m: m.update(sha256=checkpoints.sha256_file(weights)))
    with pytest.raises(CheckpointError, match="safetensors"):
        load(stem)


def test_list_checkpoints_reads_sidecars_and_skips_junk(tmp_path):
    _save_classifier(tmp_path / "a", step=1)
    _save_classifier(tmp_path / "sub" / "b", step=2)
    (tmp_path / "notes.json").write_text("[1, 2]")  # JSON that is not a checkpoint
    (tmp_path / "orphan.json").write_text(json.dumps({"family": "mlp", "sha256": "x"}))  # no weights
    (tmp_path / "bad.json").write_text("{")
    (tmp_path / "bad.safetensors").write_bytes(b"")
    infos = list_checkpoints(tmp_path, tmp_path / "missing-folder")
    assert sorted((i.path.name, i.step, i.family) for i in infos) == [
        ("a", 1, "classifier"),
        ("b", 2, "classifier"),
    ]
    assert all(i.metrics == {"holdout_accuracy": 0.5} and i.created for i in infos)


def test_shipped_checkpoints_are_listed_and_valid():
    infos = {i.path.name: i for i in list_checkpoints()}
    assert "mnist_classifier" in infos
    info = infos["mnist_classifier"]
    assert info.family == "classifier" and "--family classifier" in info.recipe
    assert files_of(info.path)[0].stat().st_size < 2_000_000
    load(info.path)  # sha256, shapes and config all check out


def test_save_accepts_numpy_metrics_and_rejects_unserialisable_before_writing(tmp_path):
    import numpy as np

    stem, _ = _save_classifier(
        tmp_path / "np", metrics={"fid": np.float32(1.5), "hist": np.array([0.5, 0.5])}
    )
    assert load(stem).meta["metrics"] == {"fid": 1.5, "hist": [0.5, 0.5]}
    with pytest.raises(TypeError, match="object is not JSON"):
        _save_classifier(tmp_path / "bad", metrics={"fn": object()})
    assert not files_of(tmp_path / "bad")[0].exists()  # no orphan weights file


def test_a_crash_between_the_two_moves_is_rolled_forward(tmp_path, monkeypatch):
    """New weights in place, old sidecar still there (the process died between the moves): the
    checkpoint still loads, with the new sidecar."""
    import os

    stem, _ = _save_classifier(tmp_path / "clf")
    real_replace, calls = os.replace, []

    def dies_on_second_move(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed")
        real_replace(src, dst)

    monkeypatch.setattr(checkpoints.os, "replace", dies_on_second_move)
    with pytest.raises(KeyboardInterrupt):
        _save_classifier(tmp_path / "clf", step=99)
    monkeypatch.setattr(checkpoints.os, "replace", real_replace)
    ckpt = load(stem)  # would be a sha256 mismatch without the roll-forward
    assert ckpt.meta["step"] == 99


def test_a_sidecar_claiming_a_huge_model_fails_before_allocating(tmp_path):
    from dataclasses import asdict

    from _families import build

    G, D, cfg = build("mlp", z_dim=8, g_hidden=32, d_hidden=16)
    stem = save(tmp_path / "m", modules={"G": G, "D": D}, family="mlp", config=asdict(cfg), step=1,
                metrics={}, recipe="python -m gan_core train", data_source="test")
    _edit_json(stem, lambda m: m["config"].update(z_dim=10**9))
    with pytest.raises(CheckpointError, match="z_dim"):
        load(stem)


def test_update_metrics_keeps_the_weights_valid(tmp_path):
    stem, _ = _save_classifier(tmp_path / "clf")
    checkpoints.update_metrics(stem, {"fid": 12.5})
    ckpt = load(stem)
    assert ckpt.meta["metrics"] == {"holdout_accuracy": 0.5, "fid": 12.5}


def test_the_listing_reads_a_sidecar_again_once_it_changes(tmp_path):
    stem, _ = _save_classifier(tmp_path / "clf")
    assert [i.metrics for i in list_checkpoints(tmp_path)] == [{"holdout_accuracy": 0.5}]
    checkpoints.update_metrics(stem, {"holdout_accuracy": 0.75, "fid": 12.5})  # e.g. `eval` after training
    assert [i.metrics for i in list_checkpoints(tmp_path)] == [{"holdout_accuracy": 0.75, "fid": 12.5}]
    _edit_json(stem, lambda m: m.pop("sha256"))  # no longer a checkpoint: gone from the listing
    assert list_checkpoints(tmp_path) == []
    files_of(stem)[0].unlink()  # weights deleted: gone, whatever the sidecar says
    _edit_json(stem, lambda m: m.update(sha256="0" * 64))
    assert list_checkpoints(tmp_path) == []
