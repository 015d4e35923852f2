"""Cumulative-logit ordinal classifiers: PRESTO and proportional odds.

PRESTO (Faletto & Bien, ICML 2023) fits one slope vector per class boundary,
``P(y <= k | x) = sigmoid(alpha_k + x @ beta_k)``, and puts an L1 penalty on
``beta_1`` and on the differences ``beta_k - beta_{k-1}`` of adjacent
boundaries, so the fit is shrunk towards proportional odds (one common slope)
and only deviates from it where the data say so.  This helps most for a rare
top class, whose probability depends on the last boundary only.

The solver is a proximal Newton method: at each step the exact Hessian of the
negative log-likelihood (convex in the boundaries' linear predictors) gives a
quadratic model that coordinate descent minimises with the elastic-net
penalty; a backtracking line search on the true objective, which is +inf where
a training row's probability would be non-positive, keeps every iterate
feasible.  With the differences ``psi_k = beta_k - beta_{k-1}`` as variables,
the fused penalty is a plain lasso.
"""

import numbers
import warnings

import numpy as np
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import check_scoring, get_scorer_names
from sklearn.model_selection import check_cv
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.parallel import Parallel, delayed
from threadpoolctl import ThreadpoolController

from ..exceptions import ConvergenceWarning
from ..utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    check_is_fitted,
    validate_data,
)
from ..utils.validation import check_min_classes, check_sample_weight
from ._ordinal_kernels import (
    cd_quadratic_l1,
    gradient_hessian_blocks,
    loss_derivatives,
    negative_log_likelihood,
    polish_on_support,
    repair_isotonic,
)
from ._presto_cvxpy import solve_presto_cvxpy

__all__ = [
    "PrestoClassifier",
    "PrestoClassifierCV",
    "ProportionalOddsClassifier",
]

_CROSSING_OPTIONS = {"cummin", "isotonic", "clip", "raise", "none"}


# --------------------------------------------------------------------------
# The optimisation problem, on the standardized scale
# --------------------------------------------------------------------------
def _standardize(X, weights, standardize):
    """Centre and scale by the weighted population SD (constant columns: scale 1).

    Weighted moments make ``sample_weight`` exactly equivalent to repeating
    rows.  Returns the transformed X, the means, the scales and a mask of
    constant columns (their slopes are fixed at zero).
    """
    if not standardize:
        constant = np.zeros(X.shape[1], dtype=bool)
        return X, np.zeros(X.shape[1]), np.ones(X.shape[1]), constant
    mean = weights @ X
    centred = X - mean
    scale = np.sqrt(weights @ centred**2)
    constant = scale <= 1e-12 * np.maximum(1.0, np.abs(mean))
    scale = np.where(constant, 1.0, scale)
    Xs = centred / scale
    Xs[:, constant] = 0.0
    return Xs, mean, scale, constant


