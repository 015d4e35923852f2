"""Tests for PRESTO and the proportional-odds model.

References used here, all independent of the solver under test: a CVXPY
exponential-cone formulation of the same objective, a NumPy log-likelihood with
central finite differences, SciPy's L-BFGS on the unpenalised problem,
statsmodels' ``OrderedModel`` and scikit-learn's ``IsotonicRegression``.
"""

import warnings

import numpy as np
import pytest
from scipy.optimize import minimize
from scipy.special import expit, logit
from sklearn.isotonic import IsotonicRegression
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, log_loss
from sklearn.model_selection import StratifiedKFold

from sklike.datasets import make_relaxed_proportional_odds
from sklike.exceptions import ConvergenceWarning
from sklike.linear_model import (
    PrestoClassifier,
    PrestoClassifierCV,
    ProportionalOddsClassifier,
)
from sklike.linear_model._ordinal_kernels import (
    cd_quadratic_l1,
    polish_on_support,
    repair_isotonic,
)
from sklike.linear_model._presto import (
    _make_problem,
    _path,
    _path_tol,
    _Problem,
    _standardize,
)


# --------------------------------------------------------------------------
# Independent references
# --------------------------------------------------------------------------
def _data(n=240, p=4, seed=0, intercepts=(0.0, 1.5, 3.0), design="sparse"):
    X, y, _, _ = make_relaxed_proportional_odds(
        n_samples=n, n_features=p, intercepts=intercepts, design=design,
        random_state=seed,
    )  # fmt: skip
    return X, y


def _standardized(X, w=None):
    w = np.full(len(X), 1.0 / len(X)) if w is None else w / w.sum()
    mean = w @ X
    scale = np.sqrt(w @ (X - mean) ** 2)
    return (X - mean) / scale, mean, scale


def _nll(intercept, coef, X, y, w=None):
    """Weighted mean -log P(y | x), straight from the model's definition."""
    cum = expit(X @ coef.T + intercept)
    n = len(y)
    full = np.hstack([np.zeros((n, 1)), cum, np.ones((n, 1))])
    p_obs = full[np.arange(n), y + 1] - full[np.arange(n), y]
    w = np.ones(n) if w is None else w
    if np.any(p_obs[w > 0] <= 0):
        return np.inf
    return float(w @ -np.log(np.where(w > 0, p_obs, 1.0)) / w.sum())


def _penalty(coef_std, alpha, l1_ratio, penalize_first):
    psi = np.diff(np.vstack([np.zeros(coef_std.shape[1]), coef_std]), axis=0)
    if not penalize_first:
        psi = psi[1:]
    return alpha * (
        l1_ratio * np.abs(psi).sum() + 0.5 * (1 - l1_ratio) * (psi**2).sum()
    )


def _objective_of_fit(est, X, y, w=None):
    """The issue's objective, recomputed from the fitted original-scale coefs."""
    w_ = np.ones(len(y)) if w is None else w
    _, mean, scale = _standardized(X, w_)
    nll = _nll(est.intercept_, est.coef_, X, y, w)
    return nll + _penalty(
        est.coef_ * scale, est.alpha, est.l1_ratio, est.penalize_first
    )


# --------------------------------------------------------------------------
# Optimality
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "alpha, l1_ratio, penalize_first, seed",
    [
        (0.02, 1.0, True, 0),
        (0.02, 1.0, False, 1),
        (0.05, 0.5, True, 2),
        (0.01, 0.3, False, 3),
        (0.005, 1.0, True, 4),
    ],
)
def test_objective_matches_cvxpy(alpha, l1_ratio, penalize_first, seed):
    X, y = _data(seed=seed)
    params = dict(alpha=alpha, l1_ratio=l1_ratio, penalize_first=penalize_first)
    est = PrestoClassifier(**params).fit(X, y)
    # the exponential-cone program (solver="cvxpy"), on its own solution
    reference = PrestoClassifier(solver="cvxpy", **params).fit(X, y)
    assert _objective_of_fit(est, X, y) == pytest.approx(est.objective_, abs=1e-10)
    assert _objective_of_fit(reference, X, y) == pytest.approx(
        reference.objective_, abs=1e-10
    )
    assert -1e-6 <= reference.objective_ - est.objective_ <= 1e-6
    np.testing.assert_allclose(est.coef_, reference.coef_, atol=1e-3)


