"""sklike.linear_model."""

from ._presto import (
    PrestoClassifier,
    PrestoClassifierCV,
    ProportionalOddsClassifier,
)
from ._sketched import SketchedLinearRegression

__all__ = [
    "PrestoClassifier",
    "PrestoClassifierCV",
    "ProportionalOddsClassifier",
    "SketchedLinearRegression",
]
