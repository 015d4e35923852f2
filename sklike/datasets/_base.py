"""Where data lives: the bundled files and the shared (unbundled) data folder."""

import os
from importlib import resources
from pathlib import Path

__all__ = ["get_shared_data_dir"]

#: Environment variable that points at the shared data folder.
SHARED_DATA_ENV = "SKLIKE_SHARED_DATA"


def _bundled_path(filename):
    """Path of a file shipped inside ``sklike/datasets/data``."""
    return resources.files("sklike.datasets") / "data" / filename


def get_shared_data_dir(must_exist=False):
    """The folder of larger real datasets used by tests and benchmarks.

    These datasets are not redistributed with sklike.  The one setting is the
    ``SKLIKE_SHARED_DATA`` environment variable; by default ``../shared/data``
    is looked for relative to the current directory and to the source checkout.
    Tests that need it skip cleanly when it is absent.

    Parameters
    ----------
    must_exist : bool, default=False
        Raise ``FileNotFoundError`` when the folder does not exist.

    Returns
    -------
    path : pathlib.Path or None
        The folder, or None when it cannot be found (and ``must_exist`` is
        False).

    Examples
    --------
    >>> from sklike.datasets import get_shared_data_dir
    >>> path = get_shared_data_dir()  # None when the folder is not there
    """
    env = os.environ.get(SHARED_DATA_ENV)
    if env:
        candidates = [Path(env)]
    else:
        checkout = Path(__file__).resolve().parents[2]
        candidates = [
            Path.cwd() / ".." / "shared" / "data",
            checkout / ".." / "shared" / "data",
        ]
    for path in candidates:
        if path.is_dir():
            return path.resolve()
    if must_exist:
        raise FileNotFoundError(
            f"Shared data folder not found (looked in {[str(c) for c in candidates]}); "
            f"set {SHARED_DATA_ENV} to its location."
        )
    return None


def _tabular_result(
    X, y, *, feature_names, target_column, target_names, as_frame, return_X_y, descr
):
    """Package a bundled table the way scikit-learn's loaders do.

    ``as_frame`` turns ``X`` into a DataFrame and ``y`` into a Series named
    ``target_column`` (``frame`` holds both); ``return_X_y`` returns the pair
    alone, otherwise a :class:`~sklearn.utils.Bunch`.
    """
    from sklearn.utils import Bunch

    frame = None
    if as_frame:
        import pandas as pd

        frame = pd.DataFrame(X, columns=list(feature_names))
        frame[target_column] = y
        X, y = frame[list(feature_names)], frame[target_column]
    if return_X_y:
        return X, y
    return Bunch(
        data=X,
        target=y,
        frame=frame,
        feature_names=list(feature_names),
        target_names=list(target_names),
        DESCR=descr,
    )
