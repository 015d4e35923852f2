"""sklike.metrics."""

from ._clustering import misclustering_error

__all__ = ["misclustering_error"]
