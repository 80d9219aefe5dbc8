"""One module per GAN variant; `VARIANTS` maps CLI names to classes."""

from odog.variants.dcgan import DCGAN
from odog.variants.gan import GAN

VARIANTS = {cls.name: cls for cls in (GAN, DCGAN)}

__all__ = ["DCGAN", "GAN", "VARIANTS"]
