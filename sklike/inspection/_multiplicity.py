"""Predictive multiplicity of logistic regression: the ε-level (Rashomon) set.

Watson-Daniels, Parkes and Ustun (AAAI 2023) ask how far one person's
predicted risk can move across all models whose training loss is within ε of
the best.  For logistic regression the ε-level set is convex, so the viable
prediction range of a point is given by two convex programs; they are solved
here exactly, with a duality-gap certificate, by the tilted-Newton method of
``_multiplicity_kernels``.
"""

import numbers
import warnings

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.parallel import Parallel, delayed
from threadpoolctl import threadpool_limits

from .._solvers import solve_cvxpy
from ..exceptions import ConvergenceWarning
from ..utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    validate_data,
    validate_params,
)
from ..utils.validation import check_min_classes, check_sample_weight
from ._multiplicity_kernels import (
    baseline_newton,
    factor_hessian,
    hessian,
    quadratic_extremes,
    tilted_extremes,
)

__all__ = [
    "LogisticRashomonSet",
    "ambiguity_score",
    "discrepancy_score",
    "multiplicity_report",
]

#: Directions solved together in one batched call (and one joblib task).
_CHUNK = 512

#: Gradient norm the baseline is polished to (the level set is relative to the
#: exact minimiser; sklearn's default tol=1e-4 would shift ε silently).
_BASELINE_GTOL = 1e-10


