"""Kernel families on graph nodes: formulas, parameter scaling, stable routes.

Everything here works on a validated dense adjacency matrix and plain floats.
:class:`_GraphSpectra` caches what several parameter values share (the
eigendecompositions of A, L and the normalized adjacency, the pseudo-inverse of
L, shortest paths), so a sweep over a parameter grid decomposes the graph once
and then costs one n^3 product per value (see ``benchmarks/bench_graph_kernels.py``).

References: Ivashkin & Chebotarev (2016), arXiv:1605.01046; the parameter
scaling follows their ``pygkernels`` package; RSP and FE follow GPDistance.
"""

import warnings
from functools import cached_property

import numpy as np
from scipy import linalg
from scipy.sparse.csgraph import shortest_path
from scipy.special import erf

__all__ = ["FAMILIES", "KINDS", "GraphKernelError", "compute_kernel"]

#: base family -> (parameter scaling, native output)
#: scalings: "rho" t = a / rho; "fraction" t = a / (2 (1 - a));
#: "reversed" beta = (1 - a) / a; "identity" raw = a.
FAMILIES = {
    "pWalk": ("rho", "kernel"),
    "For": ("fraction", "kernel"),
    "Comm": ("fraction", "kernel"),
    "Heat": ("fraction", "kernel"),
    "SCT": ("fraction", "kernel"),
    "SCCT": ("fraction", "kernel"),
    "RSP": ("reversed", "distance"),
    "FE": ("reversed", "distance"),
    "SP-CT": ("identity", "kernel"),
    "NHeat": ("fraction", "kernel"),
    "PPR": ("identity", "kernel"),
    "ModifPPR": ("identity", "kernel"),
    "HeatPR": ("fraction", "kernel"),
    "DF": ("fraction", "kernel"),
    "Abs": ("fraction", "kernel"),
}
#: Families whose kernel is entrywise positive on a connected graph (or may be:
#: DF, Abs and PPR are checked at run time) and therefore have a log version.
_LOGGABLE = (
    "pWalk",
    "For",
    "Comm",
    "Heat",
    "SCT",
    "SCCT",
    "NHeat",
    "PPR",
    "ModifPPR",
    "HeatPR",
    "DF",
    "Abs",
)
#: "Walk" is the paper's name for the log of pWalk.
_LOG_NAMES = {"Walk": "pWalk"} | {f"log{b}": b for b in _LOGGABLE if b != "pWalk"}
#: Every accepted ``kind``.
KINDS = tuple(FAMILIES) + tuple(_LOG_NAMES)


class GraphKernelError(ValueError):
    """A kernel that cannot be computed at this parameter (e.g. log of <= 0)."""


def parse_kind(kind):
    """Return ``(base family, takes_log)`` for a ``kind`` string."""
    if kind in _LOG_NAMES:
        return _LOG_NAMES[kind], True
    return kind, False


def to_raw(kind, alpha, spectral_radius):
    """Map a normalized parameter in (0, 1) to the family's raw parameter."""
    scaling = FAMILIES[parse_kind(kind)[0]][0]
    if scaling == "rho":
        return alpha / spectral_radius
    if scaling == "fraction":
        return 0.5 * alpha / (1.0 - alpha)
    if scaling == "reversed":
        return (1.0 - alpha) / alpha
    return float(alpha)


def normalized_range(kind):
    """(low, high, closed) of the normalized parameter."""
    if parse_kind(kind)[0] == "SP-CT":
        return 0.0, 1.0, "both"
    return 0.0, 1.0, "neither"


def resolve_param(kind, value, param_space, spectral_radius, name="param"):
    """The raw parameter for ``value`` given in ``param_space``, validated."""
    if param_space == "raw":
        t = float(value)
    else:
        low, high, closed = normalized_range(kind)
        inside = low <= value <= high if closed == "both" else low < value < high
        if not inside:
            bounds = "[0, 1]" if closed == "both" else "(0, 1)"
            raise ValueError(
                f"{name} must be in {bounds} with param_space='normalized'; got "
                f"{value}. Use param_space='raw' for the raw parameter."
            )
        t = to_raw(kind, value, spectral_radius)
    check_raw(kind, t, spectral_radius)
    return t


