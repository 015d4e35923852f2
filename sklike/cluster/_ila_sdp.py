"""ILASDPClustering: iterative likelihood-adjusted SDP for heterogeneous mixtures."""

import numbers
import warnings
from numbers import Integral

import numpy as np
import scipy.linalg
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
from sklearn.utils.parallel import Parallel, delayed
from threadpoolctl import threadpool_limits

from ..utils._numba import spawn_seeds
from ..utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from ._sdp import SDPKMeans, spectral_round, validate_sdp_fit
from ._sdp_solvers import SDPCosts, solve_sdp

__all__ = ["ILASDPClustering"]

#: Order in which ``init="auto"`` uses the starting strategies; the SDP
#: K-means start is deterministic up to its rounding, so it is used once.
AUTO_STARTS = ("gmm", "kmeans++", "sdp", "random")

#: Inside the alternation only the rounding of each solution matters, so the
#: solvers stop earlier than when the SDP value itself is the output.
#: ``solver="auto"`` uses ADMM up to this many samples: the alternation solves
#: K blocks per step and Burer--Monteiro, warm-started from the partition, was
#: as accurate and much faster beyond (see benchmarks/bench_ila_sdp.py).
ILA_ADMM_MAX_SAMPLES = 60

_SOLVER_DEFAULTS = {"admm": {"tol": 1e-4}, "bm": {"tol": 1e-5, "rank": 2}}


def _canonical(labels):
    """Relabel so clusters are numbered by first appearance (partition identity)."""
    _, first, inverse = np.unique(labels, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))
    return order[inverse]


def _min_cluster_size(covariance_type, n_features):
    """Smallest cluster whose covariance estimate is not singular."""
    if covariance_type == "full":
        return n_features + 1
    if covariance_type == "tied":
        return 1
    return 2


def _estimate_gaussians(X, labels, n_clusters, covariance_type, reg):
    """MLE means, covariances (sklearn's shapes per type) and weights of a partition."""
    n_samples, n_features = X.shape
    counts = np.bincount(labels, minlength=n_clusters).astype(float)
    weights = counts / n_samples
    means = np.zeros((n_clusters, n_features))
    scatter = np.zeros((n_clusters, n_features, n_features))
    for k in range(n_clusters):
        members = X[labels == k]
        if members.shape[0] == 0:
            continue
        means[k] = members.mean(axis=0)
        centred = members - means[k]
        scatter[k] = centred.T @ centred / members.shape[0]
    eye = np.eye(n_features)
    if covariance_type == "full":
        covariances = scatter + reg * eye
    elif covariance_type == "tied":
        covariances = np.einsum("k,kij->ij", weights, scatter) + reg * eye
    elif covariance_type == "diag":
        covariances = np.diagonal(scatter, axis1=1, axis2=2) + reg
    else:
        covariances = np.trace(scatter, axis1=1, axis2=2) / n_features + reg
    return means, covariances, weights


def _full_covariances(covariances, covariance_type, n_clusters, n_features):
    """Covariances as an array of shape (n_clusters, n_features, n_features)."""
    if covariance_type == "full":
        return covariances
    if covariance_type == "tied":
        return np.broadcast_to(covariances, (n_clusters, n_features, n_features))
    if covariance_type == "diag":
        return np.stack([np.diag(c) for c in covariances])
    return covariances[:, None, None] * np.eye(n_features)[None]


def _whitened_and_logdet(X, full_covs):
    """``Y_k = X L_k^{-T}`` (rows: Mahalanobis coordinates) and ``log det Sigma_k``."""
    factors = []
    logdets = []
    for cov in full_covs:
        chol = scipy.linalg.cholesky(cov, lower=True)
        factors.append(scipy.linalg.solve_triangular(chol, X.T, lower=True).T)
        logdets.append(2.0 * np.sum(np.log(np.diag(chol))))
    return np.stack(factors), np.array(logdets)


