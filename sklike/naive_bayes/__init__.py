"""sklike.naive_bayes."""

__all__ = []
