"""SDPKMeans: the Peng--Wei semidefinite relaxation of K-means."""

import numbers

import numpy as np
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from ._sdp_solvers import SDPCosts, solve_sdp, solver_params_for

__all__ = ["SDPKMeans"]

#: Above this many samples ``solver="auto"`` switches from ADMM (n x n
#: eigendecompositions per iteration) to Burer--Monteiro (O(n p r) per iteration).
ADMM_MAX_SAMPLES = 200


def check_n_clusters(n_samples, n_clusters, estimator_name):
    """Raise a ValueError naming ``n_clusters`` when there are fewer samples."""
    if n_samples < n_clusters:
        raise ValueError(
            f"{estimator_name}: n_samples={n_samples} should be >= "
            f"n_clusters={n_clusters}; lower n_clusters or pass more samples."
        )


def validate_sdp_fit(estimator, X, admm_max_samples, defaults=None):
    """What both SDP clusterers' ``fit`` start with.

    Validates ``X`` (float64, at least 2 samples and ``n_clusters``), resolves
    ``solver="auto"`` (ADMM up to ``admm_max_samples``, Burer--Monteiro
    beyond) and the solver's parameters.  Returns
    ``(X, solver, params, random_state)``.
    """
    X = validate_data(
        estimator, X, dtype=[np.float64, np.float32], ensure_min_samples=2
    )
    X = np.asarray(X, dtype=np.float64)
    check_n_clusters(X.shape[0], estimator.n_clusters, type(estimator).__name__)
    solver = estimator.solver
    if solver == "auto":
        solver = "admm" if X.shape[0] <= admm_max_samples else "bm"
    params = solver_params_for(solver, estimator.solver_params, defaults)
    return X, solver, params, check_random_state(estimator.random_state)


def spectral_round(solution, n_clusters, *, n_init, random_state):
    """Labels from k-means++ on the top ``n_clusters`` eigenvectors of ``sum_k Z_k``.

    This is the rounding of the Chen--Yang/Zhuang group's code (``main.m``):
    when the relaxation is tight the embedding has exactly ``n_clusters``
    distinct rows, one per cluster.
    """
    embedding = solution.embedding(n_clusters)
    km = KMeans(n_clusters, n_init=n_init, random_state=random_state)
    return km.fit_predict(embedding)


def initial_factor(n_samples, n_clusters, rank, trace, random_state):
    """A random nonnegative Burer--Monteiro start with ``||U||_F^2 = trace``."""
    U = random_state.uniform(size=(1, n_samples, rank))
    return U * np.sqrt(trace / np.sum(U**2))