class _Problem:
    """One penalised cumulative-logit problem on standardized data.

    Parameters are stored as ``theta`` of shape ``(n_boundaries, p + 1)``:
    ``theta[k, 0]`` is the intercept of boundary ``k`` and ``theta[k, 1:]``
    is ``psi_k`` (``psi_0 = beta_0``, ``psi_k = beta_k - beta_{k-1}``).
    Weights are normalised to sum to one, so the loss is a weighted mean.
    """

    def __init__(
        self, Xs, codes, weights, n_classes, *, penalize_first, l1_ratio, frozen
    ):
        self.Xs = Xs
        self.X1 = np.hstack([np.ones((Xs.shape[0], 1)), Xs])
        self.codes = codes
        self.weights = weights / weights.sum()
        self.n_bound = n_classes - 1
        self.n_features = Xs.shape[1]
        self.l1_ratio = l1_ratio
        # per-boundary penalty weight on psi_k (the intercepts are free)
        self.block_weight = np.ones(self.n_bound)
        if not penalize_first:
            self.block_weight[0] = 0.0
        movable = np.ones((self.n_bound, self.n_features + 1), dtype=bool)
        movable[:, 1:] &= ~frozen[None, :]
        self.movable_base = movable
        # penalty weights per unit of alpha, flattened like ``theta``
        unit_l1 = np.zeros((self.n_bound, self.n_features + 1))
        unit_l2 = np.zeros((self.n_bound, self.n_features + 1))
        unit_l1[:, 1:] = l1_ratio * self.block_weight[:, None]
        unit_l2[:, 1:] = (1.0 - l1_ratio) * self.block_weight[:, None]
        self.unit_l1, self.unit_l2 = unit_l1.ravel(), unit_l2.ravel()
        # Coordinate descent only has to find the support of each Newton step:
        # the step is then solved exactly on it (``polish_on_support``), so a
        # slow tail of sweeps on correlated columns is cut short.
        self.max_sweeps = 10_000
        # Hessian of the latest Newton iteration (the next path point's first
        # step reuses it)
        self.last_hessian = None
        # iterations since ``last_hessian`` was built (a path's points share it)
        self.hessian_age = 0
        # the latest verified point: ``(theta, eta, derivatives in eta, grad)``
        self.path_state = None

    # -- pieces of the objective ------------------------------------------
    def eta(self, theta):
        beta = np.cumsum(theta[:, 1:], axis=0)
        return self.Xs @ beta.T + theta[:, 0]

    def penalty(self, theta, lam):
        psi = theta[:, 1:]
        per_block = self.l1_ratio * np.abs(psi).sum(axis=1) + 0.5 * (
            1.0 - self.l1_ratio
        ) * (psi**2).sum(axis=1)
        return lam * float(self.block_weight @ per_block)

    def loss(self, theta):
        return negative_log_likelihood(self.eta(theta), self.codes, self.weights)

    def objective(self, theta, lam):
        return self.loss(theta) + self.penalty(theta, lam)

    def gradient_hessian(self, theta, need_hessian=True, eta=None):
        """Loss, gradient (like ``theta``) and Hessian (flattened ``theta``).

        ``eta`` is ``self.eta(theta)`` when the caller already has it.
        """
        if eta is None:
            eta = self.eta(theta)
        return self._chain_rule(
            loss_derivatives(eta, self.codes, self.weights), need_hessian
        )

    def _chain_rule(self, eta_derivatives, need_hessian=True):
        """Loss, gradient and Hessian in ``theta`` from those in ``eta``."""
        loss, g_eta, h_diag, h_off = eta_derivatives
        if not np.isfinite(loss):
            return loss, None, None
        # with respect to (alpha_k, beta_k) first
        grad, hess = gradient_hessian_blocks(
            self.X1, self.codes, g_eta, h_diag, h_off, need_hessian
        )
        # beta_k = sum_{j <= k} psi_j, so d/dpsi_j = sum_{k >= j} d/dbeta_k
        grad[:, 1:] = np.cumsum(grad[::-1, 1:], axis=0)[::-1]
        if not need_hessian:
            return loss, grad, None
        K1, q = self.n_bound, self.n_features + 1
        # the same change of variables on both sides, for the slope rows only
        hess[:, 1:] = np.cumsum(hess[::-1, 1:], axis=0)[::-1]
        hess[:, :, :, 1:] = np.cumsum(hess[:, :, ::-1, 1:], axis=2)[:, :, ::-1]
        return loss, grad, hess.reshape(K1 * q, K1 * q)

    def initial_theta(self):
        """Intercept-only MLE: logits of the weighted cumulative class shares."""
        shares = np.bincount(
            self.codes, weights=self.weights, minlength=self.n_bound + 1
        )
        cumulative = np.clip(np.cumsum(shares)[:-1], 1e-12, 1 - 1e-12)
        theta = np.zeros((self.n_bound, self.n_features + 1))
        theta[:, 0] = np.log(cumulative) - np.log1p(-cumulative)
        return theta

    def lambda_max(self, theta_null, l1_ratio):
        """Smallest penalty keeping every penalised slope at zero (null fit)."""
        _, grad, _ = self.gradient_hessian(theta_null, need_hessian=False)
        scores = np.abs(grad[:, 1:]) * self.movable_base[:, 1:]
        scores = scores[self.block_weight > 0]
        if scores.size == 0:
            return 1.0
        top = float(scores.max()) / max(l1_ratio, 0.01)
        return top if top > 0 else 1.0

    # -- the solver ---------------------------------------------------------
    def solve(
        self,
        lam,
        theta0,
        *,
        tol,
        max_iter,
        movable=None,
        hessian=None,
        max_hessian_age=1,
        state=None,
        verify_last=True,
    ):
        """Proximal Newton with backtracking.

        ``theta0`` must give every training row a positive probability.
        ``state`` (from :attr:`path_state`) is a verified point with its derivatives in
        ``eta``: the solve then starts there and needs no pass over the data
        before its first step.  ``hessian`` (from a nearby point) replaces the
        Hessian of the first iteration.

        The minimiser does not depend on the Hessian, only the speed of the
        steps: a Hessian is therefore kept for the next iteration while the
        quadratic model keeps predicting the decrease (the step was a full
        one, its actual decrease within a factor 2 of the predicted one), for
        at most ``max_hessian_age`` iterations, counted across the calls of a
        path.  Convergence is then linear at a small rate instead of
        quadratic, so a step on a kept Hessian must predict ten times less
        than ``tol`` to stop.  A cold fit is fastest with plain Newton
        (``max_hessian_age=1``: a fresh Hessian at every iteration); a path,
        whose points start near their optimum, with a few reuses.

        The last step (the one predicted to gain less than ``tol``) is checked
        against the data like every other one, unless ``verify_last`` is
        False: it is then returned as predicted by the quadratic model, and
        :attr:`path_state` keeps the verified point before it, from which the
        next point of a path starts.

        Returns ``(theta, objective, n_iter, converged)``.
        """
        movable = self.movable_base if movable is None else movable
        shape = theta0.shape
        l1f, l2f, movf = lam * self.unit_l1, lam * self.unit_l2, movable.ravel()
        use_l1 = bool(np.any(l1f[movf] > 0))
        if hessian is not None and self.hessian_age >= max_hessian_age:
            hessian = None

        # The loss comes with the first derivatives (one pass over the rows),
        # and each accepted candidate's eta is kept for the next iteration.
        grad = None  # the gradient at ``theta``, once known
        if state is not None:
            theta, eta, eta_derivatives, grad = state
        else:
            theta = theta0.copy()
            theta[~movable] = 0.0
            eta = self.eta(theta)
            eta_derivatives = None
        if eta_derivatives is None:
            eta_derivatives = loss_derivatives(eta, self.codes, self.weights)
        if not np.isfinite(eta_derivatives[0]):
            raise ValueError(
                "The starting point has a training row with non-positive probability."
            )
        keep_hessian = hessian is not None
        # how far the quadratic model was last seen to predict the loss well
        trusted_radius = 0.0
        current_penalty = self.penalty(theta, lam)
        objective = eta_derivatives[0] + current_penalty
        converged = False
        n_iter = 0
        self.path_state = None
        while n_iter < max_iter:
            n_iter += 1
            if eta_derivatives is None:
                eta_derivatives = loss_derivatives(eta, self.codes, self.weights)
            if grad is None or not keep_hessian:
                _, grad, hess = self._chain_rule(eta_derivatives, not keep_hessian)
            else:
                hess = None
            if hess is None:
                hess = hessian
                self.hessian_age += 1
            else:
                hessian = self.last_hessian = hess
                self.hessian_age = 0
            gf = grad.ravel()
            flat = theta.ravel()
            if use_l1:
                new, _ = cd_quadratic_l1(
                    hess, gf, flat, l1f, l2f, movf, 1e-3 * tol, self.max_sweeps
                )
                new = polish_on_support(hess, gf, flat, new, l1f, l2f, movf)
            else:
                new = self._newton_step(hess, gf, flat, l2f, movf)
            direction = (new - flat).reshape(shape)
            full_step_penalty = self.penalty(theta + direction, lam)
            decrease = float(gf @ direction.ravel()) + (
                full_step_penalty - current_penalty
            )
            # Newton converges quadratically: a predicted decrease of tol means
            # the parameters are about sqrt(tol) away, so the step is still taken.
            # After a step on a kept Hessian the error shrinks by a constant
            # factor rather than quadratically: ask for a smaller step.
            step_tol = tol if self.hessian_age == 0 else 0.1 * tol
            small = -decrease <= step_tol * max(1.0, abs(objective))
            step_norm = float(np.linalg.norm(direction))
            if small and not verify_last and step_norm <= trusted_radius:
                # The quadratic model is accurate this close to the optimum
                # (its next step would gain about decrease**2): take the step
                # without the pass over the data that would confirm it, but
                # only within the distance over which the last step showed the
                # model right (on a flat, nearly separable objective a tiny
                # predicted gain can hide a long, wrong step).
                self.path_state = (theta, eta, eta_derivatives, grad)
                theta = theta + direction
                return theta, objective + 0.5 * decrease, n_iter, True
            # Unless this is the last step, the full step is usually accepted:
            # its loss then comes with the derivatives the next iteration needs.
            last_step = small or n_iter == max_iter
            step = 1.0
            accepted = False
            for _ in range(60):
                candidate = theta + step * direction
                candidate_eta = self.eta(candidate)
                if step == 1.0:
                    candidate_penalty = full_step_penalty
                else:
                    candidate_penalty = self.penalty(candidate, lam)
                if step == 1.0 and not last_step:
                    eta_derivatives = loss_derivatives(
                        candidate_eta, self.codes, self.weights
                    )
                    candidate_loss = eta_derivatives[0]
                else:
                    eta_derivatives = None
                    candidate_loss = negative_log_likelihood(
                        candidate_eta, self.codes, self.weights
                    )
                value = candidate_loss + candidate_penalty
                if value <= objective + 1e-4 * step * decrease:
                    accepted = True
                    break
                step *= 0.5
            if not accepted:
                # No progress is possible at machine precision: converged when
                # the predicted decrease is within rounding of the objective.
                converged = small or -decrease <= 1e-12 * max(1.0, abs(objective))
                eta_derivatives = None
                break
            # the quadratic model's change for the full step (the Armijo
            # ``decrease`` above is its linear part only)
            d = direction.ravel()
            model_change = decrease + 0.5 * float(d @ hess @ d)
            model_right = step == 1.0 and (
                2.0 * model_change <= value - objective <= 0.5 * model_change
            )
            trusted_radius = step_norm if model_right else 0.0
            keep_hessian = model_right and self.hessian_age + 1 < max_hessian_age
            theta, objective, eta = candidate, value, candidate_eta
            current_penalty = candidate_penalty
            grad = None
            if small:
                converged = True
                break
        self.path_state = (theta, eta, eta_derivatives, None)
        return theta, objective, n_iter, converged

    @staticmethod
    def _newton_step(hess, grad, flat, l2, movable):
        """Exact minimiser of the quadratic model with a ridge (no L1 part)."""
        idx = np.flatnonzero(movable)
        H = hess[np.ix_(idx, idx)] + np.diag(l2[idx])
        rhs = -(grad[idx] + l2[idx] * flat[idx])
        # A tiny Levenberg term keeps the solve defined on flat directions.
        H[np.diag_indices_from(H)] += 1e-12 * max(1.0, np.trace(H) / len(idx))
        try:
            step = np.linalg.solve(H, rhs)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(H, rhs, rcond=None)[0]
        new = flat.copy()
        new[idx] += step
        return new


