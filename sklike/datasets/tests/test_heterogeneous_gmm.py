"""make_heterogeneous_gmm: the draws follow the requested Gaussians."""

import numpy as np
import pytest

from sklike.datasets import make_heterogeneous_gmm


def test_moments_match_the_requested_mixture():
    means = np.array([[0.0, 0.0], [3.0, -1.0]])
    covs = np.array([0.2 * np.eye(2), [[4.0, 1.5], [1.5, 1.0]]])
    X, y = make_heterogeneous_gmm([4000, 6000], means, covs, random_state=0)
    assert np.bincount(y).tolist() == [4000, 6000]
    for k in range(2):
        np.testing.assert_allclose(X[y == k].mean(axis=0), means[k], atol=0.1)
        np.testing.assert_allclose(np.cov(X[y == k].T), covs[k], atol=0.15)


def test_reproducible_and_bad_shapes():
    args = (5, [[0, 0], [1, 1]], [np.eye(2), np.eye(2)])
    np.testing.assert_array_equal(
        make_heterogeneous_gmm(*args, random_state=3)[0],
        make_heterogeneous_gmm(*args, random_state=3)[0],
    )
    with pytest.raises(ValueError, match="covariances must have shape"):
        make_heterogeneous_gmm(5, [[0, 0], [1, 1]], [np.eye(2)])
    with pytest.raises(ValueError, match="n_per_cluster"):
        make_heterogeneous_gmm([5, -1], [[0, 0], [1, 1]], [np.eye(2), np.eye(2)])
