"""Sphinx configuration: the API reference (autodoc/autosummary + numpydoc), the derivation
notes (Markdown, MyST) as theory pages, and the tutorials (percent-format .py files, executed
at every build by myst-nb through jupytext).  Build: ``make docs`` (HTML in docs/_build/html)."""

from importlib.metadata import version as _version

project = "spintunnel"
author = "the spintunnel developers"
copyright = "2026, the spintunnel developers"
release = _version("spintunnel")
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
]

# the pages: Markdown (theory notes, index), reST (API), tutorials as percent scripts
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".py": "myst-nb"}
nb_custom_formats = {".py": ["jupytext.reads", {"fmt": "py:percent"}]}
exclude_patterns = ["_build", "conf.py", "studies", "**/.ipynb_checkpoints", "figures"]
templates_path = ["_templates"]
root_doc = "index"

# tutorials: executed at every build (outputs are not committed), an error fails the build
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_timeout = 300
nb_execution_in_temp = True  # files a tutorial writes land in a temporary folder
nb_merge_streams = True
myst_enable_extensions = ["colon_fence", "dollarmath"]
myst_heading_anchors = 3

# API: numpydoc renders the docstrings; one page per module (templates/autosummary)
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "none"  # the numpydoc Parameters sections carry types and units
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

html_theme = "pydata_sphinx_theme"
html_title = f"spintunnel {release}"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
html_static_path: list[str] = []


# -- plain-text formulas in docstrings ------------------------------------------------------
# The docstrings write formulas in plain text, where |x| is an absolute value or a norm; reST
# would read |x| as a substitution reference.  The package defines no substitutions, so a bar
# outside inline literals, literal blocks, directives' content and doctests is escaped.
import re  # noqa: E402

_INLINE_LITERAL = re.compile(r"(``.+?``|`[^`]+`)")


def _escape_bars(line: str) -> str:
    parts = _INLINE_LITERAL.split(line)
    return "".join(p if i % 2 else p.replace("|", r"\|") for i, p in enumerate(parts))


def _plain_text_bars(app, what, name, obj, options, lines):
    block_indent = None  # indentation of the line that opened a literal block or directive
    for i, line in enumerate(lines):
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if stripped.startswith(">>>"):
            continue
        if stripped.rstrip().endswith("::"):
            block_indent = indent
        lines[i] = _escape_bars(line)


#: Left out of the reference until their docstrings parse (modules that other work owned when
#: the reference came in, issue 24): an unterminated inline literal.
_NOT_YET_DOCUMENTED = {"ramp_envelope"}


def _skip_pending(app, what, name, obj, skip, options):
    return True if name in _NOT_YET_DOCUMENTED else None


def setup(app):
    app.connect("autodoc-process-docstring", _plain_text_bars)
    app.connect("autodoc-skip-member", _skip_pending)