def test_weighted_objective_matches_cvxpy():
    X, y = _data(seed=5)
    w = np.random.default_rng(0).uniform(0.2, 3.0, len(y))
    est = PrestoClassifier(alpha=0.02).fit(X, y, sample_weight=w)
    reference = PrestoClassifier(alpha=0.02, solver="cvxpy").fit(X, y, sample_weight=w)
    assert _objective_of_fit(est, X, y, w) == pytest.approx(est.objective_, abs=1e-10)
    assert _objective_of_fit(reference, X, y, w) == pytest.approx(
        reference.objective_, abs=1e-10
    )
    assert abs(est.objective_ - reference.objective_) <= 1e-6


def _fd_gradient(f, x, h=1e-6):
    g = np.zeros_like(x)
    for j in range(x.size):
        e = np.zeros_like(x)
        e.flat[j] = h
        g.flat[j] = (f(x + e) - f(x - e)) / (2 * h)
    return g


@pytest.mark.parametrize("l1_ratio, penalize_first", [(1.0, True), (0.5, False)])
def test_kkt_conditions(l1_ratio, penalize_first):
    """Stationarity and subgradient conditions, with a finite-difference gradient."""
    X, y = _data(seed=7)
    alpha = 0.02
    est = PrestoClassifier(
        alpha=alpha, l1_ratio=l1_ratio, penalize_first=penalize_first
    ).fit(X, y)
    Xs, mean, scale = _standardized(X)
    b = est.coef_ * scale  # standardized slopes, one row per boundary
    a = est.intercept_ + est.coef_ @ mean  # standardized intercepts
    psi = np.diff(np.vstack([np.zeros(X.shape[1]), b]), axis=0)
    theta = np.hstack([a[:, None], psi])

    def smooth(th):
        return _nll(th[:, 0], np.cumsum(th[:, 1:], axis=0), Xs, y)

    grad = _fd_gradient(smooth, theta)
    assert np.abs(grad[:, 0]).max() < 1e-6  # free intercepts
    weights = np.ones(len(psi))
    if not penalize_first:
        weights[0] = 0.0
    l1 = alpha * l1_ratio * weights[:, None] * np.ones_like(psi)
    l2 = alpha * (1 - l1_ratio) * weights[:, None] * psi
    active = psi != 0
    stationarity = grad[:, 1:] + l2 + l1 * np.sign(psi)
    assert np.abs(stationarity[active]).max() < 1e-6
    assert np.all(np.abs(grad[:, 1:][~active]) <= l1[~active] + 1e-6)
    assert active.sum() > 0 and (~active).sum() > 0  # both conditions exercised


def test_kernel_gradient_and_hessian_match_finite_differences():
    X, y = _data(n=120, p=3, seed=8)
    w = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    Xs, _, _, constant = _standardize(X, w / w.sum(), True)
    problem = _Problem(Xs, y, w, 4, penalize_first=True, l1_ratio=1.0, frozen=constant)
    rng = np.random.default_rng(2)
    theta = problem.initial_theta()
    theta[:, 1:] = 0.1 * rng.standard_normal(theta[:, 1:].shape)
    loss, grad, hess = problem.gradient_hessian(theta)
    assert loss == pytest.approx(
        _nll(theta[:, 0], np.cumsum(theta[:, 1:], axis=0), Xs, y, w), rel=1e-12
    )
    fd = _fd_gradient(problem.loss, theta)
    np.testing.assert_allclose(grad, fd, atol=1e-7)

    def flat_grad(flat):
        return problem.gradient_hessian(flat.reshape(theta.shape), False)[1].ravel()

    fd_hess = np.column_stack(
        [
            (flat_grad(theta.ravel() + e) - flat_grad(theta.ravel() - e)) / 2e-6
            for e in 1e-6 * np.eye(theta.size)
        ]
    )
    np.testing.assert_allclose(hess, fd_hess, atol=1e-6)


def test_loss_is_infinite_outside_the_domain():
    X, y = _data(n=60, p=2, seed=9)
    Xs, _, _, constant = _standardize(X, np.full(60, 1 / 60), True)
    problem = _Problem(
        Xs, y, np.ones(60), 4, penalize_first=True, l1_ratio=1.0, frozen=constant
    )
    theta = problem.initial_theta()
    theta[:, 0] = [0.0, -1.0, 2.0]  # boundaries 1 and 2 cross for everyone
    assert problem.loss(theta) == np.inf


