"""Sketched least squares (sketch-and-solve, sketch-and-precondition, IHS)."""

import math
import warnings
from numbers import Integral, Real

import numpy as np
import scipy.linalg
import scipy.sparse
from scipy.sparse.linalg import LinearOperator, lsqr
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.metaestimators import available_if

from ..utils._numba import seed_from_random_state
from ..utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from ..utils.validation import check_min_samples, check_sample_weight
from .sketching import (
    SKETCH_KINDS,
    STREAMING_KINDS,
    _apply_sketch,
    _Sketcher,
)

__all__ = ["SketchedLinearRegression"]

_MATVEC_CHUNK_ROWS = 1 << 16


def _is_dask_collection(obj):
    return type(obj).__module__.split(".")[0] == "dask"


class _ArraySource:
    """Rows of ``[X | 1 | y]`` from an in-memory array or a numpy memmap.

    The augmented matrix is never formed: each chunk is assembled in float64
    when it is needed, so float32 input and memmaps are read chunk by chunk.
    With sample weights every row is multiplied by ``sqrt(w_i)``: weighted
    least squares is ordinary least squares on the scaled rows.
    """

    def __init__(self, X, y, fit_intercept, sqrt_w=None):
        self.X = X
        self.y = y
        self.fit_intercept = fit_intercept
        self.sqrt_w = sqrt_w
        self.n, self.d = X.shape
        self.p = self.d + int(fit_intercept)

    def rows(self, a, b):
        if scipy.sparse.issparse(self.X):
            return self._sparse_rows(a, b)
        out = np.empty((b - a, self.p + 1))
        out[:, : self.d] = self.X[a:b]
        if self.fit_intercept:
            out[:, self.d] = 1.0
        out[:, self.p] = self.y[a:b]
        if self.sqrt_w is not None:
            out *= self.sqrt_w[a:b, None]
        return out

    def _sparse_rows(self, a, b):
        """Rows ``a:b`` of ``[X | 1 | y]`` as CSR (CountSketch/SJLT stay sparse)."""
        dense = [np.ones(b - a)] if self.fit_intercept else []
        dense.append(np.asarray(self.y[a:b], dtype=np.float64))
        out = scipy.sparse.hstack(
            [self.X[a:b], np.column_stack(dense)], format="csr", dtype=np.float64
        )
        if self.sqrt_w is not None:
            out = scipy.sparse.diags(self.sqrt_w[a:b]) @ out
        return out

    def sketch(self, op, chunk_size, n_jobs, offset=0):
        def get_rows(a, b):
            return self.rows(a - offset, b - offset)

        if offset == 0:
            return _apply_sketch(
                op,
                get_rows,
                self.n,
                self.p + 1,
                chunk_size=chunk_size,
                n_jobs=n_jobs,
            )
        # partial_fit: global row indices continue after the rows already seen.
        chunk_rows = chunk_size or op.default_chunk_rows(self.p + 1)
        out = np.zeros((op.sketch_size, self.p + 1))
        for a in range(offset, offset + self.n, chunk_rows):
            b = min(a + chunk_rows, offset + self.n)
            out += op.chunk(get_rows(a, b), a)
        return out

    def _X_rows(self, a, b):
        block = self.X[a:b]
        return block if block.dtype == np.float64 else block.astype(np.float64)

    def matvec(self, v):
        """``[X | 1] @ v``."""
        w = v[: self.d]
        if self.X.dtype == np.float64 and not isinstance(self.X, np.memmap):
            out = self.X @ w
        else:
            out = np.empty(self.n)
            for a in range(0, self.n, _MATVEC_CHUNK_ROWS):
                b = min(a + _MATVEC_CHUNK_ROWS, self.n)
                out[a:b] = self._X_rows(a, b) @ w
        if self.fit_intercept:
            out += v[self.d]
        if self.sqrt_w is not None:
            out *= self.sqrt_w
        return out

    def rmatvec(self, u):
        """``[X | 1]^T @ u`` (rows scaled by ``sqrt(w)``)."""
        if self.sqrt_w is not None:
            u = u * self.sqrt_w
        out = np.empty(self.p)
        if self.X.dtype == np.float64 and not isinstance(self.X, np.memmap):
            out[: self.d] = self.X.T @ u
        else:
            acc = np.zeros(self.d)
            for a in range(0, self.n, _MATVEC_CHUNK_ROWS):
                b = min(a + _MATVEC_CHUNK_ROWS, self.n)
                acc += self._X_rows(a, b).T @ u[a:b]
            out[: self.d] = acc
        if self.fit_intercept:
            out[self.d] = u.sum()
        return out

    def target(self):
        y = np.asarray(self.y, dtype=np.float64)
        return y if self.sqrt_w is None else y * self.sqrt_w


