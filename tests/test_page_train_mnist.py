"""AppTest of the Train page: preset -> start -> snapshot drawn -> pause -> resume -> stop, the
single-step buttons, reset replaying the same run, comparing two runs, bad settings, saving.

AppTest does not fire ``run_every`` fragments, so each test drives a tiny real Run (batch 16,
small step budget), waits for it in the test thread, and calls ``at.run()`` again. Every run a
test starts is stopped and joined in teardown: no training thread outlives its test.
"""

from __future__ import annotations

import json
import time

import numpy as np
import pytest

PAGE = "pages/train_mnist.py"


def wait_for(predicate, *, timeout: float = 60.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def runs_of(at) -> list:
    return list(at.session_state["train_runs"]) if "train_runs" in at.session_state else []


@pytest.fixture
def page(app_test):
    """The Train page with a tiny, fast configuration (batch 16, 4 steps)."""
    ats = []

    def make():
        at = app_test(PAGE)
        at.number_input(key="train_steps").set_value(4)
        at.select_slider(key="train_batch").set_value(16)
        at.run()
        assert not at.exception
        ats.append(at)
        return at

    yield make
    for at in ats:  # no thread may outlive the test
        for entry in runs_of(at):
            entry.run.stop()
        for entry in runs_of(at):
            entry.run.join(timeout=30)
            assert not entry.run._thread or not entry.run._thread.is_alive()


def status_badge(at) -> str:
    """Text of the status badge of the selected run (st.badge renders ':colour-badge[text]')."""
    return next(m.value.split("[", 1)[1].rstrip("]") for m in at.markdown if "-badge[" in m.value)


def test_preset_start_pause_resume_stop(page):
    at = page()
    at.selectbox(key="train_preset").set_value("beta1_high").run()
    assert at.slider(key="train_beta1").value == pytest.approx(0.9)
    assert any("momentum" in c.value for c in at.caption)  # the preset's one sentence
    at.select_slider(key="train_batch").set_value(16)  # the preset set the course's 64
    at.number_input(key="train_steps").set_value(2000).run()  # long enough to pause it mid-run
    at.button(key="train_start").click().run()
    assert not at.exception
    (entry,) = runs_of(at)
    assert entry.config.beta1 == 0.9 and entry.config.batch_size == 16
    run = entry.run
    # snapshot().step is the trainer's live count; the curves come from what the run has published
    wait_for(lambda: run.snapshot().step >= entry.config.snapshot_every and run.snapshot().history["step"],
             what="first snapshot and first published curves")
    at.run()
    assert at.get("image"), "the live grid is drawn"
    assert at.get("plotly_chart"), "the curves are drawn"
    at.button(key="train_pause").click().run()
    assert status_badge(at) == "paused"
    time.sleep(0.3)  # a step in progress finishes; then the count must stand still
    frozen = run.snapshot().step
    time.sleep(0.4)
    assert run.snapshot().step == frozen
    at.button(key="train_resume").click().run()
    wait_for(lambda: run.snapshot().step > frozen, what="training to continue")
    at.button(key="train_stop").click().run()
    run.join(timeout=30)
    at.run()
    assert status_badge(at) == "stopped"
    assert not at.exception


def test_single_steps_and_reset_replays(page):
    at = page()
    at.button(key="train_step_d").click().run()  # no run yet: one is created, paused, and steps D
    (entry,) = runs_of(at)
    wait_for(lambda: len(entry.run.snapshot().history["step"]) == 1, what="the D step")
    snap = entry.run.snapshot()
    assert np.isnan(snap.history["g_loss"][-1]) and not np.isnan(snap.history["d_loss"][-1])
    at.button(key="train_step_g").click().run()
    wait_for(lambda: len(entry.run.snapshot().history["step"]) == 2, what="the G step")
    assert np.isnan(entry.run.snapshot().history["d_loss"][-1])
    at.button(key="train_resume").click().run()  # finish the 4-step budget
    entry.run.join(timeout=30)
    first = entry.run.snapshot()
    assert first.status == "finished"
    at.run()
    at.button(key="train_step_both").click().run()  # ended run: a new paused run takes the step
    assert len(runs_of(at)) == 2
    runs_of(at)[-1].run.stop()
    runs_of(at)[-1].run.join(timeout=30)
    at.radio(key="train_selected").set_value(entry.number).run()
    at.button(key="train_reset").click().run()  # same config, same seed, waits paused
    fresh = next(e for e in runs_of(at) if e.config == entry.config and e is not entry)
    wait_for(lambda: fresh.run.snapshot().status == "paused", what="the reset run")
    at.run()
    at.button(key="train_resume").click().run()
    fresh.run.join(timeout=30)
    again = fresh.run.snapshot()
    # the first run took D, G, then two full steps; same seed and same actions would match exactly,
    # so compare the fixed-noise grid at step 0, which depends on the seed alone
    assert np.array_equal(first.frames[0][1], again.frames[0][1])
    assert again.step == 4 and again.status == "finished"
    assert not at.exception


def test_compare_two_runs_same_seed(page):
    at = page()
    at.selectbox(key="train_preset").set_value("course").run()  # the page opens on the fast start (DCGAN)
    at.select_slider(key="train_batch").set_value(16).run()
    at.button(key="train_start").click().run()
    first = runs_of(at)[0]
    first.run.join(timeout=60)
    at.selectbox(key="train_preset").set_value("beta1_high").run()
    at.select_slider(key="train_batch").set_value(16).run()
    at.button(key="train_start").click().run()
    second = runs_of(at)[1]
    second.run.join(timeout=60)
    at.run()
    assert not at.exception
    assert first.config.seed == second.config.seed
    assert (first.config.beta1, second.config.beta1) == (0.5, 0.9)
    assert len(at.radio(key="train_selected").options) == 2
    assert len(at.get("image")) >= 2, "grids side by side"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {trace.get("name", "") for trace in spec["data"]}
    assert any(n.startswith("#1") for n in names) and any(n.startswith("#2") for n in names)
    a, b = first.run.snapshot(), second.run.snapshot()
    assert not np.array_equal(a.latest_grid, b.latest_grid)  # beta1 changed the run ...
    assert np.array_equal(a.frames[0][1], b.frames[0][1])  # ... from the same starting point


def test_bad_combination_shows_message_and_starts_nothing(page):
    at = page()
    at.selectbox(key="train_model").set_value("dcgan")
    at.selectbox(key="train_loss").set_value("wgan-gp")
    at.toggle(key="train_bn").set_value(True).run()
    at.button(key="train_start").click().run()
    assert not at.exception
    assert runs_of(at) == []
    assert any("BatchNorm" in e.value for e in at.error)


def test_save_checkpoint_lists_it(page, tmp_path, monkeypatch):
    import ui.train_keep as keep
    from gan_core.checkpoints import list_checkpoints, load

    monkeypatch.setenv("GAN_CLASSROOM_RUNS", str(tmp_path))
    at = page()
    at.button(key="train_start").click().run()
    (entry,) = runs_of(at)
    entry.run.join(timeout=60)
    at.run()
    at.text_input(key=f"train_save_name_{entry.number}").set_value("../escape").run()
    at.button(key="train_save").click().run()
    assert any("letters" in e.value for e in at.error)
    at.text_input(key=f"train_save_name_{entry.number}").set_value("class_demo").run()
    at.button(key="train_save").click().run()
    assert at.success, "saved message"
    (info,) = list_checkpoints(tmp_path)
    assert info.step == 4 and info.train_config["batch_size"] == 16
    assert "G" in load(info.path).modules
    assert info.path.parent.name == at.session_state["_student_id"]  # in the student's own folder
    assert keep.checkpoint_zip(entry)[:2] == b"PK"
    assert keep.strip_gif(entry)[:6] == b"GIF89a"
    assert keep.grid_png(entry)[:4] == b"\x89PNG"


def test_quality_charts_and_mode_collapse_warning(page, monkeypatch):
    """A generator that writes only 3 digits: FID + coverage charts and a visible warning."""
    from gan_core.training import trainer as image_trainer

    hist = [0.5, 0.3, 0.2] + [0.0] * 7

    def collapsed(self):
        return {"fid": 80.0 - self.steps_done, "coverage": 3, "class_hist": hist, "confidence": 0.9}

    monkeypatch.setattr(image_trainer.Trainer, "quality", collapsed)
    monkeypatch.setattr(image_trainer, "QUALITY_MIN_EVERY", 2)
    at = page()
    at.button(key="train_start").click().run()
    (entry,) = runs_of(at)
    entry.run.join(timeout=60)
    assert [q["step"] for q in entry.run.snapshot().quality] == [2, 4]
    at.run()
    assert not at.exception
    assert any("3 of the 10 digits" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 3  # curves, FID over time, coverage histogram


def test_sessions_share_the_pool_but_not_their_runs(page):
    """Two browser sessions: the pool's 2 slots are taken by A, so B's run queues and says where;
    B never sees A's runs and cannot stop them; when A stops, B's run starts."""
    from ui.runs import get_pool

    a, b = page(), page()
    for at in (a, b):
        at.number_input(key="train_steps").set_value(2000).run()
    a.button(key="train_start").click().run()
    a.button(key="train_start").click().run()
    b.button(key="train_start").click().run()
    assert not a.exception and not b.exception
    (b_entry,) = runs_of(b)  # B sees only its own run
    assert len(runs_of(a)) == 2
    assert b_entry.run.status == "queued"
    assert status_badge(b) == "queued: place 1"
    a_owner, b_owner = a.session_state["_owner_id"], b.session_state["_owner_id"]
    assert a_owner != b_owner
    pool = get_pool()
    assert b_entry.run.owner == b_owner
    with pytest.raises(PermissionError):
        pool.cancel(runs_of(a)[0].run, owner=b_owner)
    for entry in runs_of(a):
        a.radio(key="train_selected").set_value(entry.number).run()
        a.button(key="train_stop").click().run()
        entry.run.join(timeout=30)
    wait_for(lambda: b_entry.run.status in ("starting", "running"), timeout=30, what="B's run to start")
    b.button(key="train_stop").click().run()
    b_entry.run.join(timeout=30)
    assert b_entry.run.status == "stopped"


def test_film_strip_scrolls_back_and_stays_while_frames_arrive(page):
    at = page()
    at.number_input(key="train_steps").set_value(50).run()

    def frames():
        return [s for s, _ in runs_of(at)[0].run.snapshot().frames]

    def step_and_wait():
        n = len(frames()) if runs_of(at) else 1
        at.button(key="train_step_both").click().run()
        wait_for(lambda: len(frames()) > n, what="a new frame")

    for _ in range(3):
        step_and_wait()
    at.run()
    strip = at.select_slider(key="train_strip_1")
    assert strip.value == frames()[-1]  # follows the newest frame
    strip.set_value(1).run()
    step_and_wait()
    at.run()
    assert at.select_slider(key="train_strip_1").value == 1  # stays where the class scrolled to
    at.select_slider(key="train_strip_1").set_value(frames()[-1]).run()
    step_and_wait()
    at.run()
    assert at.select_slider(key="train_strip_1").value == frames()[-1]  # follows again


def _trained(at):
    at.button(key="train_start").click().run()
    entry = runs_of(at)[-1]
    entry.run.join(timeout=60)
    at.run()
    return entry


def test_saves_never_collide_never_replace_and_never_shadow_a_shipped_model(page, tmp_path, monkeypatch):
    """Two students save with the default names at once: two different files, each in its owner's
    folder; a second save under the same name is refused unless asked; a save called mnist_dcgan
    stays the student's own and the Gallery still opens on the shipped mnist_dcgan, labelled."""
    from pathlib import Path

    from gan_core.checkpoints import list_checkpoints

    monkeypatch.setenv("GAN_CLASSROOM_RUNS", str(tmp_path))
    a, b = page(), page()
    ea, eb = _trained(a), _trained(b)
    names = [at.text_input(key=f"train_save_name_{e.number}").value for at, e in ((a, ea), (b, eb))]
    for at in (a, b):
        at.button(key="train_save").click().run()
        assert at.success and not at.error
    saved = list_checkpoints(tmp_path)
    assert len(saved) == 2 and len({i.path for i in saved}) == 2
    assert {i.path.parent.name for i in saved} == {a.session_state["_student_id"], b.session_state["_student_id"]}
    assert names[0].startswith("mnist_dcgan_nonsaturating_s0_")  # the default preset trains the DCGAN
    a.button(key="train_save").click().run()  # the same name again: refused, nothing replaced
    assert any(names[0] in e.value for e in a.error)
    a.checkbox(key=f"train_save_replace_{ea.number}").check().run()
    a.button(key="train_save").click().run()
    assert a.success
    a.text_input(key=f"train_save_name_{ea.number}").set_value("mnist_dcgan").run()
    a.checkbox(key=f"train_save_replace_{ea.number}").uncheck().run()
    a.button(key="train_save").click().run()
    assert a.success
    a.switch_page("pages/explore_gallery.py").run()
    assert not a.exception
    picked = Path(a.selectbox(key="gallery_model").value)
    assert picked.name == "mnist_dcgan" and picked.parent.name == "checkpoints"  # the shipped one
    labels = [o for o in a.selectbox(key="gallery_model").options if o.startswith("mnist_dcgan ·")]
    assert len(labels) == 2 and labels[0] != labels[1]  # shipped and "your save", told apart
    b.switch_page("pages/explore_gallery.py").run()
    assert len([o for o in b.selectbox(key="gallery_model").options if o.startswith("mnist_dcgan ·")]) == 1


def test_a_read_only_runs_folder_is_a_message_not_a_traceback(page, tmp_path, monkeypatch):
    import os

    if os.geteuid() == 0:  # root writes anywhere: make the folder a file instead, which fails the same way
        blocked = tmp_path / "runs"
        blocked.write_text("not a folder")
    else:
        blocked = tmp_path / "runs"
        blocked.mkdir()
        blocked.chmod(0o500)
    monkeypatch.setenv("GAN_CLASSROOM_RUNS", str(blocked))
    at = page()
    entry = _trained(at)
    at.button(key="train_save").click().run()
    assert not at.exception and at.error
    assert entry.run.status == "finished"  # the run itself is untouched: it can still be downloaded


def test_share_with_the_class_gives_a_code_the_watch_page_opens(page):
    at = page()
    at.button(key="train_step_both").click().run()  # a run, built and stepped by hand
    at.button(key="train_share").click().run()
    assert not at.exception
    (shared,) = [i.value for i in at.info if "train_watch?watch=" in i.value]
    code = shared.split("**")[1]
    (entry,) = runs_of(at)
    from ui.runs import get_pool

    assert get_pool().shared(code) is entry.run
    at.switch_page("pages/train_watch.py").run()
    at.text_input(key="watch_code").set_value(code).run()
    assert not at.exception and at.image  # the class sees the same run


def test_page_opens_on_the_fast_start_and_course_is_one_click_away(page):
    at = page()
    assert at.selectbox(key="train_preset").value == "fast"
    assert at.selectbox(key="train_model").value == "dcgan"
    assert at.select_slider(key="train_r1").value == 2.0 and at.select_slider(key="train_shift").value == 2
    assert at.select_slider(key="train_r1_every").value == 4 and not at.select_slider(key="train_r1_every").disabled
    assert any("1,250" in c.value for c in at.caption)  # the fast start's promise
    at.button(key="train_start").click().run()
    (entry,) = runs_of(at)
    assert (entry.config.r1_weight, entry.config.r1_every, entry.config.augment_shift) == (2.0, 4, 2)
    assert entry.config.batchnorm is True and at.toggle(key="train_bn").value  # as the recipe measured it
    entry.run.join(timeout=60)
    at.selectbox(key="train_preset").set_value("course").run()
    assert at.selectbox(key="train_model").value == "mlp" and at.select_slider(key="train_r1").value == 0.0
    assert at.select_slider(key="train_r1_every").disabled  # no R1, nothing to schedule
    assert any("187,600" in c.value for c in at.caption)  # the honest sentence on the course's scale
    assert not at.exception
