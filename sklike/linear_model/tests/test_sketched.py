"""Tests of the sketch operators and SketchedLinearRegression.

References: explicit Hadamard matrices (scipy), explicit sketch matrices
(``sketch(I)``), ``numpy.linalg.lstsq`` on the full and on the sketched
problem, Monte Carlo moments, and the l-infinity tail behaviour of dense vs
sparse sketches on a coherent design (Price-Song-Woodruff 2017).
"""

import math
import warnings

import numpy as np
import pytest
import scipy.linalg
from sklearn.exceptions import ConvergenceWarning

from sklike.linear_model import SketchedLinearRegression
from sklike.linear_model.sketching import SKETCH_KINDS, _Sketcher, fwht, sketch

SEPARABLE = ("srht", "gaussian", "countsketch", "sjlt")
STREAMING = ("gaussian", "countsketch", "sjlt")


def _lstsq(X, y, fit_intercept=True):
    A = np.c_[X, np.ones(len(X))] if fit_intercept else X
    return np.linalg.lstsq(A, y, rcond=None)[0]


def _coefs(est):
    return np.r_[est.coef_, est.intercept_] if est.fit_intercept else est.coef_


def _tall_problem(n=3000, d=8, noise=1.0, seed=0, cond=None):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    if cond is not None:
        X = X * np.logspace(0, math.log10(cond), d)
    w = rng.normal(size=d)
    y = X @ w + 2.0 + noise * rng.standard_normal(n)
    return X, y


# --------------------------------------------------------------------------
# fwht
# --------------------------------------------------------------------------
@pytest.mark.parametrize("N", [1, 2, 4, 8, 64, 512, 2048])
def test_fwht_equals_scipy_hadamard(N):
    rng = np.random.default_rng(N)
    X = rng.normal(size=(N, 3))
    np.testing.assert_allclose(fwht(X), scipy.linalg.hadamard(N) @ X, atol=1e-9)
    x = X[:, 0].copy()
    np.testing.assert_allclose(fwht(x), scipy.linalg.hadamard(N) @ x, atol=1e-9)


def test_fwht_inplace_and_input_untouched():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 5))
    X_orig = X.copy()
    out = fwht(X)
    np.testing.assert_array_equal(X, X_orig)  # not in place by default
    same = fwht(X, inplace=True)
    assert same is X
    np.testing.assert_allclose(X, out)
    # H H = N I: applying twice gives N times the input.
    np.testing.assert_allclose(fwht(out), 64 * X_orig, atol=1e-9)


def test_fwht_bad_input():
    with pytest.raises(ValueError, match="power-of-two"):
        fwht(np.ones((6, 2)))
    with pytest.raises(ValueError, match="C-contiguous, writeable float64"):
        fwht(np.ones((4, 2), dtype=np.float32), inplace=True)


# --------------------------------------------------------------------------
# sketch operators
# --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", SKETCH_KINDS)
def test_sketch_is_linear_and_matches_explicit_matrix(kind):
    rng = np.random.default_rng(1)
    n, m = 70, 12
    X = rng.normal(size=(n, 4))
    S = sketch(np.eye(n), kind, m, random_state=3)
    assert S.shape == (m, n)
    np.testing.assert_allclose(sketch(X, kind, m, random_state=3), S @ X, atol=1e-12)
    # 1-D input is one column
    np.testing.assert_allclose(
        sketch(X[:, 1], kind, m, random_state=3), S @ X[:, 1], atol=1e-12
    )
    # another seed is another matrix
    assert not np.allclose(sketch(np.eye(n), kind, m, random_state=4), S)


