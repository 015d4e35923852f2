"""Sequentially interactive local-DP iterative hard thresholding (Zhu et al. 2024)."""

import math
from numbers import Integral, Real

import numpy as np

from ..utils._numba import seed_from_random_state
from ..utils._sklearn_compat import (
    Interval,
    _fit_context,
    validate_data,
)
from ..utils.validation import check_min_samples
from ._ldp_common import LDPLinearRegressorBase, clip_rows, resolve_clip_levels
from ._mechanisms import l2_ball_randomize, l2_ball_scale

__all__ = ["LDPIHTRegressor"]


def _hard_threshold(theta, keep):
    """Keep the ``keep`` largest-magnitude entries (ties: lowest index first)."""
    if keep >= theta.shape[0]:
        return theta
    order = np.argsort(-np.abs(theta), kind="stable")
    out = np.zeros_like(theta)
    out[order[:keep]] = theta[order[:keep]]
    return out


def _project_l2_ball(theta, radius):
    norm = np.linalg.norm(theta)
    return theta if norm <= radius else theta * (radius / norm)


class LDPIHTRegressor(LDPLinearRegressorBase):
    """Sparse linear regression by private iterative hard thresholding (LDP).

    The sequentially interactive protocol of Zhu et al. (2024, Alg. 2), a
    corrected LDP-IHT: users are split into ``n_rounds`` disjoint batches and
    each user speaks once, so each gets the whole budget and the protocol is
    pure ``epsilon``-LDP.  In round ``t`` the server broadcasts
    ``theta_{t-1}``; each user of batch ``t`` clips ``x`` at ``tau_x`` and
    ``y`` at ``tau_y``, forms the gradient ``g = x (<x, theta> - y)`` and
    sends it through the l2-ball mechanism (Duchi et al. 2018) at the radius
    ``r`` that bounds ``||g||_2``.  The server averages, takes a gradient
    step, keeps the ``keep_factor * n_nonzero`` largest entries and projects
    onto the ball of radius ``radius``.

    Read more in the :ref:`User Guide <ldp_regression>`.

    Parameters
    ----------
    epsilon : float, default=1.0
        Privacy parameter of each user's single message (pure LDP, > 0).
    n_nonzero : int, default=1
        Assumed sparsity ``k`` of the true coefficients.
    keep_factor : int, default=8
        The iterates keep ``min(keep_factor * n_nonzero, n_features)``
        entries (the theory's ``k' = 8 k``).
    n_rounds : int, default=None
        Number of rounds (user batches); ``None`` is ``ceil(ln n)``.
    step_size : float, default=1.0
        Gradient step ``eta`` (``1 / L``; 1 suits whitened features).
    tau_x : float or array-like of shape (n_features,), default=None
        Feature clipping level(s), from public knowledge.  ``None`` reads them
        off the data and raises a ``PrivacyLeakWarning``.
    tau_y : float, default=None
        Target clipping level; same rules as ``tau_x``.
    radius : float, default=1.0
        Bound on ``||coef||_2`` (on ``||(coef, intercept)||_2`` with
        ``fit_intercept=True``); iterates are projected onto this ball.
    fit_intercept : bool, default=False
        Add a constant feature (clipping level 1) whose coefficient, the
        intercept, is never thresholded.  Gradients then have
        ``n_features + 1`` coordinates, the constant last, and the radius
        bounding them grows accordingly.
    random_state : int, RandomState instance or None, default=None
        Seeds the batch assignment and the privacy noise.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The last iterate.
    intercept_ : float
        The last iterate's intercept (0.0 when ``fit_intercept=False``).
    coef_path_ : ndarray of shape (`n_rounds_`, n_features)
        The iterate's coefficients after each round.
    intercept_path_ : ndarray of shape (`n_rounds_`,)
        The iterate's intercept after each round.
    grad_radius_ : float
        The l2-ball radius ``r`` bounding every user's gradient.
    report_norm_ : float
        Norm of every privatized report (``B`` of the mechanism).
    batch_size_ : int
        Smallest number of users per round.
    n_rounds_ : int
        Number of rounds run.
    n_keep_ : int
        Number of entries each iterate keeps.
    tau_x_ : ndarray of shape (n_features,)
        Feature clipping levels used.
    tau_y_ : float
        Target clipping level used.
    privacy_ : dict
        ``{"epsilon", "delta", "model", "mechanism"}`` of each user's message.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    LDPSparseLinearRegression : The non-interactive protocol (one round).

    Notes
    -----
    The gradient bound is ``r = sqrt(sum_j tau_j^2) * (radius *
    sqrt(top-k' sum of tau_j^2) + tau_y)``, which reduces to the paper's
    ``sqrt(d) tau_x (sqrt(k') tau_x + tau_y)`` for ``radius = 1``.  Each
    report has norm ``B ~ r sqrt(d) / epsilon``, so rounds need batches of
    about ``d r^2 / epsilon^2`` users before the averaged gradient is useful.

    References
    ----------
    .. [1] L. Zhu, M. Ding, V. Aggarwal, J. Xu, D. Wang, "Improved Analysis of
       Sparse Linear Regression in Local Differential Privacy Model",
       ICLR 2024, arXiv:2310.07367.
    .. [2] J. C. Duchi, M. I. Jordan, M. J. Wainwright, "Minimax Optimal
       Procedures for Locally Private Estimation", JASA 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.privacy import LDPIHTRegressor
    >>> rng = np.random.default_rng(0)
    >>> X = rng.standard_normal((400_000, 3))
    >>> y = X @ np.array([0.6, 0.0, 0.0]) + 0.1 * rng.standard_normal(400_000)
    >>> est = LDPIHTRegressor(
    ...     epsilon=8.0,
    ...     n_nonzero=1,
    ...     keep_factor=1,
    ...     tau_x=3.0,
    ...     tau_y=3.0,
    ...     random_state=0,
    ... ).fit(X, y)
    >>> np.flatnonzero(est.coef_)
    array([0])
    """

    _parameter_constraints: dict = {
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "n_nonzero": [Interval(Integral, 1, None, closed="left")],
        "keep_factor": [Interval(Integral, 1, None, closed="left")],
        "n_rounds": [Interval(Integral, 1, None, closed="left"), None],
        "step_size": [Interval(Real, 0, None, closed="neither")],
        "tau_x": [Interval(Real, 0, None, closed="neither"), "array-like", None],
        "tau_y": [Interval(Real, 0, None, closed="neither"), None],
        "radius": [Interval(Real, 0, None, closed="neither")],
        "fit_intercept": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        epsilon=1.0,
        *,
        n_nonzero=1,
        keep_factor=8,
        n_rounds=None,
        step_size=1.0,
        tau_x=None,
        tau_y=None,
        radius=1.0,
        fit_intercept=False,
        random_state=None,
    ):
        self.epsilon = epsilon
        self.n_nonzero = n_nonzero
        self.keep_factor = keep_factor
        self.n_rounds = n_rounds
        self.step_size = step_size
        self.tau_x = tau_x
        self.tau_y = tau_y
        self.radius = radius
        self.fit_intercept = fit_intercept
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Run the protocol with one user per row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            One row per user.
        y : array-like of shape (n_samples,)
            Targets.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        n, d = X.shape
        check_min_samples(n, 2, estimator_name=type(self).__name__)
        n_rounds = (
            self.n_rounds
            if self.n_rounds is not None
            else max(1, math.ceil(math.log(n)))
        )
        if n_rounds > n:
            raise ValueError(
                f"n_rounds={n_rounds} exceeds the number of samples (users) {n}; "
                "every round needs at least one user."
            )
        tau_x, tau_y = resolve_clip_levels(
            self.tau_x, self.tau_y, X, y, estimator_name=type(self).__name__
        )
        keep = min(self.keep_factor * self.n_nonzero, d)
        # The constant feature (level 1) is always in the support.
        constant = 1.0 if self.fit_intercept else 0.0
        top_squares = np.sort(tau_x**2)[::-1][:keep].sum() + constant
        grad_radius = math.sqrt(np.sum(tau_x**2) + constant) * (
            self.radius * math.sqrt(top_squares) + tau_y
        )
        rng = np.random.default_rng(seed_from_random_state(self.random_state))
        batches = np.array_split(rng.permutation(n), n_rounds)
        X_clipped = clip_rows(X, tau_x)
        if self.fit_intercept:
            X_clipped = np.hstack([X_clipped, np.ones((n, 1))])
        y_clipped = np.clip(y, -tau_y, tau_y)
        n_coef = X_clipped.shape[1]
        theta = np.zeros(n_coef)
        path = np.empty((n_rounds, n_coef))
        for t, batch in enumerate(batches):
            Xb = X_clipped[batch]
            residual = Xb @ theta - y_clipped[batch]
            gradients = Xb * residual[:, None]
            reports = l2_ball_randomize(gradients, grad_radius, self.epsilon, rng)
            theta = theta - self.step_size * reports.mean(axis=0)
            theta[:d] = _hard_threshold(theta[:d], keep)
            theta = _project_l2_ball(theta, self.radius)
            path[t] = theta
        self.coef_ = theta[:d].copy()
        self.intercept_ = float(theta[d]) if self.fit_intercept else 0.0
        self.coef_path_ = path[:, :d].copy()
        self.intercept_path_ = (
            path[:, d].copy() if self.fit_intercept else np.zeros(n_rounds)
        )
        self.grad_radius_ = float(grad_radius)
        self.report_norm_ = float(l2_ball_scale(n_coef, grad_radius, self.epsilon))
        self.batch_size_ = int(min(len(b) for b in batches))
        self.n_rounds_ = int(n_rounds)
        self.n_keep_ = int(keep)
        self.tau_x_ = tau_x
        self.tau_y_ = tau_y
        self.privacy_ = {
            "epsilon": float(self.epsilon),
            "delta": 0.0,
            "model": "sequentially interactive",
            "mechanism": "l2_ball",
        }
        return self
