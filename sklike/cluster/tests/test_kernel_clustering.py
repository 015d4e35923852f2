"""KernelKMeans and KernelWard against k-means, brute-force Ward and SciPy."""

import numpy as np
import pytest
from scipy.cluster.hierarchy import fcluster, linkage
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score
from sklearn.preprocessing import StandardScaler

from sklike.cluster import KernelKMeans, KernelWard


def _same_partition(a, b):
    return adjusted_rand_score(a, b) == pytest.approx(1.0)


def test_kernel_kmeans_on_linear_kernel_is_kmeans():
    X, _ = make_blobs(200, 3, centers=5, cluster_std=2.5, random_state=0)
    K = X @ X.T
    rng = np.random.RandomState(1)
    for _ in range(5):  # Lloyd from the same seeds: the same iterates
        seeds = rng.choice(len(X), 5, replace=False)
        ours = KernelKMeans(5, init=seeds, max_iter=300).fit(K)
        ref = KMeans(5, init=X[seeds], n_init=1, max_iter=300, tol=0).fit(X)
        assert _same_partition(ours.labels_, ref.labels_)
        assert ours.inertia_ == pytest.approx(ref.inertia_, rel=1e-9)
    best = KernelKMeans(5, n_init=10, random_state=0).fit(K)
    ref = KMeans(5, n_init=10, random_state=0).fit(X)
    assert best.inertia_ <= ref.inertia_ * (1 + 1e-9)


def test_kernel_kmeans_predict_is_nearest_mean():
    X, _ = make_blobs(120, 2, centers=3, random_state=2)
    X_new, _ = make_blobs(30, 2, centers=3, random_state=3)
    km = KernelKMeans(3, random_state=0).fit(X @ X.T)
    np.testing.assert_array_equal(km.predict(X @ X.T), km.labels_)
    means = np.array([X[km.labels_ == k].mean(0) for k in range(3)])
    expected = np.argmin(((X_new[:, None] - means[None]) ** 2).sum(-1), axis=1)
    np.testing.assert_array_equal(km.predict(X_new @ X.T), expected)


def _brute_force_kernel_ward(K, n_clusters):
    """Merge the pair of smallest n_k n_l / (n_k + n_l) (h_k - h_l)^T K (h_k - h_l)."""
    n = len(K)
    clusters = [[i] for i in range(n)]
    while len(clusters) > n_clusters:
        best = None
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                h = np.zeros(n)
                h[clusters[a]] = 1 / len(clusters[a])
                h[clusters[b]] = -1 / len(clusters[b])
                na, nb = len(clusters[a]), len(clusters[b])
                cost = na * nb / (na + nb) * h @ K @ h
                if best is None or cost < best[0]:
                    best = (cost, a, b)
        _, a, b = best
        clusters[a] = clusters[a] + clusters[b]
        del clusters[b]
    labels = np.empty(n, dtype=int)
    for k, members in enumerate(clusters):
        labels[members] = k
    return labels


@pytest.mark.parametrize("kernel", ["linear", "rbf", "indefinite"])
def test_kernel_ward_equals_brute_force_and_scipy(kernel):
    X, _ = make_blobs(40, 2, centers=4, cluster_std=1.5, random_state=4)
    if kernel == "linear":
        K = X @ X.T
    else:
        sq = ((X[:, None] - X[None]) ** 2).sum(-1)
        K = np.exp(-sq / np.median(sq))
        if kernel == "indefinite":  # a log kernel: not PSD, negative entries
            K = np.log(K + 0.05)
    for n_clusters in (2, 4, 7):
        labels = KernelWard(n_clusters).fit(K).labels_
        assert _same_partition(labels, _brute_force_kernel_ward(K, n_clusters))
    if kernel == "linear":
        Z = linkage(X, "ward")
        assert _same_partition(KernelWard(4).fit(K).labels_, fcluster(Z, 4, "maxclust"))


def test_kernel_ward_children_and_distances_match_scipy():
    X, _ = make_blobs(30, 3, centers=3, random_state=5)
    ward = KernelWard(3).fit(X @ X.T)
    Z = linkage(X, "ward")
    np.testing.assert_allclose(ward.distances_, Z[:, 2], rtol=1e-8)
    np.testing.assert_array_equal(ward.children_, Z[:, :2].astype(int))


@pytest.mark.parametrize("Est", [KernelKMeans, KernelWard])
def test_blobs_through_a_kernel_like_check_clustering(Est):
    # What sklearn's check_clustering asserts, on an RBF kernel of its blobs.
    X, y = make_blobs(n_samples=50, random_state=1)
    X = StandardScaler().fit_transform(X)
    sq = ((X[:, None] - X[None]) ** 2).sum(-1)
    K = np.exp(-sq / np.median(sq))
    params = {"random_state": 0} if Est is KernelKMeans else {}
    est = Est(n_clusters=3, **params)
    labels = est.fit_predict(K)
    assert adjusted_rand_score(y, labels) > 0.4
    np.testing.assert_array_equal(labels, Est(n_clusters=3, **params).fit(K).labels_)
    assert labels.dtype == np.int64
    assert sorted(set(labels.tolist())) == [0, 1, 2]


@pytest.mark.parametrize("Est", [KernelKMeans, KernelWard])
@pytest.mark.parametrize(
    "K, match",
    [
        (np.ones((3, 4)), "square"),
        (np.array([[1.0, 2.0], [0.0, 1.0]]), "symmetric"),
        (np.eye(2), "n_clusters"),
    ],
)
def test_bad_kernels(Est, K, match):
    with pytest.raises(ValueError, match=match):
        Est(n_clusters=3).fit(K)


def test_kernel_kmeans_bad_init():
    with pytest.raises(ValueError, match="distinct"):
        KernelKMeans(2, init=[0, 0]).fit(np.eye(4))