@pytest.mark.parametrize("kind", SEPARABLE)
def test_sketch_does_not_depend_on_chunking_or_threads(kind):
    rng = np.random.default_rng(2)
    X = rng.normal(size=(1000, 5)).astype(np.float32)
    ref = sketch(X, kind, 40, random_state=5)
    for chunk_size in (1, 37, 256, 999):
        np.testing.assert_allclose(
            sketch(X, kind, 40, random_state=5, chunk_size=chunk_size), ref, atol=1e-10
        )
    np.testing.assert_allclose(
        sketch(X, kind, 40, random_state=5, chunk_size=100, n_jobs=2), ref, atol=1e-10
    )


@pytest.mark.parametrize("kind", SKETCH_KINDS)
def test_sketch_is_isotropic_in_expectation(kind):
    """Monte Carlo: E[S^T S] = I for every kind (a mis-scaled sketch fails)."""
    n, m, trials = 12, 6, 1000
    eye = np.eye(n)
    acc = np.zeros((n, n))
    for seed in range(trials):
        S = _Sketcher(kind, m, n, seed).whole(eye)
        acc += S.T @ S
    np.testing.assert_allclose(acc / trials, eye, atol=0.1)


def test_srht_samples_distinct_hadamard_rows():
    # For n = N (a power of two) the SRHT rows are distinct signed Hadamard
    # rows, so S S^T = (N / m) I exactly and every entry is +-1/sqrt(m).
    N, m = 64, 16
    S = sketch(np.eye(N), "srht", m, random_state=0)
    np.testing.assert_allclose(np.abs(S), 1 / math.sqrt(m))
    np.testing.assert_allclose(S @ S.T, (N / m) * np.eye(m), atol=1e-12)


def test_sjlt_and_countsketch_sparsity():
    n, m = 50, 16
    S_cs = sketch(np.eye(n), "countsketch", m, random_state=0)
    assert np.all((S_cs != 0).sum(axis=0) == 1)
    S_sj = sketch(np.eye(n), "sjlt", m, random_state=0, nnz=4)
    assert np.all((S_sj != 0).sum(axis=0) == 4)
    np.testing.assert_allclose(np.abs(S_sj[S_sj != 0]), 0.5)


def test_sketch_bad_input():
    with pytest.raises(ValueError, match="sketch_size=11 must not exceed"):
        sketch(np.ones((10, 2)), "srht", 11)
    with pytest.raises(ValueError, match="kind"):
        sketch(np.ones((10, 2)), "nope", 3)


# --------------------------------------------------------------------------
# the estimator: solvers
# --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", SKETCH_KINDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sketch_and_precondition_equals_lstsq(kind, fit_intercept):
    # d = 40 with condition number 1e6: plain LSQR would need thousands of
    # iterations, the preconditioned one a few dozen.
    X, y = _tall_problem(d=40, cond=1e6, seed=3)
    est = SketchedLinearRegression(
        sketch=kind,
        solver="sketch_and_precondition",
        fit_intercept=fit_intercept,
        random_state=0,
    ).fit(X, y)
    ref = _lstsq(X, y, fit_intercept)
    atol = 1e-10 * np.abs(ref).max()
    np.testing.assert_allclose(_coefs(est), ref, rtol=1e-10, atol=atol)
    assert est.n_iter_ < 60


@pytest.mark.parametrize("kind", ["srht", "countsketch", "sjlt", "srdct"])
def test_ihs_equals_lstsq(kind):
    X, y = _tall_problem(cond=1e3, seed=4)
    est = SketchedLinearRegression(sketch=kind, solver="ihs", random_state=0).fit(X, y)
    ref = _lstsq(X, y)
    np.testing.assert_allclose(_coefs(est), ref, rtol=1e-8)
    assert 1 <= est.n_iter_ < 100


def test_ihs_too_few_iterations_warns():
    X, y = _tall_problem(seed=5)
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        SketchedLinearRegression(solver="ihs", max_iter=2, random_state=0).fit(X, y)


