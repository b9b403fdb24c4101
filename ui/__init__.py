"""Streamlit-only helpers shared by the pages (gan_core never imports this package).

- ``ui.i18n``   : ``t(key, **kwargs)``, ``LANGS``, ``language_picker()``
- ``ui.images`` : uint8 image grids -> PNG bytes / ``st.image`` (nearest-neighbour upscaling)
- ``ui.layout`` : ``page_header(...)``, ``show_code(obj)``
"""