def check_raw(kind, t, spectral_radius):
    """Raise a ValueError naming ``param`` when ``t`` is outside the valid range."""
    base = parse_kind(kind)[0]
    if base == "pWalk":
        if not 0 < t < 1.0 / spectral_radius:
            raise ValueError(
                f"param for {kind} (raw t) must satisfy 0 < t < 1/rho = "
                f"{1.0 / spectral_radius:.6g} (rho = spectral radius of A); got {t}."
            )
    elif base == "SP-CT":
        if not 0 <= t <= 1:
            raise ValueError(
                f"param for SP-CT (raw lambda) must be in [0, 1]; got {t}."
            )
    elif base in ("PPR", "ModifPPR"):
        if not 0 < t < 1:
            raise ValueError(
                f"param for {kind} (raw alpha) must be in (0, 1); got {t}."
            )
    elif not t > 0:
        raise ValueError(f"param for {kind} (raw) must be > 0; got {t}.")


def _outer_spectral(V, f):
    """V diag(f) V^T; with f > 0 it is (V sqrt f)(V sqrt f)^T, a SYRK (half a GEMM)."""
    if np.all(f > 0):
        B = V * np.sqrt(f)
        K = B @ B.T
    else:
        K = (V * f) @ V.T
    return K


def _double_centre(M):
    """Hc M Hc with Hc = I - J/n, in O(n^2)."""
    row = M.mean(axis=1, keepdims=True)
    col = M.mean(axis=0, keepdims=True)
    return M - row - col + M.mean()


def _df_series(x):
    """sum_k x^k / k!! = exp(x^2/2) (1 + sqrt(pi/2) erf(x/sqrt 2)), exactly."""
    return np.exp(0.5 * x * x) * (1.0 + np.sqrt(np.pi / 2) * erf(x / np.sqrt(2.0)))


#: Below this fraction of the largest entry, eigen-route entries carry too much
#: rounding error (about n * 1e-16 * largest) for a log: use the stable route.
_UNDERFLOW_RATIO = 1e-8


def expm_nonneg(X, max_terms=10_000):
    """exp(X) of an entrywise non-negative X, accurate entry by entry.

    Returns ``(P, log_scale)`` with exp(X) = P * e^log_scale. Every step adds
    or multiplies non-negative numbers, so even entries 1e-100 times the
    largest keep full relative precision (the Pade route of
    ``scipy.linalg.expm`` does not: it can be off by orders of magnitude there).
    Scaling and squaring: Taylor series of X / 2^s, summed until every entry
    has converged (at least the graph's diameter in terms), then s squarings,
    renormalised each time so nothing overflows.
    """
    norm = np.abs(X).sum(axis=0).max()
    squarings = max(0, int(np.ceil(np.log2(norm / 0.5)))) if norm > 0 else 0
    Y = X / 2.0**squarings
    total = np.eye(X.shape[0])
    term = np.eye(X.shape[0])
    for k in range(1, max_terms):
        term = term @ Y / k
        total += term
        if np.all(total > 0) and np.all(term <= 1e-17 * total):
            break
    log_scale = 0.0
    for _ in range(squarings):
        total = total @ total
        top = total.max()
        total /= top
        log_scale = 2.0 * log_scale + np.log(top)
    return total, log_scale


