"""GraphKernel: parametric proximity measures between the nodes of a graph."""

import hashlib
from numbers import Real

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin

from ..utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from ..utils.validation import check_adjacency
from ._families import (
    KINDS,
    _GraphSpectra,
    compute_kernel,
    parse_kind,
    resolve_param,
)

__all__ = ["GraphKernel"]

#: Plain kernels that stay defined on a disconnected graph (block-diagonal);
#: every log kernel, RSP/FE and the degree-normalized families need one component.
_DEFINED_WHEN_DISCONNECTED = ("pWalk", "For", "Comm", "Heat", "SCT", "DF", "Abs")


def _is_networkx_graph(X):
    return type(X).__module__.startswith("networkx") and hasattr(X, "adj")


def graph_to_adjacency(X, weight="weight"):
    """A networkx graph becomes a CSR adjacency (node order: ``list(X)``)."""
    if _is_networkx_graph(X):
        import networkx as nx

        if X.is_directed():
            raise ValueError(
                "X is a directed networkx graph; graph kernels need an undirected "
                "graph (use X.to_undirected())."
            )
        return nx.to_scipy_sparse_array(
            X, nodelist=list(X), weight=weight, format="csr"
        )
    return X


def validate_graph(estimator, X, *, kind, weight="weight", reset=True):
    """validate_data + check_adjacency; returns a dense float64 adjacency."""
    X = graph_to_adjacency(X, weight)
    X = validate_data(
        estimator,
        X,
        accept_sparse=["csr", "csc", "coo"],
        dtype=np.float64,
        ensure_min_samples=2,
        reset=reset,
    )
    base, take_log = parse_kind(kind)
    needs_connected = take_log or base not in _DEFINED_WHEN_DISCONNECTED
    A = check_adjacency(X, require_connected=needs_connected, name="X")
    A = A.toarray() if sp.issparse(A) else np.array(A, dtype=np.float64)
    if not np.any(A):
        raise ValueError("X (adjacency) has no edges; every entry is zero.")
    return A


def _row_digests(M):
    # + 0.0 maps -0.0 to 0.0 so equal rows give equal bytes.
    M = np.ascontiguousarray(M, dtype=np.float64) + 0.0
    return [hashlib.blake2b(row.tobytes(), digest_size=16).digest() for row in M]


