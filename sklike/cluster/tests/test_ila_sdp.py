"""ILASDPClustering: exact recovery, the Gaussian rule, starts, bad input."""

import warnings

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture

from sklike.cluster import ILASDPClustering
from sklike.datasets import make_heterogeneous_gmm
from sklike.metrics import misclustering_error


def _design_d1(n_per_cluster=50, random_state=0):
    """Spec design D1: N(0, 0.2 I) beside N((3, 0), diag(0.2, 16))."""
    return make_heterogeneous_gmm(
        n_per_cluster,
        means=[[0, 0], [3, 0]],
        covariances=[0.2 * np.eye(2), np.diag([0.2, 16.0])],
        random_state=random_state,
    )


def _design_d2(n_per_cluster=60, random_state=0):
    """Spec design D2: p = 10, K = 3, spherical / small / elongated covariances."""
    p = 10
    means = np.zeros((3, p))
    means[1, 0] = means[2, 1] = 2.5
    elongated = np.full(p, 0.3)
    elongated[0] = 6.0
    covs = [np.eye(p), 0.1 * np.eye(p), np.diag(elongated)]
    return make_heterogeneous_gmm(n_per_cluster, means, covs, random_state=random_state)


@pytest.fixture(scope="module")
def d1():
    return _design_d1()


def test_exact_recovery_on_elongated_design(d1):
    X, y = d1
    kmeans_error = misclustering_error(
        y, KMeans(2, n_init=10, random_state=0).fit_predict(X)
    )
    assert kmeans_error > 0.2  # the design exists because K-means fails on it
    model = ILASDPClustering(2, random_state=0).fit(X)
    assert misclustering_error(y, model.labels_) == 0.0
    assert model.converged_


def test_alternation_alone_recovers_from_kmeans_start(d1):
    """From the (wrong) K-means partition the alternation alone reaches the truth."""
    X, y = d1
    start = KMeans(2, n_init=10, random_state=0).fit_predict(X)
    model = ILASDPClustering(2, init=start, solver="bm", random_state=0).fit(X)
    assert misclustering_error(y, model.labels_) == 0.0
    # The profile likelihood went up along the path (best kept), from the start.
    assert model.objective_ == pytest.approx(np.max(model.objective_path_))
    assert model.objective_path_[-1] > model.objective_path_[0]


def test_selected_start_has_the_best_profile_likelihood(d1):
    X, _ = d1
    model = ILASDPClustering(2, solver="bm", n_init=4, random_state=0).fit(X)
    kinds = [r["init"] for r in model.init_results_]
    assert kinds == ["gmm", "kmeans++", "sdp", "random"]
    best = max(r["objective"] for r in model.init_results_)
    assert model.objective_ == pytest.approx(best)
    for r in model.init_results_:
        assert r["objective"] >= r["start_objective"] - 1e-9


def test_objective_is_the_classification_log_likelihood(d1):
    """objective_ = sum_i log N(x_i; mu_k(i), Sigma_k(i)) with scipy's density."""
    from scipy.stats import multivariate_normal

    X, _ = d1
    model = ILASDPClustering(2, solver="bm", random_state=0).fit(X)
    expected = sum(
        multivariate_normal(model.means_[k], model.covariances_[k])
        .logpdf(X[model.labels_ == k])
        .sum()
        for k in range(2)
    )
    assert model.objective_ == pytest.approx(expected, rel=1e-8)


@pytest.mark.parametrize("covariance_type", ["full", "diag", "spherical", "tied"])
def test_predict_is_the_gaussian_rule_of_gaussian_mixture(d1, covariance_type):
    """With use_weights, predict = GaussianMixture.predict at the same parameters."""
    X, _ = d1
    model = ILASDPClustering(
        2,
        covariance_type=covariance_type,
        use_weights=True,
        solver="bm",
        n_init=2,
        random_state=0,
    ).fit(X)
    gmm = GaussianMixture(2, covariance_type=covariance_type)
    gmm.weights_ = model.weights_
    gmm.means_ = model.means_
    gmm.covariances_ = model.covariances_
    if covariance_type in ("full", "tied"):
        covs = model.covariances_ if covariance_type == "full" else [model.covariances_]
        chols = [np.linalg.inv(np.linalg.cholesky(c)).T for c in covs]
        gmm.precisions_cholesky_ = (
            chols[0] if covariance_type == "tied" else np.stack(chols)
        )
    else:
        gmm.precisions_cholesky_ = 1.0 / np.sqrt(model.covariances_)
    X_new = np.random.RandomState(1).normal(scale=3.0, size=(200, 2))
    np.testing.assert_array_equal(model.predict(X_new), gmm.predict(X_new))


