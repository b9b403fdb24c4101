"""The conditional GAN and InfoGAN families: shapes, label/code plumbing, and their training steps."""
import pytest
import torch
from _families import build

from gan_core.models.infogan import make_latent, sample_latent, split_latent
from gan_core.training.config import TrainConfig


def test_cgan_label_changes_the_output_and_d_sees_it():
    torch.manual_seed(0)
    G, D, _ = build("cgan", z_dim=8, g_base=8, d_base=8)
    G.eval(), D.eval()
    z = torch.randn(1, 8).expand(2, -1)
    x = G(z, torch.tensor([3, 7]))
    assert x.shape == (2, 1, 28, 28)
    assert not torch.allclose(x[0], x[1])  # same style noise, different digits
    same = x[:1].expand(2, -1, -1, -1)
    logits, classes = D.forward_aux(same, torch.tensor([3, 7]))
    assert logits.shape == (2,) and logits[0] != logits[1]  # D judges image AND label
    torch.testing.assert_close(classes[0], classes[1])  # the classifier head never sees the label


def test_infogan_latent_layout_and_q_head():
    G, D, cfg = build("infogan", z_dim=20, g_base=8, d_base=8, q_hidden=16)
    assert cfg.noise_dim == 20 - 10 - 2
    z, cat, cont = sample_latent(5, cfg, generator=torch.Generator().manual_seed(0))
    noise, slots, c = split_latent(z, cfg)
    assert torch.equal(slots.argmax(1), cat) and torch.equal(c, cont) and (cont.abs() <= 1).all()
    torch.testing.assert_close(make_latent(noise, cat, cont, cfg), z)
    logits, cat_logits, cont_mean = D.forward_q(G(z))
    assert logits.shape == (5,) and cat_logits.shape == (5, 10) and cont_mean.shape == (5, 2)
    with pytest.raises(ValueError, match="exceed"):
        build("infogan", z_dim=12)


@pytest.mark.parametrize("family", ["cgan", "infogan"])
def test_training_steps_run_and_dispatch(family):
    from gan_core.data import load_mnist
    from gan_core.training.cgan_step import CGANTrainer
    from gan_core.training.family import new_trainer
    from gan_core.training.infogan_step import InfoGANTrainer

    trainer = new_trainer(TrainConfig(model=family, steps=2, batch_size=8, grid_n=16), data=load_mnist(),
                          device=torch.device("cpu"))
    assert isinstance(trainer, {"cgan": CGANTrainer, "infogan": InfoGANTrainer}[family])
    before = [p.detach().clone() for p in trainer.D.parameters()]
    stats = trainer.step()
    assert all(torch.isfinite(v) for v in stats.values())
    assert any(not torch.equal(a, b) for a, b in zip(before, trainer.D.parameters()))
    assert trainer.fixed_grid().shape == (4 * 30 + 2, 4 * 30 + 2)
    if family == "infogan":  # Q is trained: the Q head's weights moved
        assert trainer.last_info_loss > 0


@pytest.mark.parametrize("family", ["cgan", "infogan"])
def test_augmentation_reaches_every_family(family, monkeypatch):
    """augment_shift applies to what D sees in the CGAN and InfoGAN steps too (it was ignored there)."""
    from gan_core.data import load_mnist
    from gan_core.training.family import new_trainer

    trainer = new_trainer(TrainConfig(model=family, batch_size=8, grid_n=4, augment_shift=2), data=load_mnist(),
                          device=torch.device("cpu"))
    seen = []
    original = trainer.augment
    monkeypatch.setattr(trainer, "augment", lambda x: seen.append(x.shape[0]) or original(x))
    trainer.step()
    assert len(seen) >= 3  # real and fake for D's update, fake for G's
