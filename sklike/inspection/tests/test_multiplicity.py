"""Tests for LogisticRashomonSet and the multiplicity scores.

References used: an independent CVXPY formulation of the range problem, the
objective written out with ``np.logaddexp``, scikit-learn's
LogisticRegression, brute force over the returned models, and properties that
must hold (nesting in ε, monotonicity, invariance to duplicated rows).
"""

import warnings

import numpy as np
import pytest
from scipy.special import expit, logit
from sklearn.linear_model import LogisticRegression

from sklike.exceptions import ConvergenceWarning
from sklike.inspection import (
    LogisticRashomonSet,
    ambiguity_score,
    discrepancy_score,
    multiplicity_report,
)


def _data(n=80, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d)
    y = (rng.random(n) < expit(X @ w + 0.3)).astype(int)
    return X, y


def _objective(w, b, X, y, C, sample_weight=None):
    """L(w, b) written out independently of the package."""
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight)
    s = np.where(y == 1, 1.0, -1.0)
    data = sw @ np.logaddexp(0.0, -s * (X @ w + b)) / sw.sum()
    return data + (0.0 if np.isinf(C) else w @ w / (2 * C * sw.sum()))


def _cvxpy_extremes(X, y, C, threshold, points):
    """Independent CVXPY reference: max/min score of each point, with status."""
    import cvxpy as cp

    n, d = X.shape
    s = np.where(y == 1, 1.0, -1.0)
    w, b = cp.Variable(d), cp.Variable()
    v = cp.Parameter(d)
    v0 = cp.Parameter()
    loss = cp.sum(cp.logistic(-cp.multiply(s, X @ w + b))) / n
    if not np.isinf(C):
        loss = loss + cp.sum_squares(w) / (2 * C * n)
    problem = cp.Problem(cp.Maximize(v @ w + v0 * b), [loss <= threshold])
    out = np.empty((len(points), 2))
    ok = np.zeros((len(points), 2), dtype=bool)
    for i, x in enumerate(points):
        for j, sign in enumerate((-1.0, 1.0)):
            v.value, v0.value = sign * x, sign
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    problem.solve(solver="CLARABEL")
                except cp.error.SolverError:
                    out[i, j], ok[i, j] = np.nan, False
                    continue
            out[i, j] = sign * problem.value
            ok[i, j] = problem.status == "optimal"
    return out, ok


def test_baseline_is_polished_and_matches_sklearn():
    X, y = _data(seed=1)
    C = 0.5
    rs = LogisticRashomonSet(C=C).fit(X, y)
    w, b = rs.coef_[0], rs.intercept_[0]
    # Gradient of the independent objective by central differences.
    h = 1e-6
    theta = np.r_[w, b]
    grad = np.array(
        [
            (
                _objective(*np.split(theta + h * e, [X.shape[1]]), X, y, C)
                - _objective(*np.split(theta - h * e, [X.shape[1]]), X, y, C)
            )
            / (2 * h)
            for e in np.eye(theta.size)
        ]
    ).ravel()
    assert np.linalg.norm(grad) < 1e-8
    assert rs.loss_opt_ == pytest.approx(_objective(w, b, X, y, C), abs=1e-14)
    lr = LogisticRegression(C=C, tol=1e-12, max_iter=10_000).fit(X, y)
    np.testing.assert_allclose(w, lr.coef_[0], atol=1e-6)
    # scikit-learn's default tolerance leaves the baseline above the optimum.
    lr_default = LogisticRegression(C=C).fit(X, y)
    assert rs.loss_opt_ <= _objective(
        lr_default.coef_[0], lr_default.intercept_[0], X, y, C
    )
    np.testing.assert_allclose(rs.predict_proba(X), lr.predict_proba(X), atol=1e-6)
    np.testing.assert_array_equal(rs.predict(X), lr.predict(X))


@pytest.mark.parametrize(
    "epsilon_mode, epsilon, C", [("relative", 0.02, 1.0), ("absolute", 0.01, np.inf)]
)
def test_exact_ranges_match_cvxpy(epsilon_mode, epsilon, C):
    X, y = _data(n=60, seed=2)
    rs = LogisticRashomonSet(epsilon, epsilon_mode=epsilon_mode, C=C).fit(X, y)
    points = X[:15]
    low, high, _, _, gaps = rs._extreme_scores(rs._augment(points), rs.loss_threshold_)
    assert np.all(gaps <= rs.tol + 1e-12)
    ref, ok = _cvxpy_extremes(X, y, C, rs.loss_threshold_, points)
    ours = np.column_stack([low, high])
    # Clarabel sometimes stalls on these exponential-cone problems
    # ("optimal_inaccurate"); compare tightly where it reports an optimum.
    assert ok.mean() >= 0.7
    np.testing.assert_allclose(ours[ok], ref[ok], atol=1e-6)
    # Elsewhere its point is (nearly) feasible, so it cannot beat ours.
    stalled = ~ok & np.isfinite(ref)
    assert np.all(ref[stalled[:, 1], 1] <= ours[stalled[:, 1], 1] + 1e-6)
    assert np.all(ref[stalled[:, 0], 0] >= ours[stalled[:, 0], 0] - 1e-6)
    # The public ranges are the sigmoid of these scores.
    np.testing.assert_allclose(
        rs.viable_prediction_range(points), expit(ours), rtol=0, atol=1e-12
    )


