"""Numba kernels for the cumulative-logit (ordinal) models.

Notation: ``eta`` is the ``(n_samples, n_boundaries)`` array of linear
predictors, ``eta[i, k] = alpha_k + x_i @ beta_k``, with
``P(y <= k | x) = sigmoid(eta[k])``.  ``y`` holds class codes ``0..K-1``.
The negative log-likelihood of a row of class ``c`` depends only on its two
neighbouring boundaries ``a = eta[c]`` (upper) and ``b = eta[c - 1]`` (lower):

    -log(sigmoid(a) - sigmoid(b))
        = softplus(-a) + softplus(b) - log(1 - exp(-(a - b)))

which is evaluated without cancellation and is +inf (never NaN) when
``a <= b``: that is the domain of the likelihood, and line searches rely on the
infinity to reject steps that leave it.

Every kernel takes arrays and scalars only and never writes into its inputs.
"""

import numpy as np

from ..utils._numba import jit

__all__ = [
    "cd_quadratic_l1",
    "gradient_hessian_blocks",
    "loss_derivatives",
    "negative_log_likelihood",
    "polish_on_support",
    "repair_isotonic",
]


@jit
def _softplus(x):
    if x > 0.0:
        return x + np.log1p(np.exp(-x))
    return np.log1p(np.exp(x))


@jit
def _softplus_neg_sigmoids(x):
    """``(softplus(-x), sigmoid(x), sigmoid(-x))`` from one exponential.

    The same values as ``_softplus`` gives; the complement is computed
    directly, not as ``1 - sigmoid(x)``.
    """
    e = np.exp(-abs(x))
    big, small = 1.0 / (1.0 + e), e / (1.0 + e)
    if x > 0.0:
        return np.log1p(e), big, small
    return -x + np.log1p(e), small, big


@jit
def negative_log_likelihood(eta, y, weights):
    """Weighted sum of ``-log P(y_i | x_i)``; +inf outside the domain.

    Parameters
    ----------
    eta : ndarray of shape (n_samples, n_boundaries)
    y : int ndarray of shape (n_samples,), codes in ``0..n_boundaries``
    weights : ndarray of shape (n_samples,)
    """
    n, n_bound = eta.shape
    total = 0.0
    for i in range(n):
        w = weights[i]
        if w == 0.0:
            continue
        c = y[i]
        if c == 0:
            total += w * _softplus(-eta[i, 0])
        elif c == n_bound:
            total += w * _softplus(eta[i, n_bound - 1])
        else:
            a = eta[i, c]
            b = eta[i, c - 1]
            gap = a - b
            if not gap > 0.0:  # also catches NaN
                return np.inf
            total += w * (_softplus(-a) + _softplus(b) - np.log(-np.expm1(-gap)))
    return total


@jit
def loss_derivatives(eta, y, weights):
    """Weighted loss, gradient and Hessian of the NLL with respect to ``eta``.

    The Hessian of row ``i`` is tridiagonal in the boundaries (a row touches
    at most two of them); it is returned as its diagonal ``hess_diag`` and
    its first super-diagonal ``hess_off`` (``hess_off[i, k]`` couples
    boundaries ``k`` and ``k + 1``).

    Returns
    -------
    loss : float
        +inf when some row is outside the domain (then the arrays are junk).
    grad : ndarray of shape (n_samples, n_boundaries)
    hess_diag : ndarray of shape (n_samples, n_boundaries)
    hess_off : ndarray of shape (n_samples, max(n_boundaries - 1, 1))
    """
    n, n_bound = eta.shape
    grad = np.zeros((n, n_bound))
    hess_diag = np.zeros((n, n_bound))
    hess_off = np.zeros((n, max(n_bound - 1, 1)))
    total = 0.0
    for i in range(n):
        w = weights[i]
        if w == 0.0:
            continue
        c = y[i]
        if c == 0:
            a = eta[i, 0]
            sp, s, s_comp = _softplus_neg_sigmoids(a)
            total += w * sp
            grad[i, 0] = -w * s_comp
            hess_diag[i, 0] = w * s * s_comp
        elif c == n_bound:
            b = eta[i, n_bound - 1]
            sp, s_comp, s = _softplus_neg_sigmoids(-b)  # softplus(b), ...
            total += w * sp
            grad[i, n_bound - 1] = w * s
            hess_diag[i, n_bound - 1] = w * s * s_comp
        else:
            a = eta[i, c]
            b = eta[i, c - 1]
            gap = a - b
            if not gap > 0.0:
                return np.inf, grad, hess_diag, hess_off
            em = np.exp(-gap)
            one_minus = -np.expm1(-gap)  # 1 - exp(-gap), accurate for small gaps
            sp_a, sa, sa_comp = _softplus_neg_sigmoids(a)
            sp_b, sb_comp, sb = _softplus_neg_sigmoids(-b)
            total += w * (sp_a + sp_b - np.log(one_minus))
            # q(gap) = -log(1 - exp(-gap)):
            # q' = -1 / expm1(gap) and q'' = e^-gap / (1 - e^-gap)^2
            dq = em / one_minus
            d2q = em / (one_minus * one_minus)
            grad[i, c] = w * (-sa_comp - dq)
            grad[i, c - 1] = w * (sb + dq)
            hess_diag[i, c] = w * (sa * sa_comp + d2q)
            hess_diag[i, c - 1] = w * (sb * sb_comp + d2q)
            hess_off[i, c - 1] = -w * d2q
    return total, grad, hess_diag, hess_off


