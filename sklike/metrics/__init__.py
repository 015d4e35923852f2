"""sklike.metrics."""

__all__ = []
