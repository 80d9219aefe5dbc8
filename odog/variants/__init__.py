"""One module per GAN variant; `VARIANTS` maps CLI names to classes."""

from odog.variants.acgan import ACGAN
from odog.variants.began import BEGAN
from odog.variants.bgan import BGAN
from odog.variants.cgan import CGAN
from odog.variants.dcgan import DCGAN
from odog.variants.ebgan import EBGAN
from odog.variants.esrgan import ESRGAN
from odog.variants.gan import GAN
from odog.variants.infogan import InfoGAN
from odog.variants.lapgan import LAPGAN
from odog.variants.lsgan import LSGAN
from odog.variants.sagan import SAGAN
from odog.variants.sgan import SGAN
from odog.variants.srgan import SRGAN
from odog.variants.taggan import TagGAN
from odog.variants.wgan import WGAN
from odog.variants.wgan_gp import WGANGP

VARIANTS = {
    cls.name: cls
    for cls in (
        *(GAN, DCGAN, CGAN, ACGAN, InfoGAN, SGAN, TagGAN),
        *(WGAN, WGANGP, LSGAN, EBGAN, BEGAN, BGAN),
        *(LAPGAN, SAGAN, SRGAN, ESRGAN),
    )
}

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
    "VARIANTS",
    "WGAN",
    "WGANGP",
]
