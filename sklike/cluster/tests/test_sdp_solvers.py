"""The SDP solvers against an exact CVXPY solve and against the mathematics."""

import numpy as np
import pytest

from sklike.cluster._ila_sdp import _estimate_gaussians, _whitened_and_logdet
from sklike.cluster._sdp_kernels import bm_objective_and_gradient
from sklike.cluster._sdp_solvers import (
    SDPCosts,
    _project_affine,
    solve_sdp,
    solver_params_for,
)
from sklike.datasets import make_heterogeneous_gmm
from sklike.exceptions import ConvergenceWarning


def _peng_wei_costs(X, n_clusters):
    centred = X - X.mean(axis=0)
    return SDPCosts(centred[None], np.zeros(1), np.array([float(n_clusters)]))


def _la_costs(X, labels, n_clusters, covariance_type="full"):
    centred = X - X.mean(axis=0)
    _, covs, _ = _estimate_gaussians(centred, labels, n_clusters, covariance_type, 1e-6)
    if covariance_type == "tied":
        covs = np.broadcast_to(covs, (n_clusters, *covs.shape))
    factors, logdets = _whitened_and_logdet(centred, covs)
    return SDPCosts(factors, logdets, np.ones(n_clusters))


@pytest.fixture(scope="module")
def elongated():
    """Spec design D1, small: a round and an elongated cluster side by side."""
    return make_heterogeneous_gmm(
        [14, 14],
        means=[[0, 0], [3, 0]],
        covariances=[0.2 * np.eye(2), np.diag([0.2, 16.0])],
        random_state=1,
    )


@pytest.fixture(scope="module")
def la_problem(elongated):
    X, y = elongated
    labels = y.copy()
    labels[:3] = 1  # covariances from a wrong partition: a non-trivial problem
    return _la_costs(X, labels, 2), labels


@pytest.fixture(scope="module")
def la_reference(la_problem):
    costs, _ = la_problem
    return solve_sdp(costs, "cvxpy", solver_params_for("cvxpy", None))[0]


@pytest.fixture(scope="module")
def pw_problem():
    rng = np.random.RandomState(0)
    centres = np.array([[0.0, 0.0], [6.0, 0.0], [0.0, 6.0]])
    X = np.concatenate([c + rng.normal(size=(9, 2)) for c in centres])
    return _peng_wei_costs(X, 3)


@pytest.fixture(scope="module")
def pw_reference(pw_problem):
    return solve_sdp(pw_problem, "cvxpy", solver_params_for("cvxpy", None))[0]


def test_affine_projection_is_orthogonal():
    """X = P(V) is feasible and V - X is orthogonal to (feasible - X)."""
    rng = np.random.RandomState(0)
    m, n = 3, 7
    traces = np.array([1.0, 2.0, 0.5])
    V = rng.normal(size=(m, n, n))
    V = V + np.transpose(V, (0, 2, 1))
    X = _project_affine(V, traces)
    np.testing.assert_allclose(np.trace(X, axis1=1, axis2=2), traces, atol=1e-12)
    np.testing.assert_allclose(X.sum(axis=2).sum(axis=0), np.ones(n), atol=1e-12)
    np.testing.assert_allclose(X, np.transpose(X, (0, 2, 1)))
    np.testing.assert_allclose(_project_affine(X, traces), X, atol=1e-12)
    # Another feasible point: project a different symmetric matrix.
    F = rng.normal(size=(m, n, n))
    F = _project_affine(F + np.transpose(F, (0, 2, 1)), traces)
    assert abs(np.sum((V - X) * (F - X))) < 1e-9 * np.sum(V**2)


def test_factored_costs_match_dense(la_problem):
    costs, _ = la_problem
    rng = np.random.RandomState(0)
    U = rng.uniform(size=(2, costs.n_samples, 3))
    Z = np.einsum("knr,kmr->knm", U, U)
    assert costs.objective_factored(U) == pytest.approx(
        costs.objective_dense(Z), rel=1e-12
    )
    # Dense W_k is half the Mahalanobis distance plus log det (the spec's W_k).
    W = costs.dense()
    Y = costs.factors[0]
    d01 = np.sum((Y[0] - Y[1]) ** 2)
    assert W[0, 0, 1] == pytest.approx(0.5 * d01 + costs.constants[0])


