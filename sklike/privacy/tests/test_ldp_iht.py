"""LDPIHTRegressor: protocol structure, gradient bound, statistics, errors."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from sklike.privacy import LDPIHTRegressor, PrivacyLeakWarning, _ldp_iht


def _problem(n, d, rng, coef_support=(0.6, -0.4)):
    X = rng.standard_normal((n, d))
    coef = np.zeros(d)
    coef[: len(coef_support)] = coef_support
    y = X @ coef + 0.1 * rng.standard_normal(n)
    return X, y, coef


class _Spy:
    """Wraps the randomizer to record what each round hands to it."""

    def __init__(self, monkeypatch):
        self.calls = []
        original = _ldp_iht.l2_ball_randomize

        def spy(vectors, radius, epsilon, rng):
            self.calls.append((np.array(vectors), radius))
            return original(vectors, radius, epsilon, rng)

        monkeypatch.setattr(_ldp_iht, "l2_ball_randomize", spy)


def test_each_user_speaks_once_in_disjoint_batches(monkeypatch):
    spy = _Spy(monkeypatch)
    rng = np.random.default_rng(0)
    n, d = 500, 4
    X, y, _ = _problem(n, d, rng)
    est = LDPIHTRegressor(4.0, n_nonzero=1, tau_x=2.0, tau_y=2.0, random_state=0)
    est.fit(X, y)
    assert est.n_rounds_ == int(np.ceil(np.log(n))) == len(spy.calls)
    Xc, yc = np.clip(X, -2, 2), np.clip(y, -2, 2)
    seen = []
    theta = np.zeros(d)
    for t, (gradients, _) in enumerate(spy.calls):
        # Identify the users of this round from the exact gradients of all
        # users at the broadcast iterate.
        everyone = Xc * (Xc @ theta - yc)[:, None]
        dist = ((gradients[:, None, :] - everyone[None, :, :]) ** 2).sum(-1)
        users = dist.argmin(axis=1)
        np.testing.assert_allclose(dist.min(axis=1), 0.0, atol=1e-20)
        seen.extend(users.tolist())
        theta = est.coef_path_[t]
    assert sorted(seen) == list(range(n))
    assert est.batch_size_ == n // est.n_rounds_


@pytest.mark.parametrize("fit_intercept", [False, True])
def test_gradient_radius_bounds_every_gradient(monkeypatch, fit_intercept):
    """Adversarial data at the clipping box corners never exceed grad_radius_."""
    spy = _Spy(monkeypatch)
    rng = np.random.default_rng(1)
    n, d = 4_000, 6
    tau_x = np.array([1.0, 2.0, 0.5, 1.0, 3.0, 1.0])
    X = rng.choice([-1.0, 1.0], (n, d)) * tau_x * 10
    y = rng.choice([-1.0, 1.0], n) * 100
    est = LDPIHTRegressor(
        50.0,
        n_nonzero=1,
        keep_factor=2,
        tau_x=tau_x,
        tau_y=1.5,
        radius=2.0,
        n_rounds=20,
        fit_intercept=fit_intercept,
        random_state=0,
    ).fit(X, y)
    assert all(g.shape[1] == d + fit_intercept for g, _ in spy.calls)
    max_norm = max(np.linalg.norm(g, axis=1).max() for g, _ in spy.calls)
    assert max_norm <= est.grad_radius_ * (1 + 1e-12)
    # The bound is attained up to the sparsity structure: not vacuous.
    assert max_norm >= 0.3 * est.grad_radius_
    full = np.c_[est.coef_path_, est.intercept_path_]
    assert np.all(np.linalg.norm(full, axis=1) <= 2.0 + 1e-12)
    assert np.all((est.coef_path_ != 0).sum(axis=1) <= 2)
    # sqrt(sum tau^2 + c) (radius sqrt(top-2 tau^2 + c) + tau_y), c = 1 for
    # the constant feature
    c = float(fit_intercept)
    expected = np.sqrt(np.sum(tau_x**2) + c) * (2.0 * np.sqrt(9 + 4 + c) + 1.5)
    assert est.grad_radius_ == pytest.approx(expected)


def test_recovers_support_and_error_falls_with_n():
    """With Sigma = I and step 1, every iterate after the first is
    coef + (fresh privacy noise of one batch): its RMS error over rounds and
    seeds must fall like 1/sqrt(batch size)."""
    rms = {}
    for n in (100_000, 1_000_000):
        squared = []
        for seed in range(3):
            rng = np.random.default_rng(seed)
            X, y, coef = _problem(n, 5, rng, coef_support=(0.7,))
            est = LDPIHTRegressor(
                8.0,
                n_nonzero=1,
                keep_factor=1,
                n_rounds=5,
                tau_x=2.5,
                tau_y=2.0,
                random_state=seed,
            ).fit(X, y)
            squared.extend(((est.coef_path_[1:] - coef) ** 2).sum(axis=1))
            if n == 1_000_000:
                assert np.flatnonzero(est.coef_).tolist() == [0]
        rms[n] = np.sqrt(np.mean(squared))
    assert 2.2 < rms[100_000] / rms[1_000_000] < 4.5  # sqrt(10) = 3.2
    assert rms[1_000_000] < 0.12


def test_privacy_record_and_report_norm():
    rng = np.random.default_rng(2)
    X, y, _ = _problem(200, 3, rng)
    est = LDPIHTRegressor(2.0, n_nonzero=1, tau_x=1.0, tau_y=1.0, random_state=0)
    est.fit(X, y)
    assert est.privacy_ == {
        "epsilon": 2.0,
        "delta": 0.0,
        "model": "sequentially interactive",
        "mechanism": "l2_ball",
    }
    # Paper's radius sqrt(d) tau (sqrt(k') tau + tau_y) with k' = min(8, d).
    assert est.grad_radius_ == pytest.approx(np.sqrt(3) * (np.sqrt(3) + 1.0))


def test_bad_input():
    rng = np.random.default_rng(3)
    X, y, _ = _problem(50, 3, rng)
    with pytest.raises(InvalidParameterError, match="epsilon"):
        LDPIHTRegressor(0.0, tau_x=1.0, tau_y=1.0).fit(X, y)
    with pytest.raises(InvalidParameterError, match="n_nonzero"):
        LDPIHTRegressor(n_nonzero=0, tau_x=1.0, tau_y=1.0).fit(X, y)
    with pytest.raises(ValueError, match="n_rounds"):
        LDPIHTRegressor(n_rounds=60, tau_x=1.0, tau_y=1.0).fit(X, y)
    with pytest.raises(ValueError, match="tau_x"):
        LDPIHTRegressor(tau_x=[1.0, 2.0], tau_y=1.0).fit(X, y)
    with pytest.warns(PrivacyLeakWarning, match="tau_y"):
        LDPIHTRegressor(tau_x=1.0, random_state=0).fit(X, y)


def test_intercept_is_recovered_and_never_thresholded():
    """y = 0.6 x_0 + 0.5 with whitened features and step 1: after the first
    round every iterate is (coef, intercept) plus one batch's privacy noise
    (sd about 0.06 per coordinate here), and the intercept survives the top-1
    threshold of the features."""
    rng = np.random.default_rng(0)
    n, d = 1_000_000, 4
    X = rng.standard_normal((n, d))
    y = 0.6 * X[:, 0] + 0.5 + 0.1 * rng.standard_normal(n)
    params = dict(n_nonzero=1, keep_factor=1, n_rounds=5, tau_x=2.5, tau_y=2.0)
    est = LDPIHTRegressor(8.0, fit_intercept=True, random_state=0, **params)
    est.fit(X, y)
    assert np.all(est.coef_path_[:, 1:] == 0)
    assert np.all(est.intercept_path_ != 0)
    # four rounds of independent noise averaged: sd about 0.03
    assert est.coef_path_[1:, 0].mean() == pytest.approx(0.6, abs=0.1)
    assert est.intercept_path_[1:].mean() == pytest.approx(0.5, abs=0.1)
    assert est.intercept_path_[-1] == est.intercept_
    np.testing.assert_allclose(est.predict(X[:5]), X[:5] @ est.coef_ + est.intercept_)
    # The constant feature enlarges the reports (d + 1 coordinates, larger r).
    plain = LDPIHTRegressor(8.0, random_state=0, **params).fit(X, y)
    assert plain.intercept_ == 0.0 and np.all(plain.intercept_path_ == 0.0)
    assert est.grad_radius_ > plain.grad_radius_
    assert est.report_norm_ > plain.report_norm_
