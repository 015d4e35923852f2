"""Random sketching operators for tall matrices.

A sketch ``S`` (``m x n``, ``m << n``) compresses the rows of a tall matrix
``A`` so that ``||S A x|| ~ ||A x||`` for every ``x``; least squares on
``(S A, S b)`` is then a small problem.  :func:`sketch` returns ``S @ X``
without ever forming ``S``; :func:`fwht` is the fast Walsh-Hadamard transform
the SRHT is built on.

Kinds (all satisfy ``E[S^T S] = I``):

``"srht"``
    Subsampled randomized Hadamard transform ``sqrt(N/m) P (H/sqrt(N)) D``
    (``N`` the next power of two, ``D`` random signs, ``P`` samples ``m``
    distinct rows).  Dense; the default of
    :class:`~sklike.linear_model.SketchedLinearRegression`.  Computed block by
    block without padding; chunk-separable once the total number of rows is
    known.
``"gaussian"``
    i.i.d. ``N(0, 1/m)`` entries.  Dense, costs ``m n d``.
``"countsketch"``
    One ``+-1`` per column.  Sparse, costs ``n d``; no coordinate-wise
    (l-infinity) guarantee on coherent data.
``"sjlt"``
    Sparse Johnson-Lindenstrauss / OSNAP: ``nnz`` entries ``+-1/sqrt(nnz)``
    per column, one in each of ``nnz`` slices of the output rows.
``"bgp"``
    Balanced Gaussian-pooled transform ``B D_gamma Pi F_N D_sigma J`` (pad to
    ``N``, random signs, orthonormal Hadamard, random permutation, i.i.d.
    Gaussian diagonal, sum of ``m`` consecutive blocks), the provably
    coordinate-wise sketch of Song and Zhang.  Needs all rows at once.
``"srdct"``
    Subsampled randomized DCT ``sqrt(n/m) P C D`` (orthonormal DCT-II, no
    padding).  Needs all rows at once.

The random numbers of ``"srht"``, ``"gaussian"``, ``"countsketch"`` and
``"sjlt"`` are a hash of ``(seed, row index)``, so sketching the rows in
chunks and summing gives the same result as sketching them all at once.
"""

import math
from numbers import Integral

import numpy as np
import scipy.fft
import scipy.sparse
from sklearn.utils import check_array, check_random_state
from sklearn.utils.parallel import Parallel, delayed

from ..utils._numba import seed_from_random_state
from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from . import _sketch_kernels as kernels

__all__ = ["SKETCH_KINDS", "fwht", "sketch"]

#: Every kind of sketch :func:`sketch` knows.
SKETCH_KINDS = ("srht", "gaussian", "countsketch", "sjlt", "bgp", "srdct")
#: Kinds whose ``S @ A`` is a sum over row chunks (given the number of rows).
CHUNK_SEPARABLE_KINDS = ("srht", "gaussian", "countsketch", "sjlt")
#: Kinds that do not even need the number of rows (so ``partial_fit`` works).
STREAMING_KINDS = ("gaussian", "countsketch", "sjlt")

_DEFAULT_NNZ = 8  # SJLT nonzeros per column, the default of BallisticLA's PARLA
_CHUNK_BYTES = 1 << 23  # rows per chunk are sized so a float64 chunk is ~8 MB