class GraphKernel(OneToOneFeatureMixin, TransformerMixin, BaseEstimator):
    """Parametric kernels and distances between the nodes of a graph.

    Computes one of the proximity families compared by Ivashkin & Chebotarev
    (2016), or its elementwise logarithm, on an undirected weighted graph:
    walk (pWalk = (I - tA)^-1 and its log Walk), forest (For = (I + tL)^-1,
    logFor), communicability (Comm = exp(tA), logComm), heat (Heat = exp(-tL),
    logHeat), sigmoid commute time (SCT, SCCT), randomized shortest path
    (RSP), free energy (FE), and SP-CT, plus the later NHeat, PPR, ModifPPR,
    HeatPR, DF and Abs with their log versions.

    Parameters
    ----------
    kind : str, default="logComm"
        The family. One of ``pWalk, Walk, For, logFor, Comm, logComm, Heat,
        logHeat, SCT, SCCT, RSP, FE, SP-CT, NHeat, PPR, ModifPPR, HeatPR, DF,
        Abs`` and ``log<name>`` for any kernel family among them (``Walk`` is
        the log of ``pWalk``). A log kernel needs a connected graph.
    param : float, default=0.5
        The family's parameter. With ``param_space="normalized"`` it is
        alpha in (0, 1) ([0, 1] for SP-CT), mapped to the raw parameter as in
        the paper: t = alpha / rho for pWalk/Walk (rho the spectral radius of
        A), t = alpha / (2 (1 - alpha)) for For, Comm, Heat, SCT, SCCT, NHeat,
        HeatPR, DF, Abs and their logs, beta = (1 - alpha) / alpha for RSP and
        FE, and the identity for SP-CT (lambda), PPR and ModifPPR.
    param_space : {"normalized", "raw"}, default="normalized"
        Whether ``param`` is alpha or the raw parameter.
    output : {"kernel", "distance"}, default="kernel"
        What :meth:`transform` returns. Distances are
        Delta_ij = (H_ii + H_jj) / 2 - H_ij (its square root for Comm and
        logComm only, Estrada's communicability distance); RSP and FE are
        distances natively and their kernel is -1/2 Hc Delta Hc.
    weight : str or None, default="weight"
        Edge attribute read when ``X`` is a networkx graph (None: 0/1 graph).

    Attributes
    ----------
    kernel_ : ndarray of shape (n_nodes, n_nodes)
        The kernel. For Comm, exp(tA) is divided by e^(t lambda_1) when it
        would overflow float64 (a RuntimeWarning says so); Ward and kernel
        k-means are invariant to that factor.
    distance_ : ndarray of shape (n_nodes, n_nodes)
        The distance (only with ``output="distance"``).
    t_ : float
        The raw parameter used.
    spectral_radius_ : float
        Largest eigenvalue of the adjacency matrix.
    n_nodes_ : int
        Number of nodes.
    n_features_in_ : int
        Equal to ``n_nodes_`` (each column of the adjacency is a node).
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame ``X``, if it had string column names.

    See Also
    --------
    GraphKernelClustering : Clusters nodes with these kernels.
    sklike.cluster.KernelWard : Ward clustering on a precomputed kernel.
    sklike.cluster.KernelKMeans : Kernel k-means on a precomputed kernel.

    Notes
    -----
    ``fit`` takes the adjacency matrix (dense, scipy.sparse or a networkx
    graph): symmetric, non-negative, finite. Self-loops (a non-zero diagonal)
    are kept as weighted loops: they enter A (walks, communicability) and
    cancel in L = D - A. The graph is decomposed once; log kernels never take
    the log of a value <= 0: when the eigen route underflows they are
    recomputed with inverses or ``scipy.linalg.expm`` of a Metzler matrix, and
    a ValueError is raised if entries are still <= 0.

    ``transform(X)`` reads each row of ``X`` as a node's edge weights to the
    fitted nodes. A row equal to a fitted node's row returns that node's
    kernel (or distance) row, so ``fit(A).transform(A)`` is ``kernel_``; any
    other row (a new node) gets the weighted mean of its neighbours' rows, a
    one-step out-of-sample extension (the column mean when it has no edges).

    References
    ----------
    .. [1] V. Ivashkin and P. Chebotarev, "Do logarithmic proximity measures
       outperform plain ones in graph clustering?", NET 2016, Springer Proc.
       Math. Stat. 197 (2017), 87-105. arXiv:1605.01046.
    .. [2] K. Avrachenkov, P. Chebotarev and D. Rubanov, "Kernels on graphs as
       proximity measures", WAW 2017.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.graph import GraphKernel
    >>> A = np.array([[0, 1, 1, 0], [1, 0, 1, 0], [1, 1, 0, 1], [0, 0, 1, 0]])
    >>> gk = GraphKernel(kind="logComm", param=0.5).fit(A)
    >>> gk.kernel_.shape
    (4, 4)
    >>> bool(gk.kernel_[0, 1] > gk.kernel_[0, 3])
    True
    """

    _parameter_constraints: dict = {
        "kind": [StrOptions(set(KINDS))],
        "param": [Interval(Real, 0, None, closed="left")],
        "param_space": [StrOptions({"normalized", "raw"})],
        "output": [StrOptions({"kernel", "distance"})],
        "weight": [str, None],
    }

    def __init__(
        self,
        kind="logComm",
        param=0.5,
        *,
        param_space="normalized",
        output="kernel",
        weight="weight",
    ):
        self.kind = kind
        self.param = param
        self.param_space = param_space
        self.output = output
        self.weight = weight

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute the kernel of the graph with adjacency ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_nodes, n_nodes) or networkx.Graph
            Symmetric non-negative adjacency matrix.
        y : None
            Ignored.

        Returns
        -------
        self : GraphKernel
            The fitted estimator.
        """
        A = validate_graph(self, X, kind=self.kind, weight=self.weight)
        spectra = _GraphSpectra(A)
        self.n_nodes_ = A.shape[0]
        self.spectral_radius_ = spectra.spectral_radius
        self.t_ = resolve_param(
            self.kind, self.param, self.param_space, self.spectral_radius_
        )
        self.kernel_, distance = compute_kernel(
            spectra, self.kind, self.t_, self.output
        )
        if distance is not None:
            self.distance_ = distance
        self._fit_digests = _row_digests(A)
        self._row_index = {}
        for i, digest in enumerate(self._fit_digests):
            self._row_index.setdefault(digest, i)
        return self

    def fit_transform(self, X, y=None):
        """Fit and return the kernel (or distance) matrix.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_nodes, n_nodes) or networkx.Graph
            Symmetric non-negative adjacency matrix.
        y : None
            Ignored.

        Returns
        -------
        K : ndarray of shape (n_nodes, n_nodes)
            The kernel (or distance) matrix, a copy of ``kernel_``
            (``distance_``).
        """
        self.fit(X)
        return self._fitted_output().copy()

    def _fitted_output(self):
        return self.distance_ if self.output == "distance" else self.kernel_

    def transform(self, X):
        """Kernel (or distance) rows of the nodes whose edge rows are ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_queries, n_nodes)
            Each row: a node's edge weights to the fitted nodes.

        Returns
        -------
        K : ndarray of shape (n_queries, n_nodes)
            Kernel (or distance) rows of the queried nodes.
        """
        check_is_fitted(self)
        X = graph_to_adjacency(X, self.weight)
        X = validate_data(
            self, X, accept_sparse=["csr", "csc", "coo"], dtype=np.float64, reset=False
        )
        X = X.toarray() if sp.issparse(X) else np.asarray(X)
        if np.any(X < 0):
            raise ValueError(
                "Negative values in data passed as X: edge weights must be "
                "non-negative."
            )
        fitted = self._fitted_output()
        out = np.empty((X.shape[0], self.n_nodes_))
        for i, digest in enumerate(_row_digests(X)):
            node = None
            # Same position first, so duplicated adjacency rows map to themselves.
            if i < self.n_nodes_ and self._fit_digests[i] == digest:
                node = i
            else:
                node = self._row_index.get(digest)
            if node is not None:
                out[i] = fitted[node]
            elif X[i].sum() > 0:
                out[i] = (X[i] / X[i].sum()) @ fitted
            else:
                out[i] = fitted.mean(axis=0)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.pairwise = True
        tags.input_tags.positive_only = True
        tags.input_tags.sparse = True
        tags.transformer_tags.preserves_dtype = ["float64"]
        return tags