def _log_gaussian(X, means, full_covs):
    """``log N(x_i; mu_k, Sigma_k)`` as an array of shape (n_samples, n_clusters)."""
    n_features = X.shape[1]
    out = np.empty((X.shape[0], means.shape[0]))
    for k, cov in enumerate(full_covs):
        chol = scipy.linalg.cholesky(cov, lower=True)
        z = scipy.linalg.solve_triangular(chol, (X - means[k]).T, lower=True)
        logdet = 2.0 * np.sum(np.log(np.diag(chol)))
        out[:, k] = -0.5 * (
            np.sum(z**2, axis=0) + logdet + n_features * np.log(2 * np.pi)
        )
    return out


class ILASDPClustering(ClusterMixin, BaseEstimator):
    """Iterative likelihood-adjusted SDP clustering (iLA-SDP).

    Clusters data drawn from a mixture of Gaussians with *different*
    covariances.  The labels are treated as parameters: the centres are
    profiled out, the assignment is lifted to one membership matrix ``Z_k``
    per cluster, and the convex LA-SDP ::

        minimise sum_k <W_k, Z_k>  s.t.  Z_k PSD, Z_k >= 0, tr Z_k = 1,
                                         sum_k Z_k 1 = 1,
        W_k = D^(k) / 2 + log det(Sigma_k) J  (- 2 log pi_k J if use_weights)

    (``D^(k)``: squared Mahalanobis distances under ``Sigma_k``) is solved
    given the current covariances; the solution is rounded to a partition,
    the covariances re-estimated, and so on.  Several starts (a Gaussian
    mixture fit, k-means++, SDP K-means, random centres) go through the
    alternation and the partition with the highest profile (classification)
    log-likelihood is kept.  With equal covariances LA-SDP reduces to the
    Peng--Wei K-means SDP in the Mahalanobis geometry.

    Parameters
    ----------
    n_clusters : int, default=3
        Number of clusters.
    init : {"auto", "gmm", "kmeans++", "sdp", "random"} or array-like of \
            shape (n_samples,), default="auto"
        Starting partition(s). ``"gmm"``: labels of a
        :class:`~sklearn.mixture.GaussianMixture` fit; ``"kmeans++"``: one
        k-means++ run; ``"sdp"``: :class:`SDPKMeans`; ``"random"``: nearest of
        ``n_clusters`` random data points. ``"auto"`` cycles through gmm,
        kmeans++, sdp, random (sdp only once). An array gives the labels of one
        start (then ``n_init`` is ignored).
    n_init : int, default=4
        Number of starts.
    solver : {"auto", "admm", "bm", "cvxpy"}, default="auto"
        LA-SDP solver: ``"admm"`` (n x n eigendecompositions; n up to a few
        hundred), ``"bm"`` (nonnegative Burer--Monteiro, rank
        ``solver_params["rank"]`` per cluster, O(n p r) per iteration, Numba;
        nonconvex), ``"cvxpy"`` (exact, reference, n up to ~100). ``"auto"``:
        ADMM up to 200 samples, BM beyond.
    rounding : {"argmax", "spectral"}, default="argmax"
        ``"argmax"``: sample i goes to ``argmax_k (Z_k 1)_i`` (exact when the
        relaxation is tight); ``"spectral"``: k-means++ on the top eigenvectors
        of ``sum_k Z_k``.
    covariance_type : {"full", "diag", "spherical", "tied"}, default="full"
        Covariance model, as in :class:`~sklearn.mixture.GaussianMixture`.
    reg_covar : float, default=1e-6
        Added to the covariance diagonals, *relative* to the mean feature
        variance, so that a cluster that is nearly flat keeps a finite
        likelihood.
    use_weights : bool, default=False
        Include the mixing-weight term ``-2 log pi_k`` in the costs and
        ``log pi_k`` in :meth:`predict`.
    max_iter : int, default=20
        Maximum number of alternations (covariances -> SDP -> rounding) per start.
    solver_params : dict, default=None
        Solver settings. ADMM: ``rho``, ``max_iter`` (5000), ``tol`` (1e-4:
        only the rounding of each solution matters here). BM: ``rank`` (2),
        ``beta`` (1.0), ``max_iter`` (20000), ``inner_iter`` (100), ``tol``
        (1e-5). CVXPY: ``solver``, ``solver_options``.
    random_state : int, RandomState instance or None, default=None
        Seeds the starts, the spectral rounding and the BM start.
    n_jobs : int, default=None
        Number of starts run at the same time, in threads (``None``: 1,
        ``-1``: all cores). Each start has its own seed, so the result does
        not depend on ``n_jobs``.
    verbose : int, default=0
        Print progress per start (1) and per alternation (2).

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster labels of the selected partition.
    means_ : ndarray of shape (n_clusters, n_features)
        Cluster means.
    covariances_ : ndarray
        Cluster covariances, shaped as in GaussianMixture: (n_clusters,
        n_features, n_features) for full, (n_features, n_features) for tied,
        (n_clusters, n_features) for diag, (n_clusters,) for spherical.
    weights_ : ndarray of shape (n_clusters,)
        Cluster proportions.
    objective_ : float
        Profile (classification) log-likelihood of ``labels_``:
        ``sum_i log N(x_i; mu_k(i), Sigma_k(i))`` (+ ``log pi_k(i)`` with
        ``use_weights``).
    objective_path_ : ndarray of shape (`n_iter_`,) or (`n_iter_` + 1,)
        That log-likelihood of each partition along the alternation of the
        selected start (one more entry when it stopped at ``max_iter``: the
        last rounding is evaluated too).
    n_iter_ : int
        Alternations run by the selected start.
    converged_ : bool
        Whether the selected start reached a fixed partition.
    membership_ : ndarray
        Last SDP solution of the selected start: the blocks ``Z_k``, shape
        (n_clusters, n_samples, n_samples) (ADMM, CVXPY), or the factors
        ``U_k``, shape (n_clusters, n_samples, rank) (BM).
    init_results_ : list of dict
        One entry per start: ``init`` (strategy), ``objective`` (final profile
        log-likelihood), ``start_objective``, ``n_iter``, ``converged`` and
        ``labels`` (its best partition), so the contribution of each start
        can be measured; ``admissible`` is False when every partition of that
        start had a cluster too small for its covariance (such starts are
        selected only if no start is admissible: their likelihood is inflated
        by a near-singular covariance).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    SDPKMeans : The Peng--Wei K-means SDP (one shared spherical covariance).
    sklearn.mixture.GaussianMixture : EM for the same model.

    References
    ----------
    Y. Zhuang, X. Chen and Y. Yang, "Likelihood adjusted semidefinite programs
    for clustering heterogeneous data", ICML 2023 (arXiv:2209.15097).

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.cluster import ILASDPClustering
    >>> from sklike.datasets import make_heterogeneous_gmm
    >>> from sklike.metrics import misclustering_error
    >>> X, y = make_heterogeneous_gmm(
    ...     [30, 30], means=[[0, 0], [3, 0]],
    ...     covariances=[0.2 * np.eye(2), np.diag([0.2, 16.0])], random_state=0)
    >>> model = ILASDPClustering(n_clusters=2, n_init=2, random_state=0).fit(X)
    >>> float(misclustering_error(y, model.labels_))
    0.0
    """

    _parameter_constraints: dict = {
        "n_clusters": [Interval(numbers.Integral, 1, None, closed="left")],
        "init": [
            StrOptions({"auto", "gmm", "kmeans++", "sdp", "random"}),
            "array-like",
        ],
        "n_init": [Interval(numbers.Integral, 1, None, closed="left")],
        "solver": [StrOptions({"auto", "admm", "bm", "cvxpy"})],
        "rounding": [StrOptions({"argmax", "spectral"})],
        "covariance_type": [StrOptions({"full", "diag", "spherical", "tied"})],
        "reg_covar": [Interval(numbers.Real, 0, None, closed="left")],
        "use_weights": ["boolean"],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "solver_params": [dict, None],
        "random_state": ["random_state"],
        "n_jobs": [None, Integral],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        n_clusters=3,
        *,
        init="auto",
        n_init=4,
        solver="auto",
        rounding="argmax",
        covariance_type="full",
        reg_covar=1e-6,
        use_weights=False,
        max_iter=20,
        solver_params=None,
        random_state=None,
        n_jobs=None,
        verbose=0,
    ):
        self.n_clusters = n_clusters
        self.init = init
        self.n_init = n_init
        self.solver = solver
        self.rounding = rounding
        self.covariance_type = covariance_type
        self.reg_covar = reg_covar
        self.use_weights = use_weights
        self.max_iter = max_iter
        self.solver_params = solver_params
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    # ------------------------------------------------------------------
    # Starts
    # ------------------------------------------------------------------
    def _start_kinds(self):
        if not isinstance(self.init, str):
            return ["labels"]
        if self.init != "auto":
            return [self.init] * self.n_init
        kinds = []
        for i in range(self.n_init):
            kind = AUTO_STARTS[i % len(AUTO_STARTS)]
            if kind == "sdp" and "sdp" in kinds:
                kind = "kmeans++"
            kinds.append(kind)
        return kinds

    def _start_labels(self, kind, X, seed, solver, reg):
        K = self.n_clusters
        if kind == "labels":
            return self._user_labels(X.shape[0])
        with warnings.catch_warnings():
            # A start is only a start: its own convergence is not the user's concern.
            warnings.simplefilter("ignore")
            if kind == "kmeans++":
                return KMeans(K, n_init=1, random_state=seed).fit_predict(X)
            if kind == "gmm":
                gmm = GaussianMixture(
                    K,
                    covariance_type=self.covariance_type,
                    reg_covar=max(
                        reg, 1e-6 * float(np.mean(np.var(X, axis=0))) or 1e-6
                    ),
                    random_state=seed,
                )
                return gmm.fit(X).predict(X)
            if kind == "sdp":
                sdp_solver = "admm" if solver == "cvxpy" else solver
                return SDPKMeans(K, solver=sdp_solver, random_state=seed).fit(X).labels_
        rng = np.random.RandomState(seed)
        centres = X[rng.choice(X.shape[0], K, replace=False)]
        sq = ((X[:, None, :] - centres[None]) ** 2).sum(axis=2)
        return np.argmin(sq, axis=1)

    def _user_labels(self, n_samples):
        labels = np.asarray(self.init)
        if labels.ndim != 1 or labels.shape[0] != n_samples:
            raise ValueError(
                f"init given as labels must have shape ({n_samples},), one label "
                f"per sample; got shape {labels.shape}."
            )
        values, labels = np.unique(labels, return_inverse=True)
        if values.size != self.n_clusters:
            raise ValueError(
                f"init given as labels has {values.size} distinct labels; it must "
                f"have n_clusters={self.n_clusters}."
            )
        return labels

    # ------------------------------------------------------------------
    # One start
    # ------------------------------------------------------------------
    def _profile_loglik(self, X, labels, means, covariances):
        full = _full_covariances(
            covariances, self.covariance_type, self.n_clusters, X.shape[1]
        )
        logp = _log_gaussian(X, means, full)
        if self.use_weights:
            counts = np.bincount(labels, minlength=self.n_clusters)
            logp = logp + np.log(np.maximum(counts, 1) / X.shape[0])
        return float(np.sum(logp[np.arange(X.shape[0]), labels]))

    def _warn_small(self, counts, min_size, when):
        small = np.flatnonzero(counts < min_size)
        warnings.warn(
            f"ILASDPClustering: {when}, cluster(s) {small.tolist()} have "
            f"{counts[small].tolist()} point(s), fewer than the {min_size} a "
            f"non-singular '{self.covariance_type}' covariance needs in "
            f"{min_size - 1} dimensions; the previous partition is kept. Use fewer "
            "clusters, covariance_type='diag'/'spherical'/'tied', or a larger "
            "reg_covar.",
            UserWarning,
            stacklevel=4,
        )

    def _run_start(self, X, labels, solver, params, reg, random_state):
        K, (n_samples, n_features) = self.n_clusters, X.shape
        min_size = _min_cluster_size(self.covariance_type, n_features)
        labels = _canonical(labels)
        counts = np.bincount(labels, minlength=K)
        if counts.size > K or np.any(counts == 0):
            # A start that found fewer clusters than asked cannot be alternated.
            return {
                "admissible": False,
                "objective": -np.inf,
                "labels": labels,
                "path": np.array([]),
                "n_iter": 0,
                "converged": False,
                "membership": None,
            }
        if np.any(counts < min_size):
            self._warn_small(counts, min_size, "at the start")
        path = []
        membership = None
        converged = False
        it = 0
        # Partitions with a cluster too small for its covariance have a
        # likelihood inflated by a near-singular covariance (unbounded without
        # reg_covar): they compete only when no partition is admissible.
        best = (-np.inf, labels)
        fallback = (-np.inf, labels)

        def score(labels):
            """Profile likelihood of ``labels``, recorded; keeps the best seen."""
            nonlocal best, fallback
            means, covariances, weights = _estimate_gaussians(
                X, labels, K, self.covariance_type, reg
            )
            loglik = self._profile_loglik(X, labels, means, covariances)
            path.append(loglik)
            admissible = np.all(np.bincount(labels, minlength=K) >= min_size)
            if admissible and loglik > best[0]:
                best = (loglik, labels)
            if loglik > fallback[0]:
                fallback = (loglik, labels)
            return loglik, covariances, weights

        for it in range(1, self.max_iter + 1):
            loglik, covariances, weights = score(labels)
            full = _full_covariances(covariances, self.covariance_type, K, n_features)
            factors, logdets = _whitened_and_logdet(X, full)
            constants = logdets.copy()
            if self.use_weights:
                constants -= 2.0 * np.log(np.maximum(weights, 1e-300))
            costs = SDPCosts(factors, constants, np.ones(K))
            indicator = (labels[None, :] == np.arange(K)[:, None]).astype(float)
            indicator /= np.sqrt(np.maximum(indicator.sum(axis=1, keepdims=True), 1))
            Z0 = U0 = None
            if solver == "admm":
                Z0 = indicator[:, :, None] * indicator[:, None, :]
            elif solver == "bm":
                rank = params["rank"] or 2
                if rank < 1:
                    raise ValueError(f"solver_params['rank'] must be >= 1; got {rank}.")
                U0 = np.empty((K, n_samples, rank))
                U0[:, :, 0] = indicator
                # Small positive noise lets the extra columns leave zero.
                U0[:, :, 1:] = 1e-3 * random_state.uniform(
                    size=(K, n_samples, rank - 1)
                )
                U0[:, :, 0] += 1e-3 * random_state.uniform(size=(K, n_samples))
            solve_params = {k: v for k, v in params.items() if k != "rank"}
            solution, _ = solve_sdp(
                costs,
                solver,
                solve_params,
                Z0=Z0,
                U0=U0,
                verbose=self.verbose,
                what="the likelihood-adjusted SDP",
            )
            membership = (
                solution.blocks if solution.blocks is not None else solution.factors
            )
            if self.rounding == "argmax":
                new = np.argmax(solution.row_masses(), axis=0)
            else:
                new = spectral_round(solution, K, n_init=10, random_state=random_state)
            new = _canonical(new)
            new_counts = np.bincount(new, minlength=K)
            if new_counts.size > K or np.any(new_counts < min_size):
                self._warn_small(new_counts[:K], min_size, f"at alternation {it}")
                break
            if self.verbose > 1:
                print(f"  alternation {it}: profile log-likelihood {loglik:.6g}")
            if np.array_equal(new, labels):
                converged = True
                break
            labels = new
        else:
            score(labels)  # the last rounding was not evaluated inside the loop
        admissible = best[0] > -np.inf
        if not admissible:
            best = fallback
        return {
            "admissible": admissible,
            "objective": best[0],
            "labels": best[1],
            "path": np.array(path),
            "n_iter": it,
            "converged": converged,
            "membership": membership,
        }

    def _fit_start(self, X, kind, seed, solver, params, reg):
        labels0 = self._start_labels(kind, X, seed, solver, reg)
        canonical = _canonical(labels0)
        start_loglik = -np.inf
        if np.unique(canonical).size == self.n_clusters:
            start_loglik = self._profile_loglik(
                X,
                canonical,
                *_estimate_gaussians(
                    X, canonical, self.n_clusters, self.covariance_type, reg
                )[:2],
            )
        result = self._run_start(
            X, labels0, solver, params, reg, np.random.RandomState(seed)
        )
        result["init"] = kind
        result["start_objective"] = start_loglik
        return result

    # ------------------------------------------------------------------
    # Public API
    # ------------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Run the alternation from each start and keep the most likely partition.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : Ignored
            Not used, present for API consistency.

        Returns
        -------
        self : ILASDPClustering
            The fitted estimator.
        """
        X, solver, params, random_state = validate_sdp_fit(
            self, X, ILA_ADMM_MAX_SAMPLES, _SOLVER_DEFAULTS
        )

        # Centring is free (distances are translation invariant) and avoids
        # cancellation in a 1' + 1 a' - 2 Y Y'.
        centre = X.mean(axis=0)
        Xc = X - centre
        scale = float(np.mean(np.var(Xc, axis=0)))
        reg = self.reg_covar * (scale if scale > 0 else 1.0)

        kinds = self._start_kinds()
        seeds = spawn_seeds(random_state, len(kinds))
        # Starts are independent and seeded apart, so running them in threads
        # (the Numba kernel and LAPACK release the GIL) gives the same result.
        # BLAS is held to one thread meanwhile so the threads do not compete.
        with threadpool_limits(limits=1 if self.n_jobs not in (None, 1) else None):
            results = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(self._fit_start)(Xc, kind, seed, solver, params, reg)
                for kind, seed in zip(kinds, seeds, strict=True)
            )
        if self.verbose:
            for i, result in enumerate(results, 1):
                print(
                    f"start {i}/{len(kinds)} ({result['init']}): profile "
                    f"log-likelihood {result['start_objective']:.6g} -> "
                    f"{result['objective']:.6g} in {result['n_iter']} alternation(s)"
                )

        admissible = [r for r in results if r["admissible"]] or results
        best = max(admissible, key=lambda r: r["objective"])
        labels = best["labels"]
        means, covariances, weights = _estimate_gaussians(
            Xc, labels, self.n_clusters, self.covariance_type, reg
        )
        self.labels_ = labels
        self.means_ = means + centre
        self.covariances_ = covariances
        self.weights_ = weights
        self.objective_ = float(best["objective"])
        self.objective_path_ = best["path"]
        self.n_iter_ = int(best["n_iter"])
        self.converged_ = bool(best["converged"])
        self.membership_ = best["membership"]
        self.solver_ = solver
        self.init_results_ = [
            {
                "init": r["init"],
                "start_objective": float(r["start_objective"]),
                "objective": float(r["objective"]),
                "n_iter": int(r["n_iter"]),
                "converged": bool(r["converged"]),
                "admissible": bool(r["admissible"]),
                "labels": r["labels"],
            }
            for r in results
        ]
        return self

    def _estimate_log_prob(self, X):
        full = _full_covariances(
            self.covariances_, self.covariance_type, self.n_clusters, X.shape[1]
        )
        logp = _log_gaussian(X, self.means_, full)
        if self.use_weights:
            logp = logp + np.log(np.maximum(self.weights_, 1e-300))
        return logp

    def predict(self, X):
        """Assign samples by the fitted Gaussian rule.

        Sample ``x`` goes to ``argmax_k log N(x; means_[k], Sigma_k)`` (plus
        ``log weights_[k]`` when ``use_weights``), the rule whose likelihood
        the fit maximised.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            New data.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            Cluster index of each sample.
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=[np.float64, np.float32])
        return np.argmax(
            self._estimate_log_prob(np.asarray(X, dtype=np.float64)), axis=1
        )
