"""SDPKMeans: recovery, tightness against Lloyd's K-means, bad input."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

from sklike.cluster import SDPKMeans
from sklike.metrics import misclustering_error


@pytest.fixture(scope="module")
def separated():
    return make_blobs(
        90, centers=[[0, 0], [8, 0], [0, 8]], cluster_std=1.0, random_state=0
    )


@pytest.mark.parametrize("solver", ["admm", "bm"])
def test_recovers_separated_spherical_clusters(separated, solver):
    X, y = separated
    model = SDPKMeans(3, solver=solver, random_state=0).fit(X)
    assert misclustering_error(y, model.labels_) == 0.0
    # The relaxation is tight here: its value is the inertia of the true
    # partition, which Lloyd's algorithm also reaches. It is a lower bound in
    # general, so it can never be above.
    inertia = KMeans(3, n_init=10, random_state=0).fit(X).inertia_
    assert model.objective_ <= inertia * (1 + 1e-4)
    assert model.objective_ == pytest.approx(inertia, rel=1e-3)
    np.testing.assert_array_equal(model.predict(X), model.labels_)


def test_relaxation_is_a_lower_bound_when_clusters_overlap():
    X, _ = make_blobs(40, centers=3, cluster_std=3.0, random_state=0)
    model = SDPKMeans(
        3, solver="admm", solver_params={"tol": 1e-7, "max_iter": 20000}
    ).fit(X)
    inertia = KMeans(3, n_init=20, random_state=0).fit(X).inertia_
    assert model.objective_ < inertia * (1 - 1e-3)


def test_cvxpy_and_admm_give_the_same_labels(separated):
    X, y = separated
    X, y = X[::3], y[::3]
    a = SDPKMeans(3, solver="cvxpy", random_state=0).fit(X)
    b = SDPKMeans(3, solver="admm", random_state=0).fit(X)
    assert misclustering_error(a.labels_, b.labels_) == 0.0
    assert a.objective_ == pytest.approx(b.objective_, rel=1e-4)
    assert a.membership_.shape == (X.shape[0], X.shape[0])


def test_fewer_samples_than_clusters():
    with pytest.raises(ValueError, match="n_clusters=3"):
        SDPKMeans(3).fit(np.arange(4.0).reshape(2, 2))


def test_unknown_solver_params():
    with pytest.raises(ValueError, match="unknown key"):
        SDPKMeans(2, solver="admm", solver_params={"step": 1}).fit(
            np.random.RandomState(0).normal(size=(10, 2))
        )
