"""Day 14, Pix2Pix (Isola et al., 2017): image-to-image translation with a conditional GAN.

G is a U-Net (`odog.networks.unet`): an encoder-decoder whose skip
connections carry the input's details straight to the output. D is a
PatchGAN (`odog.networks.patch_discriminator`) that looks at the input and
an output together and scores each patch, real pair or generated pair; it
judges texture and local structure, and the L1 term ties the output to the
target as a whole:

    G* = arg min_G max_D  L_cGAN(G, D) + lambda * E[|y - G(x)|_1],  lambda = 100

The adversarial loss is least squares (the pix2pix code's `--gan_mode lsgan`,
which Keras-GAN's pix2pix uses too), Adam(2e-4, beta_1 0.5).
`adversarial_weight=0` trains the same G with the L1 loss alone: the
baseline the docs compare with.
"""

import keras
from keras import ops

from odog import networks
from odog.translation import TranslationGAN
from odog.validation import check_number


class Pix2Pix(TranslationGAN):
    """Paired image-to-image translation: U-Net G, PatchGAN D, GAN + L1.

    Args:
        dataset: `(inputs, targets)` arrays, a folder of side-by-side pairs
            (facades, edges2shoes, maps: `train/`, `test/`), or None for the
            offline task `edges2digits` (hollow outlines -> MNIST digits).
        l1_weight: lambda, the weight of the L1 loss (100).
        adversarial_weight: the weight of the GAN loss (1; 0 = L1 only).
        dropout: dropout of the U-Net's three deepest decoder layers (0.5).
        **kwargs: passed to `TranslationGAN` (direction, filters) and
            `BaseGAN`.

    Example:
    >>> from odog import Pix2Pix
    >>> import numpy as np
    >>> x, y = np.zeros((8, 28, 28, 1), "float32"), np.ones((8, 28, 28, 3), "float32")
    >>> gan = Pix2Pix(dataset=(x, y), filters=4, seed=0)
    >>> logs = gan.train_on_batch(x[:4], y[:4])
    >>> gan.translate(x[:2]).shape
    (2, 28, 28, 3)
    """

    name = "pix2pix"

    def __init__(
        self, dataset=None, *, l1_weight: float = 100.0, adversarial_weight: float = 1.0, dropout: float = 0.5, **kwargs
    ):
        check_number("l1_weight", l1_weight, low=0)
        check_number("adversarial_weight", adversarial_weight, low=0)
        check_number("dropout", dropout, low=0, high=1, high_open=True)
        self.l1_weight, self.adversarial_weight, self.dropout = l1_weight, adversarial_weight, dropout
        super().__init__(dataset, **kwargs)

    def translator(self, input_shape: tuple, out_channels: int, name: str) -> keras.Model:
        return networks.unet(input_shape, out_channels, self.filters, dropout=self.dropout, name=name)

    def critic(self, input_shape: tuple, name: str) -> keras.Model:
        return networks.patch_discriminator(input_shape, self.filters, name=name)

    def generator_objective(self, z) -> tuple:
        a, b = self.split(z)
        fake = self.generator(a, training=True)
        adversarial = self.adversarial_loss(ops.concatenate([a, fake], axis=-1))
        l1 = ops.mean(ops.abs(fake - b))
        loss = self.adversarial_weight * adversarial + self.l1_weight * l1
        return loss, {"g_loss": loss, "adversarial_loss": adversarial, "l1_loss": l1}