@pytest.mark.parametrize("kind", SKETCH_KINDS)
def test_sketch_and_solve_is_lstsq_of_the_sketched_problem(kind):
    X, y = _tall_problem(seed=6)
    est = SketchedLinearRegression(sketch=kind, sketch_size=60, random_state=7)
    est.fit(X, y)
    SAb = sketch(np.c_[X, np.ones(len(X)), y], kind, 60, random_state=7)
    ref = np.linalg.lstsq(SAb[:, :-1], SAb[:, -1], rcond=None)[0]
    np.testing.assert_allclose(_coefs(est), ref, rtol=1e-9)
    np.testing.assert_allclose(
        est.sketch_residual_norm_, np.linalg.norm(SAb[:, :-1] @ ref - SAb[:, -1])
    )
    np.testing.assert_allclose(
        est.cond_estimate_, np.linalg.cond(SAb[:, :-1]), rtol=1e-8
    )
    assert est.n_iter_ == 1 and est.sketch_size_ == 60 and est.rank_ == 9


def test_sketch_and_solve_error_follows_sqrt_p_over_m():
    """eps_2 = ||w' - w*|| / (||r|| ||A^+||) is about sqrt(p / (m - p)) (spec §3)."""
    rng = np.random.default_rng(8)
    n, d = 4096, 20
    A = rng.normal(size=(n, d))
    b = A @ rng.normal(size=d) + rng.normal(size=n)
    x_star = _lstsq(A, b, fit_intercept=False)
    r_norm = np.linalg.norm(b - A @ x_star)
    pinv_norm = 1 / np.linalg.svd(A, compute_uv=False)[-1]
    for factor in (4, 16):
        m = factor * d
        errs = [
            np.linalg.norm(
                SketchedLinearRegression(
                    sketch_size=m, fit_intercept=False, random_state=s
                )
                .fit(A, b)
                .coef_
                - x_star
            )
            / (r_norm * pinv_norm)
            for s in range(20)
        ]
        predicted = math.sqrt(d / (m - d))
        assert 0.5 * predicted < np.median(errs) < 1.6 * predicted


def _coherent_linf_quantiles(kind, m, trials, n=2048, d=16, seed=0):
    """sqrt(d) ||x' - x*||_inf / (||r|| ||A^+||) on a coherent design.

    A = [sqrt(n - d) I_d ; Gaussian] has d high-leverage rows; the residual is
    a spike on one other row (projected off range(A)), PSW17's bad case for
    sparse sketches.
    """
    rng = np.random.default_rng(seed)
    A = np.vstack([math.sqrt(n - d) * np.eye(d), rng.normal(size=(n - d, d))])
    Q = np.linalg.qr(A)[0]
    pinv_norm = 1 / np.linalg.svd(A, compute_uv=False)[-1]
    x_star = rng.normal(size=d)
    out = []
    for t in range(trials):
        r = np.zeros(n)
        r[rng.integers(d, n)] = 1.0
        r -= Q @ (Q.T @ r)
        est = SketchedLinearRegression(
            sketch=kind, sketch_size=m, fit_intercept=False, random_state=t
        ).fit(A, A @ x_star + r)
        err = np.abs(est.coef_ - x_star).max()
        out.append(math.sqrt(d) * err / (np.linalg.norm(r) * pinv_norm))
    return np.quantile(out, [0.5, 0.99])


def test_dense_sketch_keeps_linf_error_bounded_where_countsketch_does_not():
    dense = _coherent_linf_quantiles("srht", 128, 150)
    sparse = _coherent_linf_quantiles("countsketch", 128, 150)
    assert dense[1] < 2.0
    assert sparse[1] > 2.5
    assert sparse[1] > 1.8 * dense[1]


@pytest.mark.slow
@pytest.mark.parametrize("m", [64, 128])
def test_linf_tail_all_kinds_many_trials(m):
    """Spec E2 at d = 16: dense kinds' q99 stays about 1-2, CountSketch's does not."""
    cs = _coherent_linf_quantiles("countsketch", m, 1000)
    for kind in ("srht", "gaussian", "sjlt", "bgp", "srdct"):
        q = _coherent_linf_quantiles(kind, m, 1000)
        assert q[1] < 2.3, (kind, q)
        assert cs[1] > 1.5 * q[1], (kind, q, cs)


