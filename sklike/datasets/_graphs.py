"""Graph generators and the small bundled benchmark graphs with ground truth."""

import csv
from numbers import Integral, Real

import numpy as np
from scipy.sparse.csgraph import connected_components
from sklearn.utils import Bunch, check_random_state

from ..utils._sklearn_compat import Interval, validate_params
from ._base import _bundled_path

__all__ = [
    "load_dolphins",
    "load_football",
    "load_karate",
    "load_polbooks",
    "make_sbm",
]


@validate_params(
    {
        "n_samples": [Interval(Integral, 2, None, closed="left")],
        "n_clusters": [Interval(Integral, 1, None, closed="left")],
        "p_in": [Interval(Real, 0, 1, closed="both")],
        "p_out": [Interval(Real, 0, 1, closed="both")],
        "sizes": ["array-like", None],
        "prob_matrix": ["array-like", None],
        "require_connected": ["boolean"],
        "max_tries": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_sbm(
    n_samples,
    n_clusters,
    p_in=0.3,
    p_out=0.1,
    *,
    sizes=None,
    prob_matrix=None,
    require_connected=True,
    max_tries=100,
    random_state=None,
):
    """Draw a stochastic block model graph G(N, (m) p_in, p_out).

    Nodes in ``n_clusters`` classes; each pair of distinct nodes is joined
    independently with probability ``p_in`` inside a class and ``p_out``
    across (or ``prob_matrix[c_i, c_j]``). Undirected, no loops: the
    generator of Ivashkin & Chebotarev (2016).

    Parameters
    ----------
    n_samples : int
        Number of nodes N.
    n_clusters : int
        Number of classes m.
    p_in, p_out : float, default=0.3, 0.1
        Edge probabilities within and across classes.
    sizes : array-like of int or None, default=None
        Class sizes (summing to ``n_samples``); None gives equal sizes (the
        first ``n_samples % n_clusters`` classes one node larger).
    prob_matrix : array-like of shape (n_clusters, n_clusters) or None
        Symmetric block probabilities; overrides ``p_in``/``p_out``.
    require_connected : bool, default=True
        Redraw until the graph is connected.
    max_tries : int, default=100
        Redraws allowed before a ValueError.
    random_state : int, RandomState instance or None, default=None
        Seed.

    Returns
    -------
    A : ndarray of shape (n_samples, n_samples)
        0/1 symmetric adjacency with a zero diagonal.
    y : ndarray of shape (n_samples,)
        Class of each node (sorted: class 0 first).

    Examples
    --------
    >>> from sklike.datasets import make_sbm
    >>> A, y = make_sbm(100, 2, 0.3, 0.05, random_state=0)
    >>> A.shape, bool((A == A.T).all()), int(A.trace())
    ((100, 100), True, 0)
    """
    rng = check_random_state(random_state)
    if sizes is None:
        sizes = np.full(n_clusters, n_samples // n_clusters)
        sizes[: n_samples % n_clusters] += 1
    sizes = np.asarray(sizes, dtype=np.int64)
    if sizes.shape != (n_clusters,) or sizes.min() < 1 or sizes.sum() != n_samples:
        raise ValueError(
            f"sizes must hold {n_clusters} positive class sizes summing to "
            f"n_samples={n_samples}; got {sizes.tolist()}."
        )
    if prob_matrix is None:
        P = np.full((n_clusters, n_clusters), float(p_out))
        np.fill_diagonal(P, p_in)
    else:
        P = np.asarray(prob_matrix, dtype=np.float64)
        if P.shape != (n_clusters, n_clusters) or not np.allclose(P, P.T):
            raise ValueError(
                "prob_matrix must be a symmetric (n_clusters, n_clusters) matrix; "
                f"got shape {P.shape}."
            )
        if P.min() < 0 or P.max() > 1:
            raise ValueError("prob_matrix entries must be probabilities in [0, 1].")
    y = np.repeat(np.arange(n_clusters), sizes)
    probs = P[y[:, None], y[None, :]]
    upper = np.triu_indices(n_samples, k=1)
    for _ in range(max_tries):
        A = np.zeros((n_samples, n_samples))
        A[upper] = rng.uniform(size=upper[0].size) < probs[upper]
        A = A + A.T
        if not require_connected or connected_components(A, directed=False)[0] == 1:
            return A, y
    raise ValueError(
        f"No connected graph in max_tries={max_tries} draws; raise p_in/p_out or "
        "pass require_connected=False."
    )


def _load_graph(name, descr, return_X_y):
    with open(_bundled_path(f"{name}_nodes.csv"), newline="") as f:
        nodes = list(csv.DictReader(f))
    with open(_bundled_path(f"{name}_edges.csv"), newline="") as f:
        edges = np.array(
            [[int(r["source"]), int(r["target"])] for r in csv.DictReader(f)]
        )
    n = len(nodes)
    A = np.zeros((n, n))
    A[edges[:, 0], edges[:, 1]] = 1.0
    A[edges[:, 1], edges[:, 0]] = 1.0
    target_names, target = np.unique(
        [r["community"] for r in nodes], return_inverse=True
    )
    if return_X_y:
        return A, target
    return Bunch(
        adjacency=A,
        target=target,
        target_names=target_names,
        node_names=np.array([r["label"] for r in nodes]),
        DESCR=descr,
    )


def _loader_doc(name, summary, source):
    return f"""{summary}

    {source}

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(adjacency, target)`` instead of a Bunch.

    Returns
    -------
    data : Bunch
        ``adjacency`` (dense 0/1 ndarray), ``target`` (int community of each
        node), ``target_names``, ``node_names`` and ``DESCR``. With
        ``return_X_y=True``, the tuple ``(adjacency, target)`` instead.

    Examples
    --------
    >>> from sklike.datasets import load_{name}
    >>> A, y = load_{name}(return_X_y=True)
    >>> bool((A == A.T).all())
    True
    """


_DESCR = {
    "karate": "Zachary's karate club (W. W. Zachary, J. Anthropol. Res. 33, 1977): "
    "34 members, 78 friendships, split into 2 factions.",
    "dolphins": "Doubtful Sound bottlenose dolphins (D. Lusseau et al., Behav. "
    "Ecol. Sociobiol. 54, 2003): 62 dolphins, 159 frequent associations, 2 groups.",
    "polbooks": "Books about US politics (V. Krebs, 2004, via M. Newman's netdata): "
    "105 books, 441 Amazon co-purchases, leaning liberal/neutral/conservative.",
    "football": "Division IA college football games, Fall 2000 (M. Girvan and M. E. "
    "J. Newman, PNAS 99, 2002): 115 teams, 613 games, 12 conferences.",
}


def load_karate(*, return_X_y=False):  # noqa: D103 - docstring set below
    return _load_graph("karate", _DESCR["karate"], return_X_y)


def load_dolphins(*, return_X_y=False):  # noqa: D103
    return _load_graph("dolphins", _DESCR["dolphins"], return_X_y)


def load_polbooks(*, return_X_y=False):  # noqa: D103
    return _load_graph("polbooks", _DESCR["polbooks"], return_X_y)


def load_football(*, return_X_y=False):  # noqa: D103
    return _load_graph("football", _DESCR["football"], return_X_y)


load_karate.__doc__ = _loader_doc(
    "karate",
    "Load Zachary's karate club graph (34 nodes, 2 factions).",
    _DESCR["karate"],
)
load_dolphins.__doc__ = _loader_doc(
    "dolphins",
    "Load Lusseau's dolphin network (62 nodes, 2 groups).",
    _DESCR["dolphins"],
)
load_polbooks.__doc__ = _loader_doc(
    "polbooks",
    "Load Krebs' political books graph (105 nodes, 3 leanings).",
    _DESCR["polbooks"],
)
load_football.__doc__ = _loader_doc(
    "football",
    "Load the 2000 college football graph (115 nodes, 12 conferences).",
    _DESCR["football"],
)
