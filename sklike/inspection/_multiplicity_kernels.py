"""Batched NumPy kernels for the logistic ε-level set (predictive multiplicity).

Notation (see ``docs/user_guide/predictive_multiplicity.rst``): ``Xa`` is the
design with the intercept column appended, ``y`` is in {-1, +1}, ``omega`` are
the sample weights normalised to sum to one, ``lam`` the L2 strength and
``pen`` a 0/1 mask of the penalised coordinates (the intercept is not
penalised).  The objective is

    L(w) = sum_i omega_i log(1 + exp(-y_i x_i^T w)) + lam/2 * sum_j pen_j w_j^2.

Many directions ``v`` are handled at once: ``V`` and ``W`` are (p, B) arrays
with one direction / one model per column, so every pass over the data is a
GEMM.  All functions are pure: they never write into their inputs.
"""

import numpy as np
from scipy.linalg import LinAlgError, cho_factor, cho_solve

from ..utils._numba import jit

__all__ = [
    "baseline_newton",
    "factor_hessian",
    "hessian",
    "loss_from_scores",
    "quadratic_extremes",
    "tilted_extremes",
]

#: Relative jitter added to Hessians so that collinear/constant columns with an
#: unpenalised objective still factor (the fixed point is unchanged: only the
#: Newton step is perturbed).
_JITTER = 1e-12


@jit
def _loss_terms(m):
    """log(1 + exp(-m)), sigmoid(-m) and sigmoid(m) sigmoid(-m), stably."""
    if m >= 0.0:
        e = np.exp(-m)
        return np.log1p(e), e / (1.0 + e), e / ((1.0 + e) * (1.0 + e))
    e = np.exp(m)
    return -m + np.log1p(e), 1.0 / (1.0 + e), e / ((1.0 + e) * (1.0 + e))


@jit
def data_loss(Z, y, omega):
    """sum_i omega_i log(1 + exp(-y_i Z_ib)) for each column b of Z (n, B)."""
    n, B = Z.shape
    out = np.zeros(B)
    for i in range(n):
        for b in range(B):
            out[b] += omega[i] * _loss_terms(y[i] * Z[i, b])[0]
    return out


@jit
def data_loss_derivatives(Z, y, omega):
    """Loss per column, d loss / d z (n, B) and the curvature weights (n, B).

    One pass, one exponential per entry (the NumPy version needs several
    passes and temporaries; this is where the solver spends its time).
    """
    n, B = Z.shape
    loss = np.zeros(B)
    dloss = np.empty((n, B))
    curv = np.empty((n, B))
    for i in range(n):
        for b in range(B):
            value, s_neg, c = _loss_terms(y[i] * Z[i, b])
            loss[b] += omega[i] * value
            dloss[i, b] = -y[i] * omega[i] * s_neg
            curv[i, b] = omega[i] * c
    return loss, dloss, curv


@jit
def segment_loss_and_slope(z0, Zd, alpha, y, omega):
    """Data loss at z0 + alpha_b Zd[:, b] and its derivative in alpha_b."""
    n, B = Zd.shape
    value = np.zeros(B)
    slope = np.zeros(B)
    for i in range(n):
        for b in range(B):
            v, s_neg, _ = _loss_terms(y[i] * (z0[i] + alpha[b] * Zd[i, b]))
            value[b] += omega[i] * v
            slope[b] -= y[i] * omega[i] * s_neg * Zd[i, b]
    return value, slope


def _penalty(W, lam, pen):
    if lam == 0.0:
        return np.zeros(W.shape[1])
    return 0.5 * lam * np.sum(pen[:, None] * W * W, axis=0)


def loss_from_scores(Z, W, y, omega, lam, pen):
    """L for each column: ``Z = Xa @ W`` (n, B), ``W`` (p, B); returns (B,)."""
    return data_loss(np.ascontiguousarray(Z), y, omega) + _penalty(W, lam, pen)


def _grad_and_curv(Xa, Z, W, y, omega, lam, pen):
    """L (B,), its gradient (p, B) and per-sample curvature weights (n, B)."""
    loss, dloss, curv = data_loss_derivatives(np.ascontiguousarray(Z), y, omega)
    grad = Xa.T @ dloss
    if lam != 0.0:
        grad = grad + lam * pen[:, None] * W
    return loss + _penalty(W, lam, pen), grad, curv


