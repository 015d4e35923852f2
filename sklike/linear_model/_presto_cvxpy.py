"""PRESTO's objective as a CVXPY exponential-cone program (``solver="cvxpy"``).

This is the reference formulation: slow (it builds one cone per row), but
written independently of the proximal Newton solver, which the tests check
against it.  For a row of a middle class ``c`` with upper and lower linear
predictors ``a = eta_c`` and ``b = eta_{c-1}``,

    log(sigmoid(a) - sigmoid(b)) = a - log(1 + e^a) - log(1 + e^b) + t,
    with t = log(1 - e^{b - a}), i.e. the constraint e^t + e^{b - a} <= 1

(maximising ``t`` makes it tight), so the negative log-likelihood is convex
in cones CVXPY knows.
"""

import numpy as np

from .._solvers import solve_cvxpy


def solve_presto_cvxpy(problem, lam, *, solver=None):
    """Minimise ``problem``'s objective at penalty ``lam`` with CVXPY.

    Parameters
    ----------
    problem : _Problem
        Standardized data, weights and penalty structure (see ``_presto``).
    lam : float
        The penalty ``alpha``.
    solver : str, optional
        A CVXPY solver name; by default the fallback chain of
        :func:`sklike._solvers.solve_cvxpy`.

    Returns
    -------
    theta : ndarray of shape (n_boundaries, n_features + 1)
        Intercepts in column 0, slope differences ``psi_k`` after.
    result : CvxpyResult
    """
    import cvxpy as cp

    Xs, codes, weights = problem.Xs, problem.codes, problem.weights
    n, p = Xs.shape
    K1 = problem.n_bound
    intercepts = cp.Variable(K1)
    psi = cp.Variable((p, K1))  # column k is psi_k
    eta = Xs @ cp.cumsum(psi, axis=1) + np.ones((n, 1)) @ cp.reshape(
        intercepts, (1, K1), order="C"
    )
    terms, constraints = [], []
    for c in range(K1 + 1):
        rows = np.flatnonzero((codes == c) & (weights > 0))
        if rows.size == 0:
            continue
        w = weights[rows]
        if c == 0:
            terms.append(w @ cp.logistic(-eta[rows, 0]))
        elif c == K1:
            terms.append(w @ cp.logistic(eta[rows, K1 - 1]))
        else:
            upper, lower = eta[rows, c], eta[rows, c - 1]
            t = cp.Variable(rows.size)
            constraints.append(cp.exp(t) + cp.exp(lower - upper) <= 1)
            terms.append(w @ (-upper + cp.logistic(upper) + cp.logistic(lower) - t))
    # the penalty weights per unit of alpha, as the Newton solver uses them
    unit_l1 = problem.unit_l1.reshape(K1, p + 1)[:, 1:].T
    unit_l2 = problem.unit_l2.reshape(K1, p + 1)[:, 1:].T
    penalty = cp.sum(cp.multiply(unit_l1, cp.abs(psi))) + 0.5 * cp.sum(
        cp.multiply(unit_l2, cp.square(psi))
    )
    frozen = ~problem.movable_base[0, 1:]  # constant columns keep zero slopes
    if frozen.any():
        constraints.append(psi[frozen, :] == 0)
    objective = cp.Minimize(sum(terms) + lam * penalty)
    result = solve_cvxpy(
        cp.Problem(objective, constraints),
        solver=solver,
        what="the PRESTO problem",
        advice="use solver='newton-cd', or standardize the features",
    )
    theta = np.column_stack([intercepts.value, psi.value.T])
    return theta, result
