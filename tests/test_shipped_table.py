"""README's "Shipped models" table: generated from the sidecars, and a stale table fails here.

After a new checkpoint lands: `python -m gan_core list --write-readme` refreshes the table.
"""
from __future__ import annotations

import shutil

import pytest

from gan_core import cli, shipped_table
from gan_core.checkpoints import SHIPPED_DIR, list_checkpoints


def _table_names(text: str) -> list[str]:
    """The first cell of each data row of the table between the README's markers."""
    rows = [line for line in shipped_table.between_markers(text).strip().splitlines() if line.startswith("|")]
    return [row.split("|")[1].strip().strip("`") for row in rows[2:]]  # header and separator first


@pytest.fixture(scope="module")
def shipped_names():
    return {shipped_table.shipped_name(info) for info in list_checkpoints(SHIPPED_DIR)}


def test_readme_table_names_every_shipped_checkpoint_and_nothing_else(shipped_names):
    names = _table_names(shipped_table.README.read_text(encoding="utf-8"))
    refresh = "refresh it with `python -m gan_core list --write-readme`"
    assert len(names) == len(set(names)), f"README's shipped-models table repeats a row; {refresh}"
    missing = shipped_names - set(names)
    assert not missing, f"README's shipped-models table lacks {sorted(missing)}; {refresh}"
    for name in names:
        assert (SHIPPED_DIR / f"{name}.json").is_file() and (SHIPPED_DIR / f"{name}.safetensors").is_file(), \
            f"README's shipped-models table names {name}, which is not in checkpoints/; {refresh}"


def test_list_markdown_prints_every_shipped_recipe_and_no_saved_run(capsys, shipped_names, tmp_path,
                                                                  monkeypatch):
    for suffix in (".json", ".safetensors"):  # a saved run in runs/: plain `list` shows it, the table not
        shutil.copy(SHIPPED_DIR / f"toy2d/ring_balanced{suffix}", tmp_path / f"my_saved_run{suffix}")
    monkeypatch.setenv("GAN_CLASSROOM_RUNS", str(tmp_path))
    assert cli.main(["list"]) == 0
    assert "my_saved_run" in capsys.readouterr().out
    assert cli.main(["list", "--markdown"]) == 0
    out = capsys.readouterr().out
    assert set(_table_names(f"{shipped_table.START}\n{out}{shipped_table.END}")) == shipped_names
    for info in list_checkpoints(SHIPPED_DIR):
        assert info.recipe and f"`{info.recipe}`" in out, info.path.name
    assert "my_saved_run" not in out


def test_headlines_pick_the_family_numbers():
    assert shipped_table.headline("pix2pix", {"fid": 20.331, "sharpness": 0.0692, "psnr": 13.92, "n": 1000}) \
        == "FID 20.3, sharpness 0.069, PSNR 13.9 dB"
    assert shipped_table.headline("social-gan", {"best20_ade": 0.4595, "best20_fde": 0.8259, "eval_on": "eth"}) \
        == "best-of-20 ADE 0.46 m, FDE 0.83 m, on eth"
    assert shipped_table.headline("detector", {"trained_on": "a", "ap_a": 0.9, "ap_b": 0.8, "acc_a": 0.5}) \
        == "AP 0.900 on a, mean AP 0.850 over 2 generators"
    assert shipped_table.headline("toy2d", {"coverage": {"modes": 8, "modes_total": 8, "quality": 0.81},
                                            "divergence": {"js": 0.31}}) == "8/8 modes, quality 0.81, JS 0.31"
    # a family the table has no line for (a new one) still shows its ADE/FDE; nothing known: "-"
    assert shipped_table.headline("social-lstm", {"best20_ade": 0.5, "best20_fde": 1.0, "train_seconds": 9}) \
        == "best-of-20 ADE 0.50 m, FDE 1.00 m"
    assert shipped_table.headline("dcgan", {"train_seconds": 238.7, "fid": float("nan")}) == "-"
    assert shipped_table.minutes({"train_seconds": 2064.3}) == "34.4"
    assert shipped_table.minutes({}) == "-"
    idle = {"train_seconds": 1699.5, "idle_train_seconds": 412.0}  # a run that shared the cores, re-timed
    assert (shipped_table.minutes(idle), shipped_table.minutes(idle, "idle_train_seconds")) == ("28.3", "6.9")


def test_write_readme_replaces_only_the_text_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    start, end = shipped_table.START, shipped_table.END
    readme.write_text(f"# Title\n\n{start}\n| old | table |\n{end}\n\n## Next\n", encoding="utf-8")
    assert shipped_table.write_readme(readme, "| new |")
    assert readme.read_text(encoding="utf-8") == f"# Title\n\n{start}\n| new |\n{end}\n\n## Next\n"
    assert not shipped_table.write_readme(readme, "| new |")  # already up to date: file untouched
    (tmp_path / "bare.md").write_text("# no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="markers"):
        shipped_table.write_readme(tmp_path / "bare.md", "| new |")
