"""Network modules, one file per model (mlp.py, dcgan.py, cgan.py, ...): frozen configs and nn.Modules.

Importing this package only defines classes (no weights are built, no data is read). Which modules
make a family, and how they train, is declared in ``gan_core.training`` and registered in
``gan_core.families``.
"""
