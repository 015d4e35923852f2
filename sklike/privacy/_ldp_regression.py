"""Non-interactive local-DP sparse linear regression (Zhu et al., ICLR 2024)."""

import math
import warnings
from collections.abc import Iterable
from numbers import Real

import numpy as np
from sklearn.utils import check_array, check_X_y

from ..utils._numba import seed_from_random_state
from ..utils._sklearn_compat import (
    Interval,
    StrOptions,
    _fit_context,
    validate_data,
)
from ..utils.validation import check_min_samples
from ._ldp_common import LDPLinearRegressorBase, clip_rows, resolve_clip_levels
from ._mechanisms import calibrate_gaussian

__all__ = ["LDPSparseLinearRegression"]

# Rows per block when forming X^T X, so memory stays O(block * d) for any n.
_ROW_BLOCK = 65_536


def _xx_sensitivity(clip):
    """l2 sensitivity of the upper triangle (with diagonal) of x x^T.

    With ``|x_j| <= c_j`` an off-diagonal entry moves by at most ``2 c_i c_j``
    and a diagonal one (non-negative) by at most ``c_j**2``, so the squared
    change is at most ``sum_{i<j} 4 c_i^2 c_j^2 + sum_j c_j^4
    = 2 S**2 - sum_j c_j**4`` with ``S = sum_j c_j**2``.  For equal levels this
    is ``tau**2 * sqrt(2 d**2 - d)``, below the ``2 d tau**2`` of the paper.
    """
    squares = clip**2
    total = squares.sum()
    return math.sqrt(2.0 * total**2 - np.sum(squares**2))


def _xy_sensitivity(clip, tau_y):
    """l2 sensitivity of x * y: each entry moves by at most ``2 c_j tau_y``."""
    return 2.0 * tau_y * math.sqrt(np.sum(clip**2))


def _symmetric_from_upper(upper, size):
    """Symmetric matrices whose upper triangles (with diagonal) are ``upper``."""
    rows, cols = np.triu_indices(size)
    out = np.zeros(upper.shape[:-1] + (size, size))
    out[..., rows, cols] = upper
    out[..., cols, rows] = upper
    return out


def _rng(random_state):
    return np.random.default_rng(seed_from_random_state(random_state))


