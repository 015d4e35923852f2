"""Solvers for the clustering SDPs shared by SDPKMeans and ILASDPClustering.

Both relaxations are instances of one problem over ``m`` symmetric n x n
blocks ``Z_1..Z_m``::

    minimise    sum_k <W_k, Z_k>
    subject to  Z_k PSD, Z_k >= 0 (entrywise), tr Z_k = t_k,
                sum_k Z_k 1 = 1.

* Peng--Wei (K-means) SDP: ``m = 1``, ``t_1 = K`` and ``W = D / 2`` with ``D``
  the squared Euclidean distances (``<D/2, Z>`` is the within-cluster sum of
  squares for a partition matrix ``Z``).
* LA-SDP (likelihood adjusted): ``m = K``, ``t_k = 1`` and
  ``W_k = D^(k) / 2 + c_k J`` with ``D^(k)`` the squared Mahalanobis distances
  under the k-th covariance and ``c_k = log det Sigma_k`` (minus ``2 log pi_k``).

Every cost is given in factored form, ``W_k = 1/2 (a_k 1' + 1 a_k') - Y_k Y_k'
+ c_k J`` with ``a_k`` the squared row norms of ``Y_k`` (n x p), so that the
Burer--Monteiro solver never forms an n x n matrix.  :class:`SDPCosts` holds
the factors; the dense blocks are built only for the ADMM and CVXPY solvers.

Adding the same ``c J`` or ``b 1' + 1 b'`` to every block shifts the objective
by a constant over the feasible set (because ``sum_k Z_k 1 = 1``), and a
positive scale does not move the minimiser: the solvers work on a shifted,
rescaled copy whose entries are of order one, which is what makes the default
step sizes and penalties work across data scales.
"""

import warnings
from dataclasses import dataclass

import numpy as np
import scipy.linalg
from threadpoolctl import threadpool_limits

from ..exceptions import ConvergenceWarning

__all__ = [
    "SDPCosts",
    "SDPSolution",
    "solve_sdp",
]


@dataclass
class SDPCosts:
    """Factored costs ``W_k = 1/2 (a_k 1' + 1 a_k') - Y_k Y_k' + c_k J``.

    Attributes
    ----------
    factors : ndarray of shape (m, n, p)
        ``Y_k``; rows should be centred (the distances are translation
        invariant and centring avoids cancellation).
    constants : ndarray of shape (m,)
        ``c_k``.
    traces : ndarray of shape (m,)
        ``t_k``.
    """

    factors: np.ndarray
    constants: np.ndarray
    traces: np.ndarray

    @property
    def n_blocks(self):
        return self.factors.shape[0]

    @property
    def n_samples(self):
        return self.factors.shape[1]

    def sq_norms(self):
        return np.einsum("knp,knp->kn", self.factors, self.factors)

    def normalised(self):
        """The costs rescaled to mean distance one and with shifted constants.

        Returns ``(costs, scale, offset)`` such that the original objective
        equals ``(objective of costs) * scale + offset``.
        """
        a = self.sq_norms()
        scale = float(np.mean(a))
        if not np.isfinite(scale) or scale <= 0:
            scale = 1.0
        # Subtracting the mean of c_k from every block is a free shift: it
        # changes every feasible objective by mean(c) * 1'(sum_k Z_k 1) = n mean(c).
        shift = float(np.mean(self.constants))
        n = self.n_samples
        scaled = SDPCosts(
            self.factors / np.sqrt(scale),
            (self.constants - shift) / scale,
            self.traces,
        )
        return scaled, scale, shift * n

    def dense(self):
        """The cost blocks as an array of shape (m, n, n)."""
        a = self.sq_norms()
        W = -np.einsum("knp,kmp->knm", self.factors, self.factors)
        W += 0.5 * (a[:, :, None] + a[:, None, :])
        W += self.constants[:, None, None]
        return W

    def objective_dense(self, Z):
        """``sum_k <W_k, Z_k>`` for dense blocks ``Z`` of shape (m, n, n)."""
        return float(np.sum(self.dense() * Z))

    def objective_factored(self, U):
        """``sum_k <W_k, U_k U_k'>`` for factors ``U`` of shape (m, n, r)."""
        total = 0.0
        a = self.sq_norms()
        for k in range(self.n_blocks):
            s = U[k].sum(axis=0)
            YtU = self.factors[k].T @ U[k]
            total += float(a[k] @ U[k] @ s) - float(np.sum(YtU**2))
            total += float(self.constants[k] * (s @ s))
        return total


