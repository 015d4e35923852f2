"""LDPSparseLinearRegression: privacy calibration, protocol, statistics, errors."""

import itertools
import math
import warnings

import numpy as np
import pytest
from scipy import stats
from sklearn.utils._param_validation import InvalidParameterError

from sklike.privacy import LDPSparseLinearRegression, PrivacyLeakWarning
from sklike.privacy._mechanisms import calibrate_gaussian, gaussian_delta


def _sparse_problem(n, d, k, rng, noise=0.1):
    """x ~ U[-1, 1]^d (no clipping bias), k entries of size 1/k (spec section 7)."""
    X = rng.uniform(-1.0, 1.0, (n, d))
    coef = np.zeros(d)
    coef[:k] = [(-1) ** j / k for j in range(k)]
    y = X @ coef + noise * rng.standard_normal(n)
    return X, y, coef


def _soft_threshold(w, lam):
    return np.sign(w) * np.maximum(np.abs(w) - lam, 0.0)


def _upper(M):
    rows, cols = np.triu_indices(M.shape[-1])
    return M[..., rows, cols]


# ----------------------------------------------------------------------------
# Privacy: the joint release meets the Gaussian-mechanism requirement
# ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "noise, epsilon, delta",
    [
        ("gaussian", 0.5, 1e-5),
        ("gaussian", 2.0, 1e-6),
        ("analytic_gaussian", 4.0, 1e-4),
    ],
)
def test_joint_release_is_epsilon_delta_private(noise, epsilon, delta):
    """Many users with the same row: measure the noise, then the privacy loss.

    The worst-case change of the (noise-whitened) pair of messages is found by
    brute force over a grid of the clipping box, independently of the
    estimator's analytic sensitivity bound; the exact Gaussian privacy profile
    of the measured noise at that change must be at most delta.
    """
    tau_x, tau_y = np.array([1.0, 2.0]), 1.5
    est = LDPSparseLinearRegression(
        epsilon, delta=delta, tau_x=tau_x, tau_y=tau_y, noise=noise, random_state=0
    )
    m = 40_000
    x_row, y_row = np.array([0.3, -5.0]), 0.7  # second feature gets clipped
    xx, xy = est.privatize(np.tile(x_row, (m, 1)), np.full(m, y_row))
    x_clip = np.clip(x_row, -tau_x, tau_x)
    noise_xx = _upper(xx) - _upper(np.outer(x_clip, x_clip))
    noise_xy = xy - x_clip * y_row
    np.testing.assert_allclose(xx, np.swapaxes(xx, 1, 2))  # symmetric reports
    # One noise scale per message, same for every entry, centred, Gaussian,
    # uncorrelated across all entries of both messages.
    sd_xx, sd_xy = noise_xx.std(axis=0), noise_xy.std(axis=0)
    assert np.ptp(sd_xx) / sd_xx.mean() < 0.05 and np.ptp(sd_xy) / sd_xy.mean() < 0.05
    joint = np.hstack([noise_xx / sd_xx.mean(), noise_xy / sd_xy.mean()])
    np.testing.assert_allclose(joint.mean(axis=0), 0.0, atol=5 / math.sqrt(m))
    corr = np.corrcoef(joint, rowvar=False)
    np.testing.assert_allclose(corr, np.eye(joint.shape[1]), atol=5 / math.sqrt(m))
    assert stats.kstest(joint[:, 0], "norm").pvalue > 1e-3
    # Lower confidence bounds on the noise scales (conservative for privacy).
    shrink = 1 - 4 / math.sqrt(2 * m)
    sigma_xx, sigma_xy = sd_xx.mean() * shrink, sd_xy.mean() * shrink

    levels = [np.linspace(-t, t, 9) for t in (*tau_x, tau_y)]
    points = np.array(list(itertools.product(*levels)))
    xs, ys = points[:, :2], points[:, 2]
    messages = np.hstack(
        [
            _upper(xs[:, :, None] * xs[:, None, :]) / sigma_xx,
            xs * ys[:, None] / sigma_xy,
        ]
    )
    worst_change = np.sqrt(
        ((messages[:, None, :] - messages[None, :, :]) ** 2).sum(-1).max()
    )
    assert gaussian_delta(1.0, worst_change, epsilon) <= delta

    # The test has teeth: calibrating each message alone with the full budget
    # (a common mistake) violates the guarantee of the pair.
    xx_rows = _upper(xs[:, :, None] * xs[:, None, :])
    xy_rows = xs * ys[:, None]
    alone = [
        calibrate_gaussian(_pair_max(rows), epsilon, delta, "analytic_gaussian")
        for rows in (xx_rows, xy_rows)
    ]
    wrong = np.hstack([xx_rows / alone[0], xy_rows / alone[1]])
    assert gaussian_delta(1.0, _pair_max(wrong), epsilon) > 1.5 * delta


