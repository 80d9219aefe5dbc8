"""DiscoGAN (Kim et al., 2017): discovering cross-domain relations without pairs.

Like CycleGAN, two generators G_AB, G_BA and a discriminator per domain, and
each generator's output is mapped back and compared with the input; the
paper's networks differ: each generator is a plain encoder-decoder (4x4
strided convolutions down, transposed convolutions up, BatchNorm, no skip
connections: `odog.networks.unet(skips=False)`), each discriminator ends in a
sigmoid and trains with the cross-entropy GAN loss, and the reconstruction
distance is the squared error, weighted 1:

    L_G = L_GAN(G_AB, D_B) + L_GAN(G_BA, D_A) + |G_BA(G_AB(a)) - a|^2 + |G_AB(G_BA(b)) - b|^2

Adam(2e-4, beta_1 0.5, beta_2 0.999), no pool, no identity loss.
"""

import keras
from keras import ops

from odog import networks
from odog.losses import binary_crossentropy
from odog.translation import TranslationGAN
from odog.validation import check_number


class DiscoGAN(TranslationGAN):
    """Unpaired translation with encoder-decoder generators, sigmoid discriminators and a squared reconstruction.

    Args:
        dataset: `(domain_a, domain_b)` arrays, a trainA/ trainB/ folder, or
            None for the offline task `digits2textured`.
        reconstruction_weight: weight of the reconstruction loss (1).
        **kwargs: passed to `TranslationGAN` and `BaseGAN`.

    Example:
    >>> from odog import DiscoGAN
    >>> import numpy as np
    >>> a, b = np.zeros((6, 28, 28, 1), "float32"), np.ones((6, 28, 28, 3), "float32")
    >>> gan = DiscoGAN(dataset=(a, b), filters=4, seed=0)
    >>> sorted(gan.train_on_batch(a[:2], b[:2]))[:4]
    ['adversarial_loss', 'cycle_loss', 'd_acc', 'd_fake']
    """

    name = "discogan"
    two_way = True
    paired = False
    default_task = "digits2textured"
    loss = staticmethod(binary_crossentropy)

    def __init__(self, dataset=None, *, reconstruction_weight: float = 1.0, **kwargs):
        check_number("reconstruction_weight", reconstruction_weight, low=0)
        self.cycle_weight = reconstruction_weight
        super().__init__(dataset, **kwargs)

    def translator(self, input_shape: tuple, out_channels: int, name: str) -> keras.Model:
        return networks.unet(input_shape, out_channels, self.filters, skips=False, dropout=0.0, name=name)

    def critic(self, input_shape: tuple, name: str) -> keras.Model:
        return networks.patch_discriminator(input_shape, self.filters, activation="sigmoid", name=name)

    def reconstruction_error(self, images, targets):
        return ops.mean(ops.square(images - targets))