@dataclass
class SDPSolution:
    """What a solver returned.

    ``blocks`` holds the dense ``Z_k`` (ADMM, CVXPY) and ``factors`` the
    Burer--Monteiro ``U_k`` (``Z_k = U_k U_k'``); the other is None.
    """

    objective: float
    n_iter: int
    converged: bool
    blocks: np.ndarray | None = None
    factors: np.ndarray | None = None

    def row_masses(self):
        """``(Z_k 1)_i`` as an array of shape (m, n)."""
        if self.blocks is not None:
            return self.blocks.sum(axis=2)
        return np.einsum("knr,kr->kn", self.factors, self.factors.sum(axis=1))

    def embedding(self, n_components):
        """Top ``n_components`` eigenvectors of ``sum_k Z_k`` (spectral rounding)."""
        if self.blocks is not None:
            total = self.blocks.sum(axis=0)
            total = 0.5 * (total + total.T)
            n = total.shape[0]
            n_components = min(n_components, n)
            _, vecs = scipy.linalg.eigh(
                total, subset_by_index=(n - n_components, n - 1)
            )
            return vecs[:, ::-1]
        stacked = np.concatenate(list(self.factors), axis=1)
        left, _, _ = np.linalg.svd(stacked, full_matrices=False)
        return left[:, : min(n_components, left.shape[1])]


# --------------------------------------------------------------------------
# ADMM
# --------------------------------------------------------------------------
def _project_affine(V, traces):
    """Project blocks ``V`` (m, n, n) onto {tr X_k = t_k, sum_k X_k 1 = 1}.

    Closed form from the Lagrange conditions: ``X_k = V_k - alpha_k I -
    (beta 1' + 1 beta') / 2`` (derivation in the module docstring of the
    spec, section 5b, generalised to ``m`` blocks with traces ``t_k``).
    """
    m, n, _ = V.shape
    r_blocks = np.trace(V, axis1=1, axis2=2) - traces
    r_rows = V.sum(axis=2).sum(axis=0) - 1.0
    s = (r_rows.sum() - r_blocks.sum()) / (m * (n - 1))
    alpha = (r_blocks - s) / n
    beta = (2.0 / (m * n)) * (r_rows - (alpha.sum() + m * s / 2.0))
    X = V - 0.5 * (beta[None, :, None] + beta[None, None, :])
    idx = np.arange(n)
    X[:, idx, idx] -= alpha[:, None]
    return X


def _project_psd(A):
    """Nearest PSD matrix: clip the negative eigenvalues."""
    vals, vecs = np.linalg.eigh(0.5 * (A + A.T))
    keep = vals > 0
    if not np.any(keep):
        return np.zeros_like(A)
    vecs = vecs[:, keep]
    return (vecs * vals[keep]) @ vecs.T


def solve_admm(
    costs, *, Z0=None, rho=None, max_iter=5000, tol=1e-6, verbose=0, what="the SDP"
):
    """ADMM with the split X (affine) = Y (PSD) = V (nonnegative).

    Parameters
    ----------
    costs : SDPCosts
        Normalised costs (see :meth:`SDPCosts.normalised`).
    Z0 : ndarray of shape (m, n, n), optional
        Warm start (e.g. the blocks of the current partition).
    rho : float, optional
        Penalty; default ``n`` (with unit-mean costs this balances the primal
        and dual residuals from the start; it is then adapted).
    max_iter : int
        Iteration limit.
    tol : float
        Relative primal and dual residual tolerance.

    Returns
    -------
    solution : SDPSolution
    """
    W = costs.dense()
    m, n, _ = W.shape
    traces = costs.traces
    rho = float(n) if rho is None else float(rho)
    if Z0 is None:
        Z0 = np.repeat(np.eye(n)[None], m, axis=0) * (traces / n)[:, None, None]
    # Small eigendecompositions are slower with several BLAS threads (and much
    # slower on a loaded machine): run the loop single-threaded.
    with threadpool_limits(limits=1, user_api="blas"):
        return _admm_loop(W, traces, Z0, rho, max_iter, tol, verbose, what)


