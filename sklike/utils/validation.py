"""Input validation shared by every sklike estimator.

scikit-learn's :func:`~sklearn.utils.validation.validate_data` already names
NaN, infinity, empty and 1-D input.  The helpers here cover what it leaves to
each estimator (sample weights, class counts, square adjacency matrices) so
that every estimator says the same thing, the same way, for the same mistake.
"""

import numbers

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import check_array

__all__ = [
    "check_adjacency",
    "check_min_classes",
    "check_min_samples",
    "check_sample_weight",
]


def check_sample_weight(sample_weight, n_samples, *, dtype=np.float64):
    """Validate ``sample_weight`` and return it as a 1-D float array.

    ``None`` becomes a vector of ones.  A scalar is broadcast.  Weights must be
    finite and non-negative, have one entry per sample, and not all be zero.

    Parameters
    ----------
    sample_weight : None, float or array-like of shape (n_samples,)
        Weights as passed by the user.
    n_samples : int
        Number of rows of ``X``.
    dtype : numpy dtype, default=np.float64
        Output dtype.

    Returns
    -------
    sample_weight : ndarray of shape (n_samples,)
        The validated weights.

    Examples
    --------
    >>> from sklike.utils.validation import check_sample_weight
    >>> check_sample_weight(None, 3)
    array([1., 1., 1.])
    >>> check_sample_weight([1, -1, 2], 3)
    Traceback (most recent call last):
    ...
    ValueError: sample_weight must be non-negative; got 1 negative weight(s) ...
    """
    if sample_weight is None:
        return np.ones(n_samples, dtype=dtype)
    if isinstance(sample_weight, numbers.Number):
        sample_weight = np.full(n_samples, sample_weight, dtype=dtype)
    try:
        sample_weight = np.asarray(sample_weight, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"sample_weight must be numeric; could not convert it to {np.dtype(dtype)}"
            f" ({exc})."
        ) from exc
    if sample_weight.ndim != 1:
        raise ValueError(
            f"sample_weight must be 1-D; got an array of shape {sample_weight.shape}."
        )
    if sample_weight.shape[0] != n_samples:
        raise ValueError(
            f"sample_weight has {sample_weight.shape[0]} entries but X has "
            f"{n_samples} samples; they must match."
        )
    if not np.all(np.isfinite(sample_weight)):
        raise ValueError("sample_weight contains NaN or infinity.")
    n_negative = int(np.sum(sample_weight < 0))
    if n_negative:
        raise ValueError(
            f"sample_weight must be non-negative; got {n_negative} negative "
            "weight(s) (minimum "
            f"{sample_weight.min():.3g})."
        )
    if n_samples and not np.any(sample_weight > 0):
        raise ValueError("sample_weight is zero everywhere; at least one must be > 0.")
    return sample_weight


def check_min_samples(n_samples, min_samples, *, estimator_name, why=""):
    """Raise a ValueError when fewer than ``min_samples`` samples are given.

    Parameters
    ----------
    n_samples : int
        Number of samples received.
    min_samples : int
        Smallest number of samples the method can use.
    estimator_name : str
        Name shown in the message.
    why : str, default=""
        Optional reason appended to the message (e.g. ``"to estimate a
        covariance"``).

    Examples
    --------
    >>> from sklike.utils.validation import check_min_samples
    >>> check_min_samples(5, 2, estimator_name="Demo")
    >>> check_min_samples(1, 2, estimator_name="Demo")
    Traceback (most recent call last):
    ...
    ValueError: Demo needs at least 2 samples; got 1 sample(s).
    """
    if n_samples < min_samples:
        reason = f" {why}" if why else ""
        raise ValueError(
            f"{estimator_name} needs at least {min_samples} samples{reason}; "
            f"got {n_samples} sample(s)."
        )