def _check_finite_block(X, y):
    if not (np.isfinite(X).all() and np.isfinite(y).all()):
        raise ValueError(
            "Input X or y contains NaN or infinity (found in a dask chunk)."
        )


def _sketch_dask_block(X, y, w, offset, op, fit_intercept):
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    _check_finite_block(X, y)
    sqrt_w = None if w is None else np.sqrt(_check_weight_block(w))
    rows = _ArraySource(X, y, fit_intercept, sqrt_w).rows(0, X.shape[0])
    return op.chunk(rows, offset)


def _check_weight_block(w):
    w = np.asarray(w, dtype=np.float64).reshape(-1)
    if not np.isfinite(w).all():
        raise ValueError("sample_weight contains NaN or infinity (in a dask chunk).")
    if (w < 0).any():
        raise ValueError("sample_weight must be non-negative (found in a dask chunk).")
    return w


class _DaskSource:
    """Rows of ``[X | 1 | y]`` from a dask array chunked along rows only.

    Every block is sketched where it lives and the ``m x (p + 1)`` partial
    sketches are summed in a tree, so ``X`` is never gathered.
    """

    def __init__(self, X, y, fit_intercept, sample_weight=None):
        self.X = X
        self.fit_intercept = fit_intercept
        self.n, self.d = X.shape
        self.p = self.d + int(fit_intercept)
        row_chunks = X.chunks[0]
        self.y = self._rows_like_X(y, row_chunks)
        self.w = (
            None
            if sample_weight is None
            else self._rows_like_X(sample_weight, row_chunks)
        )
        self._sqrt_w = None  # the weights' square roots, once a solver needs them
        self.offsets = np.concatenate([[0], np.cumsum(row_chunks)]).astype(np.int64)

    @staticmethod
    def _rows_like_X(v, row_chunks):
        """A per-row vector as a dask array chunked like ``X``'s rows."""
        import dask.array as da

        if _is_dask_collection(v):
            return v.reshape(-1).rechunk((row_chunks,))
        return da.from_array(np.asarray(v).reshape(-1), chunks=(row_chunks,))

    @property
    def sqrt_w(self):
        if self.w is not None and self._sqrt_w is None:
            self._sqrt_w = np.sqrt(_check_weight_block(self.w.compute()))
        return self._sqrt_w

    def sketch(self, op, chunk_size, n_jobs, offset=0):
        import dask

        x_blocks = self.X.to_delayed(optimize_graph=False).ravel()
        y_blocks = self.y.to_delayed(optimize_graph=False).ravel()
        w_blocks = (
            [None] * len(x_blocks)
            if self.w is None
            else self.w.to_delayed(optimize_graph=False).ravel()
        )
        parts = [
            dask.delayed(_sketch_dask_block)(
                xb, yb, wb, int(off) + offset, op, self.fit_intercept
            )
            for xb, yb, wb, off in zip(
                x_blocks, y_blocks, w_blocks, self.offsets[:-1], strict=True
            )
        ]
        while len(parts) > 1:  # tree sum: no single task holds every partial
            parts = [
                dask.delayed(np.add)(parts[i], parts[i + 1])
                if i + 1 < len(parts)
                else parts[i]
                for i in range(0, len(parts), 2)
            ]
        return parts[0].compute()

    def matvec(self, v):
        out = np.asarray((self.X @ v[: self.d]).compute(), dtype=np.float64)
        if self.fit_intercept:
            out += v[self.d]
        return out if self.sqrt_w is None else out * self.sqrt_w

    def rmatvec(self, u):
        import dask.array as da

        if self.sqrt_w is not None:
            u = u * self.sqrt_w
        u_da = da.from_array(u, chunks=(self.X.chunks[0],))
        out = np.empty(self.p)
        out[: self.d] = (self.X.T @ u_da).compute()
        if self.fit_intercept:
            out[self.d] = u.sum()
        return out

    def target(self):
        y = np.asarray(self.y.compute(), dtype=np.float64)
        return y if self.sqrt_w is None else y * self.sqrt_w


