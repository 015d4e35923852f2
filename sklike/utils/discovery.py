"""Find sklike's public estimators, displays and functions.

Mirrors :mod:`sklearn.utils.discovery`: the package is walked, private modules
(``._x``) and test modules are skipped, and only names re-exported by public
modules count.
"""

import inspect
import pkgutil
from importlib import import_module
from operator import itemgetter
from pathlib import Path

__all__ = ["all_displays", "all_estimators", "all_functions"]

_MODULES_TO_IGNORE = {"tests", "_test_common", "_backends", "_solvers", "cli", "tour"}
_TYPE_FILTERS = ("classifier", "regressor", "cluster", "transformer")


def _public_members(predicate):
    root = Path(__file__).parent.parent  # the sklike package
    found = {}
    for _, module_name, _ in pkgutil.walk_packages([str(root)], prefix="sklike."):
        parts = module_name.split(".")
        if any(p in _MODULES_TO_IGNORE for p in parts) or "._" in module_name:
            continue
        module = import_module(module_name)
        for name, obj in inspect.getmembers(module, predicate):
            if name.startswith("_"):
                continue
            if getattr(obj, "__module__", "").startswith("sklike."):
                found[name] = obj
    return sorted(found.items(), key=itemgetter(0))


def all_estimators(type_filter=None):
    """List every public sklike estimator.

    Parameters
    ----------
    type_filter : {"classifier", "regressor", "cluster", "transformer"} or \
            list of such str, default=None
        Keep only estimators of these kinds (by scikit-learn mixin).

    Returns
    -------
    estimators : list of (str, type)
        ``(class name, class)`` pairs sorted by name.

    Examples
    --------
    >>> from sklike.utils.discovery import all_estimators
    >>> estimators = all_estimators()
    >>> isinstance(estimators, list)
    True
    """
    from sklearn.base import (
        BaseEstimator,
        ClassifierMixin,
        ClusterMixin,
        RegressorMixin,
        TransformerMixin,
    )

    def is_estimator(obj):
        return (
            inspect.isclass(obj)
            and issubclass(obj, BaseEstimator)
            and not inspect.isabstract(obj)
        )

    estimators = _public_members(is_estimator)
    if type_filter is None:
        return estimators
    filters = [type_filter] if isinstance(type_filter, str) else list(type_filter)
    unknown = set(filters) - set(_TYPE_FILTERS)
    if unknown:
        raise ValueError(
            f"type_filter must be None or any of {_TYPE_FILTERS}; "
            f"got {sorted(unknown)}."
        )
    mixins = {
        "classifier": ClassifierMixin,
        "regressor": RegressorMixin,
        "cluster": ClusterMixin,
        "transformer": TransformerMixin,
    }
    return [
        (n, c) for n, c in estimators if any(issubclass(c, mixins[f]) for f in filters)
    ]


def all_displays():
    """List every public sklike Display class (names ending in ``Display``).

    Returns
    -------
    displays : list of (str, type)
        ``(class name, class)`` pairs sorted by name.

    Examples
    --------
    >>> from sklike.utils.discovery import all_displays
    >>> isinstance(all_displays(), list)
    True
    """
    return _public_members(
        lambda o: inspect.isclass(o) and o.__name__.endswith("Display")
    )


def all_functions():
    """List every public sklike function.

    Returns
    -------
    functions : list of (str, callable)
        ``(function name, function)`` pairs sorted by name.

    Examples
    --------
    >>> from sklike.utils.discovery import all_functions
    >>> any(name == "all_estimators" for name, _ in all_functions())
    True
    """
    return _public_members(inspect.isfunction)
