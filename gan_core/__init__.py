"""GAN Classroom core: pure PyTorch + numpy, no Streamlit, no work at import time."""

import os as _os

# OpenMP worker threads spin while they wait for work. With two runs training at once (JobPool
# allows 2) or other processes on a 2-core machine, the spinning threads starve the working ones:
# an MLP step at batch 16 took 690 ms instead of 30 ms here. Passive waiting has to be chosen
# before torch loads libgomp, so it is set here, where every gan_core import passes first; a
# value the user exported wins.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