def _pair_max(rows):
    return np.sqrt(((rows[:, None, :] - rows[None, :, :]) ** 2).sum(-1).max())


def test_reports_depend_only_on_own_data():
    rng = np.random.default_rng(0)
    X, y, _ = _sparse_problem(30, 3, 1, rng)
    est = LDPSparseLinearRegression(delta=1e-5, tau_x=1.0, tau_y=1.0, random_state=3)
    xx_a, xy_a = est.privatize(X, y)
    X2, y2 = X.copy(), y.copy()
    X2[4], y2[4] = [0.9, -0.9, 0.2], -0.8
    xx_b, xy_b = est.privatize(X2, y2)
    others = np.arange(30) != 4
    np.testing.assert_array_equal(xx_a[others], xx_b[others])
    np.testing.assert_array_equal(xy_a[others], xy_b[others])
    assert not np.allclose(xy_a[4], xy_b[4])
    # The noise itself does not depend on anybody's data.
    np.testing.assert_allclose(xy_a - X * y[:, None], xy_b - X2 * y2[:, None])
    # Clipping is applied before release: an outlier reports like its clip.
    X3 = X.copy()
    X3[4] = [50.0, -50.0, 0.2]
    X4 = X.copy()
    X4[4] = [1.0, -1.0, 0.2]
    np.testing.assert_allclose(est.privatize(X3, y)[0], est.privatize(X4, y)[0])


# ----------------------------------------------------------------------------
# Protocol: server from reports, streaming, simulation
# ----------------------------------------------------------------------------
def test_server_is_the_documented_post_processing():
    rng = np.random.default_rng(1)
    X, y, _ = _sparse_problem(400, 3, 1, rng)
    est = LDPSparseLinearRegression(
        8.0, delta=1e-5, tau_x=1.0, tau_y=1.5, lam=0.05, random_state=0
    )
    xx, xy = est.privatize(X, y)
    est.fit_from_reports(xx, xy)
    cov = xx.mean(axis=0)
    w, V = np.linalg.eigh(cov)
    assert np.trace(cov) > 0 and w.min() < 0  # the repair has work to do
    floor = 1e-3 * np.trace(cov) / 3
    repaired = (V * np.maximum(w, floor)) @ V.T
    expected = _soft_threshold(np.linalg.solve(repaired, xy.mean(axis=0)), 0.05)
    np.testing.assert_allclose(est.coef_, expected, rtol=1e-10, atol=1e-12)
    assert np.linalg.eigvalsh(est.cov_repaired_).min() >= est.eig_floor_ * (1 - 1e-9)
    assert est.n_eigenvalues_floored_ == int(np.sum(w < floor))
    # Streaming chunks give the same answer as the full arrays.
    chunks = ((xx[i : i + 64], xy[i : i + 64]) for i in range(0, 400, 64))
    xx_stream, xy_stream = itertools.tee(chunks)
    streamed = LDPSparseLinearRegression(
        8.0, delta=1e-5, tau_x=1.0, tau_y=1.5, lam=0.05
    ).fit_from_reports((c[0] for c in xx_stream), (c[1] for c in xy_stream))
    np.testing.assert_allclose(streamed.coef_, est.coef_, rtol=1e-10, atol=1e-12)
    assert streamed.n_users_ == 400 and streamed.n_features_in_ == 3


def test_simulated_noise_has_the_protocols_distribution():
    """fit draws the users' summed noise at once: same law as per-user reports."""
    rng = np.random.default_rng(2)
    X, y, _ = _sparse_problem(40, 2, 1, rng)
    params = dict(epsilon=1.0, delta=1e-5, tau_x=1.0, tau_y=1.0)
    sim, proto = [], []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for seed in range(300):
            est = LDPSparseLinearRegression(**params, random_state=seed).fit(X, y)
            sim.append(np.r_[_upper(est.cov_hat_), est.xy_hat_])
            est = LDPSparseLinearRegression(**params, random_state=10_000 + seed)
            est.fit_from_reports(*est.privatize(X, y))
            proto.append(np.r_[_upper(est.cov_hat_), est.xy_hat_])
    sim, proto = np.array(sim), np.array(proto)
    for j in range(sim.shape[1]):
        assert stats.ks_2samp(sim[:, j], proto[:, j]).pvalue > 1e-3
    np.testing.assert_allclose(sim.std(axis=0), proto.std(axis=0), rtol=0.25)


