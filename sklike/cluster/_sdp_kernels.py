"""Numba kernels of the nonnegative Burer--Monteiro SDP solver.

The costs are factored, ``W_k = 1/2 (a_k 1' + 1 a_k') - Y_k Y_k' + c_k J``
(see :mod:`sklike.cluster._sdp_solvers`), so every product ``W_k U_k`` costs
O(n p r) and no n x n matrix is ever formed.  The kernels take arrays and
scalars only and never write into their inputs.
"""

import numpy as np

from ..utils._numba import jit

__all__ = ["bm_objective_and_gradient", "bm_solve"]


@jit
def _project(U, traces):
    """Clip to the nonnegative orthant, then rescale block k to ||U_k||^2 = t_k."""
    m, n, r = U.shape
    out = np.maximum(U, 0.0)
    for k in range(m):
        norm2 = np.sum(out[k] ** 2)
        if norm2 > 0.0:
            out[k] *= np.sqrt(traces[k] / norm2)
        else:
            # Everything was clipped: restart the block at the uniform point.
            out[k, :, 0] = np.sqrt(traces[k] / n)
    return out


@jit
def bm_objective_and_gradient(Y, Yt, a, const, U, y, beta):
    """Augmented Lagrangian of the factored SDP and its gradient.

    ``L(U) = sum_k <W_k, U_k U_k'> + y'(c - 1) + beta/2 ||c - 1||^2`` with
    ``c = sum_k U_k U_k' 1`` (the row sums).  Explicit loops: with r of 1 to
    a few columns, BLAS calls on n x r blocks cost more than they save.

    Returns ``(L, gradient, residual)`` with ``residual = c - 1``.
    """
    m, n, r = U.shape
    p = Y.shape[2]
    sums = np.zeros((m, r))
    YtU = np.zeros((m, p, r))
    aU = np.zeros((m, r))
    row = np.zeros(n)
    for k in range(m):
        for i in range(n):
            for j in range(r):
                u = U[k, i, j]
                sums[k, j] += u
                aU[k, j] += a[k, i] * u
                for f in range(p):
                    YtU[k, f, j] += Y[k, i, f] * u
    for k in range(m):
        for i in range(n):
            acc = 0.0
            for j in range(r):
                acc += U[k, i, j] * sums[k, j]
            row[i] += acc
    residual = row - 1.0
    g = y + beta * residual
    value = 0.0
    for i in range(n):
        value += y[i] * residual[i] + 0.5 * beta * residual[i] * residual[i]
    gU = np.zeros((m, r))
    for k in range(m):
        for i in range(n):
            for j in range(r):
                gU[k, j] += g[i] * U[k, i, j]
    grad = np.empty_like(U)
    for k in range(m):
        c = const[k]
        for i in range(n):
            for j in range(r):
                s = sums[k, j]
                wu = 0.5 * (a[k, i] * s + aU[k, j]) + c * s
                for f in range(p):
                    wu -= Y[k, i, f] * YtU[k, f, j]
                value += U[k, i, j] * wu
                grad[k, i, j] = 2.0 * wu + gU[k, j] + g[i] * s
    return value, grad, residual


@jit
def bm_solve(Y, const, traces, U0, beta, max_iter, inner_iter, tol):
    """Augmented-Lagrangian projected gradient for the nonnegative BM problem.

    Inner loop: projected gradient steps on ``L(., y)`` with a backtracking
    step (sufficient-decrease test of the projected-gradient method), the step
    grown by 25% after each accepted move.  Outer loop: multiplier update
    ``y += beta (c - 1)`` once the relative move falls under the current inner
    tolerance (which shrinks tenfold each time, down to ``tol``) or after
    ``inner_iter`` steps; ``beta`` doubles when the infeasibility did not drop
    by a quarter.

    Returns ``(U, n_iter, converged)``.
    """
    m, n, p = Y.shape
    Yt = np.empty((m, p, n))
    a = np.empty((m, n))
    for k in range(m):
        Yt[k] = Y[k].T
        for i in range(n):
            a[k, i] = np.sum(Y[k, i] ** 2)
    U = _project(U0, traces)
    y = np.zeros(n)
    step = 1.0 / n
    value, grad, residual = bm_objective_and_gradient(Y, Yt, a, const, U, y, beta)
    inner_tol = 1e-2
    inner = 0
    last_infeas = np.inf
    converged = False
    n_iter = 0
    for it in range(1, max_iter + 1):
        n_iter = it
        while True:
            U_new = _project(U - step * grad, traces)
            diff = U_new - U
            value_new, grad_new, residual_new = bm_objective_and_gradient(
                Y, Yt, a, const, U_new, y, beta
            )
            bound = value + np.sum(grad * diff) + np.sum(diff * diff) / (2.0 * step)
            if value_new <= bound + 1e-12 * abs(value) or step < 1e-14:
                break
            step *= 0.5
        move = np.sqrt(np.sum(diff * diff) / np.sum(U_new * U_new))
        U, value, grad, residual = U_new, value_new, grad_new, residual_new
        step *= 1.25
        inner += 1
        if move < inner_tol or inner >= inner_iter:
            infeas = np.sqrt(np.dot(residual, residual) / n)
            if infeas < tol and move < tol:
                converged = True
                break
            y = y + beta * residual
            if infeas > tol and infeas > 0.25 * last_infeas and beta < 1e6:
                beta *= 2.0
            last_infeas = infeas
            inner_tol = max(tol, 0.1 * inner_tol)
            inner = 0
            value, grad, residual = bm_objective_and_gradient(
                Y, Yt, a, const, U, y, beta
            )
    return U, n_iter, converged