def test_cvxpy_method_agrees_with_exact():
    X, y = _data(n=50, seed=3)
    exact = LogisticRashomonSet(0.02).fit(X, y).viable_prediction_range(X[:6])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        ref = LogisticRashomonSet(0.02, method="cvxpy").fit(X, y)
        ref = ref.viable_prediction_range(X[:6])
    np.testing.assert_allclose(exact, ref, atol=1e-5)


@pytest.mark.parametrize("epsilon_mode", ["relative", "absolute"])
def test_extremal_models_lie_in_the_level_set(epsilon_mode):
    X, y = _data(n=100, seed=4)
    C = 2.0
    rs = LogisticRashomonSet(0.05, epsilon_mode=epsilon_mode, C=C).fit(X, y)
    ranges, models = rs.viable_prediction_range(return_models=True)
    d = X.shape[1]
    for i in range(0, len(X), 7):
        for j in range(2):
            w, b = models[i, j, :d], models[i, j, d]
            assert _objective(w, b, X, y, C) <= rs.loss_threshold_ + 1e-9
            assert expit(X[i] @ w + b) == pytest.approx(ranges[i, j], abs=1e-12)
    p0 = rs.predict_proba(X)[:, 1]
    assert np.all(ranges[:, 0] <= p0 + 1e-12) and np.all(p0 <= ranges[:, 1] + 1e-12)
    assert np.all(ranges[:, 1] - ranges[:, 0] > 0)


def test_new_points_and_parallel_give_the_same_ranges():
    X, y = _data(n=90, seed=5)
    rs = LogisticRashomonSet(0.02).fit(X[:60], y[:60])
    seq = rs.viable_prediction_range(X[60:])
    par = rs.set_params(n_jobs=2).viable_prediction_range(X[60:])
    np.testing.assert_allclose(seq, par, atol=1e-12)
    p0 = rs.predict_proba(X[60:])[:, 1]
    assert np.all((seq[:, 0] <= p0) & (p0 <= seq[:, 1]))


def test_ranges_shrink_to_the_baseline_and_quadratic_becomes_exact():
    X, y = _data(n=120, seed=6)
    rs = LogisticRashomonSet(C=1.0).fit(X, y)
    p0 = rs.predict_proba(X)[:, 1]
    widths, quad_err = [], []
    for eps in (1e-1, 1e-2, 1e-4, 1e-6):
        exact = rs.set_params(epsilon=eps, method="exact").fit(X, y)
        r_exact = exact.viable_prediction_range()
        r_quad = exact.set_params(method="quadratic").viable_prediction_range()
        half = logit(r_exact[:, 1]) - logit(p0)
        widths.append(np.max(r_exact[:, 1] - r_exact[:, 0]))
        quad_err.append(np.max(np.abs(logit(r_quad[:, 1]) - logit(p0) - half) / half))
    assert all(a > b for a, b in zip(widths, widths[1:], strict=False))
    assert widths[-1] < 1e-2 and np.max(np.abs(r_exact - p0[:, None])) < 1e-2
    # The ellipsoid is the second-order model of the level set.
    assert all(a > b for a, b in zip(quad_err, quad_err[1:], strict=False))
    assert quad_err[-1] < 1e-3


def test_scores_are_monotone_and_bounded():
    X, y = _data(n=120, seed=7)
    rs = LogisticRashomonSet(C=1.0).fit(X, y)
    eps_grid = [0.002, 0.01, 0.05]
    deltas = [0.02, 0.05, 0.1]
    report = multiplicity_report(rs, epsilons=eps_grid, deltas=deltas)
    table = report.pivot(index="epsilon", columns="delta", values="ambiguity")
    assert np.all(np.diff(table.values, axis=0) >= 0)  # non-decreasing in ε
    assert np.all(np.diff(table.values, axis=1) <= 0)  # non-increasing in δ
    low = report.pivot(index="epsilon", columns="delta", values="discrepancy_lower")
    assert np.all(np.diff(low.values, axis=0) >= 0)
    assert np.all(np.diff(low.values, axis=1) <= 0)
    assert np.all(report.discrepancy_lower <= report.discrepancy_upper)
    np.testing.assert_array_equal(report.discrepancy_upper, report.ambiguity)
    assert table.values.max() > 0 and table.values.min() < 1  # not degenerate


