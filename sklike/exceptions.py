"""Exceptions and warnings raised by sklike.

sklike reuses scikit-learn's :class:`~sklearn.exceptions.ConvergenceWarning`
and :class:`~sklearn.exceptions.NotFittedError` so that user code that already
filters them keeps working.
"""

from sklearn.exceptions import ConvergenceWarning, NotFittedError

__all__ = ["ConvergenceWarning", "NotFittedError", "PrivacyLeakWarning", "SolverError"]


class SolverError(RuntimeError):
    """A numerical solver failed and no fallback could recover.

    The message always says which solver(s) were tried, the status they
    returned and what the user can change (another ``solver``, looser ``tol``,
    more ``max_iter``, rescaled features...).
    """


class PrivacyLeakWarning(UserWarning):
    """The declared privacy guarantee may not hold.

    Raised, for instance, when clipping levels are estimated from the private
    data instead of being fixed from public knowledge.
    """