def _make_problem(X, codes, weights, n_classes, *, standardize, **options):
    """Standardize (weighted) and build the problem; returns (problem, mean, scale)."""
    Xs, mean, scale, constant = _standardize(X, weights / weights.sum(), standardize)
    problem = _Problem(Xs, codes, weights, n_classes, frozen=constant, **options)
    return problem, mean, scale


def _back_transform(theta, mean, scale):
    """Original-scale (intercepts, coefs (K-1, p)) from standardized ``theta``."""
    coef = np.cumsum(theta[:, 1:], axis=0) / scale
    intercept = theta[:, 0] - coef @ mean
    return intercept, coef


def _warn_not_converged(name, max_iter, alpha):
    warnings.warn(
        f"{name} did not converge in max_iter={max_iter} Newton iterations "
        f"(alpha={alpha:g}). Increase max_iter, or increase alpha: an "
        "unpenalised fit diverges when the classes are (nearly) separable.",
        ConvergenceWarning,
        stacklevel=3,
    )


def _one_blas_thread():
    """Run the solver's many tiny BLAS/LAPACK calls on one thread.

    Multi-threaded BLAS gains nothing on ``(p + 1)``-sized products and, on a
    loaded machine, its threads stall each other by orders of magnitude.
    """
    global _CONTROLLER
    if _CONTROLLER is None:  # finding the libraries reads /proc: do it once
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


_CONTROLLER = None