# --------------------------------------------------------------------------
# chunking, threads, memmap, dask and partial_fit give the in-memory answer
# --------------------------------------------------------------------------
@pytest.mark.parametrize("kind", SEPARABLE)
def test_chunked_and_threaded_fit_equal_in_memory_fit(kind):
    X, y = _tall_problem(n=2000, seed=9)
    ref = SketchedLinearRegression(sketch=kind, random_state=1).fit(X, y)
    for params in ({"chunk_size": 123}, {"chunk_size": 500, "n_jobs": 2}):
        est = SketchedLinearRegression(sketch=kind, random_state=1, **params)
        np.testing.assert_allclose(_coefs(est.fit(X, y)), _coefs(ref), rtol=1e-9)


def test_memmap_and_float32_input(tmp_path):
    X, y = _tall_problem(n=2000, seed=10)
    X32 = X.astype(np.float32)
    path = tmp_path / "X.dat"
    mm = np.memmap(path, dtype=np.float32, mode="w+", shape=X.shape)
    mm[:] = X32
    mm.flush()
    mm = np.memmap(path, dtype=np.float32, mode="r", shape=X.shape)
    ref = SketchedLinearRegression(random_state=2).fit(X32.astype(np.float64), y)
    for data in (X32, mm):
        est = SketchedLinearRegression(random_state=2, chunk_size=300).fit(data, y)
        assert est.coef_.dtype == np.float64
        np.testing.assert_allclose(_coefs(est), _coefs(ref), rtol=1e-9)
    exact = SketchedLinearRegression(
        solver="sketch_and_precondition", random_state=2
    ).fit(mm, y)
    np.testing.assert_allclose(
        _coefs(exact), _lstsq(X32.astype(np.float64), y), rtol=1e-9
    )


@pytest.mark.parametrize("kind", SEPARABLE)
def test_dask_fit_equals_in_memory_fit(kind):
    da = pytest.importorskip("dask.array")
    X, y = _tall_problem(n=2000, seed=11)
    X_da = da.from_array(X, chunks=((700, 300, 1000), (8,)))
    y_da = da.from_array(y, chunks=500)
    ref = SketchedLinearRegression(sketch=kind, random_state=3).fit(X, y)
    est = SketchedLinearRegression(sketch=kind, random_state=3).fit(X_da, y_da)
    np.testing.assert_allclose(_coefs(est), _coefs(ref), rtol=1e-9)
    pred = est.predict(X_da)
    np.testing.assert_allclose(pred.compute(), ref.predict(X), rtol=1e-9)


def test_dask_precondition_is_exact_and_bad_chunks_rejected():
    da = pytest.importorskip("dask.array")
    X, y = _tall_problem(n=1500, seed=12)
    X_da = da.from_array(X, chunks=(400, 8))
    est = SketchedLinearRegression(solver="sketch_and_precondition", random_state=0)
    np.testing.assert_allclose(_coefs(est.fit(X_da, y)), _lstsq(X, y), rtol=1e-9)
    with pytest.raises(ValueError, match="chunked along columns"):
        SketchedLinearRegression().fit(da.from_array(X, chunks=(400, 4)), y)
    with pytest.raises(ValueError, match="needs all rows at once"):
        SketchedLinearRegression(sketch="bgp").fit(X_da, y)
    X_nan = X.copy()
    X_nan[1234, 2] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        SketchedLinearRegression().fit(da.from_array(X_nan, chunks=(400, 8)), y)


