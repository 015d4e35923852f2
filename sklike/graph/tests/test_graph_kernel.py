"""GraphKernel against closed forms computed directly with SciPy."""

import warnings
from math import lgamma, log

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from scipy.linalg import eigvalsh, expm, inv, pinv

from sklike.cluster import KernelKMeans, KernelWard
from sklike.graph import GraphKernel
from sklike.graph._families import KINDS


def _random_graph(n=9, seed=0, weighted=True):
    rng = np.random.RandomState(seed)
    G = nx.connected_watts_strogatz_graph(n, 4, 0.3, seed=seed)
    A = nx.to_numpy_array(G, weight=None)
    if weighted:
        W = rng.uniform(0.5, 2.0, size=A.shape)
        A = A * (W + W.T) / 2
    return A


def _reference(kind, A, t):
    """The families' formulas, written out naively with SciPy."""
    n = len(A)
    eye, ones = np.eye(n), np.ones((n, n))
    d = A.sum(1)
    D = np.diag(d)
    L = D - A
    P = A / d[:, None]
    Dm = np.diag(d**-0.5)
    nL = eye - Dm @ A @ Dm
    Hc = eye - ones / n

    def sigmoid(M):
        return 1 / (1 + np.exp(-t * M / M.std()))

    def ref_rsp_fe(base):
        C = np.where(A > 0, 1 / np.where(A > 0, A, 1), 1e300)
        W = P * np.exp(-t * C)
        Z = inv(eye - W)
        if base == "RSP":
            S = (Z @ (C * W) @ Z) / Z
            Cbar = S - np.ones((n, 1)) @ np.diag(S)[None, :]
            Delta = (Cbar + Cbar.T) / 2
        else:
            Phi = -np.log(Z @ inv(np.diag(np.diag(Z)))) / t
            Delta = (Phi + Phi.T) / 2
        np.fill_diagonal(Delta, 0)
        return -0.5 * Hc @ Delta @ Hc

    vol = A.sum()
    M = Dm @ (A - np.outer(d, d) / vol) @ Dm
    K_cct = Hc @ Dm @ M @ pinv(eye - M) @ M @ Dm @ Hc
    double_factorial = [1.0, 1.0]
    for k in range(2, 80):
        double_factorial.append(double_factorial[-2] * k)
    spd = nx.floyd_warshall_numpy(
        nx.from_numpy_array(np.where(A > 0, 1 / np.where(A > 0, A, 1), 0)),
        weight="weight",
    )
    refs = {
        "pWalk": lambda: inv(eye - t * A),
        "For": lambda: inv(eye + t * L),
        "Comm": lambda: expm(t * A),
        "Heat": lambda: expm(-t * L),
        "SCT": lambda: sigmoid(pinv(L)),
        "SCCT": lambda: sigmoid(K_cct),
        "RSP": lambda: ref_rsp_fe("RSP"),
        "FE": lambda: ref_rsp_fe("FE"),
        "SP-CT": lambda: t * (-0.5 * Hc @ spd @ Hc) + (1 - t) * 2 * inv(L + ones / n),
        "NHeat": lambda: expm(-t * nL),
        "PPR": lambda: inv(eye - t * P),
        "ModifPPR": lambda: inv(D - t * A),
        "HeatPR": lambda: expm(-t * (eye - P)),
        "DF": lambda: sum(
            np.linalg.matrix_power(t * A, k) / double_factorial[k] for k in range(80)
        ),
        "Abs": lambda: pinv(t * A + L),
    }
    if kind == "Walk":
        return np.log(refs["pWalk"]())
    if kind.startswith("log"):
        return np.log(refs[kind[3:]]())
    return refs[kind]()


RAW_PARAM = {"pWalk": 0.1, "Walk": 0.1, "SP-CT": 0.4, "PPR": 0.7, "ModifPPR": 0.7}


