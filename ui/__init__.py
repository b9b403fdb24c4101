"""Streamlit-only helpers shared by the pages (gan_core never imports this package).

- ``ui.i18n``            : ``t(key, **kwargs)``, number and plural formatting, ``language_picker()``
- ``ui.runs``            : the server's ``JobPool``, this session's owner id and runs, live fragments
- ``ui.explore_widgets`` : model picker (by capability), cached pictures, seed boxes
- ``ui.layout``          : ``page_header(...)``, ``show_code(obj)``
- ``ui.train_*``, ``ui.toy2d_plots``, ``ui.objective_plots``, ...: one page's widgets and figures
Image conversions (grids, PNG, GIF) live in ``gan_core.images``.
- ``ui.shell`` / ``ui.url_state`` / ``ui.app_frame``: the frame app.py draws around every page
  (language, projector mode, presenter notes, links with a page's settings)
"""

from ui.app_frame import ensure_app_frame as _ensure_app_frame

_ensure_app_frame()  # first import in a fresh server: leave Streamlit's legacy pages/ mode (app_frame.py)
