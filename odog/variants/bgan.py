"""BGAN (Hjelm et al., 2017): boundary-seeking GAN, from Keras-GAN.

D is DCGAN's sigmoid discriminator with the usual cross-entropy. G instead
minimizes 0.5 * (log D(G(z)) - log(1 - D(G(z))))^2: it aims for D's decision
boundary D = 0.5, where, for the optimal D, the ratio of real to generated
density is 1. The term is also an importance weight that lets the idea extend
to discrete data.
"""

from odog import losses
from odog.variants.dcgan import DCGAN


class BGAN(DCGAN):
    """Boundary-seeking GAN.

    Args:
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import BGAN
    >>> import numpy as np
    >>> gan = BGAN(dataset=np.zeros((8, 28, 28, 1), "float32"))
    >>> gan.combined_loss.__name__
    'boundary_seeking'
    """

    name = "bgan"
    generator_loss = staticmethod(losses.boundary_seeking)