@pytest.mark.parametrize("kind", KINDS)
def test_kernel_matches_closed_form(kind):
    A = _random_graph()
    base = kind[3:] if kind.startswith("log") else kind
    t = RAW_PARAM.get(kind, RAW_PARAM.get(base, 0.6))
    K = GraphKernel(kind, t, param_space="raw").fit(A).kernel_
    np.testing.assert_allclose(K, _reference(kind, A, t), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(
    "kind, alpha, expected",
    [
        ("pWalk", 0.5, lambda rho: 0.5 / rho),
        ("Walk", 0.9, lambda rho: 0.9 / rho),
        ("logFor", 0.5, lambda rho: 0.5),
        ("Comm", 0.75, lambda rho: 1.5),
        ("RSP", 0.25, lambda rho: 3.0),
        ("FE", 0.5, lambda rho: 1.0),
        ("SP-CT", 0.3, lambda rho: 0.3),
    ],
)
def test_normalized_parameter_scaling(kind, alpha, expected):
    A = _random_graph()
    rho = eigvalsh(A)[-1]
    gk = GraphKernel(kind, alpha).fit(A)
    assert gk.t_ == pytest.approx(expected(rho))
    assert gk.spectral_radius_ == pytest.approx(rho)


@pytest.mark.parametrize("kind", ["logComm", "Comm", "logFor", "Walk", "Heat", "RSP"])
def test_distance_formula(kind):
    A = _random_graph(seed=1)
    gk = GraphKernel(kind, 0.4, output="distance").fit(A)
    H = gk.kernel_
    h = np.diag(H)
    expected = (h[:, None] + h[None, :]) / 2 - H
    if kind in ("Comm", "logComm"):
        expected = np.sqrt(np.maximum(expected, 0))
    if kind == "RSP":  # native distance; the kernel is -1/2 Hc D Hc
        np.testing.assert_allclose(expected, gk.distance_ / 2, atol=1e-10)
    else:
        np.testing.assert_allclose(gk.distance_, expected, atol=1e-10)
    np.testing.assert_allclose(gk.transform(A), gk.distance_)


def test_clusterings_invariant_to_constants_added_to_a_log_kernel():
    A = _random_graph(n=30, seed=2, weighted=False)
    H = GraphKernel("logComm", 0.5).fit(A).kernel_
    rng = np.random.RandomState(0)
    h = rng.normal(size=len(A))
    H2 = 3.0 * (H + 7.0 + h[:, None] + h[None, :])
    D1 = GraphKernel("logComm", 0.5, output="distance").fit(A).distance_
    hh = np.diag(H2)
    D2 = np.sqrt(np.maximum((hh[:, None] + hh[None, :]) / 2 - H2, 0)) / np.sqrt(3)
    np.fill_diagonal(D2, 0)
    np.testing.assert_allclose(D1, D2, atol=1e-8)
    for est in (KernelWard(3), KernelKMeans(3, random_state=0)):
        a = est.fit(H).labels_
        b = est.fit(H2).labels_
        np.testing.assert_array_equal(a, b)


def test_comm_overflow_is_factored_out():
    # Complete graph K_n: exp(tA) = e^{-t} (I + (e^{tn} - 1) / n J) in closed form.
    n, t = 10, 100.0  # t * lambda_1 = 900: exp(tA) overflows float64
    A = np.ones((n, n)) - np.eye(n)
    H = GraphKernel("logComm", t, param_space="raw").fit(A).kernel_
    off = -t + t * n - log(n)  # log((e^{tn} - 1) / n), e^{-tn} negligible
    diag = -t + np.logaddexp(0.0, off + t)
    np.testing.assert_allclose(H[0, 1], off, rtol=1e-12)
    np.testing.assert_allclose(np.diag(H), diag, rtol=1e-12)
    with pytest.warns(RuntimeWarning, match="overflows"):
        K = GraphKernel("Comm", t, param_space="raw").fit(A).kernel_
    # Returned divided by e^{t lambda_1}: still proportional to the true kernel.
    np.testing.assert_allclose(np.log(K) - H, np.log(K[0, 1]) - H[0, 1], atol=1e-9)


def _exp_series(M, terms=150):
    """exp(M) of a non-negative M by its power series: no cancellation at all."""
    total, term = np.eye(len(M)), np.eye(len(M))
    for k in range(1, terms):
        term = term @ M / k
        total = total + term
    return total


def _path(n):
    A = np.diag(np.ones(n - 1), 1)
    return A + A.T


N_PATH, T_SMALL = 30, 0.02
_D = _path(N_PATH).sum(1)
UNDERFLOW_REFERENCES = {
    "logComm": lambda A, t: np.log(_exp_series(t * A)),
    # exp(-tL) = e^{-2t} exp(t (A + diag(2 - d))), 2 = max degree
    "logHeat": lambda A, t: np.log(_exp_series(t * (A + np.diag(2 - _D)))) - 2 * t,
    # exp(-t nL) = e^{-t} exp(t D^-1/2 A D^-1/2)
    "logNHeat": lambda A, t: np.log(_exp_series(t * A / np.sqrt(np.outer(_D, _D)))) - t,
    "logFor": lambda A, t: np.log(inv(np.eye(len(A)) + t * (np.diag(_D) - A))),
    "Walk": lambda A, t: np.log(inv(np.eye(len(A)) - t * A)),
}


@pytest.mark.parametrize("kind", list(UNDERFLOW_REFERENCES))
def test_underflow_at_small_t_uses_a_stable_route(kind):
    # On a path, far entries are about t^d / d!, 1e-80 times the diagonal,
    # where the eigen route (and scipy's expm) returns noise or values <= 0.
    A = _path(N_PATH)
    H = GraphKernel(kind, T_SMALL, param_space="raw").fit(A).kernel_
    np.testing.assert_allclose(H, UNDERFLOW_REFERENCES[kind](A, T_SMALL), rtol=1e-9)
    if kind == "logComm":  # leading term of the far corner: t^(n-1) / (n-1)!
        expected = (N_PATH - 1) * log(T_SMALL) - lgamma(N_PATH)
        assert H[0, -1] == pytest.approx(expected, rel=1e-4)


def test_log_of_non_positive_kernel_raises():
    # Abs = (tA + L)^+ has negative entries on this graph: its log is undefined.
    A = _random_graph(seed=3)
    with pytest.raises(ValueError, match="log is undefined"):
        GraphKernel("logAbs", 2.0, param_space="raw").fit(A)


def test_inputs_dense_sparse_networkx_agree():
    G = nx.karate_club_graph()
    A = nx.to_numpy_array(G, weight=None)
    ref = GraphKernel("logFor", 0.5, weight=None).fit(G).kernel_
    np.testing.assert_allclose(GraphKernel("logFor", 0.5).fit(A).kernel_, ref)
    np.testing.assert_allclose(
        GraphKernel("logFor", 0.5).fit(sp.csr_array(A)).kernel_, ref
    )
    Aw = nx.to_numpy_array(G, weight="weight")
    np.testing.assert_allclose(
        GraphKernel("logFor", 0.5).fit(G).kernel_,
        GraphKernel("logFor", 0.5).fit(Aw).kernel_,
    )


def test_transform_out_of_sample_rows():
    A = _random_graph(n=12, seed=4)
    gk = GraphKernel("logComm", 0.4).fit(A)
    np.testing.assert_allclose(gk.transform(A), gk.kernel_)
    np.testing.assert_allclose(gk.transform(A[[5, 2]]), gk.kernel_[[5, 2]])
    new = np.zeros((2, 12))
    new[0, [1, 3]] = [1.0, 3.0]
    out = gk.transform(new)
    np.testing.assert_allclose(out[0], 0.25 * gk.kernel_[1] + 0.75 * gk.kernel_[3])
    np.testing.assert_allclose(out[1], gk.kernel_.mean(axis=0))


@pytest.mark.parametrize(
    "A, kind, match",
    [
        (np.array([[0, 1.0, 0], [1, 0, 0], [0, 0, 0]]), "logComm", "disconnected"),
        (np.array([[0, -1.0], [-1.0, 0]]), "Comm", "Negative values"),
        (np.array([[0, 1.0], [0.0, 0]]), "Comm", "symmetric"),
        (np.ones((3, 4)), "Comm", "square"),
        (np.zeros((3, 3)), "Comm", "no edges"),
    ],
)
def test_bad_adjacency(A, kind, match):
    with pytest.raises(ValueError, match=match):
        GraphKernel(kind, 0.5).fit(A)


def test_plain_kernels_allow_disconnected_graphs_and_self_loops():
    A = np.array([[0, 1.0, 0, 0], [1, 0, 0, 0], [0, 0, 0, 2], [0, 0, 2, 0]])
    K = GraphKernel("Comm", 0.5, param_space="raw").fit(A).kernel_
    np.testing.assert_allclose(K, expm(0.5 * A), rtol=1e-10, atol=1e-14)
    # A self-loop is a weighted loop: it enters A and cancels in L.
    A_loop = _random_graph(seed=5)
    A_loop[0, 0] = 1.5
    t = 0.3
    np.testing.assert_allclose(
        GraphKernel("Comm", t, param_space="raw").fit(A_loop).kernel_,
        expm(t * A_loop),
        rtol=1e-8,
    )
    L = np.diag(A_loop.sum(1)) - A_loop
    np.testing.assert_allclose(
        GraphKernel("For", t, param_space="raw").fit(A_loop).kernel_,
        inv(np.eye(len(A_loop)) + t * L),
        rtol=1e-8,
    )


@pytest.mark.parametrize(
    "kind, param, space, match",
    [
        ("logComm", 1.0, "normalized", r"\(0, 1\)"),
        ("Walk", 2.0, "raw", "1/rho"),
        ("SP-CT", 1.5, "raw", r"\[0, 1\]"),
        ("PPR", 1.0, "raw", r"\(0, 1\)"),
        ("Comm", 0.0, "raw", "> 0"),
    ],
)
def test_bad_param(kind, param, space, match):
    A = _random_graph()
    with pytest.raises(ValueError, match=match):
        GraphKernel(kind, param, param_space=space).fit(A)


def test_pwalk_near_one_stays_finite():
    A = _random_graph(n=20, seed=6, weighted=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        H = GraphKernel("Walk", 0.999).fit(A).kernel_
    rho = eigvalsh(A)[-1]
    np.testing.assert_allclose(H, np.log(inv(np.eye(20) - 0.999 / rho * A)), rtol=1e-6)