class LDPSparseLinearRegression(LDPLinearRegressorBase):
    """Sparse linear regression under non-interactive local differential privacy.

    Every user holds one row ``(x_i, y_i)`` and sends a single message to the
    server; the server never sees raw data.  Each user clips ``x_i``
    coordinate-wise at ``tau_x`` and ``y_i`` at ``tau_y``, then releases the
    upper triangle of ``x_i x_i^T`` and the vector ``x_i y_i``, both with
    Gaussian noise.  The two releases are one Gaussian mechanism on their
    concatenation (each block scaled by its sensitivity), so the pair is
    ``(epsilon, delta)``-LDP.  The server averages the reports, repairs the
    covariance to be positive definite (free post-processing), solves, and
    soft-thresholds: ``coef = S_lam(Sigma^-1 v)`` (Zhu et al. 2024, Alg. 1).

    With ``covariance="public"`` the covariance is estimated from public,
    unlabeled rows ``X_public`` and users send only the noisy ``x_i y_i``,
    with the whole budget.

    Read more in the :ref:`User Guide <ldp_regression>`.

    Parameters
    ----------
    epsilon : float, default=1.0
        Privacy parameter of each user's message (> 0).
    delta : float, default=None
        Privacy parameter in (0, 1).  ``None`` means ``1 / n**1.1`` with ``n``
        the number of users in :meth:`fit`; :meth:`privatize` and
        :meth:`fit_from_reports` need it set (users cannot know ``n``).
    tau_x : float or array-like of shape (n_features,), default=None
        Clipping level(s) for the features, from public knowledge.  ``None``
        reads them off the data and raises a ``PrivacyLeakWarning``.
    tau_y : float, default=None
        Clipping level for the target; same rules as ``tau_x``.
    lam : float, default=None
        Soft-threshold level.  ``None`` uses the plug-in of the theory,
        ``lam_scale * ||Sigma^-1||_inf * sqrt(2 log(2 d) / n) *
        (sigma_xx * theta_norm_bound + sigma_xy)``.
    lam_scale : float, default=1.0
        Multiplier of the default threshold.
    theta_norm_bound : float, default=1.0
        Assumed bound on ``||coef||_2`` used in the default threshold.
    covariance : {"private", "public"}, default="private"
        Where the feature covariance comes from: the users' noisy reports or
        ``X_public``.
    noise : {"gaussian", "analytic_gaussian"}, default="gaussian"
        Noise calibration.  ``"gaussian"`` is the classical
        ``Delta sqrt(2 ln(1.25/delta)) / epsilon``; where that does not give
        ``(epsilon, delta)``-LDP (large ``epsilon``) the analytic scale is used
        with a warning.  ``"analytic_gaussian"`` is the exact, smallest scale
        (Balle & Wang 2018).
    eig_floor : "auto" or float, default="auto"
        Eigenvalues of the averaged covariance are raised to at least this
        value before solving; ``"auto"`` is ``1e-3 * trace / d``.
    fit_intercept : bool, default=False
        Add a constant feature (clipping level 1, not thresholded).  Reports
        then have ``n_features + 1`` coordinates, the constant last.
    random_state : int, RandomState instance or None, default=None
        Seeds the privacy noise.  In a deployment each user must use fresh
        randomness (``None``).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        Estimated coefficients.
    intercept_ : float
        Estimated intercept: the mean of the private ``y`` reports minus the
        private feature means times ``coef_`` (0.0 when
        ``fit_intercept=False``).
    lambda_ : float
        Soft-threshold level used.
    sigma_xx_ : float
        Per-entry noise standard deviation of each user's ``x x^T`` report
        (0.0 with public covariance).
    sigma_xy_ : float
        Per-entry noise standard deviation of each user's ``x y`` report.
    cov_hat_ : ndarray of shape (n_coef, n_coef)
        Averaged (private) or public covariance before the repair; ``n_coef``
        is ``n_features + fit_intercept``.
    cov_repaired_ : ndarray of shape (n_coef, n_coef)
        The positive-definite covariance actually solved with.
    xy_hat_ : ndarray of shape (n_coef,)
        Average of the users' ``x y`` reports.
    eig_floor_ : float
        Eigenvalue floor used.
    n_eigenvalues_floored_ : int
        Number of eigenvalues raised to the floor.
    tau_x_ : ndarray of shape (n_features,)
        Feature clipping levels used.
    tau_y_ : float
        Target clipping level used.
    n_users_ : int
        Number of users (reports) the estimate is based on.
    privacy_ : dict
        ``{"epsilon", "delta", "model", "mechanism"}`` of each user's message.
    n_features_in_ : int
        Number of features seen during :term:`fit`.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during :term:`fit`. Defined only when `X`
        has feature names that are all strings.

    See Also
    --------
    LDPIHTRegressor : Sequentially interactive private iterative hard
        thresholding; each user gets the whole budget and pure LDP.
    sklearn.linear_model.Lasso : The non-private sparse regression.

    Notes
    -----
    :meth:`fit` simulates the whole protocol for rows held in memory.  It draws
    the *sum* of the users' noise in one draw: the sum of ``n`` independent
    ``N(0, s^2)`` variables is ``N(0, n s^2)``, exactly the same distribution,
    so the simulation costs one pass over the rows (``O(n d^2)`` flops) and
    ``O(d^2)`` random numbers instead of ``O(n d^2)``.  The real
    protocol is :meth:`privatize` (run by each user) followed by
    :meth:`fit_from_reports` (the server).

    The guarantee assumes ``tau_x``/``tau_y`` are fixed without looking at the
    data.  Stable estimates need many users: roughly ``n > 16 d sigma_xx^2 /
    lambda_min(Sigma)^2``; a warning gives this number when the noise on the
    covariance is too large for ``n``.

    References
    ----------
    .. [1] L. Zhu, M. Ding, V. Aggarwal, J. Xu, D. Wang, "Improved Analysis of
       Sparse Linear Regression in Local Differential Privacy Model",
       ICLR 2024, arXiv:2310.07367.
    .. [2] B. Balle, Y.-X. Wang, "Improving the Gaussian Mechanism for
       Differential Privacy: Analytical Calibration and Optimal Denoising",
       ICML 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.privacy import LDPSparseLinearRegression
    >>> rng = np.random.default_rng(0)
    >>> X = rng.uniform(-1, 1, size=(200_000, 3))
    >>> y = X @ np.array([0.5, 0.0, -0.5]) + 0.1 * rng.standard_normal(200_000)
    >>> est = LDPSparseLinearRegression(
    ...     epsilon=8.0, tau_x=1.0, tau_y=1.5, random_state=0
    ... ).fit(X, y)
    >>> np.flatnonzero(est.coef_)
    array([0, 2])
    >>> est.privacy_["model"]
    'non-interactive'
    """

    _parameter_constraints: dict = {
        "epsilon": [Interval(Real, 0, None, closed="neither")],
        "delta": [Interval(Real, 0, 1, closed="neither"), None],
        "tau_x": [Interval(Real, 0, None, closed="neither"), "array-like", None],
        "tau_y": [Interval(Real, 0, None, closed="neither"), None],
        "lam": [Interval(Real, 0, None, closed="left"), None],
        "lam_scale": [Interval(Real, 0, None, closed="left")],
        "theta_norm_bound": [Interval(Real, 0, None, closed="left")],
        "covariance": [StrOptions({"private", "public"})],
        "noise": [StrOptions({"gaussian", "analytic_gaussian"})],
        "eig_floor": [StrOptions({"auto"}), Interval(Real, 0, None, closed="left")],
        "fit_intercept": ["boolean"],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        epsilon=1.0,
        *,
        delta=None,
        tau_x=None,
        tau_y=None,
        lam=None,
        lam_scale=1.0,
        theta_norm_bound=1.0,
        covariance="private",
        noise="gaussian",
        eig_floor="auto",
        fit_intercept=False,
        random_state=None,
    ):
        self.epsilon = epsilon
        self.delta = delta
        self.tau_x = tau_x
        self.tau_y = tau_y
        self.lam = lam
        self.lam_scale = lam_scale
        self.theta_norm_bound = theta_norm_bound
        self.covariance = covariance
        self.noise = noise
        self.eig_floor = eig_floor
        self.fit_intercept = fit_intercept
        self.random_state = random_state

    # ------------------------------------------------------------------
    # Calibration (everything the users and the server agree on up front)
    # ------------------------------------------------------------------
    def _clip_vector(self, tau_x):
        if self.fit_intercept:
            return np.append(tau_x, 1.0)
        return tau_x

    def _noise_scales(self, clip, tau_y, delta):
        """Per-entry noise sd of the ``x x^T`` and ``x y`` reports."""
        sens_xy = _xy_sensitivity(clip, tau_y)
        if self.covariance == "public":
            return 0.0, calibrate_gaussian(sens_xy, self.epsilon, delta, self.noise)
        # Whitened by its sensitivity, each block moves by at most 1, so the
        # concatenation has sensitivity sqrt(2): one mechanism for the pair.
        unit = calibrate_gaussian(math.sqrt(2.0), self.epsilon, delta, self.noise)
        return unit * _xx_sensitivity(clip), unit * sens_xy

    def _augment(self, X_clipped):
        if self.fit_intercept:
            return np.hstack([X_clipped, np.ones((X_clipped.shape[0], 1))])
        return X_clipped

    def _validate_delta_for_protocol(self, method):
        if self.delta is None:
            raise ValueError(
                f"{method} needs delta to be set: in a deployment the privacy "
                "budget is fixed before any user reports, and the default "
                "1/n**1.1 depends on the number of users n."
            )
        return float(self.delta)

    # ------------------------------------------------------------------
    # Client side
    # ------------------------------------------------------------------
    def privatize(self, X, y):
        """What each user runs on their own row: clip, then add noise.

        Each row's report depends on that row and on fresh noise only.

        Parameters
        ----------
        X : array-like of shape (n_users, n_features)
            One row per user (a single user passes one row).
        y : array-like of shape (n_users,)
            The users' targets.

        Returns
        -------
        xx_reports : ndarray of shape (n_users, n_coef, n_coef) or None
            Noisy clipped ``x x^T`` (symmetric); ``None`` with
            ``covariance="public"``.  ``n_coef = n_features + fit_intercept``.
        xy_reports : ndarray of shape (n_users, n_coef)
            Noisy clipped ``x y``.
        """
        self._validate_params()
        delta = self._validate_delta_for_protocol("privatize")
        X, y = check_X_y(X, y, dtype=np.float64, y_numeric=True)
        tau_x, tau_y = resolve_clip_levels(
            self.tau_x, self.tau_y, X, y, estimator_name=type(self).__name__
        )
        clip = self._clip_vector(tau_x)
        sigma_xx, sigma_xy = self._noise_scales(clip, tau_y, delta)
        X_clipped = self._augment(clip_rows(X, tau_x))
        y_clipped = np.clip(y, -tau_y, tau_y)
        n, p = X_clipped.shape
        n_upper = p * (p + 1) // 2 if self.covariance == "private" else 0
        # One row of noise per user, drawn in one block: user i's noise is
        # row i whatever the other users hold.
        noise = _rng(self.random_state).standard_normal((n, n_upper + p))
        xy_reports = X_clipped * y_clipped[:, None] + sigma_xy * noise[:, n_upper:]
        if self.covariance == "public":
            return None, xy_reports
        xx_reports = X_clipped[:, :, None] * X_clipped[:, None, :]
        xx_reports += _symmetric_from_upper(sigma_xx * noise[:, :n_upper], p)
        return xx_reports, xy_reports

    # ------------------------------------------------------------------
    # Server side
    # ------------------------------------------------------------------
    @_fit_context(prefer_skip_nested_validation=True)
    def fit_from_reports(self, xx_reports, xy_reports, X_public=None):
        """Server side: estimate from the users' reports.

        Only running sums are kept, so the reports can be streamed.

        Parameters
        ----------
        xx_reports : ndarray of shape (n_users, n_coef, n_coef), iterable of \
                such arrays, or None
            Reports from :meth:`privatize` (or chunks of them, in the same
            order as ``xy_reports``).  ``None`` with ``covariance="public"``.
        xy_reports : ndarray of shape (n_users, n_coef) or iterable of such \
                arrays
            Reports from :meth:`privatize` (or chunks of them).
        X_public : array-like of shape (n_public, n_features), default=None
            Public unlabeled rows; required with ``covariance="public"``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        delta = self._validate_delta_for_protocol("fit_from_reports")
        if self.tau_x is None or self.tau_y is None:
            raise ValueError(
                "fit_from_reports needs tau_x and tau_y: the server must know the "
                "clipping levels the users applied to calibrate the threshold."
            )
        public = self.covariance == "public"
        if public and xx_reports is not None:
            raise ValueError(
                "With covariance='public' users send no xx_reports; pass None."
            )
        if not public and xx_reports is None:
            raise ValueError(
                "xx_reports is None but covariance='private' needs them; use "
                "covariance='public' with X_public to estimate from x*y reports only."
            )
        xy_chunks = _as_chunks(xy_reports, ndim=2, name="xy_reports")
        xx_chunks = (
            _as_chunks(xx_reports, ndim=3, name="xx_reports") if not public else None
        )
        xx_sum, xy_sum, n_users, p = None, None, 0, None
        iterator = zip(xx_chunks, xy_chunks, strict=True) if not public else xy_chunks
        for item in iterator:
            xx_chunk, xy_chunk = item if not public else (None, item)
            if p is None:
                p = xy_chunk.shape[1]
                xy_sum = np.zeros(p)
                xx_sum = np.zeros((p, p))
            if xy_chunk.shape[1] != p:
                raise ValueError(
                    f"xy_reports chunks must all have {p} columns; got "
                    f"{xy_chunk.shape[1]}."
                )
            if xx_chunk is not None:
                if xx_chunk.shape != (xy_chunk.shape[0], p, p):
                    raise ValueError(
                        f"xx_reports must have shape (n_users, {p}, {p}) matching "
                        f"xy_reports of shape {xy_chunk.shape}; got {xx_chunk.shape}."
                    )
                xx_sum += xx_chunk.sum(axis=0)
            xy_sum += xy_chunk.sum(axis=0)
            n_users += xy_chunk.shape[0]
        check_min_samples(
            n_users, 2, estimator_name=type(self).__name__, why="(users' reports)"
        )
        n_features = p - int(self.fit_intercept)
        if n_features < 1:
            raise ValueError(
                f"Reports have {p} coordinate(s); with fit_intercept="
                f"{self.fit_intercept} that leaves no feature."
            )
        tau_x, tau_y = resolve_clip_levels(
            self.tau_x,
            self.tau_y,
            np.zeros((1, n_features)),
            None,
            estimator_name=type(self).__name__,
        )
        for attr in ("feature_names_in_",):
            if hasattr(self, attr):
                delattr(self, attr)
        self.n_features_in_ = n_features
        clip = self._clip_vector(tau_x)
        sigma_xx, sigma_xy = self._noise_scales(clip, tau_y, delta)
        if public:
            cov = self._public_covariance(X_public, tau_x)
        else:
            cov = xx_sum / n_users
        self._estimate(
            cov, xy_sum / n_users, n_users, sigma_xx, sigma_xy, tau_x, tau_y, delta
        )
        return self

    def _public_covariance(self, X_public, tau_x):
        if X_public is None:
            raise ValueError(
                "covariance='public' needs X_public, public unlabeled rows to "
                "estimate the feature covariance from."
            )
        X_public = check_array(X_public, dtype=np.float64, input_name="X_public")
        if X_public.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X_public has {X_public.shape[1]} features but X has "
                f"{self.n_features_in_}; they must match."
            )
        check_min_samples(
            X_public.shape[0],
            2,
            estimator_name=type(self).__name__,
            why="in X_public",
        )
        return _gram(self._augment(clip_rows(X_public, tau_x))) / X_public.shape[0]

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, X_public=None):
        """Simulate the protocol on rows held in memory, one user per row.

        The users' noise is summed in a single draw (same distribution as
        summing ``n`` per-user draws; see Notes).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            One row per user.
        y : array-like of shape (n_samples,)
            Targets.
        X_public : array-like of shape (n_public, n_features), default=None
            Public unlabeled rows; required with ``covariance="public"``.

        Returns
        -------
        self : object
            Fitted estimator.
        """
        X, y = validate_data(self, X, y, dtype=np.float64, y_numeric=True)
        n = X.shape[0]
        check_min_samples(n, 2, estimator_name=type(self).__name__)
        delta = float(self.delta) if self.delta is not None else n**-1.1
        tau_x, tau_y = resolve_clip_levels(
            self.tau_x, self.tau_y, X, y, estimator_name=type(self).__name__
        )
        clip = self._clip_vector(tau_x)
        sigma_xx, sigma_xy = self._noise_scales(clip, tau_y, delta)
        y_clipped = np.clip(y, -tau_y, tau_y)
        p = clip.shape[0]
        xx_sum = np.zeros((p, p))
        xy_sum = np.zeros(p)
        for start in range(0, n, _ROW_BLOCK):
            block = self._augment(clip_rows(X[start : start + _ROW_BLOCK], tau_x))
            xx_sum += _gram(block)
            xy_sum += block.T @ y_clipped[start : start + _ROW_BLOCK]
        rng = _rng(self.random_state)
        n_upper = p * (p + 1) // 2
        noise = rng.standard_normal(n_upper + p) * math.sqrt(n)
        xy_sum += sigma_xy * noise[n_upper:]
        if self.covariance == "public":
            cov = self._public_covariance(X_public, tau_x)
        else:
            xx_sum += _symmetric_from_upper(sigma_xx * noise[:n_upper], p)
            cov = xx_sum / n
        self._estimate(cov, xy_sum / n, n, sigma_xx, sigma_xy, tau_x, tau_y, delta)
        return self

    def _estimate(self, cov, xy, n_users, sigma_xx, sigma_xy, tau_x, tau_y, delta):
        """Post-processing shared by :meth:`fit` and :meth:`fit_from_reports`."""
        p = cov.shape[0]
        cov = (cov + cov.T) / 2.0
        eigenvalues, eigenvectors = np.linalg.eigh(cov)
        if self.eig_floor == "auto":
            scale = np.trace(cov) / p
            # A trace that noise made non-positive carries no scale: use the
            # clipping box instead (the largest possible second moment).
            if not scale > 0:
                scale = float(np.mean(self._clip_vector(tau_x) ** 2))
            floor = 1e-3 * scale
        else:
            floor = float(self.eig_floor)
        floor = max(floor, np.finfo(np.float64).tiny)
        floored = np.maximum(eigenvalues, floor)
        # Sigma^-1 from the floored eigen-decomposition: conditioning is bounded
        # by the floor, no explicit inverse of an ill-conditioned matrix.
        cov_inv = (eigenvectors / floored) @ eigenvectors.T
        raw = cov_inv @ xy
        if self.lam is None:
            spread = sigma_xx * self.theta_norm_bound + sigma_xy
            lam = (
                self.lam_scale
                * np.abs(cov_inv).sum(axis=1).max()
                * math.sqrt(2.0 * math.log(2.0 * p) / n_users)
                * spread
            )
        else:
            lam = float(self.lam)
        n_features = p - int(self.fit_intercept)
        coef = raw[:n_features]
        # + 0.0 turns the -0.0 of thresholded negative entries into 0.0.
        self.coef_ = np.sign(coef) * np.maximum(np.abs(coef) - lam, 0.0) + 0.0
        if self.fit_intercept:
            # The constant feature's row of the averaged reports holds the
            # (noisy) means of x and of y, so the intercept is the mean
            # residual of the thresholded fit: post-processing that stays
            # stable when Sigma^-1 is not (the unthresholded raw[-1] is not).
            self.intercept_ = float(xy[-1] - cov[-1, :n_features] @ self.coef_)
        else:
            self.intercept_ = 0.0
        self.lambda_ = float(lam)
        self.sigma_xx_ = float(sigma_xx)
        self.sigma_xy_ = float(sigma_xy)
        self.cov_hat_ = cov
        self.cov_repaired_ = (eigenvectors * floored) @ eigenvectors.T
        self.xy_hat_ = xy
        self.eig_floor_ = float(floor)
        self.n_eigenvalues_floored_ = int(np.sum(eigenvalues < floor))
        self.tau_x_ = tau_x
        self.tau_y_ = tau_y
        self.n_users_ = int(n_users)
        self.privacy_ = {
            "epsilon": float(self.epsilon),
            "delta": float(delta),
            "model": "non-interactive",
            "mechanism": self.noise,
        }
        if self.covariance == "private":
            self._warn_if_too_few_users(cov, sigma_xx, n_users)

    def _warn_if_too_few_users(self, cov, sigma_xx, n_users):
        p = cov.shape[0]
        scale = np.trace(cov) / p
        if not scale > 0:
            scale = float(np.mean(self._clip_vector(self.tau_x_) ** 2))
        # The spectral norm of the averaged symmetric noise is about
        # 2 sigma sqrt(p / n); beyond half the covariance scale, Sigma^-1 is
        # dominated by noise (spec section 5).
        noise_norm = 2.0 * sigma_xx * math.sqrt(p / n_users)
        if noise_norm > scale / 2.0:
            needed = 16.0 * p * sigma_xx**2 / scale**2
            warnings.warn(
                f"{type(self).__name__}: with {n_users} users, epsilon="
                f"{self.epsilon:g} and these clipping levels, the privacy noise on "
                f"the covariance (spectral norm ~{noise_norm:.3g}) exceeds half "
                f"its scale ({scale:.3g}), so the estimate is unreliable. Roughly "
                f"n > {needed:.2g} users are needed for d={p}; otherwise use fewer "
                "features, a larger epsilon, or covariance='public'.",
                UserWarning,
                stacklevel=3,
            )


def _gram(block):
    return block.T @ block


def _as_chunks(reports, *, ndim, name):
    """Yield float64 arrays of ``ndim`` dims from an array or an iterable of them."""
    # An array (or nested lists) is one chunk; a list of arrays or any other
    # iterable (a generator reading from disk) is a stream of chunks.
    single = isinstance(reports, np.ndarray) or not isinstance(reports, Iterable)
    nested_lists = isinstance(reports, list | tuple) and not (
        reports and isinstance(reports[0], np.ndarray)
    )
    if single or nested_lists:
        reports = [reports]
    for chunk in reports:
        chunk = np.asarray(chunk, dtype=np.float64)
        if chunk.ndim != ndim:
            raise ValueError(
                f"{name} must be an array with {ndim} dimensions (or an iterable "
                f"of such chunks); got an array of shape {chunk.shape}."
            )
        if not np.all(np.isfinite(chunk)):
            raise ValueError(f"{name} contains NaN or infinity.")
        yield chunk
