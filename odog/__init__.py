"""odog, One Day One GAN: GAN variants on Keras 3, each trainable in one line.

Example:
```python
from odog import DCGAN
gan = DCGAN()                 # MNIST by default
gan.train(epochs=4000)        # one "epoch" = one training iteration
images = gan.generate(16)
```

Importing odog imports no Keras (and no backend) until a model is asked for,
so the command line answers `odog list` at once; odog sets no environment
variable of yours.
"""

import importlib

from odog import catalog

__version__ = "0.1.0"

_CORE = {
    "BaseGAN": "odog.base",
    "TrainingDivergedError": "odog.callbacks",
    "CheckpointError": "odog.checkpoint",
    "DatasetUnavailableError": "odog.data",
}
_CLASSES = {entry.cls: entry.name for entry in catalog.VARIANTS}


def __getattr__(name: str):
    if name in _CORE:
        return getattr(importlib.import_module(_CORE[name]), name)
    if name in _CLASSES:
        return get(_CLASSES[name])
    raise AttributeError(f"module 'odog' has no attribute {name!r}")


def available() -> list[str]:
    """The names of the variants, as the CLI takes them."""
    return catalog.names()


def get(name: str) -> type:
    """The variant class of a name, e.g. `get("dcgan") is DCGAN`; "wgan-gp" = "wgan_gp"."""
    from odog.variants import VARIANTS

    key = name.lower().replace("-", "_")
    if key in VARIANTS:
        return VARIANTS[key]
    catalog.entry(name)  # raises, listing the available names
    raise AssertionError(f"{name} is in odog.catalog but not in odog.variants")


def pretrained(name: str):
    """A generator trained on MNIST that ships with odog, ready to generate (`odog.hub`).

    Names: "dcgan-mnist", "cgan-mnist", "infogan-mnist", "srgan-mnist".

    Example:
    ```python
    gan = odog.pretrained("dcgan-mnist")
    images = gan.generate(16, seed=0)
    ```
    """
    from odog import hub

    return hub.pretrained(name)


def load(path, dataset=None):
    """Loads a saved GAN as its own variant class (`BaseGAN.load`).

    Raises `FileNotFoundError` when there is no checkpoint at `path`, and
    `odog.CheckpointError` (a `ValueError`) naming the file and what is wrong
    when it is damaged, holds non-finite weights or does not fit odog.

    Example:
    ```python
    gan = odog.load("runs/dcgan")
    gan.train(epochs=1000)        # continues from the saved iteration
    ```
    """
    from odog.base import BaseGAN

    return BaseGAN.load(path, dataset=dataset)


__all__ = [*sorted(_CLASSES), *sorted(_CORE), "available", "get", "load"]
