"""Helpers shared by the local-DP regressors: clipping levels and clipping."""

import warnings

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin

from ..exceptions import PrivacyLeakWarning
from ..utils._sklearn_compat import check_is_fitted, validate_data

__all__ = ["LDPLinearRegressorBase", "clip_rows", "resolve_clip_levels"]


class LDPLinearRegressorBase(RegressorMixin, BaseEstimator):
    """Prediction and tags shared by the local-DP linear regressors."""

    def predict(self, X):
        """Predict with the fitted linear model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Samples.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            ``X @ coef_ + intercept_``.
        """
        check_is_fitted(self)
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_ + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        # Local privacy noise at the few hundred rows of the checks swamps
        # the signal by design.
        tags.regressor_tags.poor_score = True
        return tags


def resolve_clip_levels(tau_x, tau_y, X, y, *, estimator_name):
    """Per-feature clipping levels for ``X`` and the level for ``y``.

    Clipping levels must come from public knowledge (a documented range, a
    sensor limit).  When one is missing it is read off the data, which leaks
    information about the users, so a :class:`PrivacyLeakWarning` is raised.

    Returns
    -------
    tau_x : ndarray of shape (n_features,)
    tau_y : float
    """
    n_features = X.shape[1]
    missing = []
    if tau_x is None:
        missing.append("tau_x")
        tau_x = np.max(np.abs(X), axis=0)
        # A column of zeros still needs a positive level.
        tau_x = np.where(tau_x > 0, tau_x, 1.0)
    else:
        tau_x = np.asarray(tau_x, dtype=np.float64)
        if tau_x.ndim == 0:
            tau_x = np.full(n_features, float(tau_x))
        if tau_x.shape != (n_features,):
            raise ValueError(
                f"tau_x must be a positive float or an array of one level per "
                f"feature (shape ({n_features},)); got shape {tau_x.shape}."
            )
        if not np.all(np.isfinite(tau_x)) or np.any(tau_x <= 0):
            raise ValueError("tau_x must contain finite, positive clipping levels.")
    if tau_y is None:
        missing.append("tau_y")
        tau_y = float(np.max(np.abs(y))) if y is not None and y.size else 1.0
        tau_y = tau_y if tau_y > 0 else 1.0
    if missing:
        warnings.warn(
            f"{estimator_name}: {' and '.join(missing)} not given, so the "
            "clipping level(s) were estimated from the private data. This breaks "
            "the local differential privacy guarantee; set them from public "
            "knowledge (documented ranges, sensor limits).",
            PrivacyLeakWarning,
            stacklevel=3,
        )
    return tau_x, float(tau_y)


def clip_rows(X, tau_x):
    """Coordinate-wise clipping ``sign(x) * min(|x|, tau)`` (a new array)."""
    return np.clip(X, -tau_x, tau_x)
