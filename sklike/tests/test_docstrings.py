"""Every public docstring follows numpydoc and renders as reStructuredText.

The objects are found, not listed: every public estimator, Display and function
(:mod:`sklike.utils.discovery`), every other public class exported through an
``__all__`` (exceptions...), and the public methods and properties that sklike
itself defines on those classes.  Methods inherited from scikit-learn
(``get_params``, ``set_output``, ``score``...) are scikit-learn's to document
and are skipped.
"""

import importlib
import inspect
import io
import pkgutil
import re
from pathlib import Path

import pytest

import sklike
from sklike.utils.discovery import all_displays, all_estimators, all_functions

numpydoc_validate = pytest.importorskip("numpydoc.validate")
docscrape_sphinx = pytest.importorskip("numpydoc.docscrape_sphinx")

#: numpydoc codes never enforced, with the reason.
IGNORED_CODES = {
    "GL01": "the summary may start on the line of the opening quotes",
    "GL02": "short one-paragraph docstrings may close on their last line",
    "ES01": "an extended summary is welcome, not required",
    "RT02": "naming the returned value helps, as in scikit-learn",
}
#: Codes enforced only on some kinds of objects (all other codes apply to all).
CODES_FOR_KINDS = {
    "EX01": {"estimator", "display", "function"},  # an Examples section
    "SA01": {"estimator", "display"},  # a See Also section
}
#: Properties have no signature numpydoc can read, so no Parameters to match
#: (this follows scikit-learn's own docstring test).
CODES_SKIPPED_FOR_PROPERTIES = {"PR02", "GL08"}


def _public_modules():
    for info in pkgutil.walk_packages(sklike.__path__, prefix="sklike."):
        parts = info.name.split(".")[1:]
        if any(p.startswith("_") or p in ("tests", "cli", "conftest") for p in parts):
            continue
        yield importlib.import_module(info.name)


def _defined_in_sklike(obj):
    return getattr(obj, "__module__", "").startswith("sklike")


def _member_kind(cls, name):
    """``"method"``/``"property"`` for a public member sklike defines on ``cls``."""
    owner = next((k for k in cls.__mro__ if name in vars(k)), None)
    if owner is None or not _defined_in_sklike(owner):
        return None  # scikit-learn's (or Python's) to document
    raw = vars(owner)[name]
    if isinstance(raw, property):
        kind, target = "property", raw.fget
    else:
        target = getattr(cls, name)
        kind = "method" if inspect.isroutine(target) else None  # not a constant
    # scikit-learn also writes methods into sklike classes (``set_fit_request``
    # and friends, from metadata routing); those are its to document.
    return kind if _defined_in_sklike(target) else None


def _documented_objects():
    """Yield ``(import path, kind)`` for every docstring that must validate."""
    classes = {}
    for _, cls in all_estimators():
        classes.setdefault(cls, "estimator")
    for _, cls in all_displays():
        classes.setdefault(cls, "display")
    for module in _public_modules():
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and _defined_in_sklike(obj):
                classes.setdefault(obj, "class")
    for cls, kind in sorted(classes.items(), key=lambda item: item[0].__qualname__):
        path = f"{cls.__module__}.{cls.__qualname__}"
        yield path, kind
        for name in sorted(dir(cls)):
            if name.startswith("_"):
                continue
            member_kind = _member_kind(cls, name)
            if member_kind is not None:
                yield f"{path}.{name}", member_kind
    for _, func in all_functions():
        yield f"{func.__module__}.{func.__qualname__}", "function"


DOCUMENTED = sorted(set(_documented_objects()))


def _fail_listing(title, problems, advice):
    """Fail with one line per problem (no traceback: the list is the message)."""
    if problems:
        lines = "\n".join(f"  {problem}" for problem in problems)
        pytest.fail(f"{title}\n{lines}\n{advice}", pytrace=False)


def _enforced(code, kind):
    if code in IGNORED_CODES:
        return False
    if code in CODES_FOR_KINDS:
        return kind in CODES_FOR_KINDS[code]
    return not (kind == "property" and code in CODES_SKIPPED_FOR_PROPERTIES)


