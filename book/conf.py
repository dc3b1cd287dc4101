# Sphinx configuration of the course book (`make book`). book/build.py stages this folder, README sections and the
# executed lessons into build/book/src and builds the site into build/book/html; nothing is executed here.
project = "Image classifiers can not be made robust to small perturbations"
author = "the perturbkit course authors"
copyright = "the authors, MIT licence"
html_title = "Robustness limits of image classifiers: a course"

extensions = ["myst_nb"]
exclude_patterns = ["README.md", "_build"]  # README.md is staged only for {include}

# The lessons are executed and tested already (nbval); the book only renders their stored outputs.
nb_execution_mode = "off"
nb_ipywidgets_js = {}  # no widget JavaScript from a CDN: build.py replaces widget views with a note
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3

# MathJax 3 is served from the site itself (copied from the `mathjax` npm package by build.py), never a CDN.
mathjax_path = "mathjax/tex-chtml.js"
html_static_path = ["_static"]
html_css_files = ["book.css"]

html_theme = "sphinx_book_theme"
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": True,
    "home_page_in_toc": True,
    "navbar_persistent": [],  # the search box is in the sidebar already
}
html_context = {"default_mode": "auto"}  # light or dark as the reader's system prefers

# The API reference (api.rst): autodoc reads the docstrings, napoleon their numpy-style (Examples) and Google-style
# (Args, Returns) sections. Signatures keep their type hints as plain text.
extensions += ["sphinx.ext.autodoc", "sphinx.ext.napoleon"]
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
napoleon_use_rtype = False
# The build is nitpicky (-n): every cross-reference must resolve. References that cannot, by design, are let through
# unlinked (they render as code, never as a broken link): classes of other libraries (torch, numpy, matplotlib,
# ipywidgets; no network, so no intersphinx) and napoleon's free-text types ("(k,) tensor"), which are every class
# reference outside perturbkit; objects of perturbkit modules the page does not document; and the short names that
# docstrings use inside their own module (``DATASETS``, ``ImageSpace.chunks``); and the census package's inner
# modules (its layers), of which the page documents the package itself.
API_MODULES = ["spaces", "norms", "bounds", "sum_classifier", "attacks", "census", "guarantees", "threat", "plotting",
               "widgets"]
nitpick_ignore_regex = [
    ("py:class", r"(?!perturbkit\.).*"),
    (r"py:.*", r"perturbkit\.(?!(" + "|".join(API_MODULES) + r")\b).*"),
    (r"py:(data|meth)", r"DATASETS|ImageSpace\.chunks"),
    (r"py:.*", r"perturbkit\.census\..*"),  # the census package's layers: the page documents the package's face
]


def _escape_bars(app, what, name, obj, options, lines) -> None:
    """Docstrings are plain text for help(): |C| means a size, which reStructuredText would read as a substitution.
    Escape every | outside doctest lines and ``literals`` so that it shows as written."""
    for i, line in enumerate(lines):
        if line.lstrip().startswith((">>>", "...")):
            continue
        parts = line.split("``")
        lines[i] = "``".join(p if k % 2 else p.replace("|", r"\|") for k, p in enumerate(parts))


def setup(app) -> None:
    app.connect("autodoc-process-docstring", _escape_bars)