def hessian(Xa, curv, lam, pen):
    """Hessians for each column of ``curv`` (n, B) -> (B, p, p).

    ``Xa^T diag(c_b) Xa`` for all b is one GEMM between the n x p(p+1)/2 matrix
    of products x_ij x_ik (upper triangle) and ``curv``.
    """
    p = Xa.shape[1]
    iu, ju = np.triu_indices(p)
    products = Xa[:, iu] * Xa[:, ju]
    flat = products.T @ curv  # (K, B)
    B = curv.shape[1]
    H = np.empty((B, p, p))
    H[:, iu, ju] = flat.T
    H[:, ju, iu] = flat.T
    diag = np.arange(p)
    H[:, diag, diag] += lam * pen
    scale = np.maximum(np.trace(H, axis1=1, axis2=2) / p, np.finfo(float).tiny)
    H[:, diag, diag] += _JITTER * scale[:, None]
    return H


def _batched_solve(H, *rhs):
    """Solve H[b] x = r[:, b] for every b and every (p, B) array r in ``rhs``."""
    R = np.stack([r.T for r in rhs], axis=2)  # (B, p, k)
    try:
        sol = np.linalg.solve(H, R)
    except np.linalg.LinAlgError:
        # A singular stack (only possible for degenerate data): least squares.
        sol = np.stack(
            [
                np.linalg.lstsq(Hb, Rb, rcond=None)[0]
                for Hb, Rb in zip(H, R, strict=True)
            ]
        )
    return [sol[:, :, k].T for k in range(len(rhs))]


def factor_hessian(H):
    """Cholesky factor of one (p, p) Hessian, adding jitter if needed."""
    H = np.array(H, dtype=float)
    scale = max(np.trace(H) / H.shape[0], np.finfo(float).tiny)
    jitter = 0.0
    for _ in range(12):
        try:
            return cho_factor(H + jitter * np.eye(H.shape[0]))
        except LinAlgError:
            jitter = scale * (1e-12 if jitter == 0.0 else jitter / scale * 100)
    raise LinAlgError("The Hessian of the logistic loss could not be factored.")


def baseline_newton(Xa, y, omega, lam, pen, *, w_init=None, gtol=1e-10, max_iter=200):
    """Minimise L by damped Newton to ``||grad L||_2 <= gtol``.

    Returns
    -------
    w : ndarray of shape (p,)
    info : dict
        ``n_iter``, ``grad_norm``, ``loss``, ``converged`` and ``bounded``
        (False when the iterates run off to infinity: separable data with no
        penalty, i.e. no finite minimiser).
    """
    p = Xa.shape[1]
    w = np.zeros(p) if w_init is None else np.array(w_init, dtype=float)
    W = w[:, None]
    Z = Xa @ W
    f = loss_from_scores(Z, W, y, omega, lam, pen)[0]
    bounded = True
    converged = False
    grad_norm = np.inf
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 - n_iter is reported
        _, grad, curv = _grad_and_curv(Xa, Z, W, y, omega, lam, pen)
        grad_norm = float(np.linalg.norm(grad))
        if grad_norm <= gtol:
            converged = True
            break
        H = hessian(Xa, curv, lam, pen)[0]
        step = -_batched_solve(H[None], grad)[0]
        decrement2 = float(-(grad[:, 0] @ step[:, 0]))
        if decrement2 <= 1e-28 * max(1.0, abs(f)):
            # Rounding floor reached: the gradient cannot get smaller in float64.
            converged = True
            break
        alpha = 1.0
        for _ in range(60):
            W_new = W + alpha * step
            Z_new = Xa @ W_new
            f_new = loss_from_scores(Z_new, W_new, y, omega, lam, pen)[0]
            if f_new <= f - 1e-4 * alpha * decrement2 or decrement2 < 1e-12:
                break
            alpha *= 0.5
        W, Z, f = W_new, Z_new, f_new
        if lam == 0.0 and np.max(np.abs(W)) > 1e8:
            bounded = False
            break
    else:
        # Out of iterations: with no penalty this is the signature of separation.
        if lam == 0.0:
            bounded = False
    return W[:, 0].copy(), {
        "n_iter": n_iter,
        "grad_norm": grad_norm,
        "loss": float(f),
        "converged": converged,
        "bounded": bounded,
    }