class LogisticRashomonSet(ClassifierMixin, BaseEstimator):
    """The ε-level set of L2-regularised logistic regression and its ranges.

    The baseline minimises the mean log-loss plus the scikit-learn penalty,

    .. math::

        L(w, b) = \\frac{1}{\\sum_i s_i} \\sum_i s_i \\log(1 + e^{-y_i (x_i^\\top w
        + b)}) + \\frac{\\|w\\|^2}{2 C \\sum_i s_i},

    (the same minimiser as :class:`~sklearn.linear_model.LogisticRegression`
    with the same ``C``), polished by Newton's method to
    :math:`\\|\\nabla L\\| \\le 10^{-10}`.  The ε-level set ("Rashomon set") is
    :math:`\\{w : L(w) \\le (1+\\varepsilon) L^*\\}` (``"relative"``) or
    :math:`\\{w : L(w) \\le L^* + \\varepsilon\\}` (``"absolute"``).
    :meth:`viable_prediction_range` gives, for any point, the smallest and
    largest probability of the positive class over that set.

    ``predict``, ``predict_proba`` and ``decision_function`` are the
    baseline's.

    Read more in the :ref:`User Guide <predictive_multiplicity>`.

    Parameters
    ----------
    epsilon : float, default=0.01
        Size of the level set (> 0): relative (1% above the optimal loss by
        default) or absolute, see ``epsilon_mode``.
    epsilon_mode : {"relative", "absolute"}, default="relative"
        Whether the loss threshold is ``(1 + epsilon) * L*`` or
        ``L* + epsilon``.
    C : float, default=1.0
        Inverse regularisation strength, as in ``LogisticRegression``;
        ``np.inf`` means no penalty.  Without a penalty, separable data have
        no finite minimiser: a warning is raised and every range is the
        trivial outer bound [0, 1].
    fit_intercept : bool, default=True
        Fit an unpenalised intercept.
    method : {"exact", "quadratic", "cvxpy"}, default="exact"
        How ranges are computed. ``"exact"``: tilted Newton, each end
        certified by a duality gap <= ``tol``. ``"quadratic"``: the ellipsoid
        (second-order) approximation of the level set around the baseline;
        fast, not a bound, good for screening. ``"cvxpy"``: two exponential-
        cone programs per point (reference; slow).
    tol : float, default=1e-8
        Duality gap allowed at each end of a range, in score (logit) units.
    max_iter : int, default=50
        Maximum tilted solves per range end (``method="exact"``).
    n_jobs : int, default=None
        Jobs over chunks of points (joblib; ``None`` means 1 unless in a
        :func:`joblib.parallel_config` context).

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
        Class labels; the second is the "positive" class of the ranges.
    coef_ : ndarray of shape (1, n_features)
        Baseline coefficients.
    intercept_ : ndarray of shape (1,)
        Baseline intercept (0 when ``fit_intercept=False``).
    loss_opt_ : float
        Optimal objective :math:`L^*`.
    loss_threshold_ : float
        Loss threshold ``c`` defining the level set.
    hessian_ : ndarray of shape (n_params, n_params)
        Hessian of ``L`` at the baseline (intercept last).
    n_iter_ : int
        Newton iterations used for the baseline.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    ambiguity_score : Share of points whose risk can move by δ.
    discrepancy_score : Share one competing model can move (bounds).
    multiplicity_report : Both over grids of ε and δ, by group.
    sklearn.linear_model.LogisticRegression : The baseline model.

    References
    ----------
    .. [1] J. Watson-Daniels, D. C. Parkes and B. Ustun, "Predictive
       Multiplicity in Probabilistic Classification", AAAI 2023,
       arXiv:2206.01131.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklike.inspection import LogisticRashomonSet
    >>> X, y = make_classification(
    ...     n_samples=100, n_features=3, n_informative=2, n_redundant=0, random_state=0
    ... )
    >>> rs = LogisticRashomonSet(epsilon=0.01).fit(X, y)
    >>> ranges = rs.viable_prediction_range(X[:3])
    >>> p0 = rs.predict_proba(X[:3])[:, 1]
    >>> bool(((ranges[:, 0] <= p0) & (p0 <= ranges[:, 1])).all())
    True
    """

    _parameter_constraints: dict = {
        "epsilon": [Interval(numbers.Real, 0, None, closed="neither")],
        "epsilon_mode": [StrOptions({"relative", "absolute"})],
        "C": [Interval(numbers.Real, 0, None, closed="right")],
        "fit_intercept": ["boolean"],
        "method": [StrOptions({"exact", "quadratic", "cvxpy"})],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_jobs": [None, numbers.Integral],
    }

    def __init__(
        self,
        epsilon=0.01,
        *,
        epsilon_mode="relative",
        C=1.0,
        fit_intercept=True,
        method="exact",
        tol=1e-8,
        max_iter=50,
        n_jobs=None,
    ):
        self.epsilon = epsilon
        self.epsilon_mode = epsilon_mode
        self.C = C
        self.fit_intercept = fit_intercept
        self.method = method
        self.tol = tol
        self.max_iter = max_iter
        self.n_jobs = n_jobs

    @staticmethod
    def _sklike_test_data(n_samples, random_state):
        from sklearn.datasets import make_classification

        return make_classification(
            n_samples,
            4,
            n_informative=3,
            n_redundant=0,
            class_sep=1.0,
            random_state=random_state,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the baseline to full precision and set up the level set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; the level set is defined by it.
        y : array-like of shape (n_samples,)
            Binary target.
        sample_weight : array-like of shape (n_samples,), default=None
            Sample weights (integer weights equal duplicating rows).

        Returns
        -------
        self : object
            Fitted estimator.
        """
        return self._fit(X, y, sample_weight)

    def _fit(self, X, y, sample_weight, w_init=None):
        X, y = validate_data(
            self, X, y, dtype=np.float64, ensure_min_samples=2, y_numeric=False
        )
        check_classification_targets(y)
        y_type = type_of_target(y, input_name="y", raise_unknown=True)
        if y_type not in ("binary",):
            raise ValueError(
                "Only binary classification is supported. The type of the target "
                f"is {y_type}. LogisticRashomonSet models one probability per "
                "point; for several classes, study one class against the rest."
            )
        self.classes_ = np.unique(y)
        check_min_classes(self.classes_, 2, estimator_name=type(self).__name__)
        sw = check_sample_weight(sample_weight, X.shape[0])
        signs = np.where(y == self.classes_[1], 1.0, -1.0)
        Xa = self._augment(X)
        total = float(sw.sum())
        omega = sw / total
        lam = 0.0 if np.isinf(self.C) else 1.0 / (self.C * total)
        pen = np.ones(Xa.shape[1])
        if self.fit_intercept:
            pen[-1] = 0.0
        w0, info = baseline_newton(
            Xa, signs, omega, lam, pen, w_init=w_init, gtol=_BASELINE_GTOL
        )
        self._bounded_ = bool(info["bounded"])
        if lam == 0.0 and self._bounded_ and _separable(Xa[sw > 0], signs[sw > 0]):
            # Newton can stop on a tiny gradient far out along a separating
            # direction; the LP says whether the infimum is attained at all.
            self._bounded_ = False
        if not self._bounded_:
            warnings.warn(
                "The classes are (quasi-)separable and C=inf: the logistic loss "
                "has no finite minimiser, so the ε-level set is unbounded and "
                "every viable prediction range is reported as the trivial outer "
                "bound [0, 1]. Use a finite C to study multiplicity here.",
                UserWarning,
                stacklevel=3,
            )
        elif not info["converged"]:
            warnings.warn(
                "Newton's method did not polish the baseline to "
                f"||grad L|| <= {_BASELINE_GTOL:g} (got {info['grad_norm']:.2g}); "
                "standardize the features or use a smaller C.",
                ConvergenceWarning,
                stacklevel=3,
            )
        z = signs * (Xa @ w0)
        curv = omega * expit(z) * expit(-z)
        self.hessian_ = hessian(Xa, curv[:, None], lam, pen)[0]
        self._row_space_ = None
        if lam == 0.0 and self._bounded_:
            # Without a penalty, directions outside the row space of the data
            # are unconstrained: their ranges are unbounded.
            _, sing, vt = np.linalg.svd(Xa[sw > 0], full_matrices=False)
            rank = int(np.sum(sing > sing[0] * max(Xa.shape) * 1e-12))
            if rank < Xa.shape[1]:
                warnings.warn(
                    f"The {Xa.shape[1]} columns (intercept included) are "
                    f"collinear (rank {rank}) and C=inf: predictions of points "
                    "off the data's span are unconstrained and get range [0, 1]. "
                    "Drop constant or collinear columns, or use a finite C.",
                    UserWarning,
                    stacklevel=3,
                )
                self._row_space_ = vt[:rank].T
        self.loss_opt_ = float(info["loss"])
        if self.epsilon_mode == "relative":
            self.loss_threshold_ = (1.0 + self.epsilon) * self.loss_opt_
        else:
            self.loss_threshold_ = self.loss_opt_ + self.epsilon
        self.n_iter_ = int(info["n_iter"])
        if self.fit_intercept:
            self.coef_, self.intercept_ = w0[None, :-1].copy(), w0[-1:].copy()
        else:
            self.coef_, self.intercept_ = w0[None, :].copy(), np.zeros(1)
        self._w0_ = w0
        self._Xa_, self._signs_, self._omega_ = Xa, signs, omega
        self._lam_, self._pen_ = lam, pen
        return self

    @classmethod
    def from_estimator(cls, estimator, X, y, *, sample_weight=None, **params):
        """Build the level set around a fitted ``LogisticRegression``.

        ``C`` and ``fit_intercept`` are copied; the estimator's coefficients
        warm-start the Newton polish of the baseline (``LogisticRegression``
        stops at ``tol=1e-4``, too early for the level set to be exact).

        Parameters
        ----------
        estimator : sklearn.linear_model.LogisticRegression
            Fitted, binary, L2 or unpenalised, without ``class_weight``.
        X : array-like of shape (n_samples, n_features)
            The data it was fitted on.
        y : array-like of shape (n_samples,)
            The binary target it was fitted on.
        sample_weight : array-like of shape (n_samples,), default=None
            The sample weights it was fitted with.
        **params
            Other parameters of :class:`LogisticRashomonSet` (``epsilon``...).

        Returns
        -------
        rashomon_set : LogisticRashomonSet
            Fitted.
        """
        from sklearn.linear_model import LogisticRegression

        if not isinstance(estimator, LogisticRegression):
            raise TypeError(
                "estimator must be a fitted sklearn.linear_model.LogisticRegression;"
                f" got {type(estimator).__name__}."
            )
        check_is_fitted(estimator)
        if len(estimator.classes_) != 2:
            raise ValueError(
                "Only binary classification is supported; the estimator has "
                f"{len(estimator.classes_)} classes."
            )
        l1_ratio = getattr(estimator, "l1_ratio", None) or 0.0
        penalty = getattr(estimator, "penalty", "l2")
        if l1_ratio != 0.0 or penalty in ("l1", "elasticnet"):
            raise ValueError(
                "Only the L2 penalty (or none) is supported; the estimator uses an "
                "L1/elastic-net penalty."
            )
        if estimator.class_weight is not None:
            raise ValueError(
                "class_weight is not supported; pass the equivalent sample_weight."
            )
        C = np.inf if penalty is None else float(estimator.C)
        rs = cls(C=C, fit_intercept=estimator.fit_intercept, **params)
        rs._validate_params()
        w_init = estimator.coef_.ravel()
        if estimator.fit_intercept:
            w_init = np.r_[w_init, estimator.intercept_]
        return rs._fit(X, y, sample_weight, w_init=w_init)

    def _augment(self, X):
        if self.fit_intercept:
            return np.hstack([X, np.ones((X.shape[0], 1))])
        return np.ascontiguousarray(X)

    def decision_function(self, X):
        """Baseline score (log-odds of ``classes_[1]``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        scores : ndarray of shape (n_samples,)
            Log-odds of the positive class under the baseline.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X):
        """Baseline probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        proba : ndarray of shape (n_samples, 2)
            Columns follow ``classes_``.
        """
        check_is_fitted(self)
        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X):
        """Baseline class predictions.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input data.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Baseline predicted labels.
        """
        check_is_fitted(self)
        return self.classes_[(self.decision_function(X) > 0).astype(int)]

    # ------------------------------------------------------------------
    # Ranges
    # ------------------------------------------------------------------
    def _points(self, X):
        """Augmented rows for ``X`` (the training rows when None)."""
        check_is_fitted(self)
        if X is None:
            return self._Xa_
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return self._augment(X)

    def _threshold(self, epsilon=None):
        if epsilon is None:
            return self.loss_threshold_
        if self.epsilon_mode == "relative":
            return (1.0 + epsilon) * self.loss_opt_
        return self.loss_opt_ + epsilon

    def _extreme_scores(self, Xa, threshold, method=None):
        """Min/max score over the level set ``L <= threshold`` for rows of Xa.

        Returns ``(low, high, models_low, models_high, gaps)`` where the models
        are (n, p) and gaps (n, 2) are the certified duality gaps (NaN for
        the approximate methods).
        """
        method = self.method if method is None else method
        n, p = Xa.shape
        unique, inverse = np.unique(Xa, axis=0, return_inverse=True)
        inverse = inverse.ravel()
        m = unique.shape[0]
        V = np.hstack([unique.T, -unique.T])  # max of +v, then of -v
        eps_gap = threshold - self.loss_opt_
        h = np.full(2 * m, np.inf)
        W = np.repeat(self._w0_[:, None], 2 * m, axis=1)
        gap = np.zeros(2 * m)
        solve = np.full(2 * m, self._bounded_)
        if self._row_space_ is not None:
            # Off the data's span, the unpenalised level set is unbounded.
            Q = self._row_space_
            off = np.linalg.norm(
                unique.T - Q @ (Q.T @ unique.T), axis=0
            ) > 1e-8 * np.maximum(np.linalg.norm(unique, axis=1), 1.0)
            solve &= ~np.r_[off, off]
        if eps_gap <= 0:
            h[solve] = V[:, solve].T @ self._w0_
        elif solve.any():
            h[solve], W[:, solve], gap[solve] = self._support(
                V[:, solve], threshold, method
            )
        high, low = h[:m], -h[m:]
        gaps = np.column_stack([gap[m:], gap[:m]])
        return (
            low[inverse],
            high[inverse],
            W[:, m:].T[inverse],
            W[:, :m].T[inverse],
            gaps[inverse],
        )

    def _support(self, V, threshold, method):
        """h(v) = max v^T w over the level set, for the columns of V."""
        eps_gap = threshold - self.loss_opt_
        factor = factor_hessian(self.hessian_)
        if method == "quadratic":
            h, W = quadratic_extremes(V, self._w0_, factor, eps_gap)
            return h, W, np.full(V.shape[1], np.nan)
        if method == "cvxpy":
            return self._support_cvxpy(V, threshold)
        chunks = [
            slice(i, min(i + _CHUNK, V.shape[1])) for i in range(0, V.shape[1], _CHUNK)
        ]
        args = (
            self._Xa_,
            self._signs_,
            self._omega_,
            self._lam_,
            self._pen_,
            self._w0_,
            self.loss_opt_,
            threshold,
            factor,
        )
        # The GEMMs are small (n x p by n x chunk): a multi-threaded BLAS spends
        # more time synchronising than computing (badly so on a loaded
        # machine), and joblib already spreads the chunks over workers.  The
        # limit is process-wide, so it is set once around the whole call.
        with threadpool_limits(limits=1, user_api="blas"):
            results = Parallel(n_jobs=self.n_jobs, prefer="threads")(
                delayed(tilted_extremes)(
                    *args, V[:, sl], tol=self.tol, max_outer=self.max_iter
                )
                for sl in chunks
            )
        lower = np.concatenate([r[0] for r in results])
        upper = np.concatenate([r[1] for r in results])
        W = np.hstack([r[2] for r in results])
        gap = upper - lower
        bad = ~(gap <= self.tol + 1e-15 * np.abs(lower))
        if bad.any():
            warnings.warn(
                f"{int(bad.sum())} of {gap.size} range ends did not reach a "
                f"duality gap <= tol={self.tol:g} in max_iter={self.max_iter} "
                f"tilted solves (largest gap {np.nanmax(gap):.2g}); the reported "
                "ends are attained by models in the level set (inner bounds). "
                "Increase max_iter or tol, or standardize the features.",
                ConvergenceWarning,
                stacklevel=4,
            )
        return lower, W, gap

    def _support_cvxpy(self, V, threshold):
        import cvxpy as cp

        p = V.shape[0]
        w = cp.Variable(p)
        v = cp.Parameter(p)
        Xa, signs, omega = self._Xa_, self._signs_, self._omega_
        loss = omega @ cp.logistic(-cp.multiply(signs, Xa @ w))
        if self._lam_ > 0:
            loss = loss + 0.5 * self._lam_ * cp.sum_squares(cp.multiply(self._pen_, w))
        problem = cp.Problem(cp.Maximize(v @ w), [loss <= threshold])
        h = np.empty(V.shape[1])
        W = np.empty_like(V)
        for b in range(V.shape[1]):
            v.value = V[:, b]
            solve_cvxpy(
                problem,
                what="the viable-prediction-range problem",
                advice="Or use method='exact', which certifies its answer.",
            )
            h[b] = problem.value
            W[:, b] = w.value
        return h, W, np.full(V.shape[1], np.nan)

    def viable_prediction_range(self, X=None, *, return_models=False):
        """Smallest and largest probability of ``classes_[1]`` over the level set.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), default=None
            Points; the training points when None.
        return_models : bool, default=False
            Also return the models attaining each end.

        Returns
        -------
        ranges : ndarray of shape (n_samples, 2)
            ``[min, max]`` probability per point, over the level set fixed at
            :term:`fit` (``loss_threshold_``; refit after changing
            ``epsilon``; ``method`` is read at call time).  With ``method="exact"`` each
            end is attained by a model in the level set and is within ``tol``
            (in score units) of the true extreme.
        models : ndarray of shape (n_samples, 2, n_params)
            Only when ``return_models=True``: the coefficients (intercept
            last when ``fit_intercept=True``) attaining the minimum
            (``models[:, 0]``) and the maximum (``models[:, 1]``).  For
            ``method="quadratic"`` they are the ellipsoid's extreme points and
            may lie slightly outside the level set.
        """
        Xa = self._points(X)
        low, high, w_low, w_high, _ = self._extreme_scores(Xa, self._threshold())
        ranges = np.column_stack([expit(low), expit(high)])
        if return_models:
            return ranges, np.stack([w_low, w_high], axis=1)
        return ranges


