"""Numba loops of kernel k-means: Lloyd iterations in O(n^2) each.

With a label vector, the sums S[i, k] = sum_{j in C_k} K_ij take one pass over
K (O(n^2), not the O(n^2 K) of K @ H or the O(K n^3) of an einsum), and give
every kernel-space distance
||phi_i - m_k||^2 = K_ii - 2 S[i, k] / n_k + sum_{j in C_k} S[j, k] / n_k^2.
"""

import numpy as np

from ..utils._numba import jit

__all__ = ["kernel_kmeans_lloyd"]


@jit
def _distances_to_centres(K, labels, n_clusters):
    n = K.shape[0]
    counts = np.zeros(n_clusters)
    for j in range(n):
        counts[labels[j]] += 1.0
    S = np.zeros((n, n_clusters))
    for i in range(n):
        for j in range(n):
            S[i, labels[j]] += K[i, j]
    compact = np.zeros(n_clusters)
    for i in range(n):
        compact[labels[i]] += S[i, labels[i]]
    dist = np.full((n, n_clusters), np.inf)
    for k in range(n_clusters):
        if counts[k] > 0:
            ck = compact[k] / (counts[k] * counts[k])
            for i in range(n):
                dist[i, k] = K[i, i] - 2.0 * S[i, k] / counts[k] + ck
    return dist, counts


@jit
def kernel_kmeans_lloyd(K, labels_init, n_clusters, max_iter):
    """Lloyd's algorithm in kernel space from ``labels_init``.

    Empty clusters get the point farthest from its own centre (among clusters
    with at least two points). Squared distances of an indefinite kernel can
    be negative; they are clipped at 0 in the inertia.

    Returns ``(labels, inertia, n_iter, converged)``.
    """
    n = K.shape[0]
    labels = labels_init.copy()
    n_iter = 0
    converged = False
    for it in range(max_iter):
        n_iter = it + 1
        dist, counts = _distances_to_centres(K, labels, n_clusters)
        new = np.empty(n, dtype=labels.dtype)
        for i in range(n):
            best = 0
            for k in range(1, n_clusters):
                if dist[i, k] < dist[i, best]:
                    best = k
            new[i] = best
        # Refill empty clusters with the worst-served points.
        new_counts = np.zeros(n_clusters, dtype=np.int64)
        for i in range(n):
            new_counts[new[i]] += 1
        for k in range(n_clusters):
            if new_counts[k] == 0:
                worst, worst_d = -1, -np.inf
                for i in range(n):
                    if new_counts[new[i]] > 1 and dist[i, new[i]] > worst_d:
                        worst, worst_d = i, dist[i, new[i]]
                if worst >= 0:
                    new_counts[new[worst]] -= 1
                    new[worst] = k
                    new_counts[k] += 1
        changed = False
        for i in range(n):
            if new[i] != labels[i]:
                changed = True
                break
        labels = new
        if not changed:
            converged = True
            break
    dist, counts = _distances_to_centres(K, labels, n_clusters)
    inertia = 0.0
    for i in range(n):
        inertia += max(dist[i, labels[i]], 0.0)
    return labels, inertia, n_iter, converged