def test_mahalanobis_criterion_is_affine_invariant(d1):
    """Full covariances: an invertible affine map of X leaves the partition alone."""
    X, _ = d1
    A = np.array([[2.0, 1.0], [0.5, 3.0]])
    a = ILASDPClustering(2, init="kmeans++", n_init=1, solver="bm", random_state=0)
    b = ILASDPClustering(2, init="kmeans++", n_init=1, solver="bm", random_state=0)
    start = KMeans(2, n_init=1, random_state=3).fit_predict(X)
    a.set_params(init=start).fit(X)
    b.set_params(init=start).fit(X @ A.T + 5.0)
    assert misclustering_error(a.labels_, b.labels_) == 0.0


def test_tiny_cluster_warns_and_keeps_going():
    """A start with a cluster of <= p points: singular covariance, warned about."""
    X, _ = make_heterogeneous_gmm(
        [20, 20], [[0, 0, 0], [5, 0, 0]], [np.eye(3), np.eye(3)], random_state=0
    )
    labels = np.zeros(40, dtype=int)
    labels[:2] = 1
    with pytest.warns(UserWarning, match="fewer than the 4.*singular"):
        model = ILASDPClustering(2, init=labels, solver="bm", random_state=0).fit(X)
    assert np.all(np.isfinite(model.objective_path_))
    assert (
        not model.init_results_[0]["admissible"]
        or np.bincount(model.labels_).min() >= 4
    )


def test_inadmissible_partition_is_not_selected():
    """A partition with a cluster of <= p points loses to any admissible one.

    Three tight points far away: isolating them gives a near-singular
    covariance and the highest (inflated) likelihood, but a full covariance in
    3-D needs 4 points, so an admissible partition must be chosen.
    """
    X, _ = make_heterogeneous_gmm(
        [30, 30, 3],
        [[0, 0, 0], [6, 0, 0], [0, 8, 0]],
        [np.eye(3), np.eye(3), 0.01 * np.eye(3)],
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ILASDPClustering(3, solver="bm", random_state=0).fit(X)
    results = model.init_results_
    assert any(r["admissible"] for r in results)
    assert np.bincount(model.labels_).min() >= 4
    best_admissible = max(r["objective"] for r in results if r["admissible"])
    assert model.objective_ == pytest.approx(best_admissible)
    # The exclusion matters here: an inadmissible start scored higher.
    assert max(r["objective"] for r in results) > model.objective_


def test_bad_input():
    X, _ = _design_d1(10)
    with pytest.raises(ValueError, match="n_clusters=3"):
        ILASDPClustering(3).fit(X[:2])
    with pytest.raises(ValueError, match="init given as labels must have shape"):
        ILASDPClustering(2, init=np.zeros(5)).fit(X)
    with pytest.raises(ValueError, match="distinct labels"):
        ILASDPClustering(2, init=np.zeros(20)).fit(X)
    with pytest.raises(ValueError, match="unknown key"):
        ILASDPClustering(2, solver="bm", solver_params={"rho": 1.0}).fit(X)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        ILASDPClustering(2).fit(X_nan)


def test_solver_non_convergence_warns(d1):
    X, _ = d1
    with pytest.warns(Warning, match="did not converge.*max_iter"):
        ILASDPClustering(
            2,
            init="kmeans++",
            n_init=1,
            solver="admm",
            max_iter=1,
            solver_params={"max_iter": 3},
        ).fit(X[::4])


@pytest.mark.slow
def test_design_d2_beats_kmeans_and_matches_em():
    """Spec design D2, 10 replicates: iLA-SDP far below K-means, near or below EM."""
    errors = {"ila": [], "kmeans": [], "em": []}
    for rep in range(10):
        X, y = _design_d2(random_state=rep)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ila = ILASDPClustering(3, random_state=rep).fit(X)
        km = KMeans(3, n_init=10, random_state=rep).fit(X)
        em = GaussianMixture(3, init_params="kmeans", random_state=rep).fit(X)
        errors["ila"].append(misclustering_error(y, ila.labels_))
        errors["kmeans"].append(misclustering_error(y, km.labels_))
        errors["em"].append(misclustering_error(y, em.predict(X)))
    means = {k: float(np.mean(v)) for k, v in errors.items()}
    assert means["ila"] < means["kmeans"] - 0.05, means
    assert means["ila"] <= means["em"] + 0.02, means


def test_spectral_rounding_recovers_too(d1):
    """Spectral rounding (k-means++ on the top eigenvectors) on the tight design."""
    X, y = d1
    start = KMeans(2, n_init=10, random_state=0).fit_predict(X)
    model = ILASDPClustering(
        2, init=start, rounding="spectral", solver="bm", random_state=0
    ).fit(X)
    assert misclustering_error(y, model.labels_) == 0.0


def test_n_jobs_does_not_change_the_result(d1):
    X, _ = d1
    one = ILASDPClustering(2, solver="bm", random_state=0).fit(X)
    two = ILASDPClustering(2, solver="bm", random_state=0, n_jobs=2).fit(X)
    np.testing.assert_array_equal(one.labels_, two.labels_)
    assert [r["objective"] for r in one.init_results_] == [
        r["objective"] for r in two.init_results_
    ]
