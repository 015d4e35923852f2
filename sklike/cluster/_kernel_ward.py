"""Ward agglomerative clustering on a precomputed kernel."""

from numbers import Integral

import numpy as np
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import squareform
from sklearn.base import BaseEstimator, ClusterMixin

from ..utils._sklearn_compat import Interval, _fit_context
from ._kernel_common import validate_kernel

__all__ = ["KernelWard", "kernel_ward_linkage", "labels_from_linkage"]


def kernel_ward_linkage(K):
    """SciPy Ward linkage of the kernel-space points of ``K``.

    Ward merges the pair of clusters with the smallest
    n_k n_l / (n_k + n_l) (h_k - h_l)^T K (h_k - h_l), h_k = 1_{C_k} / n_k;
    the Lance-Williams recursion of ``scipy.cluster.hierarchy.linkage`` on
    the Euclidean kernel distances sqrt(K_ii + K_jj - 2 K_ij) gives exactly
    those merges in O(n^2). An indefinite kernel can give negative squared
    distances: they are clipped at 0.
    """
    diag = np.diag(K)
    sq = diag[:, None] + diag[None, :] - K - K.T
    np.fill_diagonal(sq, 0.0)
    dist = np.sqrt(np.maximum(sq, 0.0))
    return linkage(squareform(dist, checks=False), method="ward")


def labels_from_linkage(Z, n_samples, n_clusters):
    """Cut a linkage into exactly ``n_clusters`` (undo its last merges)."""
    parent = np.arange(2 * n_samples - 1)

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for step in range(n_samples - n_clusters):
        a, b = int(Z[step, 0]), int(Z[step, 1])
        parent[root(a)] = n_samples + step
        parent[root(b)] = n_samples + step
    roots = np.array([root(i) for i in range(n_samples)])
    _, labels = np.unique(roots, return_inverse=True)
    return labels.astype(np.int64)


class KernelWard(ClusterMixin, BaseEstimator):
    """Ward agglomerative clustering on a precomputed kernel matrix.

    Starting from singletons, merges the two clusters whose union increases
    the within-cluster sum of squares in the kernel's feature space the least,
    Delta J = n_k n_l / (n_k + n_l) (h_k - h_l)^T K (h_k - h_l), until
    ``n_clusters`` remain. Computed in O(n^2) with SciPy's Ward linkage on the
    kernel distances. This is the clustering used by Ivashkin & Chebotarev to
    compare graph kernels; it sees K only through v^T K v with 1^T v = 0, so
    adding constants or h 1^T + 1 h^T to K never changes it.

    Parameters
    ----------
    n_clusters : int, default=2
        Number of clusters.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each sample.
    children_ : ndarray of shape (n_samples - 1, 2)
        Merges, as in :class:`sklearn.cluster.AgglomerativeClustering`: a
        value below n_samples is a sample, value n_samples + i the cluster
        formed at step i.
    distances_ : ndarray of shape (n_samples - 1,)
        SciPy's Ward merge heights.
    linkage_matrix_ : ndarray of shape (n_samples - 1, 4)
        The SciPy linkage matrix (for ``scipy.cluster.hierarchy.dendrogram``).
    n_features_in_ : int
        Number of columns of the kernel (= n_samples).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame ``X``, if it had string column names.

    See Also
    --------
    KernelKMeans : Kernel k-means on a precomputed kernel.
    sklearn.cluster.AgglomerativeClustering : Ward on features.

    References
    ----------
    .. [1] J. H. Ward, "Hierarchical grouping to optimize an objective
       function", JASA 58 (1963), 236-244.
    .. [2] V. Ivashkin and P. Chebotarev, "Do logarithmic proximity measures
       outperform plain ones in graph clustering?", arXiv:1605.01046.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.cluster import KernelWard
    >>> X = np.array([[0.0], [0.1], [0.2], [5.0], [5.1], [5.2]])
    >>> KernelWard(n_clusters=2).fit(X @ X.T).labels_.tolist()
    [0, 0, 0, 1, 1, 1]
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
    }

    def __init__(self, n_clusters=2):
        self.n_clusters = n_clusters

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
        self : KernelWard
            The fitted estimator.
        """
        K = validate_kernel(self, X, self.n_clusters)
        Z = kernel_ward_linkage(K)
        n = K.shape[0]
        self.linkage_matrix_ = Z
        self.children_ = Z[:, :2].astype(np.int64)
        self.distances_ = Z[:, 2].copy()
        self.labels_ = labels_from_linkage(Z, n, self.n_clusters)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = True
        return tags
