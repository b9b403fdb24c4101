"""The 2-D playground page under AppTest: every control at least once, no exception."""
from __future__ import annotations

import json
import time

import pytest
import torch

from gan_core.losses import LOSSES
from gan_core.training.toy2d_presets import PRESETS
from ui.i18n import catalog

PAGE = "pages/learn_playground.py"
EN = catalog("en")


def _ok(at):
    assert not at.exception, "\n".join(e.message for e in at.exception)


def _status(at) -> str:
    lines = [m.value for m in at.markdown if "·" in m.value]
    assert lines, "no status line"
    return lines[0]


def _field(at) -> list[str]:
    """Trace types of the playfield figure (first plotly chart of the right column)."""
    charts = [c for c in at.get("plotly_chart") if c.proto.id and "pg_field" in c.proto.id]
    spec = json.loads(charts[0].proto.spec)
    return [tr.get("name", tr["type"]) for tr in spec["data"]]


@pytest.fixture(autouse=True)
def _one_torch_thread():
    """Tiny nets: one intra-op thread. With two, a shared 2-core CPU makes MKL's tiny GEMMs spin
    (measured: 25 ms instead of 0.14 ms for 512x64x64) and these tests crawl; restored afterwards."""
    before = torch.get_num_threads()
    yield
    torch.set_num_threads(before)


@pytest.fixture
def page(app_test):
    at = app_test(PAGE)
    torch.set_num_threads(1)  # after app.py has set the process-wide count
    yield at
    run = at.session_state.get("pg_run", None)
    if run is not None:
        run.stop()
        run.join(10)
        assert not run.has_thread


def test_steps_slow_motion_play_and_reset(page):
    at = page
    assert at.title[0].value == EN["learn_playground.title"]
    assert "iteration 0" in _status(at)
    at.button(key="pg_step_d").click().run()
    assert "iteration 0" in _status(at)  # a D-only step does not move G
    at.button(key="pg_step_g").click().run()
    assert "iteration 1" in _status(at)
    at.button(key="pg_step_both").click().run()
    assert "iteration 2" in _status(at)
    for stage in ("sample", "d_step", "g_grad", "g_step"):
        at.button(key="pg_next_stage").click().run()
        _ok(at)
        assert at.info[0].value.startswith(EN[f"learn_playground.stage_{stage}"][:12])
    assert "iteration 3" in _status(at)
    names = _field(at)
    assert EN["learn_playground.legend_batch_real"] in names  # the slow-motion batch is highlighted
    at.toggle(key="pg_slow").set_value(True).run()
    at.slider(key="pg_slow_secs").set_value(0.5).run()
    _ok(at)
    at.button(key="pg_play").click().run()
    run = at.session_state["pg_run"]
    assert run.status in ("queued", "starting", "running") and at.session_state["pg_slow"] is False  # play leaves slow motion
    deadline = time.monotonic() + 10
    while run.snapshot().step < 10 and time.monotonic() < deadline:
        time.sleep(0.05)
    at.button(key="pg_pause").click().run()
    assert run.snapshot().step >= 10
    at.button(key="pg_reset").click().run()
    _ok(at)
    run.join(10)
    assert at.session_state["pg_run"] is not run and run.status == "stopped" and not run.has_thread
    assert "iteration 0" in _status(at)


def test_every_setting_and_view(page):
    at = page
    for v in ("real", "fake", "heatmap", "manifold", "arrows", "curves", "divergence"):
        at.checkbox(key=f"pg_show_{v}").uncheck().run()
    _ok(at)
    assert _field(at) == []  # every layer of the plane switched off
    assert len(at.get("plotly_chart")) == 1  # no loss curves
    assert "JS " not in _status(at)
    for v in ("real", "heatmap", "arrows", "curves"):
        at.checkbox(key=f"pg_show_{v}").check()
    at.run()
    assert _field(at)[0] == "heatmap" and len(at.get("plotly_chart")) == 2
    assert len(json.loads(at.get("plotly_chart")[1].proto.spec)["data"]) == 2  # losses only, no JS curve
    at.checkbox(key="pg_show_divergence").check().run()
    assert len(json.loads(at.get("plotly_chart")[1].proto.spec)["data"]) == 3 and "JS " in _status(at)
    at.radio(key="pg_noise_dim").set_value(1).run()
    at.radio(key="pg_noise").set_value("uniform").run()
    for who in ("g", "d"):
        at.slider(key=f"pg_{who}_layers").set_value(0 if who == "g" else 5).run()
        at.select_slider(key=f"pg_{who}_width").set_value(128 if who == "g" else 8).run()
        at.selectbox(key=f"pg_opt_{who}").set_value("sgd" if who == "g" else "rmsprop").run()
        at.select_slider(key=f"pg_lr_{who}").set_value(1e-2).run()
    at.slider(key="pg_d_steps").set_value(3).run()
    at.select_slider(key="pg_batch").set_value(32).run()
    at.number_input(key="pg_seed").set_value(7).run()
    for dist in ("grid", "moons", "spiral", "line", "ring"):
        at.selectbox(key="pg_dist").set_value(dist).run()
        _ok(at)
    for loss in LOSSES:
        at.selectbox(key="pg_loss").set_value(loss).run()
        at.button(key="pg_step_both").click().run()
        _ok(at)
    cfg = at.session_state["pg_run"].config
    assert (cfg.model.noise_dim, cfg.model.noise, cfg.model.g_layers, cfg.model.d_layers) == (1, "uniform", 0, 5)
    assert (cfg.model.g_width, cfg.model.d_width, cfg.opt_g, cfg.opt_d) == (128, 8, "sgd", "rmsprop")
    assert (cfg.lr_g, cfg.d_steps, cfg.batch_size, cfg.seed, cfg.loss) == (1e-2, 3, 32, 7, "hinge")
    assert EN["learn_playground.cbar_score"] in json.dumps(json.loads(at.get("plotly_chart")[0].proto.spec))