def test_ambiguity_and_discrepancy_against_brute_force():
    X, y = _data(n=80, seed=8)
    rs = LogisticRashomonSet(0.03).fit(X, y)
    delta = 0.05
    ranges, models = rs.viable_prediction_range(return_models=True)
    p0 = rs.predict_proba(X)[:, 1]
    move = np.maximum(ranges[:, 1] - p0, p0 - ranges[:, 0])
    assert ambiguity_score(rs, delta=delta) == pytest.approx(np.mean(move >= delta))
    # Brute force over every extremal model, one at a time.
    d = X.shape[1]
    best = max(
        np.mean(np.abs(expit(X @ m[:d] + m[d]) - p0) >= delta)
        for m in models.reshape(-1, d + 1)
    )
    lower, upper = discrepancy_score(rs, delta=delta)
    assert lower == pytest.approx(best)
    assert 0 < lower <= upper == pytest.approx(np.mean(move >= delta))


def test_duplicated_rows_change_nothing():
    X, y = _data(n=70, seed=9)
    rs = LogisticRashomonSet(0.02, C=1.0).fit(X, y)
    ref = rs.viable_prediction_range()
    # Duplicated query points get the same ranges.
    np.testing.assert_allclose(
        rs.viable_prediction_range(np.vstack([X, X[:5]]))[70:], ref[:5], atol=1e-14
    )
    # The mean loss is unchanged by duplicating every row; with C halved the
    # penalty 1 / (2 C n) is unchanged too, so is the level set.
    X2, y2 = np.vstack([X, X]), np.r_[y, y]
    dup = LogisticRashomonSet(0.02, C=0.5).fit(X2, y2)
    np.testing.assert_allclose(dup.viable_prediction_range(X), ref, atol=1e-8)
    weighted = LogisticRashomonSet(0.02, C=0.5).fit(X, y, sample_weight=np.full(70, 2))
    np.testing.assert_allclose(weighted.viable_prediction_range(X), ref, atol=1e-8)
    # Duplicating only some rows is the same as integer weights.
    sw = np.ones(70)
    sw[:10] = 2
    part = LogisticRashomonSet(0.02).fit(np.vstack([X, X[:10]]), np.r_[y, y[:10]])
    part_w = LogisticRashomonSet(0.02).fit(X, y, sample_weight=sw)
    np.testing.assert_allclose(
        part.viable_prediction_range(X), part_w.viable_prediction_range(X), atol=1e-8
    )


def test_small_subgroup_and_outliers_get_wider_ranges():
    rng = np.random.default_rng(10)
    n, n_small = 400, 20
    group = np.zeros(n, dtype=bool)
    group[:n_small] = True
    X = rng.normal(size=(n, 2))
    X = np.column_stack([X, group.astype(float)])  # group indicator feature
    X[n_small : n_small + 5, :2] *= 6.0  # feature-space outliers in the bulk
    outlier = np.zeros(n, dtype=bool)
    outlier[n_small : n_small + 5] = True
    y = (rng.random(n) < expit(X @ np.array([0.3, -0.3, 0.5]))).astype(int)
    rs = LogisticRashomonSet(0.02).fit(X, y)
    r = rs.viable_prediction_range()
    width = logit(r[:, 1]) - logit(r[:, 0])  # logit units: leverage only
    bulk = ~group & ~outlier
    assert np.median(width[group]) > 2 * np.median(width[bulk])
    assert np.median(width[outlier]) > 2 * np.median(width[bulk])
    report = multiplicity_report(rs, epsilons=[0.02], deltas=[0.1], groups=group)
    by_group = report.set_index("group").mean_width
    assert by_group[True] > by_group[False]


def test_from_estimator_polishes_the_sklearn_baseline():
    X, y = _data(n=80, seed=11)
    lr = LogisticRegression(C=0.3).fit(X, y)
    rs = LogisticRashomonSet.from_estimator(lr, X, y, epsilon=0.02)
    direct = LogisticRashomonSet(0.02, C=0.3).fit(X, y)
    np.testing.assert_allclose(rs.coef_, direct.coef_, atol=1e-9)
    assert rs.loss_opt_ <= _objective(lr.coef_[0], lr.intercept_[0], X, y, 0.3)
    np.testing.assert_allclose(
        rs.viable_prediction_range(X[:5]),
        direct.viable_prediction_range(X[:5]),
        atol=1e-9,
    )
    with pytest.raises(ValueError, match="L2"):
        LogisticRashomonSet.from_estimator(
            LogisticRegression(l1_ratio=1.0, solver="saga").fit(X, y), X, y
        )
    with pytest.raises(ValueError, match="class_weight"):
        LogisticRashomonSet.from_estimator(
            LogisticRegression(class_weight="balanced").fit(X, y), X, y
        )
    with pytest.raises(TypeError, match="LogisticRegression"):
        LogisticRashomonSet.from_estimator(object(), X, y)