def _separable(Xa, signs):
    """Whether some w != 0 has every margin y_i x_i^T w >= 0 (LP feasibility).

    Then the unpenalised logistic loss decreases forever along w (complete or
    quasi-complete separation) and has no finite minimiser.
    """
    from scipy.optimize import linprog

    M = signs[:, None] * Xa
    scale = np.maximum(np.abs(M).max(), 1.0)
    res = linprog(
        np.zeros(Xa.shape[1]),
        A_ub=-M / scale,
        b_ub=np.zeros(Xa.shape[0]),
        A_eq=M.sum(axis=0, keepdims=True) / scale,
        b_eq=[1.0],
        bounds=[(None, None)] * Xa.shape[1],
        method="highs",
    )
    return res.status == 0


# ----------------------------------------------------------------------
# Scores and report
# ----------------------------------------------------------------------
def _at_least(values, delta):
    """``values >= delta``, counting float ties as reaching δ (authors' helper)."""
    return (values >= delta) | np.isclose(values, delta, rtol=1e-9, atol=1e-12)


def _multiplicity_stats(rs, Xa, threshold, deltas, masks):
    """Ambiguity and discrepancy bounds for each δ and each group mask."""
    low, high, w_low, w_high, _ = rs._extreme_scores(Xa, threshold)
    p0 = expit(Xa @ rs._w0_)
    p_low, p_high = expit(low), expit(high)
    move = np.maximum(p_high - p0, p0 - p_low)
    pool = np.unique(np.vstack([w_low, w_high]), axis=0)
    out = {}
    # Chunked GEMMs over the pool of extremal models (all in the level set).
    for delta in deltas:
        ambiguous = _at_least(move, delta)
        best = {g: 0.0 for g in masks}
        hit_any = np.zeros(Xa.shape[0], dtype=bool)
        for start in range(0, pool.shape[0], 256):
            P = expit(Xa @ pool[start : start + 256].T)
            moved = _at_least(np.abs(P - p0[:, None]), delta)
            hit_any |= moved.any(axis=1)
            for g, mask in masks.items():
                if mask.any():
                    best[g] = max(best[g], float(moved[mask].mean(axis=0).max()))
        # A model in the set that moves a point by δ proves that point ambiguous.
        if rs.method == "exact":
            ambiguous |= hit_any
        for g, mask in masks.items():
            amb = float(ambiguous[mask].mean()) if mask.any() else np.nan
            out[delta, g] = (amb, best[g], amb)
    widths = p_high - p_low
    return out, widths