def quadratic_extremes(V, w0, H0_factor, eps_gap):
    """Ellipsoid approximation of h(v) = max_{L(w) <= c} v^T w for each column.

    h(v) ~ v^T w0 + sqrt(2 eps_gap v^T H0^{-1} v), attained (in the quadratic
    model) at w0 + sqrt(2 eps_gap / q) H0^{-1} v.  Not a bound.

    Returns ``(h, W)`` with ``h`` (B,) and ``W`` (p, B).
    """
    Hinv_V = cho_solve(H0_factor, V)
    q = np.maximum(np.sum(V * Hinv_V, axis=0), 0.0)
    h = V.T @ w0 + np.sqrt(2.0 * eps_gap * q)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(q > 0, np.sqrt(2.0 * eps_gap / np.where(q > 0, q, 1.0)), 0.0)
    return h, w0[:, None] + scale * Hinv_V


def _tilted_newton(Xa, y, omega, lam, pen, V, t, W, *, max_iter, dec_tol, w_bound):
    """Minimise L(w) - t_b v_b^T w for every column b, by damped Newton.

    Each iteration evaluates the loss, gradient and Hessian at the current
    iterate in one pass; a column stops *before* stepping once its squared
    Newton decrement is <= ``dec_tol`` (so the decrement, the loss and
    ``H^{-1} v`` all refer to the returned model).

    Returns
    -------
    W, Z : the models (p, B) and their scores ``Xa @ W`` (n, B).
    loss : L at the models (B,).
    dec2 : squared Newton decrement of the tilted objective at the models.
    Hinv_V : H(w)^{-1} v_b (p, B).
    diverged : mask of columns whose tilted problem has no minimiser (t too
        large for L to balance; only possible with no penalty).
    """
    B = V.shape[1]
    Z = Xa @ W
    loss = np.zeros(B)
    dec2 = np.full(B, np.inf)
    Hinv_V = np.zeros_like(V)
    diverged = np.zeros(B, dtype=bool)
    todo = np.arange(B)
    for _ in range(max_iter):
        if todo.size == 0:
            break
        Wt, Zt, Vt, tt = W[:, todo], Z[:, todo], V[:, todo], t[todo]
        lt, grad, curv = _grad_and_curv(Xa, Zt, Wt, y, omega, lam, pen)
        loss[todo] = lt
        grad = grad - tt * Vt
        H = hessian(Xa, curv, lam, pen)
        step, Hinv_V[:, todo] = _batched_solve(H, grad, Vt)
        step = -step
        d2 = np.maximum(-np.sum(grad * step, axis=0), 0.0)
        dec2[todo] = d2
        done = d2 <= dec_tol[todo]
        move = ~done
        if not move.any():
            todo = todo[move]
            break
        step, Wt, Zt, Vt, tt, d2 = (
            step[:, move],
            Wt[:, move],
            Zt[:, move],
            Vt[:, move],
            tt[move],
            d2[move],
        )
        f = lt[move] - tt * np.sum(Vt * Wt, axis=0)
        Xstep = Xa @ step
        W_new, Z_new = Wt + step, Zt + Xstep
        # Backtracking only where the step is large; small Newton steps of the
        # (smooth, strongly curved near w0) logistic loss are taken in full.
        check = np.flatnonzero(d2 > 1e-6)
        alpha = np.ones(check.size)
        for _ in range(50):
            if check.size == 0:
                break
            f_new = loss_from_scores(
                Z_new[:, check], W_new[:, check], y, omega, lam, pen
            ) - tt[check] * np.sum(Vt[:, check] * W_new[:, check], axis=0)
            bad = ~(f_new <= f[check] - 1e-4 * alpha * d2[check])
            if not bad.any():
                break
            check, alpha = check[bad], alpha[bad] * 0.5
            W_new[:, check] = Wt[:, check] + alpha * step[:, check]
            Z_new[:, check] = Zt[:, check] + alpha * Xstep[:, check]
        moving = todo[move]
        W[:, moving], Z[:, moving] = W_new, Z_new
        blown = np.max(np.abs(W_new), axis=0) > w_bound
        diverged[moving[blown]] = True
        todo = moving[~blown]
    # Columns still in ``todo`` ran out of iterations: with a penalty this does
    # not happen in practice; without one it means divergence.
    if todo.size:
        if lam == 0.0:
            diverged[todo] = True
        lt, grad, _ = _grad_and_curv(Xa, Z[:, todo], W[:, todo], y, omega, lam, pen)
        loss[todo] = lt
    return W, Z, loss, dec2, Hinv_V, diverged