@jit
def gradient_hessian_blocks(X1, codes, grad_eta, hess_diag, hess_off, need_hessian):
    """Chain rule from ``eta`` to each boundary's ``(intercept, slopes)``.

    ``X1`` is the design with a leading column of ones.  A row of class ``c``
    touches only boundaries ``c - 1`` and ``c``, so it adds to at most three
    ``(p + 1) x (p + 1)`` blocks; the loop does exactly that work (single
    threaded: BLAS threads on many tiny products stall on a shared machine).

    Returns
    -------
    grad : ndarray of shape (n_boundaries, p + 1)
    hess : ndarray of shape (n_boundaries, p + 1, n_boundaries, p + 1)
        Zeros when ``need_hessian`` is False.
    """
    n, q = X1.shape
    n_bound = grad_eta.shape[1]
    grad = np.zeros((n_bound, q))
    size = n_bound if need_hessian else 1
    hess = np.zeros((size, q, size, q))
    for i in range(n):
        c = codes[i]
        lo = c - 1
        hi = c if c < n_bound else -1
        for j in range(q):
            x = X1[i, j]
            if lo >= 0:
                grad[lo, j] += grad_eta[i, lo] * x
            if hi >= 0:
                grad[hi, j] += grad_eta[i, hi] * x
        if not need_hessian:
            continue
        h_hi = hess_diag[i, hi] if hi >= 0 else 0.0
        h_lo = hess_diag[i, lo] if lo >= 0 else 0.0
        h_off = hess_off[i, lo] if (lo >= 0 and hi >= 0) else 0.0
        for j in range(q):
            xj = X1[i, j]
            for m in range(j, q):
                v = xj * X1[i, m]
                if hi >= 0:
                    hess[hi, j, hi, m] += h_hi * v
                if lo >= 0:
                    hess[lo, j, lo, m] += h_lo * v
                if lo >= 0 and hi >= 0:
                    hess[lo, j, hi, m] += h_off * v
                    if m != j:
                        hess[lo, m, hi, j] += h_off * v
    if need_hessian:
        for k in range(n_bound):
            for j in range(q):
                for m in range(j + 1, q):
                    hess[k, m, k, j] = hess[k, j, k, m]
            if k + 1 < n_bound:
                for j in range(q):
                    for m in range(q):
                        hess[k + 1, m, k, j] = hess[k, j, k + 1, m]
    return grad, hess


@jit
def cd_quadratic_l1(
    hess, grad, theta0, l1_weights, l2_weights, movable, tol, max_sweeps
):
    """Minimise a quadratic model plus a weighted elastic-net by coordinate descent.

    Solves ``min_theta grad @ d + d @ hess @ d / 2 + sum_j l1_weights[j] |theta_j|
    + sum_j l2_weights[j] theta_j**2 / 2`` with ``d = theta - theta0``; the
    coordinates with ``movable[j] == False`` stay at ``theta0[j]``.

    Returns
    -------
    theta : ndarray of shape (n_params,)
    n_sweeps : int
    """
    d = theta0.shape[0]
    theta = theta0.copy()
    hd = np.zeros(d)  # hess @ (theta - theta0), kept up to date
    n_sweeps = 0
    for sweep in range(max_sweeps):
        n_sweeps = sweep + 1
        max_change = 0.0
        for j in range(d):
            if not movable[j]:
                continue
            h_jj = hess[j, j]
            denom = h_jj + l2_weights[j]
            if denom <= 0.0:
                continue
            # derivative of the smooth part at theta, minus the diagonal term
            z = h_jj * theta[j] - (grad[j] + hd[j])
            thresh = l1_weights[j]
            if z > thresh:
                new = (z - thresh) / denom
            elif z < -thresh:
                new = (z + thresh) / denom
            else:
                new = 0.0
            delta = new - theta[j]
            if delta != 0.0:
                theta[j] = new
                for m in range(d):
                    hd[m] += delta * hess[m, j]
                change = delta * delta * denom
                if change > max_change:
                    max_change = change
        if max_change <= tol:
            break
    return theta, n_sweeps


