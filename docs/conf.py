"""Sphinx configuration for the sklike documentation.

The build is offline: no intersphinx inventory is fetched and nothing is
downloaded.  The API reference is written at build time from each public
module's ``__all__`` (see :func:`write_api_pages`), so a new estimator shows up
in the docs as soon as its subpackage exports it, with no edit here.
"""

import importlib
import inspect
import os
import pkgutil
import sys
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parent
REPO_ROOT = DOCS_DIR.parent
# Build from the checkout even when sklike is not installed in editable mode.
sys.path.insert(0, str(REPO_ROOT))
# Examples and the API pages must never try to open a window.
os.environ.setdefault("MPLBACKEND", "Agg")

import sklike
from sklike._tour._registry import FAMILIES as TOUR_FAMILIES

project = "sklike"
author = "sklike developers"
copyright = "sklike developers, BSD-3-Clause"
version = release = sklike.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
default_role = "literal"

# -- autodoc / autosummary / numpydoc ----------------------------------------

autosummary_generate = True
autodoc_typehints = "none"
# Members are listed by the class template, not by numpydoc (which would add
# a second, toctree-less table and warn about it).
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True

# -- sphinx-gallery ------------------------------------------------------------

# One gallery folder per method family, in the tour's order; folders added
# later sort after these.
GALLERY_FAMILIES = TOUR_FAMILIES

sphinx_gallery_conf = {
    "examples_dirs": ["../examples"],
    "gallery_dirs": ["auto_examples"],
    "subsection_order": [f"../examples/{name}" for name in GALLERY_FAMILIES] + ["*"],
    "within_subsection_order": "FileNameSortKey",
    "filename_pattern": r"/plot_",
    "backreferences_dir": "generated/backreferences",
    "doc_module": ("sklike",),
    # Links from example code to the API pages; None = this site, no download.
    "reference_url": {"sklike": None},
    "download_all_examples": False,
    "show_memory": False,
    "min_reported_time": 1,
}

# -- HTML ----------------------------------------------------------------------

html_theme = "pydata_sphinx_theme"
html_title = f"sklike {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
}
html_show_sourcelink = False


def _defined_outside_sklike(member):
    """Whether a class member comes from scikit-learn (or Python) rather than sklike.

    Class pages list inherited members so that methods of sklike base classes
    appear, but ``get_params``, ``set_output``, ``score``... are scikit-learn's
    and documented there (their docstrings also hold references that only
    resolve in scikit-learn's own docs).
    """
    for attr in ("fget", "fn", "__func__"):  # property, available_if, classmethod
        member = getattr(member, attr, member)
    module = getattr(member, "__module__", None)
    return module is not None and not module.startswith("sklike")


def _skip_foreign_members(app, what, name, obj, skip, options):
    if what == "class" and _defined_outside_sklike(obj):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_foreign_members)


# -- API reference, generated from ``__all__`` -----------------------------------

#: Public modules in the order the API reference lists them; any other public
#: module with an ``__all__`` found in the package is appended after these.
API_MODULES = [
    "sklike.linear_model",
    "sklike.cluster",
    "sklike.graph",
    "sklike.ensemble",
    "sklike.naive_bayes",
    "sklike.privacy",
    "sklike.inspection",
    "sklike.model_selection",
    "sklike.metrics",
    "sklike.datasets",
    "sklike.utils",
    "sklike.utils.validation",
    "sklike.utils.estimator_checks",
    "sklike.utils.discovery",
    "sklike.exceptions",
]
#: Public modules that are not library API (the command line, test helpers).
API_SKIP = {"sklike.cli", "sklike.conftest"}


def public_modules():
    """Every public sklike module that declares ``__all__``, in display order."""
    found = []
    for info in pkgutil.walk_packages(sklike.__path__, prefix="sklike."):
        parts = info.name.split(".")
        if any(p.startswith("_") or p == "tests" for p in parts) or info.name in (
            API_SKIP
        ):
            continue
        if hasattr(importlib.import_module(info.name), "__all__"):
            found.append(info.name)
    ordered = [m for m in API_MODULES if m in found]
    return ordered + sorted(set(found) - set(ordered))


