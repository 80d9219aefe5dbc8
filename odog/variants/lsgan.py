"""Day 15, LSGAN (Mao et al., 2017): least-squares losses.

The DCGAN architecture with a linear D trained to output 1 on real and 0 on
generated images under a squared error (the paper's a=0, b=1, c=1 coding);
G pulls D(G(z)) towards 1. Unlike the sigmoid's log loss, the squared error
keeps penalizing fakes that are on the right side of the boundary but far
from the data, so G's gradient does not vanish when D is confident.
"""

from odog import losses
from odog.variants.dcgan import DCGAN


class LSGAN(DCGAN):
    """Least-squares GAN.

    Args:
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import LSGAN
    >>> import numpy as np
    >>> gan = LSGAN(dataset=np.zeros((8, 28, 28, 1), "float32"))
    >>> gan.discriminator.layers[-1].activation.__name__
    'linear'
    """

    name = "lsgan"
    loss = staticmethod(losses.least_squares)
    d_activation = None
