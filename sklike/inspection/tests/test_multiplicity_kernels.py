"""The batched kernels against plain NumPy/SciPy references."""

import numpy as np
from scipy.special import expit, log_expit

from sklike.inspection._multiplicity_kernels import (
    data_loss,
    data_loss_derivatives,
    hessian,
    segment_loss_and_slope,
)


def test_loss_terms_match_scipy_including_extreme_margins():
    rng = np.random.default_rng(0)
    Z = rng.normal(scale=5, size=(40, 7))
    Z[0, 0], Z[1, 1], Z[2, 2] = 800.0, -800.0, 0.0  # overflow-prone entries
    y = np.where(rng.random(40) < 0.5, -1.0, 1.0)
    omega = rng.random(40)
    m = y[:, None] * Z
    loss, dloss, curv = data_loss_derivatives(Z, y, omega)
    np.testing.assert_allclose(loss, omega @ -log_expit(m), rtol=1e-13)
    np.testing.assert_allclose(data_loss(Z, y, omega), loss, rtol=1e-15)
    np.testing.assert_allclose(
        dloss, -(y * omega)[:, None] * expit(-m), rtol=1e-13, atol=1e-300
    )
    np.testing.assert_allclose(
        curv, omega[:, None] * expit(m) * expit(-m), rtol=1e-12, atol=1e-300
    )
    assert np.all(np.isfinite(curv)) and np.all(np.isfinite(loss))


def test_batched_hessian_matches_explicit_products():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(30, 4))
    curv = rng.random((30, 3))
    pen = np.array([1.0, 1.0, 1.0, 0.0])
    H = hessian(X, curv, 0.7, pen)
    for b in range(3):
        ref = X.T @ (curv[:, b, None] * X) + 0.7 * np.diag(pen)
        # The kernel adds a 1e-12 relative jitter for singular cases.
        np.testing.assert_allclose(H[b], ref, rtol=1e-10, atol=1e-10)


def test_segment_slope_is_the_derivative_of_the_loss():
    rng = np.random.default_rng(2)
    z0 = rng.normal(size=25)
    Zd = rng.normal(size=(25, 3))
    y = np.where(rng.random(25) < 0.5, -1.0, 1.0)
    omega = np.full(25, 1 / 25)
    alpha = np.array([0.1, 0.5, 0.9])
    value, slope = segment_loss_and_slope(z0, Zd, alpha, y, omega)
    np.testing.assert_allclose(value, data_loss(z0[:, None] + alpha * Zd, y, omega))
    h = 1e-6
    fd = (
        data_loss(z0[:, None] + (alpha + h) * Zd, y, omega)
        - data_loss(z0[:, None] + (alpha - h) * Zd, y, omega)
    ) / (2 * h)
    np.testing.assert_allclose(slope, fd, rtol=1e-7)
