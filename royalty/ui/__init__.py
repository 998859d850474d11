"""The only Streamlit code outside ``app.py`` and ``app_pages/``.

``state`` owns the engine and the sidebar filters, ``data`` the cached analytics calls pages
make (ordinary typed functions), ``views`` the drawing helpers pages share and ``unwrapped``
the Unwrapped page's pieces. Nothing else in the package imports streamlit
(``tests/test_layers.py`` checks it), so the rest runs and is tested without a browser.
"""