# --------------------------------------------------------------------------
# Special cases
# --------------------------------------------------------------------------
def _statsmodels_po(X, y):
    from statsmodels.miscmodels.ordinal_model import OrderedModel

    model = OrderedModel(y, X, distr="logit")
    res = model.fit(method="newton", disp=False, maxiter=200)
    p = X.shape[1]
    thresholds = model.transform_threshold_params(res.params)[1:-1]
    return thresholds, res.params[:p]


def test_large_alpha_without_first_penalty_is_proportional_odds_mle():
    X, y = _data(n=300, seed=10)
    presto = PrestoClassifier(alpha=50.0, penalize_first=False).fit(X, y)
    po = ProportionalOddsClassifier().fit(X, y)
    thresholds, slope = _statsmodels_po(X, y)
    # statsmodels: P(y <= k) = F(threshold_k - x @ beta), so the slope flips sign
    np.testing.assert_allclose(po.intercept_, thresholds, atol=1e-4)
    np.testing.assert_allclose(po.coef_[0], -slope, atol=1e-4)
    np.testing.assert_allclose(presto.intercept_, thresholds, atol=1e-4)
    np.testing.assert_allclose(presto.coef_, np.tile(-slope, (3, 1)), atol=1e-4)
    np.testing.assert_allclose(presto.coef_diff_[1:], 0.0)


def test_large_alpha_gives_intercept_only_fit():
    X, y = _data(seed=11)
    est = PrestoClassifier(alpha=10.0).fit(X, y)
    assert np.all(est.coef_ == 0)
    cumulative = np.cumsum(np.bincount(y)) / len(y)
    np.testing.assert_allclose(est.intercept_, logit(cumulative[:-1]), atol=1e-8)


def test_alpha_zero_is_the_unpenalised_non_parallel_fit():
    X, y = _data(n=400, seed=12)
    est = PrestoClassifier(alpha=0.0).fit(X, y)
    K1, p = 3, X.shape[1]
    x0 = np.concatenate(
        [logit(np.cumsum(np.bincount(y))[:-1] / len(y)), np.zeros(K1 * p)]
    )

    def f(v):
        return _nll(v[:K1], v[K1:].reshape(K1, p), X, y)

    options = {"maxiter": 20_000, "ftol": 1e-15, "gtol": 1e-10}
    res = minimize(f, x0, method="L-BFGS-B", options=options)
    assert est.objective_ <= res.fun + 1e-9
    assert est.objective_ == pytest.approx(res.fun, abs=1e-7)
    np.testing.assert_allclose(est.coef_, res.x[K1:].reshape(K1, p), atol=1e-3)
    # unlike proportional odds, the boundaries have their own slopes
    assert np.abs(np.diff(est.coef_, axis=0)).max() > 1e-2


def test_every_training_probability_is_positive():
    X, y = _data(n=300, seed=13, intercepts=(0.0, 3.0, 5.0))
    for alpha in (0.0, 1e-3, 0.05):
        est = PrestoClassifier(alpha=alpha, crossing="none").fit(X, y)
        proba = est.predict_proba(X)
        assert np.all(proba[np.arange(len(y)), y] > 0)


def test_standardize_false_penalises_raw_slopes():
    X, y = _data(seed=14)
    X = X * np.array([1.0, 10.0, 0.1, 3.0])
    est = PrestoClassifier(alpha=0.02, standardize=False).fit(X, y)
    nll = _nll(est.intercept_, est.coef_, X, y)
    assert est.objective_ == pytest.approx(
        nll + _penalty(est.coef_, 0.02, 1.0, True), abs=1e-10
    )


def test_constant_column_gets_zero_slope():
    X, y = _data(seed=15)
    X = np.hstack([X, np.full((len(y), 1), 3.0)])
    est = PrestoClassifier(alpha=0.001).fit(X, y)
    assert np.all(est.coef_[:, -1] == 0)
    ref = PrestoClassifier(alpha=0.001).fit(X[:, :-1], y)
    np.testing.assert_allclose(est.coef_[:, :-1], ref.coef_, atol=1e-9)


