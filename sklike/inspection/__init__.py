"""sklike.inspection."""

__all__ = []
