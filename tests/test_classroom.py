"""The classroom limits file: defaults, overrides, and refusals that name the file."""
from __future__ import annotations

import pytest

from gan_core.classroom import DEFAULT_FILE, Limits, load_limits


def test_the_shipped_file_holds_the_defaults():
    assert load_limits(DEFAULT_FILE) == Limits()


def test_missing_file_means_defaults_and_overrides_apply(tmp_path):
    assert load_limits(tmp_path / "none.toml") == Limits()
    path = tmp_path / "c.toml"
    path.write_text("[limits]\nheavy_runs = 4\nshare_saves = true\ntraining_nice = 0\n")
    limits = load_limits(path)
    assert limits.heavy_runs == 4 and limits.share_saves and limits.light_runs == Limits().light_runs
    assert limits.training_nice == 0  # 0 is allowed here (never step back), unlike the counts


@pytest.mark.parametrize("body, words", [
    ("[limits]\nheavy_run = 4\n", "unknown setting"),
    ("[limits]\nheavy_runs = -1\n", "positive"),
    ("[limits]\nshare_saves = 1\n", "true or false"),
    ("[limits]\ntraining_nice = 25\n", "from 0 to 19"),
    ("[limits]\ntraining_nice = 2.5\n", "whole number"),
    ("[limits\n", "not valid TOML"),
])
def test_mistakes_are_refused_with_the_file_named(tmp_path, body, words):
    path = tmp_path / "c.toml"
    path.write_text(body)
    with pytest.raises(ValueError, match=words) as err:
        load_limits(path)
    assert str(path) in str(err.value)


def test_streamlit_refuses_uploads_at_the_same_size_as_the_pages():
    """[server] maxUploadSize (Streamlit's own gate, MB of 2**20 bytes) equals [limits] upload_mb."""
    import tomllib

    from gan_core.classroom import MB

    server = tomllib.loads((DEFAULT_FILE.parent / "config.toml").read_text(encoding="utf-8"))["server"]
    assert server["maxUploadSize"] == load_limits(DEFAULT_FILE).upload_mb == Limits().upload_mb == 10
    assert Limits(upload_mb=2).upload_bytes == 2 * MB == 2 * 1024 * 1024