def _restore(Xa, y, omega, lam, pen, w0, z0, W, Z, c, loss_opt, phi, gain, atol):
    """Pull infeasible models back to the level set along the segment from w0.

    For each column find alpha in (0, 1) with L(w0 + alpha (w - w0)) = c; L is
    convex along the segment with L(0) = L* < c < L(1).  The start is the
    root of the quadratic model L* + alpha^2 (L(1) - L*); Newton converges
    from either side for a convex increasing function (after one step it
    approaches from the right, quadratically).  Once a step moves the score
    (``gain`` = v^T (w - w0) per unit alpha) by <= ``atol``, the last step is
    doubled, which lands just inside the set (the remaining distance to the
    root is far below the step).  Every returned model has L <= c exactly
    (checked, with a shrinking fallback).  Returns the models (p, B).
    """
    D = W - w0[:, None]
    Zd = Z - z0[:, None]
    alpha = np.sqrt(np.clip((c - loss_opt) / (phi - loss_opt), 0.0, 1.0))
    gain = np.abs(gain)

    def value_and_slope(a, cols):
        Dc = D[:, cols]
        val, slope = segment_loss_and_slope(
            z0, np.ascontiguousarray(Zd[:, cols]), a, y, omega
        )
        Wa = w0[:, None] + a * Dc
        val = val + _penalty(Wa, lam, pen) - c
        if lam != 0.0:
            slope = slope + lam * np.sum(pen[:, None] * Wa * Dc, axis=0)
        return val, slope

    todo = np.arange(alpha.size)
    for _ in range(60):
        val, slope = value_and_slope(alpha[todo], todo)
        good = slope > 0
        step = np.where(good, val / np.where(good, slope, 1.0), 0.0)
        small = np.abs(step) * gain[todo] <= atol
        step = np.where(small & (step > 0), 2.0 * step, step)
        alpha[todo] = np.clip(alpha[todo] - step, 0.0, 1.0)
        todo = todo[~small]
        if todo.size == 0:
            break
    # Make feasibility exact: shrink alpha by growing factors until L <= c
    # (alpha = 0 is w0 itself).
    shrink = 1e-12
    cols = np.arange(alpha.size)
    for _ in range(40):
        val, _ = value_and_slope(alpha[cols], cols)
        cols = cols[val > 0]
        if cols.size == 0:
            break
        alpha[cols] *= 1.0 - shrink
        shrink = min(8.0 * shrink, 0.5)
    return w0[:, None] + alpha * D


