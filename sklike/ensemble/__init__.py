"""sklike.ensemble."""

__all__ = []
