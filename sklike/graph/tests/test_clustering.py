"""GraphKernelClustering, modularity, reject curves and the graph datasets."""

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.community import modularity as nx_modularity
from sklearn.metrics import adjusted_rand_score, roc_auc_score

from sklike.cluster import KernelKMeans, KernelWard
from sklike.datasets import (
    get_shared_data_dir,
    load_dolphins,
    load_football,
    load_karate,
    load_polbooks,
    make_sbm,
)
from sklike.graph import (
    GraphKernel,
    GraphKernelClustering,
    RejectCurveDisplay,
    modularity,
    reject_curve,
)


def _mean_ari(kernel, graphs, param):
    return np.mean(
        [
            adjusted_rand_score(
                y, GraphKernelClustering(2, kernel=kernel, param=param).fit(A).labels_
            )
            for A, y in graphs
        ]
    )


def test_logcomm_reaches_the_paper_level_and_beats_comm():
    # G(100, (2) 0.3, 0.1): the paper's logComm ARI is .947 at alpha .54 and
    # plain Comm's .871 at alpha .32 (its best).
    graphs = [make_sbm(100, 2, 0.3, 0.1, random_state=seed) for seed in range(10)]
    log_comm = _mean_ari("logComm", graphs, 0.54)
    comm = _mean_ari("Comm", graphs, 0.32)
    assert log_comm >= 0.9
    assert log_comm > comm


def test_logfor_beats_for():
    graphs = [make_sbm(100, 2, 0.3, 0.1, random_state=seed) for seed in range(8)]
    assert _mean_ari("logFor", graphs, 0.5) > _mean_ari("For", graphs, 0.5) + 0.2


def test_param_search_picks_the_best_modularity():
    A, y = make_sbm(90, 3, 0.35, 0.05, random_state=0)
    grid = [0.1, 0.4, 0.7]
    search = GraphKernelClustering(3, param_grid=grid).fit(A)
    for value, score in zip(grid, search.param_scores_, strict=True):
        single = GraphKernelClustering(3, param=value).fit(A)
        assert score == pytest.approx(modularity(A, single.labels_))
    best = int(np.argmax(search.param_scores_))
    assert search.param_ == grid[best]
    np.testing.assert_array_equal(
        search.labels_, GraphKernelClustering(3, param=grid[best]).fit(A).labels_
    )
    np.testing.assert_allclose(
        search.kernel_, GraphKernel("logComm", grid[best]).fit(A).kernel_
    )
    assert adjusted_rand_score(y, search.labels_) > 0.9


@pytest.mark.parametrize(
    "method, Est", [("ward", KernelWard), ("kkmeans", KernelKMeans)]
)
def test_clustering_is_the_clusterer_on_the_kernel(method, Est):
    A, _ = make_sbm(60, 3, 0.4, 0.05, random_state=1)
    gkc = GraphKernelClustering(
        3, kernel="logFor", param=0.5, method=method, random_state=0
    ).fit(A)
    K = GraphKernel("logFor", 0.5).fit(A).kernel_
    params = {"random_state": 0} if Est is KernelKMeans else {}
    assert adjusted_rand_score(gkc.labels_, Est(3, **params).fit(K).labels_) == 1.0


def test_grid_values_where_the_log_fails_are_skipped():
    # A long path: at small t the forest kernel's far entries (about t^d)
    # underflow even on the stable route, so the log is undefined there.
    n = 200
    A = np.diag(np.ones(n - 1), 1)
    A = A + A.T
    with pytest.warns(RuntimeWarning, match="skipped"):
        gkc = GraphKernelClustering(
            2, kernel="logFor", param_grid=[1e-6, 1.0], param_space="raw"
        ).fit(A)
    assert gkc.param_scores_[0] == -np.inf and gkc.param_ == 1.0
    with pytest.raises(ValueError, match="could not be computed"):
        GraphKernelClustering(2, kernel="logFor", param=1e-6, param_space="raw").fit(A)


def test_bad_graphs_raise():
    A = np.zeros((4, 4))
    A[0, 1] = A[1, 0] = A[2, 3] = A[3, 2] = 1
    with pytest.raises(ValueError, match="disconnected"):
        GraphKernelClustering(2).fit(A)
    with pytest.raises(ValueError, match="n_clusters"):
        GraphKernelClustering(5, kernel="Comm", param=0.3).fit(A)
    with pytest.raises(ValueError, match=r"\(0, 1\)"):
        GraphKernelClustering(2, kernel="Comm", param=1.5).fit(A)