def test_separable_unpenalised_data_warn_and_give_trivial_ranges():
    X, y = _data(n=60, seed=12)
    y = (X[:, 0] > 0).astype(int)
    with pytest.warns(UserWarning, match="no finite minimiser"):
        rs = LogisticRashomonSet(C=np.inf).fit(X, y)
    np.testing.assert_array_equal(rs.viable_prediction_range(X[:4]), [[0, 1]] * 4)
    # A finite C has a finite optimum: no warning and bounded ranges.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = LogisticRashomonSet(C=1.0).fit(X, y).viable_prediction_range(X[:4])
    assert np.all((r[:, 0] > 0) & (r[:, 1] < 1))


def test_collinear_columns():
    X, y = _data(n=80, seed=13)
    Xc = np.column_stack([X, X[:, 0] + X[:, 1]])
    with pytest.warns(UserWarning, match="collinear"):
        rs = LogisticRashomonSet(0.02, C=np.inf).fit(Xc, y)
    ref = LogisticRashomonSet(0.02, C=np.inf).fit(X, y)
    # Points in the data's span: the same ranges as without the redundant column.
    np.testing.assert_allclose(
        rs.viable_prediction_range(Xc[:5]),
        ref.viable_prediction_range(X[:5]),
        atol=1e-7,
    )
    # A point breaking the collinearity is unconstrained.
    off = Xc[:1].copy()
    off[0, -1] += 1.0
    np.testing.assert_array_equal(rs.viable_prediction_range(off), [[0.0, 1.0]])
    # With a penalty, constant and collinear columns are fine.
    Xk = np.column_stack([Xc, np.ones(80)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = LogisticRashomonSet(0.02).fit(Xk, y).viable_prediction_range(Xk[:5])
    assert np.all(np.isfinite(r)) and np.all(r[:, 0] < r[:, 1])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"epsilon": 0.0}, "epsilon"),
        ({"epsilon": -0.1}, "epsilon"),
        ({"epsilon_mode": "additive"}, "epsilon_mode"),
        ({"method": "sampling"}, "method"),
        ({"C": 0.0}, "C"),
    ],
)
def test_bad_parameters(params, match):
    X, y = _data(n=30)
    with pytest.raises(ValueError, match=match):
        LogisticRashomonSet(**params).fit(X, y)


def test_bad_targets_and_report_arguments():
    X, y = _data(n=30)
    with pytest.raises(ValueError, match="Only binary classification"):
        LogisticRashomonSet().fit(X, np.arange(30) % 3)
    with pytest.raises(ValueError, match="class"):
        LogisticRashomonSet().fit(X, np.zeros(30))
    with pytest.raises(ValueError, match="Unknown label type|continuous"):
        LogisticRashomonSet().fit(X, np.linspace(0, 1, 30))
    rs = LogisticRashomonSet().fit(X, y)
    with pytest.raises(ValueError, match="deltas"):
        multiplicity_report(rs, deltas=[0.0])
    with pytest.raises(ValueError, match="epsilons"):
        multiplicity_report(rs, epsilons=[-1.0])
    with pytest.raises(ValueError, match="groups"):
        multiplicity_report(rs, groups=np.zeros(3))
    with pytest.raises(ValueError, match="delta"):
        ambiguity_score(rs, delta=1.5)
    with pytest.raises(ValueError, match="rs"):
        discrepancy_score(LogisticRegression(), delta=0.1)
    with pytest.raises(ValueError, match="features"):
        rs.viable_prediction_range(X[:, :2])


def test_display_draws_the_ranges_and_curves():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sklike.inspection import MultiplicityDisplay

    X, y = _data(n=50, seed=14)
    rs = LogisticRashomonSet(0.02).fit(X, y)
    disp = MultiplicityDisplay.from_estimator(rs, epsilons=[0.01, 0.02], deltas=[0.1])
    ranges = rs.viable_prediction_range()
    order = np.argsort(rs.predict_proba(X)[:, 1], kind="stable")
    segments = disp.ax_.collections[0].get_segments()
    drawn = np.array([[s[0, 1], s[1, 1]] for s in segments])
    np.testing.assert_allclose(drawn, ranges[order])
    report = multiplicity_report(rs, epsilons=[0.01, 0.02], deltas=[0.1])
    amb_line = disp.ax_curves_.get_lines()[0]
    np.testing.assert_allclose(amb_line.get_ydata(), report.ambiguity)
    plt.close(disp.figure_)
    with pytest.raises(TypeError, match="LogisticRashomonSet"):
        MultiplicityDisplay.from_estimator(LogisticRegression().fit(X, y))
