"""The bundled combined-cycle power-plant data (UCI, CC BY 4.0)."""

import gzip

import numpy as np

from ._base import _bundled_path, _tabular_result

__all__ = ["load_power_plant"]

_POWER_PLANT_FEATURES = ["AT", "V", "AP", "RH"]
_POWER_PLANT_TARGET = "PE"


def load_power_plant(*, return_X_y=False, as_frame=False):
    """The combined-cycle power-plant data (Tüfekci, 2014; UCI, CC BY 4.0).

    9568 hourly averages (2006-2011) of a gas/steam combined-cycle power
    plant at full load: ambient temperature ``AT`` (°C), exhaust vacuum ``V``
    (cm Hg), ambient pressure ``AP`` (mbar) and relative humidity ``RH`` (%),
    and the target, the net hourly electrical energy output ``PE`` (MW).  A
    tall regression set (n / p about 2400) where a linear model explains about
    93% of the variance.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.
    as_frame : bool, default=False
        Return a pandas DataFrame (``X``) and Series (``y``).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch` or tuple
        ``data`` (9568, 4), ``target`` (PE, float), ``feature_names``,
        ``target_names``, ``frame`` (when ``as_frame``) and ``DESCR``.

    References
    ----------
    .. [1] P. Tüfekci, "Prediction of full load electrical power output of a
       base load operated combined cycle power plant using machine learning
       methods", International Journal of Electrical Power & Energy Systems
       60:126-140, 2014.

    Examples
    --------
    >>> from sklike.datasets import load_power_plant
    >>> X, y = load_power_plant(return_X_y=True)
    >>> X.shape, y.shape
    ((9568, 4), (9568,))
    >>> load_power_plant(as_frame=True).frame.columns.tolist()
    ['AT', 'V', 'AP', 'RH', 'PE']
    """
    with gzip.open(_bundled_path("power_plant.csv.gz"), "rt") as f:
        raw = np.loadtxt(f, delimiter=",", skiprows=1, ndmin=2)
    X, y = raw[:, :-1], raw[:, -1]
    return _tabular_result(
        X,
        y,
        feature_names=_POWER_PLANT_FEATURES,
        target_column=_POWER_PLANT_TARGET,
        target_names=[_POWER_PLANT_TARGET],
        as_frame=as_frame,
        return_X_y=return_X_y,
        descr=load_power_plant.__doc__,
    )
