"""lerp / slerp endpoints and norms, bilinear squares, concept-vector arithmetic."""
import math

import pytest
import torch

from gan_core import latent


@pytest.fixture
def ab():
    g = torch.Generator().manual_seed(0)
    return torch.randn(64, generator=g), torch.randn(64, generator=g)


@pytest.mark.parametrize("fn", [latent.lerp, latent.slerp])
def test_endpoints_are_exact(fn, ab):
    a, b = ab
    path = fn(a, b, [0.0, 1.0])
    assert path.shape == (2, 64)
    torch.testing.assert_close(path[0], a)
    torch.testing.assert_close(path[1], b)
    torch.testing.assert_close(fn(a, b, 0.0), a)


def test_slerp_keeps_the_norm_on_the_gaussian_shell(ab):
    a, b = ab
    a, b = a / a.norm() * 8.0, b / b.norm() * 8.0  # same norm: slerp stays on the sphere
    path = latent.walk(a, b, 9, method="slerp")
    torch.testing.assert_close(path.norm(dim=1), torch.full((9,), 8.0))
    # lerp's midpoint of two (nearly orthogonal) Gaussian draws is shorter by about 1/sqrt(2)
    mid = latent.lerp(a, b, 0.5).norm().item()
    assert mid < 8.0 * 0.85
    assert mid == pytest.approx(8.0 * math.sqrt((1 + torch.dot(a, b).item() / 64) / 2), rel=1e-4)


def test_slerp_interpolates_norms_and_angle(ab):
    a, b = ab
    half = latent.slerp(a, b, 0.5)
    assert half.norm().item() == pytest.approx((a.norm() + b.norm()).item() / 2, rel=1e-5)
    cos = lambda u, v: torch.dot(u, v) / (u.norm() * v.norm())
    assert cos(half, a).item() == pytest.approx(cos(half, b).item(), abs=1e-5)  # equal angles


def test_slerp_parallel_falls_back_to_lerp():
    a = torch.ones(8)
    torch.testing.assert_close(latent.slerp(a, 2 * a, 0.5), 1.5 * a)


def test_walk_and_square_shapes(ab):
    a, b = ab
    assert latent.walk(a, b, 5, method="lerp").shape == (5, 64)
    corners = torch.stack([a, b, -a, -b])
    sq = latent.bilinear_square(corners, 4, method="lerp")
    assert sq.shape == (16, 64)
    torch.testing.assert_close(sq[0], a)
    torch.testing.assert_close(sq[3], b)
    torch.testing.assert_close(sq[12], -a)
    torch.testing.assert_close(sq[15], -b)
    with pytest.raises(ValueError):
        latent.walk(a, b, 1)
    with pytest.raises(KeyError, match="lerp"):
        latent.walk(a, b, 3, method="cubic")


def test_bilinear_lerp_centre_is_the_mean_of_corners():
    corners = torch.eye(4)
    sq = latent.bilinear_square(corners, 3, method="lerp")
    torch.testing.assert_close(sq[4], torch.full((4,), 0.25))


def test_concept_vector_arithmetic():
    A = torch.tensor([[1.0, 0, 0], [3, 0, 0], [2, 0, 3]])
    B = torch.tensor([[0.0, 1, 0], [0, 1, 0], [0, 1, 0]])
    C = torch.tensor([[0.0, 0, 1], [0, 0, 1], [0, 0, 1]])
    va, vb, vc = (latent.concept_vector(m) for m in (A, B, C))
    torch.testing.assert_close(va, torch.tensor([2.0, 0, 1]))
    torch.testing.assert_close(latent.arithmetic(va, vb, vc), torch.tensor([2.0, -1, 2]))
    with pytest.raises(ValueError, match="at least 3"):
        latent.concept_vector(A[:2])


def test_neighbourhood_starts_at_the_answer_and_is_seeded():
    c = torch.zeros(16)
    n1 = latent.neighbourhood(c, 9, sigma=0.3, seed=1)
    n2 = latent.neighbourhood(c, 9, sigma=0.3, seed=1)
    assert n1.shape == (9, 16)
    torch.testing.assert_close(n1, n2)
    torch.testing.assert_close(n1[0], c)
    assert 0.1 < n1[1:].std().item() < 0.5
