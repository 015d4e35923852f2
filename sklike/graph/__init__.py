"""sklike.graph."""

__all__ = []
