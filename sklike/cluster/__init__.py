"""sklike.cluster."""

__all__ = []
