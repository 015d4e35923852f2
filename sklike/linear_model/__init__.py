"""sklike.linear_model."""

__all__ = []
