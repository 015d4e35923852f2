"""Clustering metrics."""

from scipy.optimize import linear_sum_assignment
from sklearn.metrics.cluster import contingency_matrix
from sklearn.utils.validation import check_consistent_length, column_or_1d

__all__ = ["misclustering_error"]


def misclustering_error(labels_true, labels_pred):
    """Fraction of samples misclustered, minimised over label permutations.

    The predicted clusters are matched to the true classes one to one (the
    Hungarian algorithm on the contingency table, :func:`scipy.optimize.
    linear_sum_assignment`); the error is the fraction of samples off the
    matching.  With more predicted clusters than classes (or fewer), the
    unmatched ones count as errors.  This is the error of the Chen--Yang
    group's ``err_rate.m``.

    Parameters
    ----------
    labels_true : array-like of shape (n_samples,)
        Ground-truth classes.
    labels_pred : array-like of shape (n_samples,)
        Cluster labels to evaluate.

    Returns
    -------
    error : float
        In ``[0, 1)``; 0 when the partitions agree up to relabelling.

    See Also
    --------
    sklearn.metrics.adjusted_rand_score : A chance-corrected agreement index.

    Examples
    --------
    >>> from sklike.metrics import misclustering_error
    >>> misclustering_error([0, 0, 1, 1, 2], [1, 1, 0, 0, 0])
    0.2
    """
    labels_true = column_or_1d(labels_true)
    labels_pred = column_or_1d(labels_pred)
    check_consistent_length(labels_true, labels_pred)
    if labels_true.shape[0] == 0:
        raise ValueError("misclustering_error needs at least one sample; got 0.")
    table = contingency_matrix(labels_true, labels_pred)
    rows, cols = linear_sum_assignment(table, maximize=True)
    matched = table[rows, cols].sum()
    n_samples = labels_true.shape[0]
    return float((n_samples - matched) / n_samples)
