"""The bundled wheat-seeds data (UCI, CC BY 4.0)."""

import numpy as np

from ._base import _bundled_path, _tabular_result

__all__ = ["load_seeds"]

_SEEDS_FEATURES = [
    "area",
    "perimeter",
    "compactness",
    "kernel_length",
    "kernel_width",
    "asymmetry",
    "groove_length",
]
_SEEDS_VARIETIES = ["Kama", "Rosa", "Canadian"]


def load_seeds(*, return_X_y=False, as_frame=False):
    """The wheat-seeds data (Charytanowicz et al., 2010; UCI, CC BY 4.0).

    Seven geometric measurements of 210 wheat kernels taken from soft X-ray
    images, 70 of each of three varieties (Kama, Rosa, Canadian).  The three
    groups differ in size *and* in shape (spread and correlation of the
    measurements), a small real case for clustering with cluster-specific
    covariances.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.
    as_frame : bool, default=False
        Return a pandas DataFrame (``X``) and Series (``y``).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        ``data`` (210, 7), ``target`` (0 = Kama, 1 = Rosa, 2 = Canadian; the
        file's 1..3 minus one), ``feature_names``, ``target_names``, ``frame``
        (when ``as_frame``) and ``DESCR``.

    References
    ----------
    .. [1] M. Charytanowicz, J. Niewczas, P. Kulczycki, P. A. Kowalski,
       S. Lukasik and S. Zak, "A complete gradient clustering algorithm for
       features analysis of X-ray images", in Information Technologies in
       Biomedicine, Springer, 2010, pp. 15-24.

    Examples
    --------
    >>> from sklike.datasets import load_seeds
    >>> X, y = load_seeds(return_X_y=True)
    >>> import numpy as np
    >>> X.shape, [int(c) for c in np.bincount(y)]
    ((210, 7), [70, 70, 70])
    """
    raw = np.loadtxt(_bundled_path("seeds.csv"), delimiter=",", skiprows=1, ndmin=2)
    X, y = raw[:, :-1], raw[:, -1].astype(int) - 1
    return _tabular_result(
        X,
        y,
        feature_names=_SEEDS_FEATURES,
        target_column="variety",
        target_names=_SEEDS_VARIETIES,
        as_frame=as_frame,
        return_X_y=return_X_y,
        descr=load_seeds.__doc__,
    )
