"""Samples from a Gaussian mixture with cluster-specific covariances."""

import numbers

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["make_heterogeneous_gmm"]


def make_heterogeneous_gmm(n_per_cluster, means, covariances, *, random_state=None):
    """Draw a fixed number of points from each of several Gaussians.

    Parameters
    ----------
    n_per_cluster : int or array-like of int of shape (n_clusters,)
        Points per cluster (an int: the same for every cluster).
    means : array-like of shape (n_clusters, n_features)
        Cluster means.
    covariances : array-like of shape (n_clusters, n_features, n_features)
        Cluster covariances (symmetric positive semi-definite).
    random_state : int, RandomState instance or None, default=None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        The points, cluster by cluster.
    y : ndarray of shape (n_samples,)
        The cluster of each point.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.datasets import make_heterogeneous_gmm
    >>> X, y = make_heterogeneous_gmm(
    ...     [50, 50],
    ...     means=[[0, 0], [3, 0]],
    ...     covariances=[0.2 * np.eye(2), np.diag([0.2, 16.0])],
    ...     random_state=0,
    ... )
    >>> X.shape, np.bincount(y).tolist()
    ((100, 2), [50, 50])
    """
    means = np.asarray(means, dtype=float)
    if means.ndim != 2:
        raise ValueError(
            f"means must be 2-D (n_clusters, n_features); got shape {means.shape}."
        )
    n_clusters, n_features = means.shape
    covariances = np.asarray(covariances, dtype=float)
    if covariances.shape != (n_clusters, n_features, n_features):
        raise ValueError(
            f"covariances must have shape ({n_clusters}, {n_features}, {n_features}) "
            f"to match means; got {covariances.shape}."
        )
    if isinstance(n_per_cluster, numbers.Integral):
        n_per_cluster = [n_per_cluster] * n_clusters
    n_per_cluster = np.asarray(n_per_cluster)
    if n_per_cluster.shape != (n_clusters,) or np.any(n_per_cluster < 0):
        raise ValueError(
            f"n_per_cluster must be a non-negative int or {n_clusters} non-negative "
            f"ints; got {n_per_cluster.tolist()}."
        )
    rng = check_random_state(random_state)
    X = np.concatenate(
        [
            rng.multivariate_normal(
                means[k], covariances[k], size=int(n_per_cluster[k])
            )
            for k in range(n_clusters)
        ]
    )
    y = np.repeat(np.arange(n_clusters), n_per_cluster)
    return X, y