def check_min_classes(classes, min_classes, *, estimator_name):
    """Raise a ValueError when the target has fewer than ``min_classes`` classes.

    Parameters
    ----------
    classes : array-like
        The distinct classes found in ``y``.
    min_classes : int
        Smallest number of classes the method can fit.
    estimator_name : str
        Name shown in the message.

    Examples
    --------
    >>> from sklike.utils.validation import check_min_classes
    >>> check_min_classes([0, 1, 2], 3, estimator_name="Demo")
    >>> check_min_classes(["a"], 2, estimator_name="Demo")
    Traceback (most recent call last):
    ...
    ValueError: Demo needs samples of at least 2 classes in y; got 1 class: ['a'].
    """
    classes = list(np.asarray(classes).tolist())
    if len(classes) < min_classes:
        word = "class" if len(classes) == 1 else "classes"
        raise ValueError(
            f"{estimator_name} needs samples of at least {min_classes} classes in y; "
            f"got {len(classes)} {word}: {classes}."
        )


def check_adjacency(
    adjacency,
    *,
    symmetric=True,
    allow_negative=False,
    allow_self_loops=True,
    require_connected=False,
    accept_sparse=True,
    dtype=np.float64,
    name="adjacency",
):
    """Validate a graph's adjacency matrix.

    Parameters
    ----------
    adjacency : array-like or sparse matrix of shape (n_nodes, n_nodes)
        Weighted or unweighted adjacency matrix.
    symmetric : bool, default=True
        Require an undirected graph (``A == A.T`` up to rounding).
    allow_negative : bool, default=False
        Whether negative edge weights are allowed.
    allow_self_loops : bool, default=True
        Whether a non-zero diagonal is allowed.
    require_connected : bool, default=False
        Require a connected graph (one connected component; edges are the
        non-zero entries, direction ignored).
    accept_sparse : bool, default=True
        Keep scipy.sparse input sparse (CSR); otherwise densify.
    dtype : numpy dtype, default=np.float64
        Output dtype.
    name : str, default="adjacency"
        Name of the parameter, used in error messages.

    Returns
    -------
    adjacency : ndarray or scipy.sparse.csr_array of shape (n_nodes, n_nodes)
        The validated matrix.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.utils.validation import check_adjacency
    >>> check_adjacency(np.array([[0, 1], [1, 0]])).dtype
    dtype('float64')
    >>> check_adjacency(np.ones((2, 3)))
    Traceback (most recent call last):
    ...
    ValueError: adjacency must be a square matrix; got shape (2, 3).
    """
    adjacency = check_array(
        adjacency,
        accept_sparse=["csr"] if accept_sparse else False,
        dtype=dtype,
        ensure_all_finite=True,
        input_name=name,
    )
    n_rows, n_cols = adjacency.shape
    if n_rows != n_cols:
        raise ValueError(
            f"{name} must be a square matrix; got shape {adjacency.shape}."
        )
    values = adjacency.data if sp.issparse(adjacency) else adjacency
    if not allow_negative and np.any(values < 0):
        # "Negative values in data" is the phrase scikit-learn's common checks
        # expect from estimators tagged ``positive_only``.
        raise ValueError(
            f"Negative values in data passed as {name}: edge weights must be "
            "non-negative."
        )
    if symmetric:
        diff = adjacency - adjacency.T
        max_diff = abs(diff).max() if sp.issparse(diff) else np.abs(diff).max()
        scale = max(1.0, float(abs(values).max()) if values.size else 1.0)
        if max_diff > 1e-10 * scale:
            raise ValueError(
                f"{name} must be symmetric (an undirected graph); max |A - A.T| = "
                f"{max_diff:.3g}. Symmetrize it, e.g. (A + A.T) / 2."
            )
    if not allow_self_loops:
        diag = adjacency.diagonal()
        if np.any(diag != 0):
            raise ValueError(
                f"{name} has {int(np.sum(diag != 0))} self-loop(s) (non-zero "
                "diagonal); remove them, e.g. A.setdiag(0)."
            )
    if require_connected and n_rows > 1:
        from scipy.sparse.csgraph import connected_components

        n_components, labels = connected_components(
            sp.csr_array(adjacency), directed=False
        )
        if n_components > 1:
            sizes = np.sort(np.bincount(labels))[::-1].tolist()
            shown = f"{sizes[:5]}"[:-1] + (", ...]" if n_components > 5 else "]")
            raise ValueError(
                f"{name} is a disconnected graph: {n_components} connected "
                f"components (sizes {shown}). Use its largest connected component "
                "(e.g. from scipy.sparse.csgraph.connected_components)."
            )
    return adjacency