@pytest.mark.parametrize("kind", STREAMING)
def test_partial_fit_equals_fit(kind):
    X, y = _tall_problem(n=1800, seed=13)
    ref = SketchedLinearRegression(sketch=kind, random_state=4).fit(X, y)
    est = SketchedLinearRegression(sketch=kind, random_state=4)
    for a, b in ((0, 1), (1, 700), (700, 1800)):
        est.partial_fit(X[a:b], y[a:b])
    assert est.n_samples_seen_ == 1800
    np.testing.assert_allclose(_coefs(est), _coefs(ref), rtol=1e-9)


def test_partial_fit_only_for_streaming_sketches():
    assert not hasattr(SketchedLinearRegression(sketch="srht"), "partial_fit")
    # sklearn's available_if chains our explanation as the cause
    with pytest.raises(AttributeError) as excinfo:
        SketchedLinearRegression(sketch="bgp").partial_fit  # noqa: B018
    assert "does not depend on the number of rows" in str(excinfo.value.__cause__)
    with pytest.raises(AttributeError) as excinfo:
        SketchedLinearRegression(sketch="gaussian", solver="ihs").partial_fit  # noqa: B018
    assert "sketch_and_solve" in str(excinfo.value.__cause__)
    assert hasattr(SketchedLinearRegression(sketch="sjlt"), "partial_fit")


# --------------------------------------------------------------------------
# bad input and rank deficiency
# --------------------------------------------------------------------------
def test_bad_sizes():
    X, y = _tall_problem(n=100, d=5)
    with pytest.raises(ValueError, match="sketch_size=6 must exceed"):
        SketchedLinearRegression(sketch_size=6).fit(X, y)
    with pytest.raises(ValueError, match="sketch_size=5 must exceed"):
        SketchedLinearRegression(sketch_size=5, fit_intercept=False).fit(X, y)
    with pytest.raises(ValueError, match="sketch_size=101 must not exceed"):
        SketchedLinearRegression(sketch_size=101).fit(X, y)
    with pytest.raises(ValueError, match="at least 7 samples"):
        SketchedLinearRegression().fit(X[:6], y[:6])
    with pytest.raises(ValueError, match="sketch_factor"):
        SketchedLinearRegression(sketch_factor=1.0).fit(X, y)


@pytest.mark.parametrize("solver", ["sketch_and_precondition", "ihs"])
def test_rank_deficient_gives_minimum_norm_solution(solver):
    X, y = _tall_problem(n=1500, d=5, seed=14)
    X = np.c_[X, X[:, 0]]  # duplicated column: rank 6 of 7 coefficients
    est = SketchedLinearRegression(solver=solver, random_state=0).fit(X, y)
    assert est.rank_ == 6 and math.isinf(est.cond_estimate_)
    np.testing.assert_allclose(_coefs(est), _lstsq(X, y), rtol=1e-8)
    # sketch-and-solve: minimum norm of the sketched problem splits the weight
    est = SketchedLinearRegression(random_state=0).fit(X, y)
    np.testing.assert_allclose(est.coef_[0], est.coef_[-1], rtol=1e-8)


