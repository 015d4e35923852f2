"""Plot of viable prediction ranges and multiplicity curves."""

import numpy as np

from ..utils._sklearn_compat import check_is_fitted

__all__ = ["MultiplicityDisplay"]


class MultiplicityDisplay:
    """Baseline risk with its viable prediction range per point, and curves over ε.

    Create it with :meth:`from_estimator`; matplotlib is imported only when
    plotting.

    Parameters
    ----------
    baseline : ndarray of shape (n_samples,)
        Baseline probability of the positive class.
    ranges : ndarray of shape (n_samples, 2)
        Viable prediction ranges ``[min, max]``.
    epsilon : float
        Level-set size of ``ranges``.
    report : pandas.DataFrame, default=None
        Output of :func:`~sklike.inspection.multiplicity_report`; when given,
        ambiguity and discrepancy curves over ε are drawn in a second panel.

    Attributes
    ----------
    ax_ : matplotlib Axes
        The ranges panel.
    ax_curves_ : matplotlib Axes or None
        The curves panel.
    figure_ : matplotlib Figure
        The figure.

    See Also
    --------
    LogisticRashomonSet : Computes the ranges.
    multiplicity_report : The table behind the curves.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import make_classification
    >>> from sklike.inspection import LogisticRashomonSet, MultiplicityDisplay
    >>> X, y = make_classification(
    ...     n_samples=60, n_features=3, n_informative=2, n_redundant=0, random_state=0
    ... )
    >>> rs = LogisticRashomonSet(0.02).fit(X, y)
    >>> disp = MultiplicityDisplay.from_estimator(rs, epsilons=[0.01, 0.02])
    >>> disp.ax_curves_ is not None
    True
    """

    def __init__(self, *, baseline, ranges, epsilon, report=None):
        self.baseline = baseline
        self.ranges = ranges
        self.epsilon = epsilon
        self.report = report

    def plot(self, ax=None, *, max_points=400):
        """Draw the ranges sorted by baseline risk (and the curves).

        Parameters
        ----------
        ax : matplotlib Axes or array of two Axes, default=None
            Where to draw; a new figure when None.
        max_points : int, default=400
            At most this many evenly spaced points (in baseline order) are
            drawn, to keep the plot readable.

        Returns
        -------
        display : MultiplicityDisplay
            This display, with ``ax_``, ``ax_curves_`` and ``figure_`` set.
        """
        import matplotlib.pyplot as plt

        two = self.report is not None
        if ax is None:
            fig, axes = plt.subplots(
                1, 2 if two else 1, figsize=(10 if two else 5.5, 3.8), squeeze=False
            )
            axes = axes[0]
        else:
            axes = np.atleast_1d(ax)
            fig = axes[0].figure
        order = np.argsort(self.baseline, kind="stable")
        if order.size > max_points:
            order = order[np.linspace(0, order.size - 1, max_points).astype(int)]
        rank = np.arange(order.size)
        ranges = self.ranges[order]
        axr = axes[0]
        axr.vlines(rank, ranges[:, 0], ranges[:, 1], color="C0", alpha=0.5, lw=1.2)
        axr.plot(rank, self.baseline[order], ".", color="k", ms=2, label="baseline")
        axr.set(
            xlabel="points, sorted by baseline risk",
            ylabel="P(positive class)",
            ylim=(0, 1),
            title=f"Viable prediction ranges (ε = {self.epsilon:g})",
        )
        axr.legend(loc="upper left", fontsize=8)
        self.ax_curves_ = None
        if two:
            axc = axes[1] if len(axes) > 1 else axr.twinx()
            table = self.report[self.report.group == "all"]
            for k, (delta, rows) in enumerate(table.groupby("delta")):
                rows = rows.sort_values("epsilon")
                axc.plot(
                    rows.epsilon,
                    rows.ambiguity,
                    "o-",
                    color=f"C{k}",
                    label=f"ambiguity, δ={delta:g}",
                )
                axc.plot(
                    rows.epsilon,
                    rows.discrepancy_lower,
                    "s--",
                    color=f"C{k}",
                    label=f"discrepancy (lower bound), δ={delta:g}",
                )
            axc.set(xlabel="ε", ylabel="share of points", ylim=(0, 1.02))
            axc.legend(fontsize=7)
            self.ax_curves_ = axc
        self.ax_ = axr
        self.figure_ = fig
        return self

    @classmethod
    def from_estimator(
        cls, rs, X=None, *, epsilons=None, deltas=(0.05, 0.1, 0.2), ax=None
    ):
        """Compute the ranges (and optional curves) of ``rs`` and plot them.

        Parameters
        ----------
        rs : LogisticRashomonSet
            Fitted level set.
        X : array-like of shape (n_samples, n_features), default=None
            Points (the training points when None).
        epsilons : array-like of float, default=None
            When given, ambiguity and discrepancy curves over these ε.
        deltas : array-like of float, default=(0.05, 0.1, 0.2)
            The δ values of the curves.
        ax : matplotlib Axes or array of two Axes, default=None
            Where to draw.

        Returns
        -------
        display : MultiplicityDisplay
            The plotted display.
        """
        from ._multiplicity import LogisticRashomonSet, multiplicity_report

        if not isinstance(rs, LogisticRashomonSet):
            raise TypeError(
                f"rs must be a fitted LogisticRashomonSet; got {type(rs).__name__}."
            )
        check_is_fitted(rs)
        Xa = rs._points(X)
        baseline = 1.0 / (1.0 + np.exp(-(Xa @ rs._w0_)))
        ranges = rs.viable_prediction_range(X)
        report = None
        if epsilons is not None:
            report = multiplicity_report(rs, X, epsilons=epsilons, deltas=deltas)
        display = cls(
            baseline=baseline, ranges=ranges, epsilon=rs.epsilon, report=report
        )
        return display.plot(ax=ax)