class _GraphSpectra:
    """Per-graph cache of decompositions shared by all parameter values.

    Eigendecompositions use LAPACK's divide-and-conquer driver (``evd``),
    several times faster than the default ``evr`` for full spectra.
    """

    def __init__(self, A):
        self.A = A
        self.n = A.shape[0]
        self.degrees = A.sum(axis=1)

    @cached_property
    def eig_A(self):
        return linalg.eigh(self.A, driver="evd")

    @cached_property
    def L(self):
        return np.diag(self.degrees) - self.A

    @cached_property
    def eig_L(self):
        return linalg.eigh(self.L, driver="evd")

    @cached_property
    def inv_sqrt_deg(self):
        with np.errstate(divide="ignore"):
            d = 1.0 / np.sqrt(self.degrees)
        d[~np.isfinite(d)] = 0.0
        return d

    @cached_property
    def S(self):
        """Normalized adjacency D^-1/2 A D^-1/2."""
        d = self.inv_sqrt_deg
        return d[:, None] * self.A * d[None, :]

    @cached_property
    def eig_S(self):
        return linalg.eigh(self.S, driver="evd")

    @cached_property
    def spectral_radius(self):
        # A is symmetric and non-negative: rho is its largest eigenvalue.
        if "eig_A" in self.__dict__ or self.n <= 300:
            return float(self.eig_A[0][-1])
        from scipy.sparse.linalg import ArpackNoConvergence, eigsh

        try:
            return float(eigsh(self.A, k=1, which="LA", return_eigenvectors=False)[0])
        except ArpackNoConvergence:
            return float(self.eig_A[0][-1])

    @cached_property
    def pinv_L(self):
        mu, V = self.eig_L
        tol = mu[-1] * self.n * np.finfo(float).eps
        inv = np.where(mu > tol, 1.0 / np.where(mu > tol, mu, 1.0), 0.0)
        return (V * inv) @ V.T

    @cached_property
    def K_CCT(self):
        d = self.degrees
        vol = d.sum()
        s = self.inv_sqrt_deg
        M = s[:, None] * (self.A - np.outer(d, d) / vol) * s[None, :]
        core = M @ linalg.pinv(np.eye(self.n) - M, atol=1e-12) @ M
        return _double_centre(s[:, None] * core * s[None, :])

    @cached_property
    def costs(self):
        """Edge costs 1/A_ij, the RSP/FE and shortest-path convention."""
        with np.errstate(divide="ignore"):
            return np.where(self.A > 0, 1.0 / np.where(self.A > 0, self.A, 1.0), 0.0)

    @cached_property
    def sp_ct_parts(self):
        dist = shortest_path(self.costs, directed=False)
        K_sp = -0.5 * _double_centre(dist)
        K_ct = 2.0 * linalg.inv(self.L + 1.0 / self.n)
        return K_sp, K_ct

    # -- stable (non-spectral) routes, used when the eigen route underflows --
    def stable(self, base, t):
        A, eye = self.A, np.eye(self.n)
        if base == "pWalk":
            return linalg.inv(eye - t * A), 0.0
        if base == "For":
            return linalg.inv(eye + t * self.L), 0.0
        # exp(-tL) = e^{-t delta} exp(t (A + delta I - D)), delta = max degree,
        # and exp(-t(I - S)) = e^{-t} exp(tS): exponentials of non-negative
        # matrices, the scale returned apart so the log never overflows.
        if base == "Comm":
            return expm_nonneg(t * A)
        if base == "Heat":
            delta = self.degrees.max()
            P, log_scale = expm_nonneg(t * (A + np.diag(delta - self.degrees)))
            return P, log_scale - t * delta
        if base == "NHeat":
            P, log_scale = expm_nonneg(t * self.S)
            return P, log_scale - t
        if base == "HeatPR":
            d, s = np.sqrt(self.degrees), self.inv_sqrt_deg
            P, log_scale = expm_nonneg(t * self.S)
            return s[:, None] * P * d[None, :], log_scale - t
        if base == "PPR":
            P = self.A / self.degrees[:, None]
            return linalg.inv(eye - t * P), 0.0
        if base == "ModifPPR":
            return linalg.inv(np.diag(self.degrees) - t * A), 0.0
        return None

    # -- the families --------------------------------------------------------
    def base_kernel(self, base, t):
        """Return ``(K, log_shift)``: the kernel is ``K * exp(log_shift)``.

        ``log_shift`` is non-zero only for Comm, whose exp(tA) is returned
        divided by e^{t lambda_1} so it never overflows (Ward and kernel
        k-means are invariant to that factor, and its log is a constant).
        """
        if base == "pWalk":
            lam, V = self.eig_A
            return _outer_spectral(V, 1.0 / (1.0 - t * lam)), 0.0
        if base == "For":
            mu, V = self.eig_L
            return _outer_spectral(V, 1.0 / (1.0 + t * mu)), 0.0
        if base == "Comm":
            lam, V = self.eig_A
            return _outer_spectral(V, np.exp(t * (lam - lam[-1]))), t * lam[-1]
        if base == "Heat":
            mu, V = self.eig_L
            return _outer_spectral(V, np.exp(-t * mu)), 0.0
        if base == "NHeat":
            lam, V = self.eig_S
            return _outer_spectral(V, np.exp(-t * (1.0 - lam))), 0.0
        if base == "HeatPR":
            lam, V = self.eig_S
            K = _outer_spectral(V, np.exp(-t * (1.0 - lam)))
            d, s = np.sqrt(self.degrees), self.inv_sqrt_deg
            return s[:, None] * K * d[None, :], 0.0
        if base == "PPR":
            # (I - tP)^-1 = D^-1/2 (I - tS)^-1 D^1/2
            lam, V = self.eig_S
            K = _outer_spectral(V, 1.0 / (1.0 - t * lam))
            d, s = np.sqrt(self.degrees), self.inv_sqrt_deg
            return s[:, None] * K * d[None, :], 0.0
        if base == "ModifPPR":
            # (D - tA)^-1 = D^-1/2 (I - tS)^-1 D^-1/2
            lam, V = self.eig_S
            K = _outer_spectral(V, 1.0 / (1.0 - t * lam))
            s = self.inv_sqrt_deg
            return s[:, None] * K * s[None, :], 0.0
        if base == "DF":
            lam, V = self.eig_A
            return _outer_spectral(V, _df_series(t * lam)), 0.0
        if base == "Abs":
            return linalg.pinvh(t * self.A + self.L), 0.0
        if base == "SCT":
            return self._sigmoid(self.pinv_L, t), 0.0
        if base == "SCCT":
            return self._sigmoid(self.K_CCT, t), 0.0
        if base == "SP-CT":
            K_sp, K_ct = self.sp_ct_parts
            return t * K_sp + (1.0 - t) * K_ct, 0.0
        raise ValueError(f"unknown family {base!r}")  # pragma: no cover

    @staticmethod
    def _sigmoid_argument(M, t):
        return t * M / M.std()

    def _sigmoid(self, M, t):
        return 1.0 / (1.0 + np.exp(-self._sigmoid_argument(M, t)))

    def log_kernel(self, base, t):
        """ln of the kernel, entrywise, never of a value <= 0."""
        if base in ("SCT", "SCCT"):
            # ln sigmoid(x) = -ln(1 + e^-x): exact, no underflow.
            M = self.pinv_L if base == "SCT" else self.K_CCT
            return -np.logaddexp(0.0, -self._sigmoid_argument(M, t))
        K, shift = self.base_kernel(base, t)
        if not K.min() > _UNDERFLOW_RATIO * np.abs(K).max():
            stable = self.stable(base, t)
            if stable is not None:
                K, shift = stable
        if not np.all(K > 0):
            raise GraphKernelError(
                f"the {base} kernel at raw parameter {t:.6g} has "
                f"{int(np.sum(~(K > 0)))} entries <= 0 (underflow between distant "
                "nodes, or a kernel that is not positive), so its log is undefined; "
                "use a larger param or the plain kernel."
            )
        return np.log(K) + shift

    def rsp_fe_distance(self, base, beta):
        """Randomized-shortest-path or free-energy distance (GPDistance's route)."""
        P = self.A / self.degrees[:, None]
        W = np.where(self.A > 0, P * np.exp(-beta * self.costs), 0.0)
        Z = linalg.inv(np.eye(self.n) - W)
        if not np.all(Z > 0):
            raise GraphKernelError(
                f"{base} at beta = {beta:.6g}: the fundamental matrix Z underflowed "
                "(entries <= 0); use a larger param (a smaller beta)."
            )
        if base == "RSP":
            S = (Z @ (self.costs * W) @ Z) / Z
            C = S - np.diag(S)[None, :]
            D = 0.5 * (C + C.T)
        else:
            Phi = -np.log(Z / np.diag(Z)[None, :]) / beta
            D = 0.5 * (Phi + Phi.T)
        np.fill_diagonal(D, 0.0)
        return D