@jit
def polish_on_support(hess, grad, flat, new, l1_weights, l2_weights, movable):
    """Exact minimiser of the quadratic model on the support and signs of ``new``.

    The model is the one of :func:`cd_quadratic_l1` centred at ``flat``;
    ``new`` is an approximate minimiser (coordinate descent finds the support
    quickly but converges linearly on it).  On the support ``S`` with signs
    ``s`` the minimiser solves
    ``(H_SS + diag(l2_S)) new_S = H_SS flat_S - grad_S - l1_S * s
    - H_S,rest (new - flat)_rest``.  Returns ``new`` unchanged when that
    system is singular or its solution flips a penalised sign.
    """
    d = flat.shape[0]
    idx = np.empty(d, dtype=np.intp)
    size = 0
    for j in range(d):
        if movable[j] and (new[j] != 0.0 or l1_weights[j] == 0.0):
            idx[size] = j
            size += 1
    if size == 0:
        return new.copy()
    on_support = np.zeros(d, dtype=np.bool_)
    for a in range(size):
        on_support[idx[a]] = True
    H = np.empty((size, size))
    rhs = np.empty(size)
    for a in range(size):
        j = idx[a]
        total = -grad[j] - l1_weights[j] * np.sign(new[j])
        for m in range(d):
            if on_support[m]:
                total += hess[j, m] * flat[m]
            else:
                total -= hess[j, m] * (new[m] - flat[m])
        rhs[a] = total
        for b in range(size):
            H[a, b] = hess[j, idx[b]]
        H[a, a] += l2_weights[j]
    # a singular system (flat directions) keeps coordinate descent's answer
    diag_max = 0.0
    for a in range(size):
        diag_max = max(diag_max, abs(H[a, a]))
    values = _cholesky_solve(H, rhs, 1e-13 * max(diag_max, 1e-300))
    out = new.copy()
    if values is None:
        return out
    for a in range(size):
        j = idx[a]
        v = values[a]
        if not np.isfinite(v):
            return new.copy()
        if l1_weights[j] > 0.0 and np.sign(v) != np.sign(new[j]):
            return new.copy()
        out[j] = v
    return out


@jit
def _cholesky_solve(A, b, pivot_floor):
    """Solve ``A x = b`` for symmetric positive definite ``A`` (small, dense).

    Returns None when a pivot falls below ``pivot_floor`` (singular or
    indefinite), so the caller can fall back.
    """
    n = A.shape[0]
    L = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1):
            total = A[i, j]
            for k in range(j):
                total -= L[i, k] * L[j, k]
            if i == j:
                if total <= pivot_floor:
                    return None
                L[i, i] = np.sqrt(total)
            else:
                L[i, j] = total / L[j, j]
    x = b.copy()
    for i in range(n):
        for k in range(i):
            x[i] -= L[i, k] * x[k]
        x[i] /= L[i, i]
    for i in range(n - 1, -1, -1):
        for k in range(i + 1, n):
            x[i] -= L[k, i] * x[k]
        x[i] /= L[i, i]
    return x


@jit
def repair_isotonic(cumulative):
    """Row-wise isotonic (non-decreasing) least-squares fit, clipped to [0, 1].

    Pool-adjacent-violators on each row of ``cumulative`` with equal weights.
    """
    n, m = cumulative.shape
    out = np.empty((n, m))
    level = np.empty(m)
    count = np.empty(m)
    for i in range(n):
        n_blocks = 0
        for k in range(m):
            level[n_blocks] = cumulative[i, k]
            count[n_blocks] = 1.0
            n_blocks += 1
            while n_blocks > 1 and level[n_blocks - 2] > level[n_blocks - 1]:
                total = count[n_blocks - 2] + count[n_blocks - 1]
                level[n_blocks - 2] = (
                    level[n_blocks - 2] * count[n_blocks - 2]
                    + level[n_blocks - 1] * count[n_blocks - 1]
                ) / total
                count[n_blocks - 2] = total
                n_blocks -= 1
        k = 0
        for b in range(n_blocks):
            value = min(max(level[b], 0.0), 1.0)
            for _ in range(int(count[b])):
                out[i, k] = value
                k += 1
    return out