class SDPKMeans(ClusterMixin, BaseEstimator):
    """K-means clustering by the Peng--Wei semidefinite relaxation.

    Solves the convex relaxation of K-means (Peng and Wei, 2007)::

        minimise <D/2, Z>  s.t.  Z PSD, Z >= 0, Z 1 = 1, tr Z = n_clusters

    with ``D`` the squared Euclidean distances (``<D/2, Z>`` is the
    within-cluster sum of squares when ``Z`` is a partition matrix), then
    rounds ``Z`` by k-means++ on its top eigenvectors.  When the clusters are
    separated enough the relaxation is tight and returns the partition exactly
    (Chen and Yang, 2021), with no dependence on an initialisation.

    Parameters
    ----------
    n_clusters : int, default=8
        Number of clusters.
    solver : {"auto", "admm", "bm", "cvxpy"}, default="auto"
        ``"admm"``: three-block ADMM with a closed-form affine projection
        (one n x n eigendecomposition per iteration; n up to a few hundred).
        ``"bm"``: nonnegative Burer--Monteiro factorisation ``Z = U U'`` with
        ``U`` of shape (n, rank), Numba-compiled, never forming an n x n matrix
        (large n; nonconvex, so it may stop at a non-global point).
        ``"cvxpy"``: the exact SDP through CVXPY (reference, n up to ~150).
        ``"auto"``: ADMM up to 200 samples, Burer--Monteiro beyond.
    rounding : {"spectral"}, default="spectral"
        How labels are read from ``Z``: k-means++ on its top eigenvectors.
    solver_params : dict, default=None
        Solver settings. ADMM: ``rho``, ``max_iter`` (5000), ``tol`` (1e-5).
        BM: ``rank`` (n_clusters; on small tests a rank of 2 n_clusters
        stopped at points 1e-4 above the optimum more often), ``beta``
        (1.0), ``max_iter`` (20000), ``inner_iter`` (100), ``tol`` (1e-6).
        CVXPY: ``solver``, ``solver_options``.
    n_init : int, default=10
        Number of k-means++ runs of the spectral rounding.
    random_state : int, RandomState instance or None, default=None
        Seeds the rounding and the Burer--Monteiro start.
    verbose : int, default=0
        Print solver progress when > 1.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster labels.
    cluster_centers_ : ndarray of shape (n_clusters, n_features)
        Mean of each cluster (used by :meth:`predict`).
    membership_ : ndarray of shape (n_samples, n_samples) or (n_samples, rank)
        The solution ``Z`` (ADMM, CVXPY) or its factor ``U`` (Burer--Monteiro).
    objective_ : float
        Optimal value of the relaxation, a lower bound on the K-means inertia
        (equal to it when the relaxation is tight).
    n_iter_ : int
        Solver iterations (0 for CVXPY).
    solver_ : str
        The solver used.
    solver_status_ : str
        ``"converged"``, ``"max_iter"``, or the CVXPY status.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    sklearn.cluster.KMeans : Lloyd's algorithm, a local search on the same criterion.
    ILASDPClustering : Likelihood-adjusted SDP for clusters of different shapes.

    References
    ----------
    J. Peng and Y. Wei, "Approximating K-means-type clustering via semidefinite
    programming", SIAM J. Optim. 18(1), 2007.

    X. Chen and Y. Yang, "Cutoff for exact recovery of Gaussian mixture models",
    IEEE Trans. Inf. Theory 67(6), 2021.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> from sklike.cluster import SDPKMeans
    >>> X, y = make_blobs(30, centers=[[0, 0], [6, 6]], random_state=0)
    >>> model = SDPKMeans(n_clusters=2, random_state=0).fit(X)
    >>> from sklearn.metrics import adjusted_rand_score
    >>> float(adjusted_rand_score(y, model.labels_))
    1.0
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "solver": [StrOptions({"auto", "admm", "bm", "cvxpy"})],
        "rounding": [StrOptions({"spectral"})],
        "solver_params": [dict, None],
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        n_clusters=8,
        *,
        solver="auto",
        rounding="spectral",
        solver_params=None,
        n_init=10,
        random_state=None,
        verbose=0,
    ):
        self.n_clusters = n_clusters
        self.solver = solver
        self.rounding = rounding
        self.solver_params = solver_params
        self.n_init = n_init
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Solve the relaxation and round it to labels.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : SDPKMeans
            The fitted estimator.
        """
        X, solver, params, random_state = validate_sdp_fit(self, X, ADMM_MAX_SAMPLES)
        n_samples = X.shape[0]

        centred = X - X.mean(axis=0)
        costs = SDPCosts(centred[None], np.zeros(1), np.array([float(self.n_clusters)]))
        U0 = None
        if solver == "bm":
            rank = params.pop("rank") or self.n_clusters
            U0 = initial_factor(
                n_samples, self.n_clusters, rank, float(self.n_clusters), random_state
            )
        solution, status = solve_sdp(
            costs,
            solver,
            params,
            U0=U0,
            verbose=self.verbose,
            what="the Peng-Wei K-means SDP",
        )
        labels = spectral_round(
            solution, self.n_clusters, n_init=self.n_init, random_state=random_state
        )
        self.labels_ = labels
        self.cluster_centers_ = np.stack(
            [
                X[labels == k].mean(axis=0) if np.any(labels == k) else X.mean(axis=0)
                for k in range(self.n_clusters)
            ]
        )
        self.membership_ = (
            solution.blocks[0] if solution.blocks is not None else solution.factors[0]
        )
        self.objective_ = float(solution.objective)
        self.n_iter_ = int(solution.n_iter)
        self.solver_ = solver
        self.solver_status_ = status
        return self

    def predict(self, X):
        """Assign each sample to the nearest cluster mean.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Index of the nearest ``cluster_centers_`` row.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        sq = ((X[:, None, :] - self.cluster_centers_[None, :, :]) ** 2).sum(axis=2)
        return np.argmin(sq, axis=1)