# --------------------------------------------------------------------------
# Prediction and crossing
# --------------------------------------------------------------------------
def _crossing_model():
    X, y = _data(n=300, seed=16, design="dense")
    est = PrestoClassifier(alpha=0.0).fit(X, y)
    X_far = 6.0 * np.random.default_rng(0).uniform(-1, 1, (200, X.shape[1]))
    raw = expit(est.decision_function(X_far))
    assert np.any(np.diff(raw, axis=1) < 0), "the test needs crossing rows"
    return est, X_far, raw


@pytest.mark.parametrize("crossing", ["cummin", "isotonic", "clip"])
def test_crossing_repair_gives_valid_probabilities(crossing):
    est, X_far, _ = _crossing_model()
    est.set_params(crossing=crossing)
    with pytest.warns(UserWarning, match=r"row\(s\) had crossing"):
        proba = est.predict_proba(X_far)
    assert np.all(proba >= 0)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    rare = est.predict_rare_proba(X_far)
    np.testing.assert_allclose(rare, expit(-est.decision_function(X_far)[:, -1]))
    if crossing == "cummin":
        np.testing.assert_allclose(proba[:, -1], rare, rtol=1e-12)


def test_crossing_raise_and_none():
    est, X_far, raw = _crossing_model()
    est.set_params(crossing="raise")
    with pytest.raises(ValueError, match="crossing"):
        est.predict_proba(X_far)
    est.set_params(crossing="none")
    proba = est.predict_proba(X_far)
    assert proba.min() < 0
    np.testing.assert_allclose(np.cumsum(proba, axis=1)[:, :-1], raw, atol=1e-12)