def _canonical_homes(modules):
    """Map id(object) to the public module that documents it.

    An object exported by several modules (``all_estimators`` is in both
    ``sklike.utils`` and ``sklike.utils.discovery``) gets one page, under the
    most specific module, so that cross-references have a single target.
    """
    homes = {}
    for module_name in modules:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            obj = getattr(module, name)
            if not (inspect.isclass(obj) or inspect.isroutine(obj)):
                continue  # data is documented where it is listed
            home = homes.get(id(obj))
            if home is None or module_name.count(".") > home[0].count("."):
                homes[id(obj)] = (module_name, name)
    return homes


def _underline(text, char):
    return f"{text}\n{char * len(text)}\n"


def _module_page(module_name, homes):
    module = importlib.import_module(module_name)
    classes, functions, data, elsewhere, foreign = [], [], [], [], []
    for name in sorted(module.__all__):
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            continue
        owner = getattr(obj, "__module__", None) or module_name
        if (inspect.isclass(obj) or callable(obj)) and not owner.startswith("sklike"):
            foreign.append(f"{owner}.{getattr(obj, '__qualname__', name)}")
            continue
        home_module, home_name = homes.get(id(obj), (module_name, name))
        if home_module != module_name:
            elsewhere.append(f"{home_module}.{home_name}")
        elif inspect.isclass(obj):
            classes.append(name)
        elif callable(obj):
            functions.append(name)
        else:
            data.append(name)

    lines = [
        _underline(f"``{module_name}``", "="),
        f".. automodule:: {module_name}",
        "   :no-members:",
        "   :no-inherited-members:",
        "",
        f".. currentmodule:: {module_name}",
        "",
    ]
    sections = [
        ("Classes", classes, "class.rst"),
        ("Functions", functions, "function.rst"),
        ("Data", data, "data.rst"),
    ]
    for title, names, template in sections:
        if not names:
            continue
        lines += [
            _underline(title, "-"),
            ".. autosummary::",
            "   :toctree: ../generated",
        ]
        if template:
            lines.append(f"   :template: {template}")
        lines += ["", *(f"   {n}" for n in names), ""]
    if elsewhere:
        lines += [
            _underline("Also exported here", "-"),
            "Documented with the module that defines them:",
            "",
            *(f"- :obj:`{path}`" for path in elsewhere),
            "",
        ]
    if foreign:
        lines += [
            _underline("Re-exported from scikit-learn", "-"),
            *(f"- ``{path}``" for path in foreign),
            "",
        ]
    if not (classes or functions or data or elsewhere or foreign):
        lines += ["No public objects yet.", ""]
    return "\n".join(lines)


def _write_if_changed(path, text):
    # Rewriting an unchanged page would make Sphinx re-read it on every build.
    if not path.exists() or path.read_text() != text:
        path.write_text(text)


def write_api_pages(out_dir=DOCS_DIR / "api"):
    """Write ``api/index.rst`` and one page per public module."""
    out_dir.mkdir(exist_ok=True)
    modules = public_modules()
    homes = _canonical_homes(modules)
    for module_name in modules:
        _write_if_changed(
            out_dir / f"{module_name}.rst", _module_page(module_name, homes)
        )
    stale = {p.stem for p in out_dir.glob("sklike*.rst")} - set(modules)
    for name in stale:
        (out_dir / f"{name}.rst").unlink()
    index = [
        ":html_theme.sidebar_secondary.remove:",
        "",
        ".. _api_ref:",
        "",
        _underline("API reference", "="),
        "Generated from each public module's ``__all__``: what a module exports "
        "is what is listed here.",
        "",
        ".. toctree::",
        "   :maxdepth: 1",
        "",
        *(f"   {m}" for m in modules),
        "",
    ]
    _write_if_changed(out_dir / "index.rst", "\n".join(index))


write_api_pages()
