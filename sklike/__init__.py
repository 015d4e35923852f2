"""sklike: scikit-learn-compatible estimators for recent classical-statistics results.

Subpackages are imported lazily, so ``import sklike`` stays cheap (CVXPY and
Numba are only loaded when an estimator that needs them is used).
"""

import importlib

__version__ = "0.1.0.dev0"

_SUBMODULES = [
    "cluster",
    "datasets",
    "ensemble",
    "exceptions",
    "graph",
    "inspection",
    "linear_model",
    "metrics",
    "model_selection",
    "naive_bayes",
    "privacy",
    "utils",
]

__all__ = [*_SUBMODULES, "show_versions", "__version__"]


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"sklike.{name}")
    if name == "show_versions":
        from .utils._show_versions import show_versions

        return show_versions
    raise AttributeError(f"module 'sklike' has no attribute {name!r}")


def __dir__():
    return __all__