def _solve_sketched(SA, Sb):
    """Minimum-norm least squares on the sketch, by SVD (never normal equations).

    Returns the solution, the preconditioner ``V_r / s_r`` (``SA``'s right
    singular vectors scaled by the inverse singular values, kept rank ``r``),
    the coordinates ``z`` of the solution in that basis, the singular values
    and the rank.
    """
    U, s, Vt = scipy.linalg.svd(SA, full_matrices=False, lapack_driver="gesdd")
    if s.size == 0 or s[0] == 0.0:
        rank = 0
    else:
        rank = int(np.sum(s > s[0] * max(SA.shape) * np.finfo(np.float64).eps))
    precond = Vt[:rank].T / s[:rank]
    z = U[:, :rank].T @ Sb
    return precond @ z, precond, z, s, rank


class SketchedLinearRegression(RegressorMixin, BaseEstimator):
    """Ordinary least squares on a random sketch of the rows (tall data).

    Compresses the ``n`` rows of ``[X | 1 | y]`` to ``m = sketch_size`` rows
    with a random sketch ``S`` and solves the small problem
    ``min ||S (A w - y)||`` (*sketch-and-solve*).  With a dense sketch (the
    default SRHT) each coefficient's error behaves like that of a random
    direction, ``||w' - w*||_inf ~ sqrt(2 ln 2d / d) ||w' - w*||_2``, which is
    the coordinate-wise (l-infinity) guarantee of Song et al. (2023); sparse
    sketches (CountSketch) lose it on coherent data.  For the exact least
    squares answer use ``solver="sketch_and_precondition"`` (Blendenpik /
    LSRN: the sketch's SVD preconditions LSQR on the full data) or
    ``solver="ihs"`` (iterative sketching with heavy-ball momentum).

    ``fit`` also accepts a numpy memmap (read in chunks) and a
    ``dask.array`` chunked along rows only: every block is sketched where it
    lives and the small sketches are summed, so ``X`` is never loaded whole.
    For ``"srht"``, ``"gaussian"``, ``"countsketch"`` and ``"sjlt"`` the
    result does not depend on the chunking.  ``partial_fit`` streams chunks
    into the sketch for ``"gaussian"``, ``"countsketch"`` and ``"sjlt"``.

    Sparse ``X`` gives the same sketch as its dense copy; CountSketch and
    SJLT then cost ``O(nnz(X))``.

    ``sample_weight`` gives weighted least squares: every row of
    ``[X | 1 | y]`` is scaled by ``sqrt(w_i)`` as it is sketched.  For the
    iterative solvers an integer weight is exactly a repeated row; for
    sketch-and-solve only in distribution (a repeated row would get sketch
    coordinates of its own).

    Parameters
    ----------
    sketch : {"srht", "gaussian", "countsketch", "sjlt", "bgp", "srdct"}, \
            default="srht"
        The random sketch; see :mod:`sklike.linear_model.sketching`.
        ``"bgp"`` and ``"srdct"`` need all rows at once (no dask, no
        ``partial_fit``).
    sketch_size : int, default=None
        Rows ``m`` of the sketch; must exceed the number of coefficients
        ``p`` (``n_features + fit_intercept``) and not exceed ``n_samples``.
        None: ``ceil(sketch_factor * p)``, capped at ``n_samples``.  The
        sketch-and-solve error is about ``sqrt(p / (m - p))`` in units of
        ``||residual|| ||X^+||``; ``m ~ p (1 + 2 ln(2p) / eps^2)`` reaches a
        coordinate-wise error ``eps``.
    sketch_factor : float, default=4.0
        ``sketch_size / p`` when ``sketch_size`` is None.
    solver : {"sketch_and_solve", "sketch_and_precondition", "ihs"}, \
            default="sketch_and_solve"
        ``"sketch_and_solve"`` makes one pass over the data; the two others
        start from its answer and iterate to the exact least squares
        solution, each iteration a pass over the data.
    tol : float, default=1e-10
        Stopping tolerance of the iterative solvers (LSQR's ``atol`` and
        ``btol``; ``"ihs"`` stops when the preconditioned gradient is below
        ``tol`` times the residual norm, or the residual below ``tol`` times
        ``||y||``).
    max_iter : int, default=100
        Iteration limit of the iterative solvers.
    fit_intercept : bool, default=True
        Fit an intercept (a column of ones sketched with ``X``, so no
        centring pass is needed and chunks stay independent).
    chunk_size : int, default=None
        Rows per chunk when streaming an in-memory array or memmap through
        the sketch (automatic: about 8 MB per chunk).  Changes the result
        only by rounding.
    n_jobs : int, default=None
        Threads sketching disjoint row ranges (BLAS is limited to one thread
        per worker meanwhile).  ``None`` means 1.
    random_state : int, RandomState instance or None, default=None
        Seed of the sketch.  Pass an int for reproducible fits; the same int
        gives the same sketch in ``fit``, dask fits and ``partial_fit``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Coefficients.
    intercept_ : float
        Intercept (0.0 when ``fit_intercept=False``).
    sketch_size_ : int
        Rows of the sketch used.
    n_iter_ : int
        Iterations of the solver (1 for ``"sketch_and_solve"``).
    cond_estimate_ : float
        Condition number of the sketched design ``S [X | 1]`` (an estimate of
        that of ``[X | 1]``; ``inf`` when rank-deficient).
    rank_ : int
        Numerical rank of the sketched design.  Below ``p`` the design is
        rank-deficient and the minimum-norm solution is returned.
    singular_ : ndarray of shape (p,)
        Singular values of the sketched design.
    sketch_residual_norm_ : float
        ``||S ([X | 1] w - y)||`` at the solution of the sketched problem.
    n_samples_seen_ : int
        Rows sketched so far (grows with ``partial_fit``).
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    sklearn.linear_model.LinearRegression : Exact least squares (QR/SVD).
    sklike.linear_model.sketching.sketch : The sketches on their own.

    Notes
    -----
    Sketch-and-solve answers are noisier than OLS: their error scales like
    ``sigma sqrt(p / m)``, not ``sigma sqrt(p / n)``, so standard errors
    computed from them are wrong; use ``"sketch_and_precondition"`` for
    inference-grade coefficients.  Rank-deficient ``X`` gives the
    minimum-norm solution (of the sketched problem for sketch-and-solve, of
    the full problem for the iterative solvers) and ``rank_ < p``.  All
    arithmetic is float64, also for float32 input.

    References
    ----------
    .. [1] Z. Song, M. Ye, J. Yin, L. Zhang, "A Nearly-Optimal Bound for Fast
       Regression with l-infinity Guarantee", ICML 2023.
    .. [2] E. Price, Z. Song, D. P. Woodruff, "Fast regression with an
       l-infinity guarantee", ICALP 2017.
    .. [3] H. Avron, P. Maymounkov, S. Toledo, "Blendenpik: Supercharging
       LAPACK's least-squares solver", SIAM J. Sci. Comput. 2010.
    .. [4] X. Meng, M. A. Saunders, M. W. Mahoney, "LSRN: A parallel
       iterative solver for strongly over- or underdetermined systems",
       SIAM J. Sci. Comput. 2014.
    .. [5] E. N. Epperly, "Fast and forward stable randomized algorithms for
       linear least-squares problems", SIAM J. Matrix Anal. Appl. 2024.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.linear_model import SketchedLinearRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(20_000, 5))
    >>> y = X @ np.arange(1.0, 6.0) + 3.0 + rng.normal(size=20_000)
    >>> reg = SketchedLinearRegression(random_state=0).fit(X, y)
    >>> reg.sketch_size_
    24
    >>> bool(np.abs(reg.coef_ - np.arange(1.0, 6.0)).max() < 0.5)
    True
    >>> exact = SketchedLinearRegression(
    ...     solver="sketch_and_precondition", random_state=0
    ... ).fit(X, y)
    >>> ols = np.linalg.lstsq(np.c_[X, np.ones(len(X))], y, rcond=None)[0]
    >>> bool(np.allclose(exact.coef_, ols[:5], rtol=1e-9))
    True
    """

    _parameter_constraints: dict = {
        "sketch": [StrOptions(set(SKETCH_KINDS))],
        "sketch_size": [Interval(Integral, 1, None, closed="left"), None],
        "sketch_factor": [Interval(Real, 1, None, closed="neither")],
        "solver": [StrOptions({"sketch_and_solve", "sketch_and_precondition", "ihs"})],
        "tol": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "fit_intercept": ["boolean"],
        "chunk_size": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        sketch="srht",
        sketch_size=None,
        sketch_factor=4.0,
        solver="sketch_and_solve",
        tol=1e-10,
        max_iter=100,
        fit_intercept=True,
        chunk_size=None,
        n_jobs=None,
        random_state=None,
    ):
        self.sketch = sketch
        self.sketch_size = sketch_size
        self.sketch_factor = sketch_factor
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.fit_intercept = fit_intercept
        self.chunk_size = chunk_size
        self.n_jobs = n_jobs
        self.random_state = random_state

    # ------------------------------------------------------------------
    # input handling
    # ------------------------------------------------------------------
    def _validate_dask(self, X, y, sample_weight):
        if X.ndim != 2:
            raise ValueError(
                f"Expected a 2D dask array for X; got {X.ndim} dims. Reshape it."
            )
        if any(math.isnan(c) for c in X.shape):
            raise ValueError(
                "The dask array X has unknown chunk sizes; call "
                "X.compute_chunk_sizes() first."
            )
        if X.numblocks[1] != 1:
            raise ValueError(
                "The dask array X is chunked along columns "
                f"({X.numblocks[1]} column blocks); sketching needs whole rows "
                "in each block: use X.rechunk({1: -1})."
            )
        if X.dtype.kind not in "fiub":
            raise TypeError(
                f"The dask array X must be numeric (float); got dtype {X.dtype}."
            )
        n_y = y.shape[0] if hasattr(y, "shape") else len(y)
        if n_y != X.shape[0]:
            raise ValueError(
                f"Found input variables with inconsistent numbers of samples: "
                f"X has {X.shape[0]}, y has {n_y}."
            )
        if getattr(y, "ndim", 1) > 1 and y.shape[1] != 1:
            raise ValueError("y must be 1-D; SketchedLinearRegression has one target.")
        self.n_features_in_ = X.shape[1]
        if hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        if sample_weight is not None and not _is_dask_collection(sample_weight):
            # checked here; dask weights are checked block by block
            sample_weight = check_sample_weight(sample_weight, X.shape[0])
        elif sample_weight is not None and sample_weight.shape[0] != X.shape[0]:
            raise ValueError(
                f"sample_weight has {sample_weight.shape[0]} entries; X has "
                f"{X.shape[0]} rows."
            )
        return _DaskSource(X, y, self.fit_intercept, sample_weight)

    def _source(self, X, y, reset, sample_weight=None):
        if _is_dask_collection(X):
            if not reset:
                raise TypeError("partial_fit does not take dask arrays; use fit.")
            return self._validate_dask(X, y, sample_weight)
        X, y = validate_data(
            self,
            X,
            y,
            reset=reset,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            y_numeric=True,
        )
        sqrt_w = None
        if sample_weight is not None:
            sqrt_w = np.sqrt(check_sample_weight(sample_weight, X.shape[0]))
        return _ArraySource(X, y, self.fit_intercept, sqrt_w)

    def _n_coefs(self, n_features):
        return n_features + int(self.fit_intercept)

    def _check_sketch_size(self, m, p, n):
        if m <= p:
            raise ValueError(
                f"sketch_size={m} must exceed the number of coefficients p={p} "
                f"(n_features{' + 1 for the intercept' if self.fit_intercept else ''})"
                "; a sketch with m <= p rows cannot identify them."
            )
        if n is not None and m > n:
            raise ValueError(
                f"sketch_size={m} must not exceed n_samples={n} (sketching "
                "cannot add rows)."
            )

    # ------------------------------------------------------------------
    # solving
    # ------------------------------------------------------------------
    def _store_sketched_solution(self, SXy, p):
        SA, Sb = SXy[:, :p], SXy[:, p]
        x, precond, z, s, rank = _solve_sketched(SA, Sb)
        self.rank_ = rank
        self.singular_ = s
        self.cond_estimate_ = float(s[0] / s[-1]) if rank == p else math.inf
        self.sketch_residual_norm_ = float(np.linalg.norm(SA @ x - Sb))
        self.n_iter_ = 1
        return x, precond, z

    def _set_coef(self, x, d):
        self.coef_ = np.asarray(x[:d], dtype=np.float64)
        self.intercept_ = float(x[d]) if self.fit_intercept else 0.0

    def _lsqr(self, source, precond, z0):
        """LSQR on ``[X | 1] @ precond`` warm-started at ``z0`` (Blendenpik/LSRN)."""
        n, r = source.n, precond.shape[1]
        if r == 0:
            return precond @ z0, 1
        op = LinearOperator(
            (n, r),
            matvec=lambda z: source.matvec(precond @ np.ravel(z)),
            rmatvec=lambda u: precond.T @ source.rmatvec(np.ravel(u)),
            dtype=np.float64,
        )
        result = lsqr(
            op,
            source.target(),
            atol=self.tol,
            btol=self.tol,
            iter_lim=self.max_iter,
            x0=z0,
        )
        istop, itn = result[1], result[2]
        if istop == 7:
            warnings.warn(
                f"LSQR did not reach tol={self.tol} in max_iter={self.max_iter} "
                "iterations; increase max_iter, or sketch_size for a better "
                "preconditioner.",
                ConvergenceWarning,
                stacklevel=3,
            )
        return precond @ result[0], max(int(itn), 1)

    def _ihs(self, source, precond, x0):
        """Iterative sketching with heavy-ball momentum (Epperly 2024).

        ``x+ = x + alpha M^-1 A^T (y - A x) + beta (x - x_prev)`` with the
        fixed sketched Hessian ``M = (SA)^T (SA)`` and the parameters that are
        optimal for a Gaussian embedding of aspect ratio ``rho = r / m``:
        ``alpha = (1 - rho)^2``, ``beta = rho`` (rate about ``sqrt(rho)``).
        Those parameters assume the spectrum of ``M^-1 A^T A`` stays within
        its asymptotic edges; small or sparse sketches can overshoot them and
        the iteration then diverges.  A divergence is detected and the
        iteration restarts from ``x0`` with a doubled ``rho`` (a wider, safe
        spectral interval at a slower rate).
        """
        r = precond.shape[1]
        if r == 0:
            return x0, 1
        b = source.target()
        b_norm = np.linalg.norm(b)
        rho = r / self.sketch_size_
        n_iter = 0
        while n_iter < self.max_iter:
            alpha, beta = (1.0 - rho) ** 2, rho
            x_prev = x = x0
            g0_norm = None
            while n_iter < self.max_iter:
                n_iter += 1
                residual = b - source.matvec(x)
                g = precond.T @ source.rmatvec(residual)
                g_norm = np.linalg.norm(g)
                r_norm = np.linalg.norm(residual)
                # LSQR's two tests: (A N)^T r small relative to r (||A N|| ~ 1),
                # or a consistent system solved to tol.
                if g_norm <= self.tol * r_norm or r_norm <= self.tol * b_norm:
                    return x, n_iter
                g0_norm = g_norm if g0_norm is None else g0_norm
                if not np.isfinite(g_norm) or g_norm > 10.0 * g0_norm:
                    break  # diverging: restart with a safer rho
                x, x_prev = x + alpha * (precond @ g) + beta * (x - x_prev), x
            else:
                break
            if rho >= 0.95:
                break
            rho = min(2.0 * rho, 0.95)
        warnings.warn(
            f"Iterative sketching did not reach tol={self.tol} in "
            f"max_iter={self.max_iter} iterations; increase max_iter, or "
            "sketch_size (the sketch must embed the column space well, "
            "m of 4p or more), or use solver='sketch_and_precondition'.",
            ConvergenceWarning,
            stacklevel=3,
        )
        return x, n_iter

    # ------------------------------------------------------------------
    # public API
    # ------------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model on a sketch of ``(X, y)``.

        Parameters
        ----------
        X : {array-like, sparse matrix, numpy memmap, dask array} of shape \
                (n_samples, n_features)
            Training data.  A dask array must be chunked along rows only.
        y : array-like of shape (n_samples,)
            Target.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights: weighted least squares, solved as least
            squares on the rows scaled by ``sqrt(sample_weight)``.  With a
            dask ``X`` it may be a dask array too.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        source = self._source(X, y, reset=True, sample_weight=sample_weight)
        n, d, p = source.n, source.d, source.p
        check_min_samples(
            n,
            p + 1,
            estimator_name=type(self).__name__,
            why=f"(more samples than the {p} coefficients)",
        )
        if self.sketch_size is None:
            m = min(math.ceil(self.sketch_factor * p), n)
        else:
            m = self.sketch_size
        self._check_sketch_size(m, p, n)
        if isinstance(source, _DaskSource) and self.sketch not in (
            "srht",
            *STREAMING_KINDS,
        ):
            raise ValueError(
                f"sketch={self.sketch!r} needs all rows at once, so it cannot "
                "sketch a dask array block by block; use 'srht', 'gaussian', "
                "'countsketch' or 'sjlt'."
            )
        seed = seed_from_random_state(self.random_state)
        op = _Sketcher(self.sketch, m, n, seed, n_cols=p + 1)
        SXy = source.sketch(op, self.chunk_size, self.n_jobs)
        self.sketch_size_ = m
        self._sketcher = op if self.sketch in STREAMING_KINDS else None
        self._sketch_sum = SXy
        self.n_samples_seen_ = n
        x, precond, z = self._store_sketched_solution(SXy, p)
        if self.solver == "sketch_and_precondition":
            x, self.n_iter_ = self._lsqr(source, precond, z)
        elif self.solver == "ihs":
            x, self.n_iter_ = self._ihs(source, precond, x)
        self._set_coef(x, d)
        return self

    def _partial_fit_available(self):
        if self.sketch not in STREAMING_KINDS:
            raise AttributeError(
                "partial_fit needs a sketch that does not depend on the number "
                f"of rows ({', '.join(map(repr, STREAMING_KINDS))}); got "
                f"sketch={self.sketch!r}."
            )
        if self.solver != "sketch_and_solve":
            raise AttributeError(
                "partial_fit only supports solver='sketch_and_solve' (the "
                "iterative solvers need passes over all the data); got "
                f"solver={self.solver!r}."
            )
        return True

    @available_if(_partial_fit_available)
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Add a chunk of rows to the sketch and re-solve.

        Rows are numbered in the order they arrive, so ``partial_fit`` over
        consecutive chunks gives the same model as ``fit`` on all rows (same
        integer ``random_state``).  Available for ``sketch`` in
        ``{"gaussian", "countsketch", "sjlt"}`` with
        ``solver="sketch_and_solve"``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            A chunk of rows.
        y : array-like of shape (n_samples,)
            Its targets.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights of the chunk's rows (see :meth:`fit`).

        Returns
        -------
        self : object
            Updated estimator.
        """
        first = getattr(self, "_sketcher", None) is None
        source = self._source(X, y, reset=first, sample_weight=sample_weight)
        d, p = source.d, source.p
        if first:
            if self.sketch_size is None:
                m = math.ceil(self.sketch_factor * p)
            else:
                m = self.sketch_size
            self._check_sketch_size(m, p, None)
            seed = seed_from_random_state(self.random_state)
            self._sketcher = _Sketcher(self.sketch, m, None, seed)
            self._sketch_sum = np.zeros((m, p + 1))
            self.n_samples_seen_ = 0
            self.sketch_size_ = m
        elif self._sketcher.kind != self.sketch or self._sketch_sum.shape[1] != p + 1:
            raise ValueError(
                "sketch or fit_intercept changed since the first partial_fit; "
                "call fit, or start from a new estimator."
            )
        self._sketch_sum = self._sketch_sum + source.sketch(
            self._sketcher, self.chunk_size, None, offset=self.n_samples_seen_
        )
        self.n_samples_seen_ += source.n
        x, _, _ = self._store_sketched_solution(self._sketch_sum, p)
        self._set_coef(x, d)
        return self

    def predict(self, X):
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : {array-like, sparse matrix, dask array} of shape \
                (n_samples, n_features)
            Samples.  A dask array gives a lazy dask array.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted values.
        """
        check_is_fitted(self)
        if _is_dask_collection(X):
            if X.ndim != 2 or X.shape[1] != self.n_features_in_:
                raise ValueError(
                    f"X has {X.shape[-1]} features, but {type(self).__name__} "
                    f"is expecting {self.n_features_in_} features as input."
                )
            return X @ self.coef_ + self.intercept_
        X = validate_data(
            self, X, reset=False, accept_sparse="csr", dtype=[np.float64, np.float32]
        )
        return np.asarray(X @ self.coef_ + self.intercept_).ravel()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags

    @staticmethod
    def _sklike_test_data(n_samples, random_state):
        from sklearn.datasets import make_regression

        # Taller than the default so the sketch (4 p rows) is much smaller
        # than n, as in real use.
        return make_regression(
            max(n_samples, 200), 4, noise=1.0, random_state=random_state
        )