# ----------------------------------------------------------------------------
# Statistics
# ----------------------------------------------------------------------------
@pytest.mark.parametrize("fit_intercept", [False, True])
def test_large_epsilon_recovers_nonprivate_thresholded_least_squares(fit_intercept):
    rng = np.random.default_rng(3)
    X, y, _ = _sparse_problem(2_000, 4, 2, rng)
    X = 1.3 * X  # some clipping at tau_x = 1
    y = y + 0.4 * fit_intercept
    est = LDPSparseLinearRegression(
        1e9,
        delta=1e-5,
        tau_x=1.0,
        tau_y=2.0,
        lam=0.05,
        noise="analytic_gaussian",
        fit_intercept=fit_intercept,
        random_state=0,
    ).fit(X, y)
    Xc = np.clip(X, -1, 1)
    if fit_intercept:
        Xc = np.hstack([Xc, np.ones((len(Xc), 1))])
    ols = np.linalg.lstsq(Xc, np.clip(y, -2, 2), rcond=None)[0]
    np.testing.assert_allclose(est.coef_, _soft_threshold(ols[:4], 0.05), atol=1e-4)
    if fit_intercept:
        # Intercept refit to the thresholded coefficients: mean residual.
        residual = np.clip(y, -2, 2) - Xc[:, :4] @ _soft_threshold(ols[:4], 0.05)
        assert est.intercept_ == pytest.approx(residual.mean(), abs=1e-4)
    assert est.sigma_xy_ < 1e-3


def _median_error(make_est, n, d, k, seeds, public=False):
    errors = []
    for seed in seeds:
        rng = np.random.default_rng(seed)
        X, y, coef = _sparse_problem(n, d, k, rng)
        X_public = rng.uniform(-1, 1, (20_000, d)) if public else None
        est = make_est(seed).fit(X, y, X_public=X_public)
        errors.append(np.linalg.norm(est.coef_ - coef))
    return float(np.median(errors))


def test_error_scales_as_inverse_sqrt_n_and_inverse_epsilon():
    """Noise-dominated regime: error ~ 1/(sqrt(n) eps) (classical calibration)."""

    def make(epsilon):
        return lambda seed: LDPSparseLinearRegression(
            epsilon,
            delta=1e-5,
            tau_x=1.0,
            tau_y=1.5,
            lam=0.0,
            covariance="public",
            random_state=seed,
        )

    seeds = range(12)
    small_n = _median_error(make(1.0), 20_000, 4, 2, seeds, public=True)
    large_n = _median_error(make(1.0), 200_000, 4, 2, seeds, public=True)
    assert 2.2 < small_n / large_n < 4.5  # sqrt(10) = 3.16
    large_eps = _median_error(make(4.0), 20_000, 4, 2, seeds, public=True)
    assert 2.8 < small_n / large_eps < 5.6  # 4


def test_private_covariance_error_falls_with_n_like_theory():
    def make(seed):
        return LDPSparseLinearRegression(
            8.0, delta=1e-5, tau_x=1.0, tau_y=1.5, random_state=seed
        )

    seeds = range(7)
    small_n = _median_error(make, 300_000, 3, 1, seeds)
    large_n = _median_error(make, 3_000_000, 3, 1, seeds)
    assert 2.2 < small_n / large_n < 4.5


def test_public_covariance_beats_private():
    def make(covariance):
        return lambda seed: LDPSparseLinearRegression(
            4.0,
            delta=1e-5,
            tau_x=1.0,
            tau_y=1.5,
            covariance=covariance,
            random_state=seed,
        )

    seeds = range(7)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        private = _median_error(make("private"), 300_000, 5, 2, seeds)
    public = _median_error(make("public"), 300_000, 5, 2, seeds, public=True)
    assert public < 0.6 * private


# ----------------------------------------------------------------------------
# Bad input
# ----------------------------------------------------------------------------
def _data():
    rng = np.random.default_rng(4)
    X, y, _ = _sparse_problem(100, 3, 1, rng)
    return X, y