def _check_rs(rs):
    if not isinstance(rs, LogisticRashomonSet):
        raise TypeError(
            f"rs must be a fitted LogisticRashomonSet; got {type(rs).__name__}."
        )
    check_is_fitted(rs)


@validate_params(
    {
        "rs": [LogisticRashomonSet],
        "X": ["array-like", None],
        "delta": [Interval(numbers.Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def ambiguity_score(rs, X=None, *, delta=0.1):
    """Share of points whose predicted risk can move by at least ``delta``.

    :math:`A = \\frac{1}{n} \\sum_i 1[\\max_{w \\in S_\\varepsilon}
    |p_w(x_i) - p_0(x_i)| \\ge \\delta]` (Def. 3 of Watson-Daniels et al.).

    Parameters
    ----------
    rs : LogisticRashomonSet
        Fitted level set.
    X : array-like of shape (n_samples, n_features), default=None
        Points (the training points when None).
    delta : float, default=0.1
        Change in probability that counts, in (0, 1).

    Returns
    -------
    ambiguity : float
        Share of the points, in [0, 1].

    See Also
    --------
    discrepancy_score : The share a single competing model can move.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklike.inspection import LogisticRashomonSet, ambiguity_score
    >>> X, y = make_classification(
    ...     n_samples=80, n_features=3, n_informative=2, n_redundant=0, random_state=1
    ... )
    >>> rs = LogisticRashomonSet(epsilon=0.05).fit(X, y)
    >>> 0.0 <= ambiguity_score(rs, delta=0.1) <= 1.0
    True
    """
    _check_rs(rs)
    Xa = rs._points(X)
    all_rows = {"all": np.ones(Xa.shape[0], dtype=bool)}
    stats, _ = _multiplicity_stats(rs, Xa, rs._threshold(), [delta], all_rows)
    return stats[delta, "all"][0]


@validate_params(
    {
        "rs": [LogisticRashomonSet],
        "X": ["array-like", None],
        "delta": [Interval(numbers.Real, 0, 1, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def discrepancy_score(rs, X=None, *, delta=0.1):
    """Bound the largest share of points one competing model moves by δ.

    :math:`D = \\max_{w \\in S_\\varepsilon} \\frac{1}{n} \\sum_i
    1[|p_w(x_i) - p_0(x_i)| \\ge \\delta]` (Def. 4) is a mixed-integer
    problem.  The lower bound evaluates the pool of extremal models found for
    the ranges (all in the level set); the upper bound is the ambiguity.

    Parameters
    ----------
    rs : LogisticRashomonSet
        Fitted level set.
    X : array-like of shape (n_samples, n_features), default=None
        Points (the training points when None).
    delta : float, default=0.1
        Change in probability that counts, in (0, 1).

    Returns
    -------
    lower : float
        Largest share moved by one of the extremal models found.
    upper : float
        The ambiguity (no single model can move more points).

    See Also
    --------
    ambiguity_score : The upper bound.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklike.inspection import LogisticRashomonSet, discrepancy_score
    >>> X, y = make_classification(
    ...     n_samples=80, n_features=3, n_informative=2, n_redundant=0, random_state=1
    ... )
    >>> rs = LogisticRashomonSet(epsilon=0.05).fit(X, y)
    >>> lower, upper = discrepancy_score(rs, delta=0.1)
    >>> bool(lower <= upper)
    True
    """
    _check_rs(rs)
    Xa = rs._points(X)
    all_rows = {"all": np.ones(Xa.shape[0], dtype=bool)}
    stats, _ = _multiplicity_stats(rs, Xa, rs._threshold(), [delta], all_rows)
    _, lower, upper = stats[delta, "all"]
    return lower, upper


@validate_params(
    {
        "rs": [LogisticRashomonSet],
        "X": ["array-like", None],
        "epsilons": ["array-like", None],
        "deltas": ["array-like"],
        "groups": ["array-like", None],
    },
    prefer_skip_nested_validation=True,
)
def multiplicity_report(
    rs, X=None, *, epsilons=None, deltas=(0.05, 0.1, 0.2), groups=None
):
    """Ambiguity, discrepancy and range widths over grids of ε and δ.

    The baseline is the one of ``rs``; each ε defines a level set with
    ``rs.epsilon_mode``.  Discrepancy lower bounds are carried forward along
    increasing ε (the level sets are nested, so models found for a smaller ε
    are members of the larger sets), which makes them monotone in ε.

    Parameters
    ----------
    rs : LogisticRashomonSet
        Fitted level set.
    X : array-like of shape (n_samples, n_features), default=None
        Points (the training points when None).
    epsilons : array-like of float, default=None
        Level-set sizes; ``[rs.epsilon]`` when None.
    deltas : array-like of float, default=(0.05, 0.1, 0.2)
        Probability changes that count.
    groups : array-like of shape (n_samples,), default=None
        Group label per point; rows are added per group.

    Returns
    -------
    report : pandas.DataFrame
        Columns ``epsilon``, ``delta``, ``group`` ("all" or a label),
        ``n_samples``, ``ambiguity``, ``discrepancy_lower``,
        ``discrepancy_upper``, ``mean_width`` and ``max_width`` (of the viable
        prediction ranges, in probability).

    See Also
    --------
    MultiplicityDisplay : Plots of the same quantities.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from sklike.inspection import LogisticRashomonSet, multiplicity_report
    >>> X, y = make_classification(
    ...     n_samples=80, n_features=3, n_informative=2, n_redundant=0, random_state=1
    ... )
    >>> rs = LogisticRashomonSet().fit(X, y)
    >>> report = multiplicity_report(rs, epsilons=[0.01, 0.05], deltas=[0.1])
    >>> report[["epsilon", "delta", "group"]].shape
    (2, 3)
    """
    import pandas as pd

    _check_rs(rs)
    Xa = rs._points(X)
    epsilons = np.sort(
        np.atleast_1d(np.asarray(rs.epsilon if epsilons is None else epsilons, float))
    )
    deltas = [float(d) for d in np.atleast_1d(np.asarray(deltas, dtype=float))]
    if epsilons.size == 0 or np.any(epsilons <= 0) or not np.all(np.isfinite(epsilons)):
        raise ValueError(f"epsilons must be finite and > 0; got {epsilons.tolist()}.")
    if not deltas or any(not 0 < d < 1 for d in deltas):
        raise ValueError(f"deltas must lie in (0, 1); got {deltas}.")
    masks = {"all": np.ones(Xa.shape[0], dtype=bool)}
    if groups is not None:
        groups = np.asarray(groups)
        if groups.shape != (Xa.shape[0],):
            raise ValueError(
                f"groups must have one label per row of X ({Xa.shape[0]}); got "
                f"shape {groups.shape}."
            )
        for g in np.unique(groups):
            masks[g] = groups == g
    rows = []
    carried = {}
    for eps in epsilons:
        stats, widths = _multiplicity_stats(
            rs, Xa, rs._threshold(float(eps)), deltas, masks
        )
        for delta in deltas:
            for g, mask in masks.items():
                amb, lower, upper = stats[delta, g]
                lower = max(lower, carried.get((delta, g), 0.0))
                carried[delta, g] = lower
                rows.append(
                    {
                        "epsilon": float(eps),
                        "delta": delta,
                        "group": g,
                        "n_samples": int(mask.sum()),
                        "ambiguity": amb,
                        "discrepancy_lower": lower,
                        "discrepancy_upper": upper,
                        "mean_width": float(widths[mask].mean()),
                        "max_width": float(widths[mask].max()),
                    }
                )
    return pd.DataFrame(rows)