def kernel_to_distance(H, sqrt):
    """Delta_ij = (H_ii + H_jj)/2 - (H_ij + H_ji)/2, then sqrt (Comm, logComm)."""
    h = np.diag(H)
    Hs = H if np.array_equal(H, H.T) else 0.5 * (H + H.T)
    D = 0.5 * (h[:, None] + h[None, :]) - Hs
    np.fill_diagonal(D, 0.0)
    if sqrt:
        D = np.sqrt(np.maximum(D, 0.0))
    return D


def distance_to_kernel(D):
    """K = -1/2 Hc D Hc."""
    return -0.5 * _double_centre(D)


def compute_kernel(spectra, kind, t, output="kernel"):
    """Kernel (``output="kernel"``) or distance of family ``kind`` at raw ``t``.

    Returns ``(kernel, distance)``; ``distance`` is None for kernel output.
    """
    base, take_log = parse_kind(kind)
    native = FAMILIES[base][1]
    if native == "distance":
        D = spectra.rsp_fe_distance(base, t)
        return distance_to_kernel(D), (D if output == "distance" else None)
    if take_log:
        H = spectra.log_kernel(base, t)
    else:
        H, shift = spectra.base_kernel(base, t)
        if shift:
            if shift < 700:
                H = H * np.exp(shift)
            else:
                warnings.warn(
                    f"exp(tA) overflows float64 at t = {t:.6g} (t * lambda_1 = "
                    f"{shift:.4g}); the kernel is returned divided by e^(t lambda_1), "
                    "which leaves Ward and kernel k-means clusterings unchanged.",
                    RuntimeWarning,
                    stacklevel=3,
                )
    if output == "distance":
        return H, kernel_to_distance(H, sqrt=base == "Comm")
    return H, None
