"""``python -m gan_core --help``"""
import sys

from gan_core.cli import main

sys.exit(main())
