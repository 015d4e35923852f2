"""sklike.inspection: predictive multiplicity of probabilistic classifiers."""

from ._multiplicity import (
    LogisticRashomonSet,
    ambiguity_score,
    discrepancy_score,
    multiplicity_report,
)
from ._multiplicity_display import MultiplicityDisplay

__all__ = [
    "LogisticRashomonSet",
    "MultiplicityDisplay",
    "ambiguity_score",
    "discrepancy_score",
    "multiplicity_report",
]
