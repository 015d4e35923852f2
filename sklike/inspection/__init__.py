"""sklike.inspection: predictive multiplicity of probabilistic classifiers."""

from ._multiplicity import (
    LogisticRashomonSet,
    ambiguity_score,
    discrepancy_score,
    multiplicity_report,
)

__all__ = [
    "LogisticRashomonSet",
    "ambiguity_score",
    "discrepancy_score",
    "multiplicity_report",
]
