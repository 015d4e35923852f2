"""Print versions of sklike and its dependencies (for bug reports)."""

import platform
import sys
from importlib.metadata import PackageNotFoundError, version

_DEPS = [
    "sklike",
    "scikit-learn",
    "numpy",
    "scipy",
    "numba",
    "cvxpy",
    "pandas",
    "joblib",
    "threadpoolctl",
    "torch",
    "dask",
    "distributed",
    "statsmodels",
    "matplotlib",
    "networkx",
]


def _versions():
    out = {}
    for dist in _DEPS:
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = None
    return out


def show_versions():
    """Print Python, platform and dependency versions, for bug reports.

    Examples
    --------
    >>> import sklike
    >>> sklike.show_versions()  # doctest: +ELLIPSIS
    <BLANKLINE>
    System:
    ...
    """
    print("\nSystem:")
    print(f"    python: {sys.version.splitlines()[0]}")
    print(f"   machine: {platform.platform()}")
    print("\nPython dependencies:")
    for name, ver in _versions().items():
        print(f"{name:>14}: {ver}")
