"""The Gradio API, called the way a notebook would: gradio_client against a locally started server."""
from __future__ import annotations

import socket

import pytest
from PIL import Image

pytest.importorskip("gradio")


@pytest.fixture(scope="module")
def server():
    from ui.gradio_api import THEME, build

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = build()
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True, theme=THEME)
    yield f"http://127.0.0.1:{port}/"
    demo.close()


def test_generate_digit_and_models_through_gradio_client(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    listing = client.predict(api_name="/models")
    assert "mnist_dcgan" in listing["generate"] and "mnist_cgan" in listing["digit"]
    grid = Image.open(client.predict("mnist_dcgan", 7, 16, api_name="/generate"))
    assert grid.size == (3 * (4 * 30 + 2),) * 2  # 4x4 tiles of 28 px with 2-px gaps, upscaled 3x
    again = Image.open(client.predict("mnist_dcgan", 7, 16, api_name="/generate"))
    assert grid.tobytes() == again.tobytes()  # same seed, same samples
    row = Image.open(client.predict(3, 42, "mnist_cgan", api_name="/digit"))
    assert row.size[0] > 10 * row.size[1] > 0  # the digit, then 0-9: one long row


def test_bad_requests_get_messages_not_tracebacks(server):
    from gradio_client import Client

    client = Client(server, verbose=False)
    with pytest.raises(Exception, match="not in the list of choices|choose one of"):
        client.predict("no_such_model", 1, 4, api_name="/generate")
    with pytest.raises(Exception, match="must be"):
        client.predict("mnist_dcgan", -5, 4, api_name="/generate")
