"""sklike.linear_model."""

from ._presto import (
    PrestoClassifier,
    PrestoClassifierCV,
    ProportionalOddsClassifier,
)

__all__ = [
    "PrestoClassifier",
    "PrestoClassifierCV",
    "ProportionalOddsClassifier",
]
