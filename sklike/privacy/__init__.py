"""sklike.privacy."""

__all__ = []