def test_presets_and_ready_states(page):
    at = page
    at.selectbox(key="pg_preset").set_value("grid_hinge").run()
    assert at.session_state["pg_dist"] == "grid" and at.session_state["pg_loss"] == "hinge"
    at.button(key="pg_jump").click().run()
    _ok(at)
    assert f"iteration {PRESETS['grid_hinge'].steps}" in _status(at)
    assert at.session_state["pg_run"].config == PRESETS["grid_hinge"].config
    at.selectbox(key="pg_preset").set_value("ring_minimax").run()  # no shipped state: button disabled
    assert at.button(key="pg_jump").disabled


def test_custom_points_paste_draw_and_errors(page):
    at = page
    at.selectbox(key="pg_dist").set_value("custom").run()
    _ok(at)
    # before any point: a hint, not a red error, and the buttons stay on the page (disabled)
    assert not at.error and EN["learn_playground.err_need_points"] in [i.value for i in at.info]
    assert at.button(key="pg_play").disabled and at.button(key="pg_step_d").disabled
    at.text_area(key="pg_csv_text").input("x,y\n1,2\n3,abc\n").run()
    at.button(key="pg_use_pasted").click().run()
    assert any("Row 3" in e.value for e in at.error)
    at.text_area(key="pg_csv_text").input("x,y\n0,0\n10,0\n0,10\n").run()
    at.button(key="pg_use_pasted").click().run()
    _ok(at)
    assert at.session_state["pg_uploaded"].shape == (3, 2)
    assert at.session_state["pg_run"].config.dist == "custom"
    at.session_state["pg_drawn_idx"] = {0, 1, 2, 3}  # what a click / lasso on the pad stores
    at.run()
    assert "7 " in at.caption[-1].value or any("7" in c.value for c in at.caption)
    at.button(key="pg_step_both").click().run()
    _ok(at)
    at.button(key="pg_clear_points").click().run()
    assert not at.session_state["pg_drawn_idx"] and at.session_state["pg_uploaded"] is None


def test_uploaded_csv_problems_are_shown_translated(page, classroom_limits):
    at = page
    at.selectbox(key="pg_dist").set_value("custom").run()
    bad = [(b"x,y\n0,0\n1e39,0\n", "err_out_of_range", {"row": 3, "text": "1e39,0", "limit": 3.4028234663852886e38}),
           (b"1," + b"9" * 200_000, "err_long_value", {"row": 1, "limit": 100})]
    for i, (data, key, params) in enumerate(bad):
        at.file_uploader(key="pg_upload").set_value((f"bad{i}.csv", data, "text/csv")).run()
        _ok(at)
        assert EN[f"learn_playground.{key}"].format(**params) in [e.value for e in at.error]
    at.file_uploader(key="pg_upload").set_value(("mac.csv", b"x,y\r0,0\r4,0\r0,4", "text/csv")).run()
    _ok(at)
    assert not at.error and at.session_state["pg_uploaded"].shape == (3, 2)
    classroom_limits(upload_mb=0.5)  # a lecturer's cap under the reader's own 1 MiB wins
    rows = b"1.000000,2.000000\n" * 30_000  # 540 kB
    at.file_uploader(key="pg_upload").set_value(("big.csv", rows, "text/csv")).run()
    _ok(at)
    assert any(f"the limit is {2**19:,} bytes" in e.value for e in at.error)


def test_settings_survive_a_visit_to_another_page(page):
    at = page
    at.slider(key="pg_d_steps").set_value(4).run()
    run = at.session_state["pg_run"]
    at.switch_page("pages/learn_objectives.py").run()
    at.switch_page(PAGE).run()
    _ok(at)
    assert at.slider(key="pg_d_steps").value == 4 and at.session_state["pg_run"] is run



def test_many_playground_tabs_never_train_more_threads_than_the_pools_bound(app_test):
    """Every tab presses Play: the pool's light lane bounds the training threads; the rest queue and
    say their place; a closed (stopped) tab's slot goes to the next one."""
    import threading

    from ui.runs import MAX_LIGHT, get_pool

    tabs = [app_test(PAGE) for _ in range(MAX_LIGHT + 2)]
    runs = []
    try:
        for at in tabs:
            at.button(key="pg_play").click().run()
            runs.append(at.session_state["pg_run"])
        threads = [t for t in threading.enumerate() if t.name == "gan-run"]
        assert len(threads) <= MAX_LIGHT and get_pool().running_in("light") <= MAX_LIGHT
        waiting = [r for r in runs if r.status == "queued"]
        assert len(waiting) >= 2
        tabs[runs.index(waiting[0])].run()
        assert EN["learn_playground.status_queued"].split("{")[0] in _status(tabs[runs.index(waiting[0])])
        first = next(r for r in runs if r.status in ("starting", "running"))
        tabs[runs.index(first)].button(key="pg_reset").click().run()  # one tab lets go
        deadline = time.monotonic() + 10
        while waiting[0].status == "queued" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting[0].status in ("starting", "running")
    finally:
        for run in runs:
            run.stop()
        for run in runs:
            run.join(10)
