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