def _admm_loop(W, traces, Z0, rho, max_iter, tol, verbose, what):
    m, n, _ = W.shape
    Y = Z0.copy()
    V = Z0.copy()
    U = np.zeros_like(Z0)
    U2 = np.zeros_like(Z0)
    converged = False
    X = Z0
    it = 0
    for it in range(1, max_iter + 1):
        X = _project_affine(0.5 * (Y - U + V - U2) - W / (2.0 * rho), traces)
        Y_old, V_old = Y, V
        Y = np.empty_like(X)
        for k in range(m):
            Y[k] = _project_psd(X[k] + U[k])
        V = np.maximum(X + U2, 0.0)
        U += X - Y
        U2 += X - V
        if it % 10 == 0 or it == max_iter:
            r_norm = np.sqrt(np.sum((X - Y) ** 2) + np.sum((X - V) ** 2))
            s_norm = rho * np.sqrt(np.sum((Y - Y_old) ** 2) + np.sum((V - V_old) ** 2))
            x_norm = max(np.sqrt(np.sum(X**2)), 1e-12)
            u_norm = max(rho * np.sqrt(np.sum(U**2) + np.sum(U2**2)), 1e-12)
            if verbose > 2:
                print(
                    f"  ADMM it {it}: primal {r_norm / x_norm:.2e} dual "
                    f"{s_norm / u_norm:.2e} rho {rho:.3g}"
                )
            if r_norm <= tol * x_norm and s_norm <= tol * u_norm:
                converged = True
                break
            # Residual balancing (Boyd et al. 2011, section 3.4.1), only early
            # on: adapting near the tolerance makes rho oscillate and stalls
            # convergence. The scaled duals are rescaled so that the unscaled
            # multipliers are unchanged.
            if it % 100 == 0 and it <= 1000:
                if r_norm / x_norm > 10 * s_norm / u_norm:
                    rho *= 2.0
                    U /= 2.0
                    U2 /= 2.0
                elif s_norm / u_norm > 10 * r_norm / x_norm:
                    rho /= 2.0
                    U *= 2.0
                    U2 *= 2.0
    Z = 0.5 * (X + np.transpose(X, (0, 2, 1)))
    if not converged:
        warnings.warn(
            f"ADMM did not converge for {what} in {max_iter} iterations (tol={tol}). "
            "Increase solver_params['max_iter'] or loosen solver_params['tol'], "
            "or use solver='bm' for large n.",
            ConvergenceWarning,
            stacklevel=3,
        )
    return SDPSolution(
        objective=float(np.sum(W * Z)), n_iter=it, converged=converged, blocks=Z
    )


# --------------------------------------------------------------------------
# CVXPY (reference)
# --------------------------------------------------------------------------
def solve_cvxpy_sdp(costs, *, solver=None, solver_options=None, what="the SDP"):
    """Solve the SDP exactly with CVXPY (for small n: K dense PSD variables)."""
    import cvxpy as cp

    from .._solvers import solve_cvxpy

    W = costs.dense()
    m, n, _ = W.shape
    blocks = [cp.Variable((n, n), PSD=True) for _ in range(m)]
    constraints = [sum(Z @ np.ones(n) for Z in blocks) == np.ones(n)]
    for k, Z in enumerate(blocks):
        constraints += [Z >= 0, cp.trace(Z) == float(costs.traces[k])]
    objective = cp.Minimize(
        sum(cp.sum(cp.multiply(W[k], Z)) for k, Z in enumerate(blocks))
    )
    problem = cp.Problem(objective, constraints)
    result = solve_cvxpy(
        problem,
        solver=solver,
        solver_options=solver_options,
        what=what,
        advice="The CVXPY route is a reference for n up to about 150; use "
        "solver='admm' or 'bm' beyond.",
    )
    Z = np.stack([0.5 * (B.value + B.value.T) for B in blocks])
    return SDPSolution(
        objective=float(np.sum(W * Z)), n_iter=0, converged=True, blocks=Z
    ), result.status


