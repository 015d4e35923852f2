"""Numba kernels behind :mod:`sklike.linear_model.sketching`.

Every random number a sketch uses is a pure function of ``(seed, stream,
global row index)`` (a SplitMix64 hash, i.e. a counter-based generator).
That is what makes the chunk-separable sketches give the same ``S @ A``
whichever way the rows are split into chunks, dask blocks or ``partial_fit``
calls: a row's signs, buckets and Gaussian entries never depend on where
the chunk boundaries fall.

The kernels are serial on purpose: parallelism comes from ``n_jobs`` over
row ranges (threads, the kernels release the GIL), so no Numba OpenMP pool
ever competes with the BLAS threads (the oversubscription pitfall).

Kernels that take a ``work`` argument transform that buffer in place; it is
always a private buffer allocated by the caller, never user data.
"""

import numpy as np

from ..utils._numba import jit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_TWO_POW_M53 = 1.0 / 9007199254740992.0

#: Independent random streams drawn from one seed.
STREAM_SIGNS = 1
STREAM_GAUSSIAN = 2
STREAM_BUCKETS = 3


@jit
def _mix64(z):
    """SplitMix64 finaliser: a bijective, well-mixing hash of a uint64."""
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    return z ^ (z >> np.uint64(31))


@jit
def _row_key(seed, stream, row):
    """Hash of ``(seed, stream, row)``: the root of one row's random numbers."""
    base = _mix64(np.uint64(seed) * _GOLDEN + np.uint64(stream))
    return _mix64(base ^ (np.uint64(row) * _GOLDEN + _GOLDEN))


@jit
def _sign_of(h):
    """+1.0 or -1.0 from the top bit of a hash."""
    return 1.0 - 2.0 * np.float64(h >> np.uint64(63))


@jit
def _uniform_open(h):
    """A double in (0, 1) from the top 53 bits of a hash."""
    return (np.float64(h >> np.uint64(11)) + 0.5) * _TWO_POW_M53


@jit
def _parity(x):
    """Parity of the set bits of a non-negative int (Hadamard entry sign)."""
    p = 0
    while x:
        x &= x - 1
        p ^= 1
    return p


@jit
def row_signs(seed, offset, n_rows):
    """Random signs of the global rows ``offset .. offset + n_rows - 1``."""
    out = np.empty(n_rows)
    for i in range(n_rows):
        out[i] = _sign_of(_row_key(seed, STREAM_SIGNS, offset + i))
    return out


@jit
def _butterfly_stages(work, start, stop, h_start, h_stop):
    """Radix-2 stages of span h_start, 2 h_start, ... below h_stop, rows start:stop."""
    q = work.shape[1]
    h = h_start
    while h < h_stop:
        for i in range(start, stop, 2 * h):
            for j in range(i, i + h):
                a = work[j]
                b = work[j + h]
                for k in range(q):
                    x = a[k]
                    y = b[k]
                    a[k] = x + y
                    b[k] = x - y
        h *= 2


@jit
def fwht_inplace(work):
    """Unnormalised Walsh-Hadamard transform of the rows of ``work``, in place.

    ``work`` is a C-ordered ``(N, q)`` float64 buffer with ``N`` a power of
    two; afterwards it holds ``H_N @ work`` in Sylvester (natural) order, the
    order of :func:`scipy.linalg.hadamard`.  Each butterfly combines two whole
    rows, so the innermost loop runs over contiguous memory.  All stages of
    span below a cache-sized block run block by block (the block stays in
    cache), and the remaining stages are fused in pairs (radix 4) to halve
    the passes over memory.
    """
    n, q = work.shape
    if n <= 1:
        return
    block = 1
    while block < n and 2 * block * max(q, 1) * 8 <= 262144:
        block *= 2
    for start in range(0, n, block):
        _butterfly_stages(work, start, start + block, 1, block)
    h = block
    while h < n:
        if 4 * h <= n:
            for i in range(0, n, 4 * h):
                for j in range(i, i + h):
                    r0 = work[j]
                    r1 = work[j + h]
                    r2 = work[j + 2 * h]
                    r3 = work[j + 3 * h]
                    for k in range(q):
                        s0 = r0[k] + r1[k]
                        d0 = r0[k] - r1[k]
                        s1 = r2[k] + r3[k]
                        d1 = r2[k] - r3[k]
                        r0[k] = s0 + s1
                        r2[k] = s0 - s1
                        r1[k] = d0 + d1
                        r3[k] = d0 - d1
            h *= 4
        else:  # one radix-2 stage is left
            _butterfly_stages(work, 0, n, h, 2 * h)
            h *= 2