def test_ihs_recovers_when_momentum_parameters_overshoot():
    # m = 44 of n = 50 rows, p = 11: the finite-size spectrum of the sketched
    # Hessian leaves the Gaussian-optimal interval and plain heavy-ball
    # iteration diverges (checked for this data and seed: coefficients of
    # norm ~1e14 after 100 steps); the restart with a safer rho must still
    # reach the least-squares answer.
    rng = np.random.RandomState(8)
    X = rng.standard_normal((50, 10))
    y = rng.randint(3, size=50).astype(float)
    est = SketchedLinearRegression(sketch="gaussian", solver="ihs", random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        est.fit(X, y)
    np.testing.assert_allclose(_coefs(est), _lstsq(X, y), rtol=1e-8, atol=1e-10)


# --------------------------------------------------------------------------
# sample_weight: weighted least squares on rows scaled by sqrt(w)
# --------------------------------------------------------------------------
def _weighted_lstsq(X, y, w):
    """Closed form: the normal equations of weighted least squares."""
    A = np.c_[X, np.ones(len(X))]
    return np.linalg.solve(A.T @ (w[:, None] * A), A.T @ (w * y))


@pytest.mark.parametrize("solver", ["sketch_and_precondition", "ihs"])
@pytest.mark.parametrize("kind", ["srht", "gaussian", "countsketch"])
def test_weighted_iterative_solvers_give_weighted_least_squares(solver, kind):
    X, y = _tall_problem(n=1500, seed=21)
    w = np.random.default_rng(0).uniform(0.1, 5.0, len(y))
    est = SketchedLinearRegression(sketch=kind, solver=solver, random_state=0)
    np.testing.assert_allclose(
        _coefs(est.fit(X, y, sample_weight=w)), _weighted_lstsq(X, y, w), rtol=1e-8
    )


def test_integer_weights_equal_repetition_and_zero_equals_removal():
    X, y = _tall_problem(n=1200, seed=22)
    w = np.random.default_rng(1).integers(0, 4, len(y)).astype(float)
    est = SketchedLinearRegression(solver="sketch_and_precondition", random_state=0)
    weighted = _coefs(est.fit(X, y, sample_weight=w))
    keep = np.repeat(np.arange(len(y)), w.astype(int))
    repeated = _coefs(est.fit(X[keep], y[keep]))
    np.testing.assert_allclose(weighted, repeated, rtol=1e-8)


@pytest.mark.parametrize("kind", SKETCH_KINDS)
def test_weighted_sketch_and_solve_sketches_the_scaled_rows(kind):
    """The same sketch applied to sqrt(w)-scaled [X | 1 | y], solved exactly."""
    X, y = _tall_problem(n=1024, d=6, seed=23)
    w = np.random.default_rng(2).uniform(0.0, 3.0, len(y))
    est = SketchedLinearRegression(sketch=kind, random_state=5)
    est.fit(X, y, sample_weight=w)
    scaled = np.sqrt(w)[:, None] * np.c_[X, np.ones(len(y)), y]
    S_scaled = sketch(scaled, kind, est.sketch_size_, random_state=5)
    expected = np.linalg.lstsq(S_scaled[:, :-1], S_scaled[:, -1], rcond=None)[0]
    np.testing.assert_allclose(_coefs(est), expected, rtol=1e-8)
    ones = SketchedLinearRegression(sketch=kind, random_state=5)
    np.testing.assert_allclose(
        _coefs(ones.fit(X, y, sample_weight=np.ones(len(y)))),
        _coefs(SketchedLinearRegression(sketch=kind, random_state=5).fit(X, y)),
        rtol=1e-12,
    )


@pytest.mark.parametrize("kind", STREAMING)
def test_weighted_partial_fit_and_dask_equal_weighted_fit(kind):
    X, y = _tall_problem(n=1800, seed=24)
    w = np.random.default_rng(3).uniform(0.2, 2.0, len(y))
    ref = SketchedLinearRegression(sketch=kind, random_state=4)
    ref.fit(X, y, sample_weight=w)
    est = SketchedLinearRegression(sketch=kind, random_state=4)
    for a, b in ((0, 700), (700, 1800)):
        est.partial_fit(X[a:b], y[a:b], sample_weight=w[a:b])
    np.testing.assert_allclose(_coefs(est), _coefs(ref), rtol=1e-9)
    da = pytest.importorskip("dask.array")
    X_da = da.from_array(X, chunks=(500, 8))
    for weights in (w, da.from_array(w, chunks=300)):
        dask_fit = SketchedLinearRegression(sketch=kind, random_state=4)
        dask_fit.fit(X_da, y, sample_weight=weights)
        np.testing.assert_allclose(_coefs(dask_fit), _coefs(ref), rtol=1e-9)
    exact = SketchedLinearRegression(
        sketch=kind, solver="sketch_and_precondition", random_state=0
    )
    y_da, w_da = da.from_array(y, chunks=400), da.from_array(w, chunks=300)
    exact.fit(X_da, y_da, sample_weight=w_da)
    np.testing.assert_allclose(_coefs(exact), _weighted_lstsq(X, y, w), rtol=1e-8)


def test_bad_sample_weight():
    X, y = _tall_problem(n=300, seed=25)
    est = SketchedLinearRegression(random_state=0)
    with pytest.raises(ValueError, match="non-negative"):
        est.fit(X, y, sample_weight=np.r_[-1.0, np.ones(299)])
    with pytest.raises(ValueError, match="sample_weight"):
        est.fit(X, y, sample_weight=np.ones(10))
    with pytest.raises(ValueError, match="sample_weight"):
        est.fit(X, y, sample_weight=np.r_[np.nan, np.ones(299)])
    da = pytest.importorskip("dask.array")
    w_bad = da.from_array(np.r_[np.ones(250), -1.0, np.ones(49)], chunks=100)
    with pytest.raises(ValueError, match="non-negative"):
        est.fit(da.from_array(X, chunks=(100, 8)), y, sample_weight=w_bad)


# --------------------------------------------------------------------------
# sparse X: the same sketch as the dense copy; CountSketch/SJLT touch nonzeros
# --------------------------------------------------------------------------
def _sparse_problem(n=2000, d=12, seed=30):
    import scipy.sparse

    rng = np.random.default_rng(seed)
    X = scipy.sparse.random(n, d, density=0.15, random_state=seed, format="csr")
    y = X @ rng.normal(size=d) + 1.0 + 0.1 * rng.standard_normal(n)
    return X, y


def test_csr_kernel_equals_dense_kernel():
    from sklike.linear_model import _sketch_kernels as kernels

    X, _ = _sparse_problem(n=300, d=7)
    for nnz in (1, 4):
        dense = kernels.sparse_sign_chunk(X.toarray(), 1000, 9, 24, nnz)
        sparse = kernels.sparse_sign_chunk_csr(
            X.indptr.astype(np.int64),
            X.indices.astype(np.int64),
            X.data,
            X.shape[1],
            1000,
            9,
            24,
            nnz,
        )
        np.testing.assert_allclose(sparse, dense, rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("kind", SKETCH_KINDS)
@pytest.mark.parametrize("fit_intercept", [True, False])
def test_sparse_fit_equals_dense_fit(kind, fit_intercept):
    X, y = _sparse_problem()
    w = np.random.default_rng(0).uniform(0.5, 2.0, len(y))
    for solver in ("sketch_and_solve", "sketch_and_precondition"):
        params = dict(
            sketch=kind, solver=solver, fit_intercept=fit_intercept, random_state=2
        )
        dense = SketchedLinearRegression(**params).fit(X.toarray(), y, sample_weight=w)
        sparse = SketchedLinearRegression(**params).fit(X, y, sample_weight=w)
        np.testing.assert_allclose(_coefs(sparse), _coefs(dense), rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(sparse.predict(X), dense.predict(X.toarray()))
    exact = SketchedLinearRegression(
        sketch=kind,
        solver="sketch_and_precondition",
        fit_intercept=fit_intercept,
        random_state=2,
    ).fit(X.tocsc(), y)  # other sparse formats are converted
    np.testing.assert_allclose(
        _coefs(exact), _lstsq(X.toarray(), y, fit_intercept), rtol=1e-8
    )


@pytest.mark.parametrize("kind", STREAMING)
def test_sparse_partial_fit_equals_dense_fit(kind):
    X, y = _sparse_problem(n=1500, seed=31)
    ref = SketchedLinearRegression(sketch=kind, random_state=6).fit(X.toarray(), y)
    est = SketchedLinearRegression(sketch=kind, random_state=6)
    for a, b in ((0, 600), (600, 1500)):
        est.partial_fit(X[a:b], y[a:b])
    np.testing.assert_allclose(_coefs(est), _coefs(ref), rtol=1e-9)