# --------------------------------------------------------------------------
# Burer--Monteiro
# --------------------------------------------------------------------------
def solve_bm(
    costs,
    *,
    U0,
    beta=1.0,
    max_iter=20000,
    inner_iter=100,
    tol=1e-6,
    what="the SDP",
):
    """Nonnegative Burer--Monteiro: ``Z_k = U_k U_k'``, ``U_k >= 0``.

    The trace constraints hold by projection (``||U_k||_F^2 = t_k``), the
    row-sum constraint through an augmented Lagrangian; the inner problem is
    solved by projected gradient with a backtracking step (see
    :func:`sklike.cluster._sdp_kernels.bm_solve`).  Costs stay factored:
    O(m n p r) work and O(m n (p + r)) memory per iteration.
    """
    from ._sdp_kernels import bm_solve

    U, n_iter, converged = bm_solve(
        np.ascontiguousarray(costs.factors, dtype=np.float64),
        np.ascontiguousarray(costs.constants, dtype=np.float64),
        np.ascontiguousarray(costs.traces, dtype=np.float64),
        np.ascontiguousarray(U0, dtype=np.float64),
        float(beta),
        int(max_iter),
        int(inner_iter),
        float(tol),
    )
    if not converged:
        warnings.warn(
            f"The Burer-Monteiro solver did not converge for {what} in {max_iter} "
            f"iterations (tol={tol}). Increase solver_params['max_iter'] or "
            "loosen solver_params['tol'].",
            ConvergenceWarning,
            stacklevel=3,
        )
    return SDPSolution(
        objective=costs.objective_factored(U),
        n_iter=int(n_iter),
        converged=bool(converged),
        factors=U,
    )


_DEFAULT_PARAMS = {
    "admm": {"rho": None, "max_iter": 5000, "tol": 1e-5},
    "bm": {
        "beta": 1.0,
        "max_iter": 20000,
        "inner_iter": 100,
        "tol": 1e-6,
        "rank": None,
    },
    "cvxpy": {"solver": None, "solver_options": None},
}


def solver_params_for(solver, solver_params, defaults=None):
    """Defaults of ``solver``, updated by ``defaults`` then by ``solver_params``.

    Unknown keys raise a ValueError naming them (a typo must not be ignored).
    """
    params = dict(_DEFAULT_PARAMS[solver])
    params.update((defaults or {}).get(solver, {}))
    user = dict(solver_params or {})
    unknown = sorted(set(user) - set(params))
    if unknown:
        raise ValueError(
            f"solver_params has unknown key(s) {unknown} for solver={solver!r}; "
            f"accepted: {sorted(params)}."
        )
    params.update(user)
    return params


def solve_sdp(costs, solver, params, *, Z0=None, U0=None, verbose=0, what="the SDP"):
    """Normalise ``costs``, run ``solver`` and report the objective in original units.

    Returns ``(solution, status)`` where ``status`` is the CVXPY status or
    ``"converged"``/``"max_iter"``.
    """
    scaled, scale, offset = costs.normalised()
    if solver == "cvxpy":
        sol, status = solve_cvxpy_sdp(
            scaled,
            solver=params["solver"],
            solver_options=params["solver_options"],
            what=what,
        )
    elif solver == "admm":
        sol = solve_admm(
            scaled,
            Z0=Z0,
            rho=params["rho"],
            max_iter=params["max_iter"],
            tol=params["tol"],
            verbose=verbose,
            what=what,
        )
        status = "converged" if sol.converged else "max_iter"
    else:
        sol = solve_bm(
            scaled,
            U0=U0,
            beta=params["beta"],
            max_iter=params["max_iter"],
            inner_iter=params["inner_iter"],
            tol=params["tol"],
            what=what,
        )
        status = "converged" if sol.converged else "max_iter"
    sol.objective = sol.objective * scale + offset
    return sol, status