@pytest.mark.parametrize(
    "params, name",
    [
        ({"epsilon": 0.0}, "epsilon"),
        ({"epsilon": -1.0}, "epsilon"),
        ({"delta": 0.0}, "delta"),
        ({"delta": 1.0}, "delta"),
        ({"tau_y": -1.0}, "tau_y"),
        ({"covariance": "shared"}, "covariance"),
    ],
)
def test_invalid_parameters_are_named(params, name):
    X, y = _data()
    est = LDPSparseLinearRegression(tau_x=1.0, tau_y=1.0).set_params(**params)
    with pytest.raises(InvalidParameterError, match=name):
        est.fit(X, y)


def test_missing_clipping_levels_warn_about_privacy():
    X, y = _data()
    with pytest.warns(PrivacyLeakWarning, match="tau_x and tau_y"):
        est = LDPSparseLinearRegression(random_state=0).fit(X, y)
    np.testing.assert_allclose(est.tau_x_, np.abs(X).max(axis=0))
    with pytest.raises(ValueError, match="tau_x and tau_y"):
        LDPSparseLinearRegression(delta=1e-5).fit_from_reports(
            np.zeros((5, 3, 3)), np.zeros((5, 3))
        )


def test_bad_tau_and_protocol_inputs():
    X, y = _data()
    with pytest.raises(ValueError, match="tau_x"):
        LDPSparseLinearRegression(tau_x=[1.0, 1.0], tau_y=1.0).fit(X, y)
    with pytest.raises(ValueError, match="tau_x"):
        LDPSparseLinearRegression(tau_x=[1.0, 0.0, 1.0], tau_y=1.0).fit(X, y)
    est = LDPSparseLinearRegression(tau_x=1.0, tau_y=1.0)
    with pytest.raises(ValueError, match="delta"):
        est.privatize(X, y)
    est.set_params(delta=1e-5)
    xx, xy = est.privatize(X, y)
    with pytest.raises(ValueError, match="shape"):
        est.fit_from_reports(xx[:, :2, :2], xy)
    with pytest.raises(ValueError, match="dimensions"):
        est.fit_from_reports(xx, xy[:, 0])
    with pytest.raises(ValueError, match="NaN"):
        est.fit_from_reports(xx, np.where(xy > 0, np.nan, xy))
    with pytest.raises(ValueError, match="xx_reports"):
        est.fit_from_reports(None, xy)
    public = LDPSparseLinearRegression(
        tau_x=1.0, tau_y=1.0, delta=1e-5, covariance="public"
    )
    xx_none, xy_public = public.privatize(X, y)
    assert xx_none is None
    with pytest.raises(ValueError, match="X_public"):
        public.fit(X, y)
    with pytest.raises(ValueError, match="X_public"):
        public.fit(X, y, X_public=X[:, :2])
    with pytest.raises(ValueError, match="no xx_reports"):
        public.fit_from_reports(xx, xy, X_public=X)
    public.fit_from_reports(None, xy_public, X_public=X)
    assert public.sigma_xx_ == 0.0


def test_too_few_users_for_the_dimension_warns_with_needed_n():
    X, y = _data()
    with pytest.warns(UserWarning, match=r"n > [\d.e+]+ users are needed"):
        LDPSparseLinearRegression(tau_x=1.0, tau_y=1.0, random_state=0).fit(X, y)
    rng = np.random.default_rng(5)
    X, y, _ = _sparse_problem(200_000, 2, 1, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        LDPSparseLinearRegression(8.0, tau_x=1.0, tau_y=1.5, random_state=0).fit(X, y)


@pytest.mark.slow
def test_matches_the_spec_reference_run():
    """Spec section 7 (U[-1,1]^d, k=2, delta=1e-5, default lambda, 10 seeds).

    Its public-covariance calibration is the same as ours, so the medians must
    match (0.070 at d=5, eps=4; 0.079 at d=10, eps=8; n=1e6).  Its private
    variant split the budget and used a looser sensitivity, so ours must be
    at least as accurate (0.56 and 0.69).
    """
    for d, epsilon, public_ref, private_ref in [
        (5, 4.0, 0.070, 0.56),
        (10, 8.0, 0.079, 0.69),
    ]:

        def make(covariance, epsilon=epsilon):
            return lambda seed: LDPSparseLinearRegression(
                epsilon,
                delta=1e-5,
                tau_x=1.0,
                tau_y=1.5,
                covariance=covariance,
                random_state=seed,
            )

        seeds = range(10)
        public = _median_error(make("public"), 1_000_000, d, 2, seeds, public=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            private = _median_error(make("private"), 1_000_000, d, 2, seeds)
        assert public == pytest.approx(public_ref, rel=0.3)
        assert private <= private_ref