# --------------------------------------------------------------------------
# Shared estimator machinery
# --------------------------------------------------------------------------
class _BaseCumulativeLogit(ClassifierMixin, BaseEstimator):
    """Validation, class ordering and prediction shared by the ordinal models."""

    _parameter_constraints: dict = {
        "standardize": ["boolean"],
        "tol": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_iter": [Interval(numbers.Integral, 1, None, closed="left")],
        "classes": ["array-like", None],
    }

    def _validate_fit_input(self, X, y, sample_weight):
        """Validate; return X, class codes, weights (checked, raw)."""
        order = self.classes
        dtype = getattr(y, "dtype", None)
        if order is None and getattr(dtype, "ordered", False):
            order = list(dtype.categories)  # an ordered pandas Categorical
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=False)
        check_classification_targets(y)
        present = np.unique(y)
        if order is None:
            classes = present
        else:
            classes = np.asarray(order)
            if len(np.unique(classes)) != len(classes):
                raise ValueError(f"classes has repeated labels: {list(classes)}.")
            unknown = np.setdiff1d(present, classes)
            if unknown.size:
                raise ValueError(
                    f"y has labels {unknown.tolist()} that are not in classes="
                    f"{classes.tolist()}."
                )
        check_min_classes(classes, 3, estimator_name=type(self).__name__)
        weights = check_sample_weight(sample_weight, X.shape[0])
        codes = np.searchsorted(classes, y) if order is None else _codes(classes, y)
        totals = np.bincount(codes, weights=weights, minlength=len(classes))
        missing = classes[totals <= 0]
        if missing.size:
            raise ValueError(
                f"Class(es) {missing.tolist()} of the ordered classes "
                f"{classes.tolist()} have no samples (or zero total sample_weight); "
                "an ordinal model needs every level between the lowest and the "
                "highest. Drop or merge the empty level(s)."
            )
        self.classes_ = classes
        return X, codes.astype(np.intp), weights

    def _build_problem(self, X, codes, weights):
        """Standardize and build the penalised problem from these settings.

        Returns ``(problem, mean, scale)``.  Proportional odds has no
        ``penalize_first`` parameter: it gets ``True`` and then freezes every
        slope difference after the first (one common slope).
        """
        return _make_problem(
            X,
            codes,
            weights,
            len(self.classes_),
            standardize=self.standardize,
            penalize_first=getattr(self, "penalize_first", True),
            l1_ratio=self.l1_ratio,
        )

    def _store(self, theta, mean, scale, objective, n_iter):
        intercept, coef = _back_transform(theta, mean, scale)
        self.intercept_ = intercept
        self.coef_ = coef
        self.objective_ = float(objective)
        self.n_iter_ = int(n_iter)

    # -- prediction -------------------------------------------------------
    def decision_function(self, X):
        """Linear predictors of the cumulative logits, one column per boundary.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        eta : ndarray of shape (n_samples, n_classes - 1)
            ``eta[:, k] = intercept_[k] + X @ coef_[k]``, the logit of
            ``P(y <= classes_[k] | x)``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_.T + self.intercept_

    def predict_rare_proba(self, X):
        """Probability of the last (rare) class, never repaired.

        It is ``1 - sigmoid(eta_{K-1})``, the last boundary alone.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        proba : ndarray of shape (n_samples,)
            Probability of ``classes_[-1]``.
        """
        return expit(-self.decision_function(X)[:, -1])

    def _crossing_mode(self):
        return getattr(self, "crossing", "none")

    def predict_cumulative_proba(self, X):
        """``P(y <= classes_[k] | x)`` for the first ``K - 1`` classes.

        Crossing cumulative probabilities (a decreasing row) are repaired as
        ``crossing`` says, exactly as in :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        cumulative : ndarray of shape (n_samples, n_classes - 1)
            Column ``k`` is ``P(y <= classes_[k] | x)``, non-decreasing in ``k``.
        """
        return _repair(expit(self.decision_function(X)), self._crossing_mode())

    def predict_proba(self, X):
        """Class probabilities (rows are valid probability vectors).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        eta = self.decision_function(X)
        raw = expit(eta)
        cumulative = _repair(raw, self._crossing_mode())
        n = cumulative.shape[0]
        full = np.hstack([np.zeros((n, 1)), cumulative, np.ones((n, 1))])
        proba = np.diff(full, axis=1)
        # 1 - sigmoid(eta) loses the digits of a tiny rare-class probability;
        # sigmoid(-eta) keeps them wherever the last boundary was not repaired.
        kept = cumulative[:, -1] == raw[:, -1]
        proba[kept, -1] = expit(-eta[kept, -1])
        if self._crossing_mode() == "clip":
            proba = np.clip(proba, 0.0, None)
            proba /= proba.sum(axis=1, keepdims=True)
        return proba

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Columns in the order of ``classes_``.
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Input samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes.
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = True
        return tags


def _codes(classes, y):
    lookup = {label: code for code, label in enumerate(classes.tolist())}
    return np.array([lookup[label] for label in y.tolist()], dtype=np.intp)


def _repair(cumulative, mode):
    """Make each row of cumulative probabilities non-decreasing, per ``mode``."""
    if cumulative.shape[1] < 2 or mode == "none":
        return cumulative
    crossed = np.any(np.diff(cumulative, axis=1) < 0, axis=1)
    n_crossed = int(crossed.sum())
    if n_crossed == 0:
        return cumulative
    if mode == "raise":
        raise ValueError(
            f"{n_crossed} row(s) have crossing cumulative probabilities (a negative "
            "class probability); pass crossing='cummin', 'isotonic' or 'clip' to "
            "repair them."
        )
    warnings.warn(
        f"{n_crossed} of {cumulative.shape[0]} row(s) had crossing cumulative "
        f"probabilities; repaired with crossing={mode!r}.",
        UserWarning,
        stacklevel=4,
    )
    if mode == "cummin":
        # F_k <- min_{j >= k} F_j keeps the last boundary, hence the rare class.
        return np.minimum.accumulate(cumulative[:, ::-1], axis=1)[:, ::-1]
    if mode == "isotonic":
        return repair_isotonic(cumulative)
    return cumulative  # "clip" works on the class probabilities


