"""Ordinal data: the relaxed proportional-odds simulation and the red-wine data."""

import numbers

import numpy as np
from scipy.special import expit
from sklearn.utils import check_random_state

from ..utils._sklearn_compat import Interval, StrOptions, validate_params
from ._base import _bundled_path, _tabular_result

__all__ = ["load_wine_quality", "make_relaxed_proportional_odds"]


@validate_params(
    {
        "n_samples": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_features": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_classes": [Interval(numbers.Integral, 3, None, closed="left")],
        "intercepts": ["array-like", None],
        "design": [StrOptions({"sparse", "dense"})],
        "dev_prob": [Interval(numbers.Real, 0, 1, closed="both")],
        "dev_size": [Interval(numbers.Real, 0, None, closed="left")],
        "max_tries": [Interval(numbers.Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    },
    prefer_skip_nested_validation=True,
)
def make_relaxed_proportional_odds(
    n_samples=2500,
    n_features=10,
    n_classes=4,
    intercepts=(0.0, 3.0, 5.0),
    design="sparse",
    dev_prob=0.5,
    dev_size=0.5,
    max_tries=100,
    random_state=None,
):
    """Ordinal data whose boundaries deviate from proportional odds (Faletto & Bien).

    ``X ~ U(-1, 1)^p`` and ``P(y <= k | x) = sigmoid(intercepts[k] + x @ coef[k])``
    for ``k = 0..n_classes-2``.  With ``design="sparse"`` the first slope has
    entries ``dev_size * Bernoulli(dev_prob)`` and each next boundary adds
    ``+-dev_size * Bernoulli(dev_prob)`` (random sign); with ``"dense"`` the
    first slope and every increment are ``U(-dev_size, dev_size)^p``.  A draw
    whose class probabilities leave [0, 1] on some row, or that misses a
    class, is redrawn, as in the paper.  Large intercepts make the last class
    rare: ``(0, 3, 5)`` gives about 1%.

    Parameters
    ----------
    n_samples : int, default=2500
        Number of rows.
    n_features : int, default=10
        Number of features.
    n_classes : int, default=4
        Number of ordered classes, ``len(intercepts) + 1``.
    intercepts : array-like of shape (n_classes - 1,), default=(0, 3, 5)
        Increasing boundary intercepts.
    design : {"sparse", "dense"}, default="sparse"
        How the slopes deviate between boundaries.
    dev_prob : float, default=0.5
        Probability of a non-zero entry (sparse design).
    dev_size : float, default=0.5
        Size of the entries (sparse) or half-width of the uniform (dense).
    max_tries : int, default=100
        Redraws allowed before giving up.
    random_state : int, RandomState instance or None, default=None
        Seed.

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
        Features.
    y : ndarray of shape (n_samples,)
        Class codes ``0..n_classes-1``; the last is the rare class.
    proba : ndarray of shape (n_samples, n_classes)
        True class probabilities.
    coef : ndarray of shape (n_classes - 1, n_features)
        True slopes, one row per boundary.

    References
    ----------
    .. [1] G. Faletto and J. Bien, "Predicting Rare Events by Shrinking
       Towards Proportional Odds", ICML 2023 (Section 4.1).

    Examples
    --------
    >>> from sklike.datasets import make_relaxed_proportional_odds
    >>> X, y, proba, coef = make_relaxed_proportional_odds(random_state=0)
    >>> X.shape, proba.shape, coef.shape
    ((2500, 10), (2500, 4), (3, 10))
    >>> bool(abs(proba.sum(axis=1) - 1).max() < 1e-12)
    True
    """
    intercepts = np.asarray(intercepts, dtype=np.float64).ravel()
    if intercepts.size != n_classes - 1:
        raise ValueError(
            f"intercepts must have n_classes - 1 = {n_classes - 1} entries; got "
            f"{intercepts.size}."
        )
    if np.any(np.diff(intercepts) <= 0):
        raise ValueError(f"intercepts must be increasing; got {intercepts.tolist()}.")
    rng = check_random_state(random_state)
    n_bound = n_classes - 1
    for _ in range(max_tries):
        if design == "sparse":
            steps = dev_size * (rng.uniform(size=(n_bound, n_features)) < dev_prob)
            signs = np.where(rng.uniform(size=(n_bound, n_features)) < 0.5, -1.0, 1.0)
            signs[0] = 1.0  # the first slope is non-negative, as in the paper
            steps = steps * signs
        else:
            steps = rng.uniform(-dev_size, dev_size, size=(n_bound, n_features))
        coef = np.cumsum(steps, axis=0)
        X = rng.uniform(-1.0, 1.0, size=(n_samples, n_features))
        cumulative = expit(X @ coef.T + intercepts)
        full = np.hstack(
            [np.zeros((n_samples, 1)), cumulative, np.ones((n_samples, 1))]
        )
        proba = np.diff(full, axis=1)
        if np.any(proba < 0):
            continue
        u = rng.uniform(size=(n_samples, 1))
        y = (u > cumulative).sum(axis=1)
        if np.unique(y).size < n_classes:
            continue
        return X, y, proba, coef
    raise ValueError(
        f"No valid draw in max_tries={max_tries} tries (crossing probabilities or a "
        "missing class); use smaller dev_size, more samples or other intercepts."
    )


_WINE_COLUMNS = [
    "fixed_acidity",
    "volatile_acidity",
    "citric_acid",
    "residual_sugar",
    "chlorides",
    "free_sulfur_dioxide",
    "total_sulfur_dioxide",
    "density",
    "pH",
    "sulphates",
    "alcohol",
]


@validate_params(
    {"return_X_y": ["boolean"], "as_frame": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_wine_quality(*, return_X_y=False, as_frame=False):
    """The red Vinho Verde wine-quality data (Cortez et al., 2009; UCI, CC BY 4.0).

    1599 red wines, 11 physico-chemical features and the median expert
    quality score (3 to 8; 10 / 53 / 681 / 638 / 199 / 18 wines).  The top
    score is rare (1.1%), which makes it an ordinal rare-event problem.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.
    as_frame : bool, default=False
        Return a pandas DataFrame (``X``) and Series (``y``).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        ``data`` (1599, 11), ``target`` (quality, int), ``feature_names``,
        ``frame`` (when ``as_frame``) and ``DESCR``.

    References
    ----------
    .. [1] P. Cortez, A. Cerdeira, F. Almeida, T. Matos and J. Reis,
       "Modeling wine preferences by data mining from physicochemical
       properties", Decision Support Systems 47(4):547-553, 2009.

    Examples
    --------
    >>> from sklike.datasets import load_wine_quality
    >>> X, y = load_wine_quality(return_X_y=True)
    >>> X.shape, int(y.min()), int(y.max())
    ((1599, 11), 3, 8)
    """
    raw = np.loadtxt(
        _bundled_path("wine_quality_red.csv"), delimiter=",", skiprows=1, ndmin=2
    )
    X, y = raw[:, :-1], raw[:, -1].astype(np.int64)
    return _tabular_result(
        X,
        y,
        feature_names=_WINE_COLUMNS,
        target_column="quality",
        target_names=["quality"],
        as_frame=as_frame,
        return_X_y=return_X_y,
        descr=load_wine_quality.__doc__,
    )