def tilted_extremes(
    Xa, y, omega, lam, pen, w0, loss_opt, c, H0_factor, V, *, tol, max_outer
):
    """h(v) = max {v^T w : L(w) <= c} for every column of V, with certificates.

    Tilted Newton (user guide, section "Exact solver"): for t > 0, w(t)
    minimises L(w) - t v^T w.  Every t gives an upper bound
    U(t) = v^T w(t) + (c - L(w(t))) / t (weak duality; the inner solve's
    remaining suboptimality is added), and every feasible model a lower bound.
    t is updated by a safeguarded Newton step on
    sqrt(2 (L(w(t)) - L*)) = sqrt(2 (c - L*)), which is nearly linear in t.

    Returns
    -------
    lower : ndarray of shape (B,)
        v^T w of the best feasible model found (the reported value).
    upper : ndarray of shape (B,)
        The smallest certified upper bound.
    models : ndarray of shape (p, B)
        The feasible models attaining ``lower`` (each has L <= c).
    n_outer : ndarray of shape (B,)
        Tilted solves used per direction.
    """
    p, B = V.shape
    eps_gap = c - loss_opt
    z0 = Xa @ w0
    Hinv_V0 = cho_solve(H0_factor, V)
    q = np.maximum(np.sum(V * Hinv_V0, axis=0), 0.0)
    base = V.T @ w0
    lower = base.copy()
    upper = np.full(B, np.inf)
    models = np.repeat(w0[:, None], B, axis=1)
    n_outer = np.zeros(B, dtype=np.int64)
    # A (numerically) zero direction: v^T w is constant on the level set.
    trivial = q <= 1e-300
    upper[trivial] = base[trivial]
    with np.errstate(divide="ignore"):
        t = np.sqrt(2.0 * eps_gap / np.where(trivial, 1.0, q))
    W = w0[:, None] + t * Hinv_V0
    t_lo = np.zeros(B)
    t_hi = np.full(B, np.inf)
    target = np.sqrt(2.0 * eps_gap)
    w_bound = 1e6 * (1.0 + np.max(np.abs(w0)))
    active = np.flatnonzero(~trivial)
    for _ in range(max_outer):
        if active.size == 0:
            break
        ta, Va = t[active], V[:, active]
        # The inner suboptimality enters U as dec2 / (2 t): keep it << tol.
        dec_tol = 1e-3 * tol * ta
        Wa, Za, phi, dec2, Hinv_Va, diverged = _tilted_newton(
            Xa,
            y,
            omega,
            lam,
            pen,
            Va,
            ta,
            W[:, active].copy(),
            max_iter=50,
            dec_tol=dec_tol,
            w_bound=w_bound,
        )
        n_outer[active] += 1
        score = np.sum(Va * Wa, axis=0)
        ok = ~diverged
        # Upper bound (valid for any t > 0 once the tilted problem is solved).
        bound = score + (c - phi) / ta + 0.5 * dec2 / ta
        upd = ok & (bound < upper[active])
        upper[active[upd]] = bound[upd]
        feasible = ok & (phi <= c)
        better = feasible & (score > lower[active])
        lower[active[better]] = score[better]
        models[:, active[better]] = Wa[:, better]
        t_lo[active[feasible]] = np.maximum(t_lo[active[feasible]], ta[feasible])
        infeasible = ok & ~feasible
        t_hi[active[infeasible | diverged]] = np.minimum(
            t_hi[active[infeasible | diverged]], ta[infeasible | diverged]
        )
        # Restoring a far-off iterate gives a lower bound the next, closer
        # iterate will beat anyway: only restore once the boundary is close
        # (the score lost by cutting back is about (phi - c) / t).
        restore = infeasible & ((phi - c) / ta <= 1e3 * tol)
        infeasible = restore
        if infeasible.any():
            R = _restore(
                Xa,
                y,
                omega,
                lam,
                pen,
                w0,
                z0,
                Wa[:, infeasible],
                Za[:, infeasible],
                c,
                loss_opt,
                phi[infeasible],
                score[infeasible] - base[active[infeasible]],
                0.01 * tol,
            )
            r_score = np.sum(Va[:, infeasible] * R, axis=0)
            idx = np.flatnonzero(infeasible)
            better = r_score > lower[active[idx]]
            lower[active[idx[better]]] = r_score[better]
            models[:, active[idx[better]]] = R[:, better]
        # Next t: Newton on r(t) = sqrt(2 (phi - L*)), r'(t) = t v^T H^-1 v / r.
        r = np.sqrt(2.0 * np.maximum(phi - loss_opt, 1e-300))
        s = np.maximum(np.sum(Va * Hinv_Va, axis=0), 1e-300)
        t_new = ta - (r - target) * r / (ta * s)
        lo, hi = t_lo[active], t_hi[active]
        outside = ~((t_new > lo) & (t_new < hi)) | diverged | ~np.isfinite(t_new)
        bisect = np.where(np.isfinite(hi), 0.5 * (lo + hi), 2.0 * np.maximum(lo, ta))
        t_new = np.where(outside, bisect, t_new)
        # Warm start along the path tangent dw/dt = H^{-1} v.
        W_next = np.where(
            diverged[None, :],
            w0[:, None] + t_new * Hinv_V0[:, active],
            Wa + (t_new - ta) * Hinv_Va,
        )
        W[:, active] = W_next
        t[active] = t_new
        gap = upper[active] - lower[active]
        # The gap is in score units, with rounding slack for very large scores.
        done = gap <= tol + 1e-15 * np.abs(lower[active])
        active = active[~done]
    return lower, upper, models, n_outer