# --------------------------------------------------------------------------
# PRESTO
# --------------------------------------------------------------------------
class PrestoClassifier(_BaseCumulativeLogit):
    r"""Ordinal regression for a rare top class, shrunk towards proportional odds.

    PRESTO (Faletto & Bien, 2023) models ``P(y <= k | x) = sigmoid(intercept_k
    + x @ coef_k)`` with one slope vector per class boundary and penalises the
    first slope vector and the differences between adjacent ones.  With the
    features standardized (centred, divided by their population standard
    deviation; constant columns keep scale 1) it minimises

    .. math::

        -\frac{1}{\sum_i w_i}\sum_i w_i \log P(y_i \mid x_i)
        + \alpha \Big(\rho\, P_1(b) + (1 - \rho)\, P_2(b)\Big)

    where ``rho = l1_ratio``, :math:`P_1 = \|b_1\|_1 + \sum_{k\ge 2}
    \|b_k - b_{k-1}\|_1` on the standardized slopes (without :math:`b_1` when
    ``penalize_first=False``) and :math:`P_2` the matching half squared L2
    norms.  A large ``alpha`` gives the intercept-only fit, or with
    ``penalize_first=False`` the proportional-odds fit; ``alpha=0`` gives the
    unpenalised non-parallel cumulative-logit fit.

    Classes are ordered as ``np.unique(y)`` orders them, or as ``classes``
    (or an ordered pandas Categorical ``y``) says; the last is the rare class.

    Read more in the :ref:`User Guide <presto>`.

    Parameters
    ----------
    alpha : float, default=0.01
        Penalty strength (``lambda`` in the paper); ``>= 0``.
    l1_ratio : float, default=1.0
        Mix between the L1 (``1.0``) and the half squared L2 (``0.0``, the
        paper's PRESTO_L2) penalty on the slope differences.
    penalize_first : bool, default=True
        Penalise the first boundary's slopes too, as the authors' code does.
    standardize : bool, default=True
        Standardize the features before fitting (the penalty acts on the
        standardized slopes); ``coef_`` is always on the original scale.
    crossing : {"cummin", "isotonic", "clip", "raise", "none"}, default="cummin"
        How :meth:`predict_proba` repairs rows whose cumulative probabilities
        cross (possible away from the training rows): ``"cummin"`` sets
        ``F_k <- min_{j >= k} F_j`` and leaves the rare class unchanged,
        ``"isotonic"`` projects each row onto non-decreasing sequences,
        ``"clip"`` clips negative class probabilities to zero and
        renormalises, ``"raise"`` raises a ValueError and ``"none"`` returns
        the raw (possibly negative) differences.  One warning per call counts
        the repaired rows.
    solver : {"newton-cd", "cvxpy"}, default="newton-cd"
        ``"newton-cd"``: proximal Newton with exact Hessian, coordinate
        descent on each quadratic model and a backtracking line search that
        rejects steps giving a training row a non-positive probability.
        ``"cvxpy"``: the same objective as an exponential-cone program
        solved by CVXPY (CLARABEL, then ECOS, then SCS): hundreds of times
        slower, an independent reference for checking; ``tol``,
        ``max_iter`` and ``warm_start`` do not apply to it.
    tol : float, default=1e-8
        Stop when the predicted decrease of the objective is below
        ``tol * max(1, objective)``.
    max_iter : int, default=100
        Maximum number of Newton iterations.
    warm_start : bool, default=False
        Start from the previous solution when refitting on data with the same
        shape and classes (useful along a path of ``alpha``).
    classes : array-like, default=None
        The class labels in their order, lowest first; the last is the rare
        class.  ``None``: ``np.unique(y)`` (or the categories of an ordered
        pandas Categorical).  ``classes_`` then follows this order, not the
        sorted one, and so do the columns of :meth:`predict_proba`:
        scikit-learn metrics that assume sorted labels (``log_loss``,
        ``"neg_log_loss"``) misread them, even given
        ``labels=clf.classes_``.  Use integer codes in the intended order, or
        the built-in losses of :class:`PrestoClassifierCV`.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, in order; ``classes_[-1]`` is the rare class.
    intercept_ : ndarray of shape (n_classes - 1,)
        Boundary intercepts on the original feature scale.
    coef_ : ndarray of shape (n_classes - 1, n_features)
        Row ``k`` is the slope vector ``beta_k`` of boundary ``k`` on the
        original feature scale.
    coef_diff_ : ndarray of shape (n_classes - 1, n_features)
        The penalised differences on the standardized scale: row 0 is the
        standardized ``beta_1``, row ``k`` is ``b_{k+1} - b_k``.
    n_iter_ : int
        Newton iterations run (0 with ``solver="cvxpy"``).
    objective_ : float
        The minimised objective (standardized scale).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    PrestoClassifierCV : PRESTO with ``alpha`` chosen by cross-validation.
    ProportionalOddsClassifier : The proportional-odds model (one slope).

    References
    ----------
    .. [1] G. Faletto and J. Bien, "Predicting Rare Events by Shrinking
       Towards Proportional Odds", ICML 2023, PMLR 202:9547-9602.

    Examples
    --------
    >>> from sklike.datasets import make_relaxed_proportional_odds
    >>> from sklike.linear_model import PrestoClassifier
    >>> X, y, proba, coef = make_relaxed_proportional_odds(
    ...     n_samples=500, random_state=0
    ... )
    >>> clf = PrestoClassifier(alpha=0.01).fit(X, y)
    >>> clf.coef_.shape
    (3, 10)
    >>> clf.predict_rare_proba(X[:2]).round(3)
    array([0.007, 0.007])
    """

    _parameter_constraints: dict = {
        **_BaseCumulativeLogit._parameter_constraints,
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "penalize_first": ["boolean"],
        "crossing": [StrOptions(_CROSSING_OPTIONS)],
        "solver": [StrOptions({"newton-cd", "cvxpy"})],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        alpha=0.01,
        *,
        l1_ratio=1.0,
        penalize_first=True,
        standardize=True,
        crossing="cummin",
        solver="newton-cd",
        tol=1e-8,
        max_iter=100,
        warm_start=False,
        classes=None,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.penalize_first = penalize_first
        self.standardize = standardize
        self.crossing = crossing
        self.solver = solver
        self.tol = tol
        self.max_iter = max_iter
        self.warm_start = warm_start
        self.classes = classes

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Ordered class labels (at least three classes).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; an integer weight is equivalent to repeating
            the row.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        previous = self._warm_theta() if self.warm_start else None
        X, codes, weights = self._validate_fit_input(X, y, sample_weight)
        problem, mean, scale = self._build_problem(X, codes, weights)
        if self.solver == "cvxpy":
            theta, result = solve_presto_cvxpy(problem, self.alpha)
            objective = problem.objective(theta, self.alpha)
            if not np.isfinite(objective):  # a row at the domain's edge
                objective = result.value
            self._store(theta, mean, scale, objective, 0)
            self.coef_diff_ = theta[:, 1:].copy()
            self._theta = theta
            return self
        theta0 = problem.initial_theta()
        if (
            previous is not None
            and previous.shape == theta0.shape
            and np.isfinite(problem.objective(previous, self.alpha))
        ):
            theta0 = previous
        with _one_blas_thread():
            theta, objective, n_iter, converged = problem.solve(
                self.alpha, theta0, tol=self.tol, max_iter=self.max_iter
            )
        if not converged:
            _warn_not_converged(type(self).__name__, self.max_iter, self.alpha)
        self._store(theta, mean, scale, objective, n_iter)
        self.coef_diff_ = theta[:, 1:].copy()
        self._theta = theta
        return self

    def _warm_theta(self):
        theta = getattr(self, "_theta", None)
        return None if theta is None else theta.copy()


# --------------------------------------------------------------------------
# Proportional odds
# --------------------------------------------------------------------------
class ProportionalOddsClassifier(_BaseCumulativeLogit):
    r"""Proportional-odds (cumulative logit) model: one slope, ordered intercepts.

    Fits ``P(y <= k | x) = sigmoid(intercept_k + x @ coef)`` by maximum
    likelihood, optionally with an elastic-net penalty on the standardized
    slope, with the solver of :class:`PrestoClassifier` (it is PRESTO with
    every slope difference fixed at zero).  The unpenalised fit equals
    ``MASS::polr`` and statsmodels' ``OrderedModel`` with the slope's sign
    flipped (they use ``alpha_k - x @ beta``).

    Read more in the :ref:`User Guide <presto>`.

    Parameters
    ----------
    alpha : float, default=0.0
        Penalty strength on the standardized slope; ``0`` is the MLE.
    l1_ratio : float, default=0.0
        Mix between L1 (``1.0``) and half squared L2 (``0.0``) penalties.
    standardize : bool, default=True
        Standardize the features before fitting (matters only with a
        penalty); ``coef_`` is always on the original scale.
    tol : float, default=1e-8
        Stop when the predicted decrease of the objective is below
        ``tol * max(1, objective)``.
    max_iter : int, default=100
        Maximum number of Newton iterations.
    classes : array-like, default=None
        The class labels in their order; ``None``: ``np.unique(y)`` (or the
        categories of an ordered pandas Categorical).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels, in order.
    intercept_ : ndarray of shape (n_classes - 1,)
        Boundary intercepts (increasing).
    coef_ : ndarray of shape (n_classes - 1, n_features)
        The common slope, repeated on every row so the layout matches
        :class:`PrestoClassifier`.
    n_iter_ : int
        Newton iterations run.
    objective_ : float
        The minimised objective (standardized scale).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    PrestoClassifier : Boundary-specific slopes shrunk towards this model.

    References
    ----------
    .. [1] P. McCullagh, "Regression Models for Ordinal Data", JRSS B 42(2),
       1980.

    Examples
    --------
    >>> from sklike.datasets import make_relaxed_proportional_odds
    >>> from sklike.linear_model import ProportionalOddsClassifier
    >>> X, y, _, _ = make_relaxed_proportional_odds(n_samples=500, random_state=0)
    >>> po = ProportionalOddsClassifier().fit(X, y)
    >>> bool((po.coef_ == po.coef_[0]).all())
    True
    """

    _parameter_constraints: dict = {
        **_BaseCumulativeLogit._parameter_constraints,
        "alpha": [Interval(numbers.Real, 0, None, closed="left")],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
    }

    def __init__(
        self,
        alpha=0.0,
        *,
        l1_ratio=0.0,
        standardize=True,
        tol=1e-8,
        max_iter=100,
        classes=None,
    ):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.standardize = standardize
        self.tol = tol
        self.max_iter = max_iter
        self.classes = classes

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Ordered class labels (at least three classes).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights; an integer weight is equivalent to repeating
            the row.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X, codes, weights = self._validate_fit_input(X, y, sample_weight)
        problem, mean, scale = self._build_problem(X, codes, weights)
        problem.movable_base[1:, 1:] = False
        with _one_blas_thread():
            theta, objective, n_iter, converged = problem.solve(
                self.alpha,
                problem.initial_theta(),
                tol=self.tol,
                max_iter=self.max_iter,
            )
        if not converged:
            _warn_not_converged(type(self).__name__, self.max_iter, self.alpha)
        self._store(theta, mean, scale, objective, n_iter)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # One common slope cannot separate classes that are not ordered along a
        # single direction (the common checks use unordered blobs).
        tags.classifier_tags.poor_score = True
        return tags


# --------------------------------------------------------------------------
# PRESTO with cross-validated alpha
# --------------------------------------------------------------------------
# Out-of-fold losses computed straight from the path's raw probabilities;
# any other ``scoring`` goes through a scikit-learn scorer on a fitted model.
_LOSSES = {"brier", "rare_brier", "log_loss"}


def _fold_loss(name, proba, codes, weights):
    """Weighted mean loss on raw (possibly crossed) probabilities.

    "brier" is the multiclass Brier score, "rare_brier" the Brier score of the
    last (rare) class alone, "log_loss" the mean negative log-probability of
    the observed class, floored at 1e-15 (a crossed row can give it none).
    """
    rows = np.arange(len(codes))
    if name == "brier":
        onehot = np.zeros_like(proba)
        onehot[rows, codes] = 1.0
        per_row = ((onehot - proba) ** 2).sum(axis=1)
    elif name == "rare_brier":
        per_row = (proba[:, -1] - (codes == proba.shape[1] - 1)) ** 2
    else:
        per_row = -np.log(np.clip(proba[rows, codes], 1e-15, None))
    return float(weights @ per_row / weights.sum())


def _raw_proba(intercept, coef, X):
    cumulative = expit(X @ coef.T + intercept)
    n = X.shape[0]
    return np.diff(np.hstack([np.zeros((n, 1)), cumulative, np.ones((n, 1))]), axis=1)


def _path_tol(tol):
    """Tolerance of the path points that are only scored or used as starts.

    The stopping test is on the predicted decrease of the step that is then
    taken, and Newton converges quadratically, so a step predicted to gain
    ``sqrt(tol) / 10`` (1e-5 for the default ``tol=1e-8``) leaves the
    objective within a few 1e-8 of its minimum; out-of-fold Brier scores then
    agree with those of full-precision fits to a few 1e-6 typically, 1.1e-5 at
    worst on the test problems (``test_cv_path_matches_cold_fits`` allows
    5e-5), far below the score differences between grid values that decide
    ``alpha_``.
    """
    return float(max(tol, 0.1 * np.sqrt(tol)))


def _path(problem, alphas, *, tol, max_iter, final_tol=None):
    """Warm-started solutions along decreasing ``alphas``.

    Every point is solved to ``tol`` except the last, solved to ``final_tol``
    (default ``tol``).  Each point starts from the previous point's last
    verified iterate, with the loss, gradient and Hessian already computed
    there, so its first proximal Newton step (which is exactly the step the
    path's tangent would predict, plus any change of support) needs no pass
    over the data.  The final small step of every point is taken as the
    quadratic model predicts it (``verify_last=False``), except at the last
    point when ``final_tol`` is given: the refit's answer is fully checked.
    A point typically costs one pass over the data for its loss and gradient,
    and a Hessian every few iterations (``max_hessian_age=4``).
    """
    theta = problem.initial_theta()
    thetas, n_iters, all_converged = [], [], True
    problem.path_state = None
    for i, lam in enumerate(alphas):
        last = i == len(alphas) - 1
        verify = last and final_tol is not None
        theta, objective, n_iter, converged = problem.solve(
            lam,
            theta,
            tol=final_tol if verify else tol,
            max_iter=max_iter,
            # the previous point's Hessian only sets the metric of the first
            # step; ``solve`` rebuilds it when it gets old or mispredicts
            hessian=problem.last_hessian if i > 0 else None,
            # the refit's answer ends on a fresh Hessian (quadratic last step)
            max_hessian_age=1 if verify else 4,
            state=problem.path_state,
            verify_last=verify,
        )
        thetas.append(theta)
        n_iters.append(n_iter)
        all_converged &= converged
    return thetas, n_iters, all_converged, objective


def _fold_scores(est, X, codes, weights, train, test, alphas, scorer, weighted):
    """Out-of-fold losses along the path (``est`` gives the settings).

    With a scikit-learn ``scorer`` (greater is better) the loss is minus its
    value on a model holding the path point; ``weighted`` passes the test
    rows' ``sample_weight`` to it.
    """
    problem, mean, scale = est._build_problem(X[train], codes[train], weights[train])
    # A class absent from the training fold cannot be fitted; the fold's scores
    # stay NaN (stratified folds make this rare).
    if np.any(np.bincount(codes[train], minlength=len(est.classes_)) == 0):
        return np.full(len(alphas), np.nan), True
    with _one_blas_thread():
        thetas, _, converged, _ = _path(
            problem, alphas, tol=_path_tol(est.tol), max_iter=est.max_iter
        )
    scores = []
    for theta in thetas:
        if scorer is None:
            intercept, coef = _back_transform(theta, mean, scale)
            proba = _raw_proba(intercept, coef, X[test])
            scores.append(_fold_loss(est.scoring, proba, codes[test], weights[test]))
            continue
        model = PrestoClassifier(crossing=est.crossing)
        model.classes_, model.n_features_in_ = est.classes_, X.shape[1]
        model._store(theta, mean, scale, np.nan, 0)
        kwargs = {"sample_weight": weights[test]} if weighted else {}
        score = scorer(model, X[test], est.classes_[codes[test]], **kwargs)
        scores.append(-float(score))
    return np.array(scores), converged


class PrestoClassifierCV(_BaseCumulativeLogit):
    """PRESTO with the penalty ``alpha`` chosen by stratified cross-validation.

    The grid runs from ``alpha_max`` (the smallest penalty that keeps every
    penalised slope at zero, computed on all the data) down to
    ``alpha_min_ratio * alpha_max``, log-spaced.  In each stratified fold the
    standardization is refit and the whole path is solved with warm starts;
    the score is an out-of-fold loss, by default the multiclass Brier score
    on the raw probabilities.  ``selection="largest_min"`` (the authors' rule)
    picks the largest ``alpha`` with the lowest mean loss, ``"one_se"`` the
    largest within one standard error of it.  The model is then refit on all
    the data at ``alpha_``.  The grid values that are only scored (and those
    before ``alpha_`` in the refit's warm starts) are solved to the looser
    tolerance ``sqrt(tol) / 10``; the refit at ``alpha_`` is solved to ``tol``.

    Read more in the :ref:`User Guide <presto>`.

    Parameters
    ----------
    alphas : array-like, default=None
        Penalties to try; ``None`` builds the grid described above.
    n_alphas : int, default=20
        Grid size when ``alphas`` is None.
    alpha_min_ratio : float, default=0.01
        Smallest grid value over ``alpha_max``.
    cv : int, cross-validation generator or iterable, default=5
        Folds; an int gives stratified folds.
    scoring : str or callable, default="brier"
        Out-of-fold loss that picks ``alpha_``.  ``"brier"``: multiclass Brier
        score; ``"rare_brier"``: Brier score of the last (rare) class's
        probability alone, for when only that probability matters;
        ``"log_loss"``: mean negative log-probability of the observed class
        (floored at 1e-15).  These three are computed on the raw
        probabilities, straight from the path.  Any other scikit-learn scorer
        name (e.g. ``"neg_log_loss"``, ``"balanced_accuracy"``) or a callable
        ``scorer(estimator, X, y)`` is evaluated on a
        :class:`PrestoClassifier` holding each path point (probabilities
        repaired as ``crossing`` says), and its value negated, so that
        ``cv_scores_`` is always lower-is-better.
    selection : {"largest_min", "one_se"}, default="largest_min"
        Rule that picks ``alpha_`` from the mean scores.
    n_jobs : int, default=None
        Folds run in parallel (joblib).
    l1_ratio : float, default=1.0
        See :class:`PrestoClassifier`.
    penalize_first : bool, default=True
        See :class:`PrestoClassifier`.
    standardize : bool, default=True
        See :class:`PrestoClassifier`.
    crossing : {"cummin", "isotonic", "clip", "raise", "none"}, default="cummin"
        See :class:`PrestoClassifier`.
    tol : float, default=1e-8
        See :class:`PrestoClassifier`.
    max_iter : int, default=100
        See :class:`PrestoClassifier`.
    classes : array-like, default=None
        See :class:`PrestoClassifier`.

    Attributes
    ----------
    alpha_ : float
        The selected penalty.
    alphas_ : ndarray of shape (n_alphas,)
        The grid, decreasing.
    cv_scores_ : ndarray of shape (n_alphas, n_folds)
        Out-of-fold losses (lower is better): the ``scoring`` loss, or minus
        the scorer's value.
    classes_ : ndarray of shape (n_classes,)
        Class labels, in order.
    intercept_ : ndarray of shape (n_classes - 1,)
        Intercepts of the refit at ``alpha_``.
    coef_ : ndarray of shape (n_classes - 1, n_features)
        Slopes of the refit at ``alpha_`` (original scale).
    coef_diff_ : ndarray of shape (n_classes - 1, n_features)
        Standardized slope differences of the refit.
    n_iter_ : int
        Newton iterations of the refit.
    objective_ : float
        Objective of the refit.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during fit, when ``X`` has string column names.

    See Also
    --------
    PrestoClassifier : The model at a fixed ``alpha``.

    References
    ----------
    .. [1] G. Faletto and J. Bien, "Predicting Rare Events by Shrinking
       Towards Proportional Odds", ICML 2023, PMLR 202:9547-9602.

    Examples
    --------
    >>> from sklike.datasets import make_relaxed_proportional_odds
    >>> from sklike.linear_model import PrestoClassifierCV
    >>> X, y, _, _ = make_relaxed_proportional_odds(n_samples=500, random_state=0)
    >>> clf = PrestoClassifierCV(n_alphas=5, cv=3).fit(X, y)
    >>> clf.cv_scores_.shape
    (5, 3)
    """

    _parameter_constraints: dict = {
        **_BaseCumulativeLogit._parameter_constraints,
        "alphas": ["array-like", None],
        "n_alphas": [Interval(numbers.Integral, 1, None, closed="left")],
        "alpha_min_ratio": [Interval(numbers.Real, 0, 1, closed="neither")],
        "cv": ["cv_object"],
        "scoring": [StrOptions(_LOSSES | set(get_scorer_names())), callable],
        "selection": [StrOptions({"largest_min", "one_se"})],
        "n_jobs": [numbers.Integral, None],
        "l1_ratio": [Interval(numbers.Real, 0, 1, closed="both")],
        "penalize_first": ["boolean"],
        "crossing": [StrOptions(_CROSSING_OPTIONS)],
    }

    def __init__(
        self,
        *,
        alphas=None,
        n_alphas=20,
        alpha_min_ratio=0.01,
        cv=5,
        scoring="brier",
        selection="largest_min",
        n_jobs=None,
        l1_ratio=1.0,
        penalize_first=True,
        standardize=True,
        crossing="cummin",
        tol=1e-8,
        max_iter=100,
        classes=None,
    ):
        self.alphas = alphas
        self.n_alphas = n_alphas
        self.alpha_min_ratio = alpha_min_ratio
        self.cv = cv
        self.scoring = scoring
        self.selection = selection
        self.n_jobs = n_jobs
        self.l1_ratio = l1_ratio
        self.penalize_first = penalize_first
        self.standardize = standardize
        self.crossing = crossing
        self.tol = tol
        self.max_iter = max_iter
        self.classes = classes

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Choose ``alpha`` by cross-validation, then refit on all the data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,)
            Ordered class labels (at least three classes).
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weights, used in the fits and in the scores.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X, codes, weights = self._validate_fit_input(X, y, sample_weight)
        problem, mean, scale = self._build_problem(X, codes, weights)
        if self.alphas is None:
            null = problem.initial_theta()
            if not self.penalize_first:
                movable = problem.movable_base.copy()
                movable[1:, 1:] = False
                with _one_blas_thread():
                    null, _, _, _ = problem.solve(
                        0.0, null, tol=self.tol, max_iter=self.max_iter, movable=movable
                    )
            top = problem.lambda_max(null, self.l1_ratio)
            alphas = np.geomspace(top, top * self.alpha_min_ratio, self.n_alphas)
        else:
            alphas = np.sort(np.asarray(self.alphas, dtype=np.float64).ravel())[::-1]
            if (
                alphas.size == 0
                or np.any(alphas < 0)
                or not np.all(np.isfinite(alphas))
            ):
                raise ValueError(
                    "alphas must be a non-empty list of finite, non-negative numbers; "
                    f"got {self.alphas!r}."
                )
        cv = check_cv(self.cv, codes, classifier=True)
        folds = list(cv.split(X, codes))
        scorer = None
        if not (isinstance(self.scoring, str) and self.scoring in _LOSSES):
            scorer = check_scoring(self, scoring=self.scoring)
        weighted = sample_weight is not None
        results = Parallel(n_jobs=self.n_jobs)(
            delayed(_fold_scores)(
                self, X, codes, weights, train, test, alphas, scorer, weighted
            )
            for train, test in folds
        )
        scores = np.column_stack([r[0] for r in results])
        if not all(r[1] for r in results):
            _warn_not_converged(type(self).__name__, self.max_iter, float(alphas[-1]))
        mean_scores = np.nanmean(scores, axis=1)
        best = int(np.nanargmin(mean_scores))  # first = largest alpha at the minimum
        if self.selection == "one_se":
            n_valid = np.sum(np.isfinite(scores[best]))
            se = np.nanstd(scores[best], ddof=1) / np.sqrt(max(n_valid, 1))
            best = int(np.flatnonzero(mean_scores <= mean_scores[best] + se)[0])
        self.alphas_ = alphas
        self.cv_scores_ = scores
        self.alpha_ = float(alphas[best])
        # Refit on all the data, warm-started along the path down to alpha_.
        # The path points before alpha_ are only starts: solved loosely.
        with _one_blas_thread():
            thetas, n_iters, converged, objective = _path(
                problem,
                alphas[: best + 1],
                tol=_path_tol(self.tol),
                max_iter=self.max_iter,
                final_tol=self.tol,
            )
        theta, n_iter = thetas[-1], n_iters[-1]
        if not converged:
            _warn_not_converged(type(self).__name__, self.max_iter, self.alpha_)
        self._store(theta, mean, scale, objective, n_iter)
        self.coef_diff_ = theta[:, 1:].copy()
        return self
