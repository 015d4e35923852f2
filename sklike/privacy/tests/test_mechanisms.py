"""Calibration and randomizers, against independent references."""

import math
import warnings

import numpy as np
import pytest
from scipy import integrate, stats

from sklike.privacy._mechanisms import (
    analytic_gaussian_sigma,
    calibrate_gaussian,
    classical_gaussian_sigma,
    gaussian_delta,
    l2_ball_randomize,
    l2_ball_scale,
)


def _delta_by_integration(sigma, sensitivity, epsilon):
    """Hockey-stick divergence of N(Delta, s^2) from N(0, s^2), by quadrature."""
    p = stats.norm(sensitivity, sigma).pdf
    q = stats.norm(0.0, sigma).pdf
    # The integrand is positive exactly where the log-likelihood ratio > eps.
    start = epsilon * sigma**2 / sensitivity + sensitivity / 2.0
    value, _ = integrate.quad(
        lambda x: p(x) - math.exp(epsilon) * q(x), start, start + 40 * sigma
    )
    return value


@pytest.mark.parametrize(
    "sigma, sensitivity, epsilon", [(1.0, 1.0, 0.5), (3.0, 2.0, 1.0), (0.7, 1.0, 4.0)]
)
def test_gaussian_delta_matches_quadrature(sigma, sensitivity, epsilon):
    assert gaussian_delta(sigma, sensitivity, epsilon) == pytest.approx(
        _delta_by_integration(sigma, sensitivity, epsilon), rel=1e-6, abs=1e-14
    )


@pytest.mark.parametrize("epsilon", [0.1, 0.9, 3.0, 50.0])
@pytest.mark.parametrize("delta", [1e-3, 1e-7])
def test_analytic_sigma_is_the_smallest_private_scale(epsilon, delta):
    sigma = analytic_gaussian_sigma(2.0, epsilon, delta)
    assert _delta_by_integration(sigma, 2.0, epsilon) <= delta * (1 + 1e-6)
    # A slightly smaller scale breaks the guarantee: the root is tight.
    assert gaussian_delta(sigma * (1 - 1e-4), 2.0, epsilon) > delta
    if epsilon < 1:
        # The classical bound is valid (and looser) for epsilon < 1.
        assert sigma <= classical_gaussian_sigma(2.0, epsilon, delta)


def test_classical_calibration_falls_back_when_not_private():
    # At epsilon = 20 the classical sigma is far too small.
    classical = classical_gaussian_sigma(1.0, 20.0, 1e-5)
    assert gaussian_delta(classical, 1.0, 20.0) > 1e-5
    with pytest.warns(UserWarning, match="analytic"):
        sigma = calibrate_gaussian(1.0, 20.0, 1e-5, "gaussian")
    assert gaussian_delta(sigma, 1.0, 20.0) <= 1e-5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert calibrate_gaussian(
            1.0, 0.5, 1e-5, "gaussian"
        ) == classical_gaussian_sigma(1.0, 0.5, 1e-5)


@pytest.mark.parametrize("d", [1, 2, 5, 40])
def test_l2_ball_constant_matches_sphere_average(d):
    # c_d = E|z_1| for z uniform on the sphere; z_1^2 ~ Beta(1/2, (d-1)/2).
    if d == 1:
        c_d = 1.0
    else:
        c_d = stats.beta(0.5, (d - 1) / 2.0).expect(np.sqrt)
    epsilon, radius = 1.3, 2.5
    expected = radius / (c_d * math.tanh(epsilon / 2))
    assert l2_ball_scale(d, radius, epsilon) == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("d", [3, 8])
def test_l2_ball_is_unbiased_with_fixed_norm(d):
    rng = np.random.default_rng(0)
    radius, epsilon, m = 2.0, 1.0, 200_000
    vectors = [
        np.zeros(d),
        np.r_[radius, np.zeros(d - 1)],  # on the sphere
        rng.uniform(-0.5, 0.5, d),
    ]
    scale = l2_ball_scale(d, radius, epsilon)
    for v in vectors:
        out = l2_ball_randomize(np.tile(v, (m, 1)), radius, epsilon, rng)
        np.testing.assert_allclose(np.linalg.norm(out, axis=1), scale, rtol=1e-12)
        # Each coordinate has variance at most scale^2; 5 standard errors.
        np.testing.assert_allclose(out.mean(axis=0), v, atol=5 * scale / math.sqrt(m))


def test_l2_ball_probability_ratio_is_e_epsilon():
    """For opposite inputs on the sphere, a half-space's odds differ by e^eps."""
    d, radius, epsilon, m = 4, 1.0, 1.5, 200_000
    rng = np.random.default_rng(1)
    e1 = np.r_[1.0, np.zeros(d - 1)]
    p_plus = np.mean(
        l2_ball_randomize(np.tile(e1, (m, 1)), radius, epsilon, rng)[:, 0] > 0
    )
    p_minus = np.mean(
        l2_ball_randomize(np.tile(-e1, (m, 1)), radius, epsilon, rng)[:, 0] > 0
    )
    expected = math.exp(epsilon) / (1 + math.exp(epsilon))
    se = math.sqrt(expected * (1 - expected) / m)
    assert p_plus == pytest.approx(expected, abs=5 * se)
    assert p_minus == pytest.approx(1 - expected, abs=5 * se)
    # Any other half-space and any inputs: the ratio never exceeds e^eps.
    w = rng.standard_normal(d)
    for v in (0.3 * e1, rng.uniform(-0.4, 0.4, d)):
        a = np.mean(l2_ball_randomize(np.tile(v, (m, 1)), radius, epsilon, rng) @ w > 0)
        b = np.mean(
            l2_ball_randomize(np.tile(-v, (m, 1)), radius, epsilon, rng) @ w > 0
        )
        assert max(a / b, b / a) <= math.exp(epsilon) * 1.05


def test_l2_ball_report_depends_only_on_own_row():
    rng_data = np.random.default_rng(2)
    V = rng_data.uniform(-0.3, 0.3, (50, 3))
    W = V.copy()
    W[7] = [0.5, -0.5, 0.1]
    a = l2_ball_randomize(V, 1.0, 1.0, np.random.default_rng(5))
    b = l2_ball_randomize(W, 1.0, 1.0, np.random.default_rng(5))
    others = np.arange(50) != 7
    np.testing.assert_array_equal(a[others], b[others])