@pytest.mark.parametrize("path, kind", DOCUMENTED, ids=[p for p, _ in DOCUMENTED])
def test_docstring_follows_numpydoc(path, kind):
    result = numpydoc_validate.validate(path)
    errors = [(c, m) for c, m in result["errors"] if _enforced(c, kind)]
    if kind == "property" and not (result["docstring"] or "").strip():
        errors.append(("GL08", "The property does not have a docstring"))
    _fail_listing(
        f"numpydoc docstring errors in {path} ({kind}, "
        f"{result['file']}:{result['file_line']}):",
        [f"{code}: {message}" for code, message in errors],
        "See https://numpydoc.readthedocs.io/en/latest/validation.html",
    )


# --------------------------------------------------------------------------
# reStructuredText: what Sphinx will be given must parse without a warning.
# --------------------------------------------------------------------------
#: Sphinx roles and directives docstrings may use; plain docutils lacks them.
_SPHINX_ROLES = [
    *("attr", "class", "data", "doc", "exc", "func", "meth", "mod", "obj", "ref"),
    *("term", "py:attr", "py:class", "py:data", "py:exc", "py:func", "py:meth"),
    *("py:mod", "py:obj"),
]
_SPHINX_DIRECTIVES = [
    *("autosummary", "code-block", "currentmodule", "deprecated", "minigallery"),
    *("only", "plot", "seealso", "versionadded", "versionchanged", "versionremoved"),
]


def _register_sphinx_markup():
    from docutils import nodes
    from docutils.parsers.rst import Directive, directives, roles

    def literal_role(name, rawtext, text, lineno, inliner, options=None, content=None):
        return [nodes.literal(rawtext, text)], []

    class AnyOption(dict):
        def __contains__(self, key):
            return True

        def __getitem__(self, key):
            return directives.unchanged

    class Opaque(Directive):
        has_content = True
        optional_arguments = 10
        final_argument_whitespace = True
        option_spec = AnyOption()

        def run(self):
            return []

    for role in _SPHINX_ROLES:
        roles.register_local_role(role, literal_role)
    for directive in _SPHINX_DIRECTIVES:
        directives.register_directive(directive, Opaque)


def _rst_problems(rst):
    """Warnings and errors docutils reports on ``rst`` (as Sphinx would)."""
    from docutils.core import publish_doctree

    messages = io.StringIO()
    publish_doctree(
        rst,
        settings_overrides={
            "report_level": 2,  # warnings and errors ...
            "halt_level": 5,  # ... never raised
            "warning_stream": messages,
            "file_insertion_enabled": False,
            "raw_enabled": False,
        },
    )
    report = re.split(r"\n(?=<string>:)", messages.getvalue().strip())
    return [entry.strip() for entry in report if entry.strip()]


@pytest.mark.parametrize("path, kind", DOCUMENTED, ids=[p for p, _ in DOCUMENTED])
def test_docstring_is_valid_rst(path, kind):
    pytest.importorskip("docutils")
    _register_sphinx_markup()
    obj = numpydoc_validate.Validator._load_obj(path)
    if kind == "property":
        obj = obj.fget
    doc = docscrape_sphinx.get_doc_object(obj, config={"show_class_members": False})
    _fail_listing(
        f"The docstring of {path} is not valid reStructuredText (the docs build "
        "fails on this):",
        _rst_problems(str(doc)),
        "Hint: quote names ending in '_' in types and text, e.g. "
        "``ndarray of shape (`n_features_in_`,)``.",
    )


# --------------------------------------------------------------------------
# :ref: and :term: targets must exist in the docs, or the docs build fails.
# --------------------------------------------------------------------------
DOCS_DIR = Path(sklike.__file__).resolve().parents[1] / "docs"
_ROLE_TARGET = r":{role}:`(?:[^`<]*<)?([^`<>]+?)>?`"


#: Labels of pages written at build time (docs/conf.py writes the API index).
_GENERATED_LABELS = {"api_ref"}


def _docs_targets():
    """Labels (``.. _name:``) and glossary terms the docs build defines."""
    labels, terms = set(_GENERATED_LABELS), set()
    sources = [
        page
        for page in DOCS_DIR.rglob("*.rst")
        if not {"_build", "auto_examples", "api", "generated"}
        & set(page.relative_to(DOCS_DIR).parts)
    ]
    # sphinx-gallery turns the examples' README.txt files into pages.
    sources += list((DOCS_DIR.parent / "examples").rglob("README.txt"))
    for page in sources:
        text = page.read_text()
        labels.update(re.findall(r"^\.\. _([^:]+):\s*$", text, flags=re.MULTILINE))
        for block in re.findall(r"^\.\. glossary::\n((?:\n|   .*\n)*)", text, re.M):
            for term in re.findall(r"^   (\S.*)$", block, flags=re.MULTILINE):
                terms.add(term.replace("\\_", "_").strip().lower())
    return labels, terms