@jit
def srht_chunk(A, offset, seed, rows_hi, rows_lo, log2_block):
    """Sampled rows of ``H_N D A`` contributed by the rows of one chunk.

    Uses ``H_N = H_{N/B} (x) H_B``: each aligned block ``c`` of ``B`` global
    rows is sign-flipped and transformed with a cache-resident ``H_B``; a
    sampled output row ``r = (r_hi, r_lo)`` then receives
    ``(-1)^popcount(r_hi & c) * (H_B D_c A_c)[r_lo]``.  Only the ``m``
    sampled rows are kept, zero padding is never touched, and the result is
    a sum over blocks, so chunks and partial blocks add up exactly.

    Parameters
    ----------
    A : ndarray (n_chunk, q), float64
        Rows ``offset .. offset + n_chunk - 1`` of the matrix.
    offset : int
        Global index of the first row.
    seed : int
        Sketch seed (the signs ``D``).
    rows_hi, rows_lo : ndarray (m,), int64
        Sampled rows of ``H_N`` split as ``r >> log2_block``, ``r & (B - 1)``.
    log2_block : int
        ``log2(B)``.

    Returns
    -------
    out : ndarray (m, q)
        Unscaled contribution (multiply by ``1/sqrt(m)``).
    """
    n_chunk, q = A.shape
    m = rows_hi.shape[0]
    block = 1 << log2_block
    out = np.zeros((m, q))
    if n_chunk == 0:
        return out
    work = np.empty((block, q))
    first = offset >> log2_block
    last = (offset + n_chunk - 1) >> log2_block
    for c in range(first, last + 1):
        start = c * block
        for i in range(block):
            g = start + i
            row = work[i]
            if g < offset or g >= offset + n_chunk:
                for k in range(q):
                    row[k] = 0.0
            else:
                s = _sign_of(_row_key(seed, STREAM_SIGNS, g))
                src = A[g - offset]
                for k in range(q):
                    row[k] = s * src[k]
        fwht_inplace(work)
        for t in range(m):
            s = 1.0 - 2.0 * _parity(rows_hi[t] & c)
            dst = out[t]
            src = work[rows_lo[t]]
            for k in range(q):
                dst[k] += s * src[k]
    return out


@jit
def gaussian_chunk_t(offset, n_chunk, seed, m):
    """Transpose of the ``(m, n_chunk)`` block of a N(0, 1) sketch matrix.

    Row ``i`` of the result holds the Gaussian column of global row
    ``offset + i`` (Box-Muller on hashed uniforms), so it does not depend on
    the chunking.
    """
    out = np.empty((n_chunk, m))
    two_pi = 2.0 * np.pi
    for i in range(n_chunk):
        key = _row_key(seed, STREAM_GAUSSIAN, offset + i)
        for k in range(0, m, 2):
            u1 = _uniform_open(_mix64(key + np.uint64(k) * _GOLDEN))
            u2 = _uniform_open(_mix64(key + np.uint64(k + 1) * _GOLDEN))
            radius = np.sqrt(-2.0 * np.log(u1))
            out[i, k] = radius * np.cos(two_pi * u2)
            if k + 1 < m:
                out[i, k + 1] = radius * np.sin(two_pi * u2)
    return out


@jit
def _bucket_and_sign(key, j, m, nnz):
    """Bucket ``j`` of a row (in slice ``j`` of the ``m`` rows) and its sign."""
    h = _mix64(key + np.uint64(j) * _GOLDEN)
    lo = (j * m) // nnz
    hi = ((j + 1) * m) // nnz
    return lo + np.int64(h % np.uint64(hi - lo)), _sign_of(_mix64(h))


@jit
def sparse_sign_chunk(A, offset, seed, m, nnz):
    """CountSketch (``nnz == 1``) or SJLT/OSNAP contribution of one chunk.

    Each input row goes to ``nnz`` buckets, one in each of ``nnz`` equal
    slices of the ``m`` output rows, with random signs and weight
    ``1/sqrt(nnz)``.
    """
    n_chunk, q = A.shape
    out = np.zeros((m, q))
    weight = 1.0 / np.sqrt(nnz)
    for i in range(n_chunk):
        key = _row_key(seed, STREAM_BUCKETS, offset + i)
        src = A[i]
        for j in range(nnz):
            bucket, sign = _bucket_and_sign(key, j, m, nnz)
            s = weight * sign
            dst = out[bucket]
            for k in range(q):
                dst[k] += s * src[k]
    return out


@jit
def sparse_sign_chunk_csr(indptr, indices, data, n_cols, offset, seed, m, nnz):
    """:func:`sparse_sign_chunk` of a CSR chunk, in ``O(nnz(A) * nnz)``.

    The same buckets and signs as the dense kernel, so a sparse and a dense
    copy of the same rows give the same sketch.
    """
    n_chunk = indptr.shape[0] - 1
    out = np.zeros((m, n_cols))
    weight = 1.0 / np.sqrt(nnz)
    for i in range(n_chunk):
        key = _row_key(seed, STREAM_BUCKETS, offset + i)
        for j in range(nnz):
            bucket, sign = _bucket_and_sign(key, j, m, nnz)
            s = weight * sign
            for t in range(indptr[i], indptr[i + 1]):
                out[bucket, indices[t]] += s * data[t]
    return out


@jit
def pool_blocks(Y, perm, gamma, m):
    """Gaussian pooling: row ``k`` sums ``gamma[j] * Y[perm[j]]`` over block ``k``.

    The ``N`` positions are cut into ``m`` consecutive blocks of (nearly)
    equal size ``N/m``.
    """
    n, q = Y.shape
    out = np.zeros((m, q))
    for k in range(m):
        lo = (k * n) // m
        hi = ((k + 1) * n) // m
        dst = out[k]
        for j in range(lo, hi):
            g = gamma[j]
            src = Y[perm[j]]
            for c in range(q):
                dst[c] += g * src[c]
    return out
