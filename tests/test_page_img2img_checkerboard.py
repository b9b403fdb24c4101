"""AppTest: checkerboard lesson - write-count sliders, predict-then-reveal on untrained generators, the three
upsampling generators side by side (tiny random-weight stand-ins here) with their stride peak, the stamped
part of it and the stamped patterns (in English and Polish), and the page without them."""

import json
from pathlib import Path

import pytest
import torch

from gan_core import checkpoints
from gan_core.families import get_family
from gan_core.models.upsampling import UpsampleGANConfig
from ui.i18n import catalog

PAGE = "pages/img2img_checkerboard.py"
NS = "img2img_checkerboard"
EN = catalog("en")


@pytest.fixture
def upsample_ckpts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Three small random-weight upsample checkpoints (one per variant) and nothing else."""
    folder = tmp_path / "ckpts"
    family = get_family("upsample")
    for variant in ("k3", "k4", "resize"):
        torch.manual_seed(0)
        config = UpsampleGANConfig(z_dim=8, g_base=4, d_base=4, variant=variant)
        checkpoints.save(folder / f"upsample_{variant}", modules={"G": family.build(config)["G"]},
                         family="upsample", config=config, step=5, metrics={},
                         train_config={"model": "upsample", "variant": variant, "dataset": "mnist"},
                         recipe="(test fixture: random weights)", data_source="none")
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(folder))
    return folder


def test_write_counts_sliders(app_test, upsample_ckpts):
    at = app_test(PAGE)
    assert at.slider(key="cb_k").value == 3 and at.slider(key="cb_s").value == 2
    assert any(m.value.startswith("k = 3 is not a multiple of s = 2: interior pixels are written between 1 and 4")
               for m in at.markdown)
    assert at.metric[0].value == "4.00" and at.metric[1].value == "1.00"  # k3: 4 / 1; resize: even
    at.slider(key="cb_k").set_value(4).run()
    assert any(m.value == "k = 4 is a multiple of s = 2: every interior pixel is written 4 times. Even."
               for m in at.markdown)
    at.slider(key="cb_s").set_value(3).run()
    at.slider(key="cb_k").set_value(2).run()
    assert any("never written at all (0)" in m.value for m in at.markdown) and not at.exception


def test_predict_then_reveal_and_shipped_models(app_test, upsample_ckpts):
    at = app_test(PAGE)
    n_charts = len(at.get("plotly_chart"))
    assert at.button(key="cb_reveal").disabled
    at.radio(key="cb_predict").set_value("k3").run()
    at.button(key="cb_reveal").click().run()
    assert at.warning[0].value == EN["img2img_checkerboard.wrong"]
    charts = at.get("plotly_chart")
    assert len(charts) == n_charts + 1  # the three untrained spectra, side by side on one colour scale
    assert "cb_untrained_spectra" in {c.key for c in charts}
    at.number_input(key="cb_seed").set_value(3).run()
    at.radio(key="cb_predict").set_value("k3_k4").run()  # a new answer hides the evidence until revealed
    assert len(at.get("plotly_chart")) == n_charts
    at.button(key="cb_reveal").click().run()
    assert at.success[0].value == EN["img2img_checkerboard.right"]
    captions = [c.value for c in at.caption]
    assert sum("upsample_" in c for c in captions) == 3  # all three variants found by capability + variant
    at.number_input(key="cb_sample_seed").set_value(7).run()
    assert not at.exception


def _shipped_metrics(at, lang: str) -> dict[str, list[str]]:
    labels = {catalog(lang)[f"{NS}.{k}"]: k for k in ("ratio_metric", "locked_metric")}
    found: dict[str, list[str]] = {"ratio_metric": [], "locked_metric": []}
    for m in at.metric:
        if m.label in labels:
            found[labels[m.label]].append(m.value)
    return found


@pytest.mark.parametrize("lang", ["en", "pl"])
def test_shipped_section_measures_the_stamped_pattern(app_test, upsample_ckpts, lang):
    at = app_test(PAGE, lang=lang)
    text = catalog(lang)
    metrics = _shipped_metrics(at, lang)  # the untrained section is not revealed: these are the shipped three
    assert len(metrics["ratio_metric"]) == 3 and len(metrics["locked_metric"]) == 3
    decimal = "," if lang == "pl" else "."
    for value in metrics["ratio_metric"] + metrics["locked_metric"]:
        assert decimal in value and float(value.replace(",", ".")) >= 0, value  # num(): the reader's decimals
    assert all(len(v.split(decimal)[1]) == 3 for v in metrics["locked_metric"])
    assert at.subheader[0].value == text[f"{NS}.patterns_header"]
    charts = {c.key: c for c in at.get("plotly_chart")}
    assert "cb_patterns_fig" in charts
    spec = json.loads(charts["cb_patterns_fig"].proto.spec)
    titles = [a["text"] for a in spec["layout"]["annotations"]]
    assert len(titles) == 4 and titles[-1].replace("<br>", " ").startswith(text[f"{NS}.real_digits"] + " ")
    assert all(a.split("<br>")[-1].startswith(b.split("{")[0]) for a, b in
               zip(titles, [text[f"{NS}.pattern_title"].split("<br>")[-1]] * 4))  # the amplitude on its own line
    assert len(spec["data"]) == 4 and spec["layout"]["coloraxis"]["colorbar"]["title"]["text"] == \
        text[f"{NS}.patterns_colorbar"]
    after = text[f"{NS}.shipped_after"].split("{")[0]
    assert any(m.value.startswith(after) for m in at.markdown)
    at.number_input(key="cb_sample_seed").set_value(5).run()
    assert not at.exception and len(_shipped_metrics(at, lang)["locked_metric"]) == 3


def test_without_the_shipped_generators(app_test, tmp_path, monkeypatch):
    (tmp_path / "none").mkdir()
    monkeypatch.setenv("GAN_CLASSROOM_CHECKPOINTS", str(tmp_path / "none"))
    for lang in ("en", "zh-CN"):
        at = app_test(PAGE, lang=lang)
        assert at.info[0].value == catalog(lang)["img2img_checkerboard.no_models"] and not at.exception
