"""Kernel k-means on a precomputed kernel."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from ._kernel_common import validate_kernel
from ._kernel_kmeans_kernels import kernel_kmeans_lloyd

__all__ = ["KernelKMeans"]


def _squared_distances_to(K, diag, centre):
    return np.maximum(diag - 2.0 * K[:, centre] + diag[centre], 0.0)


def _kmeans_plusplus(K, n_clusters, rng):
    """k-means++ seeding in kernel space; returns seed sample indices."""
    n = K.shape[0]
    diag = np.diag(K)
    n_local_trials = 2 + int(np.log(n_clusters))
    centres = [int(rng.randint(n))]
    closest = _squared_distances_to(K, diag, centres[0])
    for _ in range(1, n_clusters):
        total = closest.sum()
        if total <= 0:
            candidates = rng.choice(n, n_local_trials)
        else:
            candidates = np.searchsorted(
                np.cumsum(closest), rng.uniform(size=n_local_trials) * total
            )
            candidates = np.minimum(candidates, n - 1)
        best, best_pot, best_closest = None, np.inf, None
        for c in candidates:
            new_closest = np.minimum(closest, _squared_distances_to(K, diag, c))
            pot = new_closest.sum()
            if pot < best_pot:
                best, best_pot, best_closest = int(c), pot, new_closest
        centres.append(best)
        closest = best_closest
    return np.array(centres)


def _labels_from_seeds(K, seeds):
    diag = np.diag(K)
    dist = diag[:, None] - 2.0 * K[:, seeds] + diag[seeds][None, :]
    labels = np.argmin(dist, axis=1)
    labels[seeds] = np.arange(len(seeds))  # each seed starts its own cluster
    return labels


def kernel_kmeans(K, n_clusters, *, init, n_init, max_iter, rng):
    """Best of ``n_init`` runs: ``(labels, inertia, n_iter, converged)``."""
    best = None
    n = K.shape[0]
    for _ in range(n_init):
        if isinstance(init, str) and init == "k-means++":
            seeds = _kmeans_plusplus(K, n_clusters, rng)
        elif isinstance(init, str):
            seeds = rng.choice(n, n_clusters, replace=False)
        else:
            seeds = init
        labels0 = _labels_from_seeds(K, seeds).astype(np.int64)
        run = kernel_kmeans_lloyd(K, labels0, n_clusters, max_iter)
        if best is None or run[1] < best[1]:
            best = run
    return best


class KernelKMeans(ClusterMixin, BaseEstimator):
    """Kernel k-means clustering on a precomputed kernel matrix.

    Lloyd iterations in the feature space of the kernel K: sample i goes to
    the cluster k minimising ||phi_i - m_k||^2 = K_ii - 2 mean_{j in C_k} K_ij
    + mean_{j, l in C_k} K_jl. Each iteration costs one pass over K, O(n^2)
    (Numba), and the best of ``n_init`` restarts (lowest inertia) is kept.
    On a linear kernel ``X @ X.T`` it is k-means on ``X``. The kernel may be
    indefinite (e.g. a log graph kernel); negative squared distances are
    clipped at 0 in the inertia.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.
    n_init : int, default=10
        Number of restarts; the run with the lowest inertia is kept.
    max_iter : int, default=100
        Maximum number of Lloyd iterations per run.
    init : {"k-means++", "random"} or array-like of shape (n_clusters,), \
            default="k-means++"
        Seeding: k-means++ in kernel space, distinct random samples, or the
        indices of the seed samples (then ``n_init`` is ignored).
    random_state : int, RandomState instance or None, default=None
        Seeds the initialisation.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each sample.
    inertia_ : float
        Sum of squared kernel-space distances to the cluster means.
    n_iter_ : int
        Lloyd iterations of the kept run.
    n_features_in_ : int
        Number of columns of the kernel (= n_samples).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame ``X``, if it had string column names.

    See Also
    --------
    KernelWard : Ward agglomeration on a precomputed kernel.
    sklike.graph.GraphKernelClustering : Graph kernels + these clusterers.
    sklearn.cluster.KMeans : K-means on features.

    References
    ----------
    .. [1] I. S. Dhillon, Y. Guan and B. Kulis, "Kernel k-means, spectral
       clustering and normalized cuts", KDD 2004.
    .. [2] F. Fouss, M. Saerens and M. Shimbo, *Algorithms and Models for
       Network Data and Link Analysis*, Cambridge University Press, 2016.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.cluster import KernelKMeans
    >>> X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2]])
    >>> km = KernelKMeans(n_clusters=2, random_state=0).fit(X @ X.T)
    >>> labels = km.labels_.tolist()
    >>> labels[0] == labels[1] == labels[2] != labels[3] == labels[4] == labels[5]
    True
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "n_init": [Interval(Integral, 1, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "init": [StrOptions({"k-means++", "random"}), "array-like"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        n_init=10,
        max_iter=100,
        init="k-means++",
        random_state=None,
    ):
        self.n_clusters = n_clusters
        self.n_init = n_init
        self.max_iter = max_iter
        self.init = init
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Cluster the samples of the precomputed kernel ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_samples)
            Symmetric kernel matrix.
        y : None
            Ignored.

        Returns
        -------
        self : KernelKMeans
            The fitted estimator.
        """
        K = validate_kernel(self, X, self.n_clusters)
        rng = check_random_state(self.random_state)
        init, n_init = self.init, self.n_init
        if not isinstance(init, str):
            init = np.asarray(init, dtype=np.int64)
            if init.shape != (self.n_clusters,) or len(np.unique(init)) != len(init):
                raise ValueError(
                    f"init must hold {self.n_clusters} distinct sample indices; got "
                    f"{init.tolist()}."
                )
            if init.min() < 0 or init.max() >= K.shape[0]:
                raise ValueError(f"init indices must be in [0, {K.shape[0]}).")
            n_init = 1
        labels, inertia, n_iter, converged = kernel_kmeans(
            K,
            self.n_clusters,
            init=init,
            n_init=n_init,
            max_iter=self.max_iter,
            rng=rng,
        )
        if not converged:
            warnings.warn(
                f"KernelKMeans did not converge in max_iter={self.max_iter} "
                "iterations; increase max_iter.",
                ConvergenceWarning,
                stacklevel=2,
            )
        self.labels_ = np.asarray(labels, dtype=np.int64)
        self.inertia_ = float(inertia)
        self.n_iter_ = int(n_iter)
        # What predict needs: cluster sizes and the squared norms of the
        # cluster means, ||m_k||^2 = mean_{j, l in C_k} K_jl.
        onehot = np.zeros((K.shape[0], self.n_clusters))
        onehot[np.arange(K.shape[0]), self.labels_] = 1.0
        self._cluster_sizes = onehot.sum(axis=0)
        sums = K @ onehot
        with np.errstate(invalid="ignore", divide="ignore"):
            self._mean_sq_norms = (onehot * sums).sum(axis=0) / self._cluster_sizes**2
        return self

    def predict(self, X):
        """Nearest cluster mean in kernel space for new samples.

        Parameters
        ----------
        X : array-like of shape (n_queries, n_samples_fit)
            Kernel between the new samples and the fitted ones.

        Returns
        -------
        labels : ndarray of shape (n_queries,)
            Cluster of each new sample.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        onehot = np.zeros((self.labels_.size, self.n_clusters))
        onehot[np.arange(self.labels_.size), self.labels_] = 1.0
        with np.errstate(invalid="ignore", divide="ignore"):
            # ||phi(x) - m_k||^2 minus the constant k(x, x).
            dist = -2.0 * (X @ onehot) / self._cluster_sizes + self._mean_sq_norms
        dist[:, self._cluster_sizes == 0] = np.inf
        return np.argmin(dist, axis=1).astype(np.int64)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = True
        return tags
