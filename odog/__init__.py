"""odog, One Day One GAN: GAN variants on Keras 3, each trainable in one line.

Example:
```python
from odog import DCGAN
gan = DCGAN()                 # MNIST by default
gan.train(epochs=4000)        # one "epoch" = one training iteration
images = gan.generate(16)
```
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from odog.base import BaseGAN, TrainingDivergedError  # noqa: E402
from odog.checkpoint import load as _read_checkpoint  # noqa: E402
from odog.data import DatasetUnavailableError  # noqa: E402
from odog.variants import (  # noqa: E402
    ACGAN,
    BEGAN,
    BGAN,
    CGAN,
    DCGAN,
    EBGAN,
    ESRGAN,
    GAN,
    LAPGAN,
    LSGAN,
    SAGAN,
    SGAN,
    SRGAN,
    VARIANTS,
    WGAN,
    WGANGP,
    InfoGAN,
    TagGAN,
)

__version__ = "0.1.0"


def available() -> list[str]:
    """The names of the variants, as the CLI takes them."""
    return sorted(VARIANTS)


def get(name: str) -> type[BaseGAN]:
    """The variant class of a name, e.g. `get("dcgan") is DCGAN`; "wgan-gp" = "wgan_gp"."""
    key = name.lower().replace("-", "_")
    if key not in VARIANTS:
        raise ValueError(f"Unknown variant {name!r}. Available: {', '.join(available())}.")
    return VARIANTS[key]


def load(path, dataset=None) -> BaseGAN:
    """Loads a saved GAN as its own variant class.

    Example:
    ```python
    gan = odog.load("runs/dcgan")
    gan.train(epochs=1000)        # continues from the saved iteration
    ```
    """
    _, meta = _read_checkpoint(path)
    return get(meta["variant"]).load(path, dataset=dataset)


__all__ = [
    "ACGAN",
    "BEGAN",
    "BGAN",
    "CGAN",
    "DCGAN",
    "EBGAN",
    "ESRGAN",
    "GAN",
    "InfoGAN",
    "LAPGAN",
    "LSGAN",
    "SAGAN",
    "SGAN",
    "SRGAN",
    "TagGAN",
    "WGAN",
    "WGANGP",
    "BaseGAN",
    "DatasetUnavailableError",
    "TrainingDivergedError",
    "available",
    "get",
    "load",
]