def test_isotonic_kernel_matches_sklearn():
    rng = np.random.default_rng(3)
    F = rng.uniform(0, 1, (50, 5))
    out = repair_isotonic(F)
    for row, fitted in zip(F, out, strict=True):
        expected = IsotonicRegression(y_min=0, y_max=1).fit_transform(np.arange(5), row)
        np.testing.assert_allclose(fitted, expected, atol=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_polish_kernel_is_the_exact_model_minimiser(seed):
    """Coordinate descent stopped early, then polished, against CD run to the end."""
    rng = np.random.default_rng(seed)
    d = 12
    A = rng.normal(size=(d, 3 * d))
    hess = A @ A.T / (3 * d)
    grad = rng.normal(size=d)
    flat = rng.normal(size=d) * (rng.uniform(size=d) < 0.5)
    l1 = np.where(rng.uniform(size=d) < 0.8, 0.3, 0.0)
    l2 = np.full(d, 0.05)
    movable = rng.uniform(size=d) < 0.9
    exact, _ = cd_quadratic_l1(hess, grad, flat, l1, l2, movable, 1e-30, 100_000)
    rough, _ = cd_quadratic_l1(hess, grad, flat, l1, l2, movable, 1e-2, 100_000)
    assert np.abs(rough - exact).max() > 1e-6  # there is something to polish
    polished = polish_on_support(hess, grad, flat, rough, l1, l2, movable)
    assert np.array_equal(np.sign(rough), np.sign(exact))  # CD found the support
    np.testing.assert_allclose(polished, exact, atol=1e-10)
    np.testing.assert_array_equal(polished[~movable], flat[~movable])


@pytest.mark.filterwarnings("ignore:.*crossing cumulative:UserWarning")
def test_predict_is_most_probable_class_and_cumulative_is_consistent():
    X, y = _data(seed=17)
    est = PrestoClassifier(alpha=0.01).fit(X, y)
    proba = est.predict_proba(X)
    np.testing.assert_array_equal(est.predict(X), est.classes_[proba.argmax(1)])
    np.testing.assert_allclose(
        est.predict_cumulative_proba(X), np.cumsum(proba, axis=1)[:, :-1], atol=1e-12
    )
    np.testing.assert_allclose(
        est.decision_function(X), X @ est.coef_.T + est.intercept_
    )


# --------------------------------------------------------------------------
# Labels and weights
# --------------------------------------------------------------------------
def test_string_and_non_contiguous_labels():
    X, y = _data(seed=18)
    ref = PrestoClassifier(alpha=0.01).fit(X, y)
    sparse_ints = np.array([1, 5, 10, 40])[y]
    est = PrestoClassifier(alpha=0.01).fit(X, sparse_ints)
    np.testing.assert_array_equal(est.classes_, [1, 5, 10, 40])
    np.testing.assert_allclose(est.coef_, ref.coef_)
    np.testing.assert_array_equal(
        est.predict(X), np.array([1, 5, 10, 40])[ref.predict(X)]
    )
    order = ["none", "seen", "click", "buy"]  # not alphabetical
    words = np.array(order)[y]
    est = PrestoClassifier(alpha=0.01, classes=order).fit(X, words)
    np.testing.assert_array_equal(est.classes_, order)
    np.testing.assert_allclose(est.coef_, ref.coef_)
    alphabetical = PrestoClassifier(alpha=0.01).fit(X, words)
    assert list(alphabetical.classes_) == sorted(order)


def test_ordered_pandas_categorical_sets_the_order():
    pd = pytest.importorskip("pandas")
    X, y = _data(seed=19)
    order = ["low", "mid", "high", "top"]
    cat = pd.Series(pd.Categorical(np.array(order)[y], categories=order, ordered=True))
    est = PrestoClassifier(alpha=0.01).fit(X, cat)
    assert list(est.classes_) == order
    ref = PrestoClassifier(alpha=0.01).fit(X, y)
    np.testing.assert_allclose(est.coef_, ref.coef_)


@pytest.mark.parametrize(
    "est",
    [
        PrestoClassifier(alpha=0.01),
        PrestoClassifier(alpha=0.02, l1_ratio=0.5, penalize_first=False),
        ProportionalOddsClassifier(),
    ],
)
def test_sample_weight_equals_repetition(est):
    X, y = _data(n=150, seed=20)
    counts = np.random.default_rng(4).integers(0, 4, len(y))
    counts[:4] = 1  # keep every class
    weighted = est.fit(X, y, sample_weight=counts)
    coef_w, int_w = weighted.coef_.copy(), weighted.intercept_.copy()
    repeated = est.fit(np.repeat(X, counts, axis=0), np.repeat(y, counts))
    np.testing.assert_allclose(coef_w, repeated.coef_, atol=1e-8)
    np.testing.assert_allclose(int_w, repeated.intercept_, atol=1e-8)


# --------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------
def test_fewer_than_three_classes():
    X, y = _data(seed=21)
    with pytest.raises(ValueError, match="at least 3 classes"):
        PrestoClassifier().fit(X, np.minimum(y, 1))
    with pytest.raises(ValueError, match="at least 3 classes"):
        ProportionalOddsClassifier().fit(X, np.minimum(y, 1))


def test_missing_class_after_ordering():
    X, y = _data(seed=22)
    with pytest.raises(ValueError, match=r"\[2\].*no samples"):
        PrestoClassifier(classes=[0, 1, 2, 3]).fit(X[y != 2], y[y != 2])
    with pytest.raises(ValueError, match="not in classes"):
        PrestoClassifier(classes=[0, 1, 2]).fit(X, y)
    w = np.where(y == 1, 0.0, 1.0)
    with pytest.raises(ValueError, match="zero total sample_weight"):
        PrestoClassifier().fit(X, y, sample_weight=w)


def test_bad_values():
    X, y = _data(seed=23)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        PrestoClassifier().fit(X_nan, y)
    X_inf = X.copy()
    X_inf[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        PrestoClassifier().fit(X_inf, y)
    with pytest.raises(ValueError, match="non-negative"):
        PrestoClassifier().fit(X, y, sample_weight=-np.ones(len(y)))
    with pytest.raises(ValueError, match="zero everywhere"):
        PrestoClassifier().fit(X, y, sample_weight=np.zeros(len(y)))
    with pytest.raises(ValueError, match="alpha"):
        PrestoClassifier(alpha=-1.0).fit(X, y)


def test_non_convergence_warns_with_advice():
    X, y = _data(seed=24)
    with pytest.warns(ConvergenceWarning, match="Increase max_iter"):
        PrestoClassifier(alpha=0.001, max_iter=1).fit(X, y)


def test_warm_start_reaches_the_same_solution():
    X, y = _data(seed=25)
    cold = PrestoClassifier(alpha=0.005).fit(X, y)
    warm = PrestoClassifier(alpha=0.05, warm_start=True).fit(X, y)
    warm.set_params(alpha=0.005).fit(X, y)
    np.testing.assert_allclose(warm.coef_, cold.coef_, atol=1e-7)
    assert warm.n_iter_ <= cold.n_iter_


# --------------------------------------------------------------------------
# Cross-validation
# --------------------------------------------------------------------------
# The CV path solves the points it only scores to a looser tolerance
# (``_path_tol``), its last step taken as the quadratic model predicts it:
# out-of-fold Brier scores then agree with those of full-precision cold fits
# to this (measured: at most 1.1e-5, typically a few 1e-6, on the problems
# below), and the objective at every path point is within _PATH_GAP of its
# minimum (measured: at most 2.8e-8).
_CV_SCORE_TOL = 5e-5
_PATH_GAP = 5e-8


def _brier(proba, y):
    onehot = np.eye(proba.shape[1])[y]
    return ((onehot - proba) ** 2).sum(axis=1).mean()


def test_cv_scores_selection_and_refit():
    X, y = _data(n=300, seed=26)
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    cv = PrestoClassifierCV(n_alphas=6, alpha_min_ratio=0.01, cv=folds).fit(X, y)
    assert cv.cv_scores_.shape == (6, 3)
    assert np.all(np.diff(cv.alphas_) < 0)
    for j in (0, 3, 5):
        for f, (train, test) in enumerate(folds):
            est = PrestoClassifier(alpha=cv.alphas_[j], crossing="none")
            est.fit(X[train], y[train])
            expected = _brier(est.predict_proba(X[test]), y[test])
            assert cv.cv_scores_[j, f] == pytest.approx(expected, abs=_CV_SCORE_TOL)
    mean = cv.cv_scores_.mean(axis=1)
    assert cv.alpha_ == cv.alphas_[np.flatnonzero(mean == mean.min())[0]]
    ref = PrestoClassifier(alpha=cv.alpha_).fit(X, y)
    np.testing.assert_allclose(cv.coef_, ref.coef_, atol=1e-7)


@pytest.mark.parametrize(
    "seed, l1_ratio, penalize_first",
    [(26, 1.0, True), (27, 0.5, False), (30, 0.7, True)],
)
def test_cv_path_matches_cold_fits(seed, l1_ratio, penalize_first):
    """The loosely solved CV path against cold, full-precision fits."""
    X, y = _data(n=300, seed=seed)
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    settings = dict(l1_ratio=l1_ratio, penalize_first=penalize_first)
    cv = PrestoClassifierCV(n_alphas=10, cv=folds, **settings).fit(X, y)
    # every path point near its optimum; the last one solved to full tol
    problem, _, _ = _make_problem(
        X, y.astype(np.intp), np.ones(len(y)), 4, standardize=True, **settings
    )
    thetas, _, _, _ = _path(
        problem, cv.alphas_, tol=_path_tol(1e-8), max_iter=100, final_tol=1e-8
    )
    for theta, alpha in zip(thetas, cv.alphas_, strict=True):
        best, optimum, _, _ = problem.solve(
            alpha, problem.initial_theta(), tol=1e-14, max_iter=100
        )
        assert 0 <= problem.objective(theta, alpha) - optimum + 1e-14 <= _PATH_GAP
    np.testing.assert_allclose(thetas[-1], best, atol=1e-6)
    # brute-force CV with cold fits
    brute = np.array(
        [
            [
                _brier(
                    PrestoClassifier(alpha=a, crossing="none", tol=1e-12, **settings)
                    .fit(X[train], y[train])
                    .predict_proba(X[test]),
                    y[test],
                )
                for train, test in folds
            ]
            for a in cv.alphas_
        ]
    )
    np.testing.assert_allclose(cv.cv_scores_, brute, rtol=0, atol=_CV_SCORE_TOL)
    mean = np.sort(brute.mean(axis=1))
    assert mean[1] - mean[0] > 2 * _CV_SCORE_TOL  # the choice is not a near-tie
    assert cv.alpha_ == cv.alphas_[np.argmin(brute.mean(axis=1))]
    ref = PrestoClassifier(alpha=cv.alpha_, tol=1e-12, **settings).fit(X, y)
    np.testing.assert_allclose(cv.coef_, ref.coef_, atol=1e-6)


@pytest.mark.parametrize("seed", [2, 7])
def test_unchecked_path_steps_never_raise_the_objective(seed):
    """Separable data (the objective tends to 0 as slopes grow): a tiny
    predicted gain can hide a long step on which the quadratic model is wrong.
    The path takes a last step unchecked only within the distance where the
    model was just seen right; without that guard these problems gave points
    thousands of times above the iterate they came from."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(300, 9)) * rng.uniform(0.1, 10, 9)
    latent = X @ rng.normal(size=9)
    y = np.digitize(latent, np.quantile(latent, [0.1, 0.3, 0.8]))
    settings = dict(l1_ratio=0.5, penalize_first=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        alphas = (
            PrestoClassifierCV(n_alphas=12, alpha_min_ratio=1e-4, cv=3, **settings)
            .fit(X, y)
            .alphas_
        )
    problem, _, _ = _make_problem(
        X, y.astype(np.intp), np.ones(len(y)), 4, standardize=True, **settings
    )
    theta, problem.path_state = problem.initial_theta(), None
    for i, alpha in enumerate(alphas):
        theta, _, _, _ = problem.solve(
            alpha,
            theta,
            tol=_path_tol(1e-8),
            max_iter=100,
            hessian=problem.last_hessian if i else None,
            max_hessian_age=4,
            state=problem.path_state,
            verify_last=False,
        )
        verified = problem.objective(problem.path_state[0], alpha)
        assert problem.objective(theta, alpha) <= verified * (1 + 1e-6)


def test_cv_grid_starts_where_every_slope_is_zero():
    X, y = _data(n=300, seed=27)
    cv = PrestoClassifierCV(n_alphas=3, cv=3).fit(X, y)
    top = cv.alphas_[0]
    assert np.all(PrestoClassifier(alpha=top * 1.0001).fit(X, y).coef_ == 0)
    assert np.any(PrestoClassifier(alpha=top * 0.95).fit(X, y).coef_ != 0)
    assert cv.alphas_[-1] == pytest.approx(top * 0.01)


def test_cv_one_se_rule_picks_a_larger_alpha():
    X, y = _data(n=300, seed=28)
    common = dict(n_alphas=8, cv=StratifiedKFold(4, shuffle=True, random_state=1))
    best = PrestoClassifierCV(**common).fit(X, y)
    one_se = PrestoClassifierCV(selection="one_se", **common).fit(X, y)
    mean = best.cv_scores_.mean(axis=1)
    k = int(np.argmin(mean))
    se = best.cv_scores_[k].std(ddof=1) / 2.0
    expected = best.alphas_[np.flatnonzero(mean <= mean[k] + se)[0]]
    assert one_se.alpha_ == expected
    assert one_se.alpha_ >= best.alpha_


def _cold_fold_values(X, y, alphas, folds, score, **params):
    """``score(model, X_test, y_test)`` of tight cold fits, per alpha and fold."""
    return np.array(
        [
            [
                score(
                    PrestoClassifier(alpha=a, tol=1e-12, **params).fit(
                        X[train], y[train]
                    ),
                    X[test],
                    y[test],
                )
                for train, test in folds
            ]
            for a in alphas
        ]
    )


def _raw(model, X):
    return PrestoClassifier.predict_proba(model.set_params(crossing="none"), X)


@pytest.mark.parametrize(
    "scoring, reference",
    [
        # the rare class's Brier score, with sklearn's binary Brier as reference
        (
            "rare_brier",
            lambda m, X, y: brier_score_loss(y == 3, _raw(m, X)[:, -1]),
        ),
        # mean -log of the observed class's raw probability, floored at 1e-15
        (
            "log_loss",
            lambda m, X, y: np.mean(
                -np.log(np.clip(_raw(m, X)[np.arange(len(y)), y], 1e-15, None))
            ),
        ),
    ],
)
def test_cv_builtin_losses_match_sklearn_metrics(scoring, reference):
    X, y = _data(n=300, seed=26)
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    cv = PrestoClassifierCV(n_alphas=5, cv=folds, scoring=scoring).fit(X, y)
    expected = _cold_fold_values(X, y, cv.alphas_, folds, reference)
    # log losses are about 1.4 and steeper in the parameters than Brier scores
    tol = _CV_SCORE_TOL if scoring == "rare_brier" else 10 * _CV_SCORE_TOL
    np.testing.assert_allclose(cv.cv_scores_, expected, rtol=0, atol=tol)
    mean = expected.mean(axis=1)
    assert cv.alpha_ == cv.alphas_[np.argmin(mean)]


@pytest.mark.filterwarnings("ignore:.*crossing cumulative:UserWarning")
def test_cv_with_a_sklearn_scorer_name_and_a_callable():
    X, y = _data(n=300, seed=27)
    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    # sklearn's log loss needs sorted labels: integer codes in their order
    by_name = PrestoClassifierCV(n_alphas=5, cv=folds, scoring="neg_log_loss")
    by_name.fit(X, y)
    expected = _cold_fold_values(
        X,
        y,
        by_name.alphas_,
        folds,
        lambda m, X, y: log_loss(y, m.predict_proba(X), labels=m.classes_),
    )
    np.testing.assert_allclose(by_name.cv_scores_, expected, atol=10 * _CV_SCORE_TOL)

    # a callable sees the original labels, here strings in a custom order
    order = ["low", "mid", "high", "top"]
    labels = np.array(order)[y]

    def top_recall(model, X, y, sample_weight=None):
        return np.average(model.predict(X)[y == "top"] == "top")

    by_callable = PrestoClassifierCV(
        n_alphas=5, cv=folds, classes=order, scoring=top_recall
    ).fit(X, labels)
    expected = -_cold_fold_values(
        X, labels, by_callable.alphas_, folds, top_recall, classes=order
    )
    np.testing.assert_allclose(by_callable.cv_scores_, expected)


def test_cv_scorer_receives_the_test_rows_weights():
    X, y = _data(n=300, seed=28)
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    seen = []

    def scorer(model, X, y, sample_weight=None):
        seen.append(sample_weight)
        return 0.0

    folds = list(StratifiedKFold(3, shuffle=True, random_state=0).split(X, y))
    PrestoClassifierCV(n_alphas=2, cv=folds, scoring=scorer).fit(X, y, sample_weight=w)
    for got, (_, test) in zip(seen[::2], folds, strict=True):
        np.testing.assert_array_equal(got, w[test])


def test_cv_unknown_scoring_is_rejected():
    X, y = _data(n=120, seed=1)
    with pytest.raises(ValueError, match="scoring"):
        PrestoClassifierCV(scoring="rare_brierr").fit(X, y)


# --------------------------------------------------------------------------
# Paper reproduction (slow)
# --------------------------------------------------------------------------
@pytest.mark.slow
def test_synthetic_rare_class_mse_beats_both_baselines():
    """Sparse design, alpha = (0, 3, 5): PRESTO wins in most replications."""
    wins_po = wins_logit = 0
    n_rep = 20
    for rep in range(n_rep):
        X, y, proba, _ = make_relaxed_proportional_odds(random_state=1000 + rep)
        truth = proba[:, -1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            presto = PrestoClassifierCV(cv=5).fit(X, y)
            po = ProportionalOddsClassifier().fit(X, y)
            logit_ = LogisticRegression(C=np.inf, max_iter=5000).fit(X, y == 3)
        m_presto = np.mean((presto.predict_rare_proba(X) - truth) ** 2)
        wins_po += m_presto < np.mean((po.predict_rare_proba(X) - truth) ** 2)
        m_logit = np.mean((logit_.predict_proba(X)[:, 1] - truth) ** 2)
        wins_logit += m_presto < m_logit
    assert wins_po > n_rep / 2
    assert wins_logit > n_rep / 2


# --------------------------------------------------------------------------
# What the two-class scikit-learn checks would cover, on three+ classes
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make", [lambda: PrestoClassifier(alpha=0.01), ProportionalOddsClassifier]
)
def test_idempotent_dtypes_and_feature_count(make):
    X, y = _data(seed=29)
    est = make().fit(X, y)
    first = est.predict_proba(X)
    np.testing.assert_array_equal(make().fit(X, y).predict_proba(X), first)
    as32 = make().fit(X.astype(np.float32), y).predict_proba(X)
    np.testing.assert_allclose(as32, first, atol=1e-6)
    as_lists = make().fit(X.tolist(), y.tolist()).predict_proba(X)
    np.testing.assert_allclose(as_lists, first, atol=1e-12)
    with pytest.raises(ValueError, match="features"):
        est.predict(X[:, :-1])
    with pytest.raises(ValueError, match="features"):
        est.decision_function(X[:, :-1])
