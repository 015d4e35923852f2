"""Lazy imports of optional dependencies, with an install hint naming the extra."""

import importlib

__all__ = ["import_optional"]


def import_optional(module_name, *, extra, purpose=None):
    """Import ``module_name`` or raise an ImportError that says how to get it.

    Parameters
    ----------
    module_name : str
        Module to import, e.g. ``"torch"``.
    extra : str
        The sklike extra that installs it, e.g. ``"torch"``.
    purpose : str, optional
        What needed it, shown in the message.

    Returns
    -------
    module : module
        The imported module.

    Examples
    --------
    >>> from sklike.utils._optional import import_optional
    >>> import_optional("math", extra="none").sqrt(4.0)
    2.0
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as exc:
        what = f" {purpose}" if purpose else ""
        raise ImportError(
            f"The optional dependency {module_name!r} is needed{what} but could not be "
            f"imported ({exc}). Install it with: pip install 'sklike[{extra}]'"
        ) from exc