def _missing_targets(docstring, labels, terms):
    missing = []
    for label in re.findall(_ROLE_TARGET.format(role="ref"), docstring):
        # sphinx-gallery makes labels for examples; the gallery build checks those.
        if label not in labels and not label.startswith("sphx_glr_"):
            missing.append(f":ref: label {label!r} (no '.. _{label}:' in docs/)")
    for term in re.findall(_ROLE_TARGET.format(role="term"), docstring):
        if term.strip().lower() not in terms:
            missing.append(f":term: {term!r} (not in docs/glossary.rst)")
    return missing


@pytest.mark.skipif(not DOCS_DIR.is_dir(), reason="docs/ is only in a source checkout")
@pytest.mark.parametrize("path, kind", DOCUMENTED, ids=[p for p, _ in DOCUMENTED])
def test_docstring_references_resolve(path, kind):
    obj = numpydoc_validate.Validator._load_obj(path)
    docstring = inspect.getdoc(obj.fget if kind == "property" else obj) or ""
    _fail_listing(
        f"The docstring of {path} refers to targets the docs do not define (the "
        "docs build fails on this):",
        _missing_targets(docstring, *_docs_targets()),
        "Add the user-guide page that defines the label, or the term to "
        "docs/glossary.rst.",
    )


# --------------------------------------------------------------------------
# The test can fail: a deliberately bad docstring is caught.
# --------------------------------------------------------------------------
def _badly_documented(alpha, beta=1):
    """returns things

    Parameters
    ----------
    alpha : int
    gamma : float
        Not a parameter.
    """
    return alpha + beta


def _documented_with_bare_attribute(x):
    """Return ``x``.

    Parameters
    ----------
    x : ndarray of shape (n_features_in_,)
        Input.

    Returns
    -------
    x : ndarray
        The input.
    """
    return x


def test_validation_catches_a_bad_docstring():
    result = numpydoc_validate.validate(f"{__name__}._badly_documented")
    codes = {code for code, _ in result["errors"] if _enforced(code, "function")}
    # summary not capitalised, no period; beta undocumented, gamma unknown;
    # alpha without description; no Returns, no Examples.
    assert {"SS02", "SS03", "PR01", "PR02", "PR07", "RT01", "EX01"} <= codes


def test_rst_check_catches_a_bare_trailing_underscore():
    _register_sphinx_markup()
    doc = docscrape_sphinx.get_doc_object(_documented_with_bare_attribute)
    problems = _rst_problems(str(doc))
    assert any("n_features_in" in p for p in problems), problems


@pytest.mark.skipif(not DOCS_DIR.is_dir(), reason="docs/ is only in a source checkout")
def test_reference_check_catches_undefined_targets():
    labels, terms = _docs_targets()
    assert {"api_ref", "user_guide", "glossary", "examples"} <= labels
    assert {"fit", "random_state", "classes_"} <= terms
    docstring = (
        "See :ref:`user_guide`, :ref:`the guide <no_such_label>`, "
        ":term:`Glossary <random_state>` and :term:`no such term`."
    )
    missing = _missing_targets(docstring, labels, terms)
    assert len(missing) == 2
    assert "no_such_label" in missing[0] and "no such term" in missing[1]


def test_methods_inherited_from_sklearn_are_skipped():
    from sklearn.base import BaseEstimator, ClassifierMixin

    class Local(ClassifierMixin, BaseEstimator):
        def fit(self, X, y):
            return self

    Local.__module__ = "sklike.fake"
    assert _member_kind(Local, "fit") == "method"
    assert _member_kind(Local, "get_params") is None
    assert _member_kind(Local, "score") is None

    class Weighted(Local):
        def fit(self, X, y, sample_weight=None):
            return self

    Weighted.__module__ = "sklike.fake"
    # metadata routing writes set_fit_request into the class itself
    assert "set_fit_request" in vars(Weighted)
    assert _member_kind(Weighted, "set_fit_request") is None
