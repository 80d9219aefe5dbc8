"""One module per GAN variant; `VARIANTS` maps CLI names to classes (from `odog.catalog`)."""

import importlib

from odog import catalog

VARIANTS = {
    entry.name: getattr(importlib.import_module(f"odog.variants.{entry.module}"), entry.cls)
    for entry in catalog.VARIANTS
}

globals().update({cls.__name__: cls for cls in VARIANTS.values()})

__all__ = ["VARIANTS", *sorted(cls.__name__ for cls in VARIANTS.values())]
