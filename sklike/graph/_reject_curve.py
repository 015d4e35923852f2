"""Reject curves: how well a proximity separates intra- from inter-class pairs."""

import numpy as np
from sklearn.utils.validation import check_array, check_consistent_length

__all__ = ["RejectCurveDisplay", "reject_curve"]


def reject_curve(K, y, *, is_distance=False):
    """Compute the reject curve of a proximity (or distance) matrix.

    Node pairs (i < j) are sorted from the most to the least similar; for
    each threshold the curve gives the fraction of inter-class pairs (x) and
    of intra-class pairs (y) ranked above it. A perfect measure puts every
    intra-class pair first (area 1); a random one follows the diagonal (area
    1/2). The area is the probability that a random intra-class pair is
    closer than a random inter-class pair (ties count 1/2).

    Parameters
    ----------
    K : array-like of shape (n_nodes, n_nodes)
        Symmetric proximity (kernel) or, with ``is_distance=True``, distance.
    y : array-like of shape (n_nodes,)
        Class of each node.
    is_distance : bool, default=False
        Whether small values of ``K`` mean close.

    Returns
    -------
    frac_inter : ndarray of shape (n_thresholds + 1,)
        Cumulative fraction of inter-class pairs, from 0 to 1.
    frac_intra : ndarray of shape (n_thresholds + 1,)
        Cumulative fraction of intra-class pairs, from 0 to 1.
    auc : float
        Area under the curve.

    Examples
    --------
    >>> import numpy as np
    >>> from sklike.graph import reject_curve
    >>> K = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]])
    >>> reject_curve(K, [0, 0, 1])[2]
    1.0
    """
    K = check_array(K, input_name="K")
    y = np.asarray(y)
    check_consistent_length(K, y)
    if K.shape[0] != K.shape[1]:
        raise ValueError(f"K must be a square matrix; got shape {K.shape}.")
    rows, cols = np.triu_indices(K.shape[0], k=1)
    score = K[rows, cols]
    if is_distance:
        score = -score
    intra = y[rows] == y[cols]
    n_intra, n_inter = intra.sum(), (~intra).sum()
    if n_intra == 0 or n_inter == 0:
        raise ValueError(
            "y needs both intra-class and inter-class pairs: at least two classes, "
            "one of them with two or more nodes."
        )
    order = np.argsort(-score, kind="stable")
    score, intra = score[order], intra[order]
    # One point per distinct score: tied pairs are accepted together.
    last_of_ties = np.r_[np.flatnonzero(np.diff(score) != 0), score.size - 1]
    cum_intra = np.cumsum(intra)[last_of_ties]
    cum_inter = (last_of_ties + 1) - cum_intra
    frac_intra = np.r_[0.0, cum_intra / n_intra]
    frac_inter = np.r_[0.0, cum_inter / n_inter]
    auc = float(np.trapezoid(frac_intra, frac_inter))
    return frac_inter, frac_intra, auc


class RejectCurveDisplay:
    """Reject curve plot.

    Build it with :meth:`from_kernel`, or from the output of
    :func:`reject_curve`, then call :meth:`plot`.

    Parameters
    ----------
    frac_inter : ndarray
        Cumulative fraction of inter-class pairs (x axis).
    frac_intra : ndarray
        Cumulative fraction of intra-class pairs (y axis).
    auc : float
        Area under the curve.
    name : str or None, default=None
        Label of the curve.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The curve.
    ax_ : matplotlib Axes
        Axes with the curve.
    figure_ : matplotlib Figure
        Figure containing the curve.

    See Also
    --------
    reject_curve : The numbers behind the plot.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklike.datasets import load_karate
    >>> from sklike.graph import GraphKernel, RejectCurveDisplay
    >>> A, y = load_karate(return_X_y=True)
    >>> K = GraphKernel("logComm", 0.5).fit_transform(A)
    >>> display = RejectCurveDisplay.from_kernel(K, y, name="logComm")
    """

    def __init__(self, frac_inter, frac_intra, auc, name=None):
        self.frac_inter = frac_inter
        self.frac_intra = frac_intra
        self.auc = auc
        self.name = name

    def plot(self, ax=None, *, name=None, **kwargs):
        """Plot the curve.

        Parameters
        ----------
        ax : matplotlib Axes or None, default=None
            Axes to draw on; None creates a figure.
        name : str or None, default=None
            Label; defaults to the display's ``name``.
        **kwargs : dict
            Passed to ``matplotlib.axes.Axes.plot``.

        Returns
        -------
        display : RejectCurveDisplay
            The display, with ``line_``, ``ax_`` and ``figure_`` set.
        """
        import matplotlib.pyplot as plt

        if ax is None:
            _, ax = plt.subplots()
        name = self.name if name is None else name
        label = (
            f"AUC = {self.auc:.3f}"
            if name is None
            else f"{name} (AUC = {self.auc:.3f})"
        )
        (self.line_,) = ax.plot(self.frac_inter, self.frac_intra, label=label, **kwargs)
        ax.plot([0, 1], [0, 1], linestyle=":", color="grey")
        ax.set_xlabel("fraction of inter-class pairs accepted")
        ax.set_ylabel("fraction of intra-class pairs accepted")
        ax.legend(loc="lower right")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_kernel(cls, K, y, *, is_distance=False, name=None, ax=None, **kwargs):
        """Compute and plot the reject curve of a proximity matrix.

        Parameters
        ----------
        K : array-like of shape (n_nodes, n_nodes)
            Proximity (or distance, with ``is_distance=True``) matrix.
        y : array-like of shape (n_nodes,)
            Class of each node.
        is_distance : bool, default=False
            Whether small values of ``K`` mean close.
        name : str or None, default=None
            Label of the curve.
        ax : matplotlib Axes or None, default=None
            Axes to draw on.
        **kwargs : dict
            Passed to ``matplotlib.axes.Axes.plot``.

        Returns
        -------
        display : RejectCurveDisplay
            The plotted display.
        """
        frac_inter, frac_intra, auc = reject_curve(K, y, is_distance=is_distance)
        return cls(frac_inter, frac_intra, auc, name=name).plot(ax=ax, **kwargs)