def test_bm_gradient_matches_finite_differences(la_problem):
    costs, _ = la_problem
    rng = np.random.RandomState(1)
    Y = np.ascontiguousarray(costs.factors)
    Yt = np.ascontiguousarray(np.transpose(Y, (0, 2, 1)))
    a = costs.sq_norms()
    U = rng.uniform(size=(2, costs.n_samples, 2))
    y = rng.normal(size=costs.n_samples)
    value, grad, _ = bm_objective_and_gradient(Y, Yt, a, costs.constants, U, y, 0.7)
    direction = rng.normal(size=U.shape)
    eps = 1e-6
    plus = bm_objective_and_gradient(
        Y, Yt, a, costs.constants, U + eps * direction, y, 0.7
    )[0]
    minus = bm_objective_and_gradient(
        Y, Yt, a, costs.constants, U - eps * direction, y, 0.7
    )[0]
    assert (plus - minus) / (2 * eps) == pytest.approx(
        np.sum(grad * direction), rel=1e-6
    )


def test_admm_reaches_cvxpy_optimum_peng_wei(pw_problem, pw_reference):
    params = solver_params_for("admm", {"tol": 1e-7, "max_iter": 20000})
    sol, status = solve_sdp(pw_problem, "admm", params)
    assert status == "converged"
    assert sol.objective == pytest.approx(pw_reference.objective, rel=1e-4)


def test_admm_reaches_cvxpy_optimum_la_sdp(la_problem, la_reference):
    costs, _ = la_problem
    params = solver_params_for("admm", {"tol": 1e-7, "max_iter": 20000})
    sol, status = solve_sdp(costs, "admm", params)
    assert status == "converged"
    assert sol.objective == pytest.approx(la_reference.objective, rel=1e-4)


def test_bm_reaches_cvxpy_optimum_la_sdp(la_problem, la_reference):
    costs, labels = la_problem
    rng = np.random.RandomState(0)
    U0 = 1e-3 * rng.uniform(size=(2, costs.n_samples, 2))
    for k in range(2):
        U0[k, labels == k, 0] += 1.0
    params = solver_params_for("bm", {"tol": 1e-7, "max_iter": 50000})
    params.pop("rank")
    sol, status = solve_sdp(costs, "bm", params, U0=U0)
    assert status == "converged"
    assert sol.objective == pytest.approx(la_reference.objective, rel=1e-4)
    # BM never goes below the convex optimum (it is a restriction of it).
    assert sol.objective >= la_reference.objective * (1 - 1e-6)


def test_bm_reaches_cvxpy_optimum_peng_wei(pw_problem, pw_reference):
    rng = np.random.RandomState(0)
    U0 = rng.uniform(size=(1, pw_problem.n_samples, 3))
    params = solver_params_for("bm", {"tol": 1e-7, "max_iter": 50000})
    params.pop("rank")
    sol, _ = solve_sdp(pw_problem, "bm", params, U0=U0)
    assert sol.objective == pytest.approx(pw_reference.objective, rel=1e-4)


def test_equal_covariances_reduce_to_peng_wei(elongated):
    """With one shared covariance, LA-SDP = Peng-Wei on Mahalanobis geometry.

    The LA-SDP optimum over K blocks equals the Peng--Wei optimum on the
    whitened data plus n log det(Sigma) (the log-det term is constant because
    sum_k 1'Z_k 1 = n).
    """
    X, y = elongated
    costs = _la_costs(X, y, 2, covariance_type="tied")
    la = solve_sdp(costs, "cvxpy", solver_params_for("cvxpy", None))[0]
    whitened = costs.factors[0]
    pw_costs = SDPCosts(whitened[None], np.zeros(1), np.array([2.0]))
    pw = solve_sdp(pw_costs, "cvxpy", solver_params_for("cvxpy", None))[0]
    n = X.shape[0]
    assert la.objective == pytest.approx(
        pw.objective + n * costs.constants[0], rel=1e-5
    )


def test_admm_warns_when_it_stops_early(pw_problem):
    params = solver_params_for("admm", {"max_iter": 5})
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        solve_sdp(pw_problem, "admm", params)


def test_unknown_solver_params_are_rejected():
    with pytest.raises(ValueError, match="unknown key.*rhoo"):
        solver_params_for("admm", {"rhoo": 1.0})
