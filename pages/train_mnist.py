"""Train page: a GAN learns MNIST live; sliders, presets, run comparison, save and export."""

from ui.train_view import render_page

render_page()