@validate_params(
    {"X": ["array-like"], "inplace": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def fwht(X, *, inplace=False):
    """Fast Walsh-Hadamard transform along the first axis.

    Returns ``H_N @ X`` for the unnormalised Sylvester-ordered Hadamard
    matrix ``H_N`` (the matrix :func:`scipy.linalg.hadamard` builds), in
    ``O(N log N)`` operations per column and without forming ``H_N``.

    Parameters
    ----------
    X : array-like of shape (N,) or (N, k)
        ``N`` must be a power of two.  Computed in float64.
    inplace : bool, default=False
        Overwrite ``X`` (which must then be a C-contiguous, writeable float64
        ndarray) instead of allocating a copy.

    Returns
    -------
    HX : ndarray of shape (N,) or (N, k)
        The transform (``X`` itself when ``inplace=True``).

    See Also
    --------
    sketch : Random sketches built on this transform.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.linear_model.sketching import fwht
    >>> fwht(np.array([1.0, 0.0, 0.0, 0.0]))
    array([1., 1., 1., 1.])
    >>> fwht(np.array([1.0, 2.0]))
    array([ 3., -1.])
    """
    if inplace:
        if not (
            isinstance(X, np.ndarray)
            and X.dtype == np.float64
            and X.flags.c_contiguous
            and X.flags.writeable
        ):
            raise ValueError(
                "fwht(inplace=True) needs a C-contiguous, writeable float64 ndarray; "
                "pass inplace=False to work on a copy."
            )
        out = X
    else:
        out = np.array(
            check_array(X, ensure_2d=False, dtype=np.float64, input_name="X"),
            dtype=np.float64,
            order="C",
            copy=True,
        )
    if out.ndim not in (1, 2):
        raise ValueError(f"fwht expects a 1-D or 2-D array; got {out.ndim} dims.")
    n = out.shape[0]
    if n < 1 or n & (n - 1):
        raise ValueError(
            f"fwht needs a power-of-two number of rows; got {n}. Zero-pad X first."
        )
    kernels.fwht_inplace(out.reshape(n, -1))
    return out


def _next_pow2(n):
    return 1 << max(int(n) - 1, 0).bit_length()


class _Sketcher:
    """One draw of a sketch ``S``, applied to row chunks of a matrix.

    Plain data (picklable), so it can be shipped to dask workers.

    Parameters
    ----------
    kind : str
    sketch_size : int
        ``m``.
    n_rows : int or None
        Total number of rows; needed by every kind but the streaming ones.
    seed : int
        All randomness derives from it.
    nnz : int
        SJLT nonzeros per column.
    """

    def __init__(self, kind, sketch_size, n_rows, seed, nnz=_DEFAULT_NNZ, n_cols=None):
        self.kind = kind
        self.sketch_size = int(sketch_size)
        self.n_rows = n_rows
        self.seed = int(seed)
        self.nnz = 1 if kind == "countsketch" else min(int(nnz), self.sketch_size)
        if kind in STREAMING_KINDS:
            return
        if n_rows is None:
            raise ValueError(f"sketch={kind!r} needs the total number of rows.")
        m = self.sketch_size
        if kind in ("srht", "srdct"):
            # Rows sampled without replacement (duplicates would waste rows).
            rng = np.random.default_rng([self.seed, kernels.STREAM_SIGNS, 7])
            n_pos = _next_pow2(n_rows) if kind == "srht" else n_rows
            rows = np.sort(rng.choice(n_pos, size=m, replace=False)).astype(np.int64)
            self.rows = rows
            self.n_padded = n_pos
        if kind == "srht":
            self.log2_block = self._srht_block_log2(m, self.n_padded, n_cols)
            self.rows_hi = rows >> self.log2_block
            self.rows_lo = rows & ((1 << self.log2_block) - 1)

    @staticmethod
    def _srht_block_log2(m, n_padded, n_cols=None):
        # Cost per column: n log2(B) for the block transforms + m n / B for
        # combining the sampled rows; minimised near B = m ln 2.  The block
        # must not exceed N and, when the number of columns is known, its
        # work buffer must stay in cache (about 2 MB): with m = 16 p and 257
        # columns the unconstrained 2048-row block ran 1.5x slower.
        best = max(int(round(math.log2(max(m * math.log(2), 2.0)))), 1)
        if n_cols:
            cache_rows = max((1 << 21) // (8 * n_cols), 16)
            best = min(best, max(int(math.log2(cache_rows)), 4))
        return min(best, int(math.log2(n_padded)), 13)

    @property
    def separable(self):
        return self.kind in CHUNK_SEPARABLE_KINDS

    def default_chunk_rows(self, n_cols):
        rows = max(_CHUNK_BYTES // (8 * max(n_cols, 1)), 1)
        if self.kind == "gaussian":
            rows = max(min(rows, (1 << 21) // self.sketch_size), 1)
        if self.kind == "srht":
            block = 1 << self.log2_block
            rows = max(rows // block, 1) * block
        return rows

    def chunk(self, A, offset):
        """``S[:, offset:offset+len(A)] @ A`` (float64 C-ordered or CSR ``A``).

        CountSketch and SJLT touch only the nonzeros of a CSR chunk; the
        dense kinds densify it (one chunk at a time).
        """
        m = self.sketch_size
        if scipy.sparse.issparse(A):
            if self.kind in ("countsketch", "sjlt"):
                A = A.tocsr()
                return kernels.sparse_sign_chunk_csr(
                    A.indptr.astype(np.int64),
                    A.indices.astype(np.int64),
                    A.data.astype(np.float64),
                    A.shape[1],
                    offset,
                    self.seed,
                    m,
                    self.nnz,
                )
            A = np.ascontiguousarray(A.toarray(), dtype=np.float64)
        if self.kind == "srht":
            out = kernels.srht_chunk(
                A, offset, self.seed, self.rows_hi, self.rows_lo, self.log2_block
            )
            return out / math.sqrt(m)
        if self.kind == "gaussian":
            G_t = kernels.gaussian_chunk_t(offset, A.shape[0], self.seed, m)
            return (G_t.T @ A) / math.sqrt(m)
        if self.kind in ("countsketch", "sjlt"):
            return kernels.sparse_sign_chunk(A, offset, self.seed, m, self.nnz)
        raise ValueError(f"sketch={self.kind!r} is not chunk-separable.")

    def whole(self, A):
        """``S @ A`` for the kinds that need every row at once."""
        if scipy.sparse.issparse(A):
            A = np.ascontiguousarray(A.toarray(), dtype=np.float64)
        n, q = A.shape
        m = self.sketch_size
        signs = kernels.row_signs(self.seed, 0, n)
        if self.kind == "srdct":
            Y = scipy.fft.dct(A * signs[:, None], type=2, norm="ortho", axis=0)
            return Y[self.rows] * math.sqrt(n / m)
        if self.kind == "bgp":
            n_pad = _next_pow2(n)
            Y = np.zeros((n_pad, q))
            Y[:n] = A * signs[:, None]
            kernels.fwht_inplace(Y)
            Y /= math.sqrt(n_pad)
            rng = np.random.default_rng([self.seed, kernels.STREAM_GAUSSIAN, 11])
            perm = rng.permutation(n_pad).astype(np.int64)
            gamma = rng.standard_normal(n_pad)
            return kernels.pool_blocks(Y, perm, gamma, m)
        return self.chunk(A, 0)


def _as_float_chunk(X, start, stop):
    return np.ascontiguousarray(X[start:stop], dtype=np.float64)


def _sketch_range(op, get_rows, start, stop, chunk_rows, n_cols):
    out = np.zeros((op.sketch_size, n_cols))
    for a in range(start, stop, chunk_rows):
        b = min(a + chunk_rows, stop)
        out += op.chunk(get_rows(a, b), a)
    return out


def _apply_sketch(op, get_rows, n_rows, n_cols, *, chunk_size=None, n_jobs=None):
    """``S @ A`` where ``get_rows(a, b)`` returns rows ``a:b`` of ``A`` in float64.

    Separable kinds stream over chunks of ``chunk_size`` rows (split over
    ``n_jobs`` threads, each summing its own row range); the others load all
    rows at once.
    """
    if not op.separable:
        return op.whole(get_rows(0, n_rows))
    chunk_rows = chunk_size or op.default_chunk_rows(n_cols)
    starts = list(range(0, n_rows, chunk_rows))
    from joblib import effective_n_jobs

    n_workers = min(effective_n_jobs(n_jobs), max(len(starts), 1))
    if n_workers <= 1:
        return _sketch_range(op, get_rows, 0, n_rows, chunk_rows, n_cols)
    from threadpoolctl import threadpool_limits

    bounds = np.linspace(0, len(starts), n_workers + 1).astype(int)
    ranges = [
        (starts[lo], starts[hi] if hi < len(starts) else n_rows)
        for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)
        if hi > lo
    ]
    # One BLAS thread per worker: the workers already use every core.
    with threadpool_limits(limits=1, user_api="blas"):
        parts = Parallel(n_jobs=n_workers, prefer="threads")(
            delayed(_sketch_range)(op, get_rows, a, b, chunk_rows, n_cols)
            for a, b in ranges
        )
    return np.sum(parts, axis=0)


@validate_params(
    {
        "X": ["array-like"],
        "kind": [StrOptions(set(SKETCH_KINDS))],
        "sketch_size": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "nnz": [Interval(Integral, 1, None, closed="left")],
        "chunk_size": [Interval(Integral, 1, None, closed="left"), None],
        "n_jobs": [Integral, None],
    },
    prefer_skip_nested_validation=True,
)
def sketch(
    X,
    kind="srht",
    sketch_size=None,
    random_state=None,
    *,
    nnz=_DEFAULT_NNZ,
    chunk_size=None,
    n_jobs=None,
):
    """Compute ``S @ X`` for a random sketch ``S`` of ``sketch_size`` rows.

    ``S`` is never formed.  The same ``random_state`` (an int) always gives
    the same ``S``, and ``sketch(X)`` equals ``sketch(np.eye(n)) @ X``.

    Parameters
    ----------
    X : array-like of shape (n_samples,) or (n_samples, n_columns)
        The matrix to compress (read chunk by chunk, so a numpy memmap is
        never loaded whole by the chunk-separable kinds).  Computed in
        float64.
    kind : {"srht", "gaussian", "countsketch", "sjlt", "bgp", "srdct"}, \
            default="srht"
        The sketch; see :mod:`sklike.linear_model.sketching`.
    sketch_size : int
        Number of rows ``m`` of ``S``, at most ``n_samples``.
    random_state : int, RandomState instance or None, default=None
        Seed of the sketch.
    nnz : int, default=8
        Nonzeros per column of the ``"sjlt"`` sketch.
    chunk_size : int, default=None
        Rows per chunk for the chunk-separable kinds (automatic: about 8 MB
        per chunk).  Does not change the result beyond rounding.
    n_jobs : int, default=None
        Threads over row ranges for the chunk-separable kinds.

    Returns
    -------
    SX : ndarray of shape (sketch_size,) or (sketch_size, n_columns)
        The sketch ``S @ X`` (float64).

    See Also
    --------
    fwht : The transform behind ``"srht"`` and ``"bgp"``.
    sklike.linear_model.SketchedLinearRegression : Least squares on a sketch.

    References
    ----------
    .. [1] Z. Song, M. Ye, J. Yin, L. Zhang, "A Nearly-Optimal Bound for Fast
       Regression with l-infinity Guarantee", ICML 2023.
    .. [2] J. Nelson, H. L. Nguyen, "OSNAP: Faster numerical linear algebra
       algorithms via sparser subspace embeddings", FOCS 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.linear_model.sketching import sketch
    >>> X = np.random.default_rng(0).normal(size=(1000, 3))
    >>> SX = sketch(X, "srht", sketch_size=200, random_state=0)
    >>> SX.shape
    (200, 3)
    >>> gram, sketched_gram = X.T @ X, SX.T @ SX
    >>> bool(np.linalg.norm(sketched_gram - gram, 2) < 0.5 * np.linalg.norm(gram, 2))
    True
    """
    if sketch_size is None:
        raise ValueError("sketch needs sketch_size (the number of rows of S).")
    X = check_array(
        X,
        ensure_2d=False,
        dtype=[np.float64, np.float32],
        input_name="X",
        ensure_min_samples=1,
    )
    if X.ndim not in (1, 2):
        raise ValueError(f"sketch expects a 1-D or 2-D X; got {X.ndim} dims.")
    one_dim = X.ndim == 1
    X2 = X.reshape(-1, 1) if one_dim else X
    n = X2.shape[0]
    if sketch_size > n:
        raise ValueError(
            f"sketch_size={sketch_size} must not exceed the number of rows of X ({n})."
        )
    seed = seed_from_random_state(check_random_state(random_state))
    op = _Sketcher(kind, sketch_size, n, seed, nnz, n_cols=X2.shape[1])
    SX = _apply_sketch(
        op,
        lambda a, b: _as_float_chunk(X2, a, b),
        n,
        X2.shape[1],
        chunk_size=chunk_size,
        n_jobs=n_jobs,
    )
    return SX[:, 0] if one_dim else SX