def test_check_clustering_assertions_on_a_graph():
    # What sklearn's check_clustering asserts, on a graph with blobs as classes.
    A, y = make_sbm(50, 3, 0.5, 0.05, random_state=7)
    gkc = GraphKernelClustering(3, random_state=0)
    labels = gkc.fit_predict(A)
    assert adjusted_rand_score(y, labels) > 0.4
    np.testing.assert_array_equal(labels, gkc.fit(A.tolist()).labels_)
    assert labels.dtype == np.int64 and sorted(set(labels.tolist())) == [0, 1, 2]


def test_modularity_matches_networkx():
    A, y = make_sbm(40, 3, 0.4, 0.1, random_state=2)
    rng = np.random.RandomState(0)
    W = A * rng.uniform(0.5, 2, size=A.shape)
    W = (W + W.T) / 2
    G = nx.from_numpy_array(W)
    labels = rng.randint(3, size=40)
    communities = [set(np.flatnonzero(labels == k)) for k in range(3)]
    assert modularity(W, labels) == pytest.approx(nx_modularity(G, communities))


def test_reject_curve_area_is_the_pair_auc():
    A, y = make_sbm(40, 2, 0.4, 0.1, random_state=3)
    K = GraphKernel("logComm", 0.5).fit(A).kernel_
    K = np.round(K, 1)  # ties
    frac_inter, frac_intra, auc = reject_curve(K, y)
    rows, cols = np.triu_indices(40, 1)
    assert auc == pytest.approx(roc_auc_score(y[rows] == y[cols], K[rows, cols]))
    assert frac_inter[0] == frac_intra[0] == 0 and frac_inter[-1] == frac_intra[-1] == 1
    assert np.all(np.diff(frac_inter) >= 0) and np.all(np.diff(frac_intra) >= 0)
    D = GraphKernel("logComm", 0.5, output="distance").fit(A).distance_
    auc_d = reject_curve(D, y, is_distance=True)[2]
    assert auc_d == pytest.approx(roc_auc_score(y[rows] == y[cols], -D[rows, cols]))


def test_reject_curve_display():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    A, y = load_karate(return_X_y=True)
    K = GraphKernel("logComm", 0.5).fit_transform(A)
    display = RejectCurveDisplay.from_kernel(K, y, name="logComm")
    np.testing.assert_allclose(display.line_.get_xdata(), reject_curve(K, y)[0])
    assert "logComm" in display.ax_.get_legend().get_texts()[0].get_text()


def test_make_sbm_edge_probabilities():
    # Empirical edge densities inside/across classes vs p_in/p_out.
    A, y = make_sbm(300, 3, 0.3, 0.05, random_state=0)
    same = y[:, None] == y[None, :]
    off_diag = ~np.eye(300, dtype=bool)
    assert A[same & off_diag].mean() == pytest.approx(0.3, abs=0.01)
    assert A[~same].mean() == pytest.approx(0.05, abs=0.005)
    assert np.all(A == A.T) and np.all(np.diag(A) == 0)
    A2, y2 = make_sbm(100, 2, sizes=[10, 90], prob_matrix=[[0.9, 0.02], [0.02, 0.3]])
    assert np.bincount(y2).tolist() == [10, 90]
    assert nx.is_connected(nx.from_numpy_array(A2))
    with pytest.raises(ValueError, match="connected"):
        make_sbm(60, 2, 0.0, 0.0, max_tries=3, random_state=0)
    with pytest.raises(ValueError, match="sizes"):
        make_sbm(10, 2, sizes=[3, 3])


@pytest.mark.parametrize(
    "loader, name, n_nodes, n_edges, n_classes",
    [
        (load_karate, "karate", 34, 78, 2),
        (load_dolphins, "dolphins", 62, 159, 2),
        (load_polbooks, "polbooks", 105, 441, 3),
        (load_football, "football", 115, 613, 12),
    ],
)
def test_bundled_graphs(loader, name, n_nodes, n_edges, n_classes):
    data = loader()
    A, y = data.adjacency, data.target
    assert A.shape == (n_nodes, n_nodes) and A.sum() == 2 * n_edges
    assert len(data.target_names) == n_classes
    if name == "karate":  # the same graph as networkx's copy (other node order)
        G = nx.karate_club_graph()
        assert nx.is_isomorphic(nx.from_numpy_array(A), G)
        assert sorted(np.bincount(y).tolist()) == [16, 18]
    shared = get_shared_data_dir()
    if shared is not None and (shared / "community_graphs").is_dir():
        G = nx.read_gml(shared / "community_graphs" / f"{name}.gml", label="id")
        np.testing.assert_array_equal(A, nx.to_numpy_array(G, weight=None))
        gt = [str(G.nodes[v]["gt"]) for v in G]
        assert adjusted_rand_score(gt, y) == 1.0
