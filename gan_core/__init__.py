"""GAN Classroom core: pure PyTorch + numpy, no Streamlit, no work at import time."""
