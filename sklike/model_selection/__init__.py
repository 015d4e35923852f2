"""sklike.model_selection."""

__all__ = []
