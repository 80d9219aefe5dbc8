"""Day 17, SAGAN (Zhang et al., 2018): self-attention GAN.

A self-attention block (`odog.layers.SelfAttention`) in G and in D lets a
position depend on distant ones, which convolutions reach only through many
layers. Every convolution and dense layer of D and G is spectrally
normalized (`odog.layers.SpectralNormalization`); D minimizes the hinge loss
and G -mean D(G(z)); the two time-scale update rule gives D the larger
learning rate: Adam(4e-4) for D and Adam(1e-4) for G, both beta_1 = 0,
beta_2 = 0.9, one D step per G step.

The layout scales with the image: G projects z to (side/4)^2 x 4f, doubles
twice (attention after the first doubling, at side/2), and ends in a tanh
convolution; D mirrors it with strided convolutions, attention at side/2, and
a linear output. The side must be divisible by 4 (28 for MNIST, 32, 64).
G's BatchNorm tracks its batch statistics with momentum 0.8, as Keras-GAN's
DCGAN does: D sees G's samples in inference mode, and with the default 0.99
the moving statistics lag so far behind early on that D wins at once.
"""

import keras
from keras import layers

from odog import losses
from odog.base import BaseGAN
from odog.layers import SelfAttention, SpectralNormalization
from odog.validation import check_number


def _sn(layer: layers.Layer) -> SpectralNormalization:
    return SpectralNormalization(layer)


class SAGAN(BaseGAN):
    """Self-attention GAN with spectral normalization and the hinge loss.

    Args:
        filters: base width f of G and D (64).
        d_learning_rate: D's Adam learning rate (4e-4).
        g_learning_rate: G's Adam learning rate (1e-4).
        beta_1: Adam beta_1 of both (0).
        beta_2: Adam beta_2 of both (0.9).
        **kwargs: passed to `BaseGAN` (dataset, latent_dim, ...).

    Example:
    >>> from odog import SAGAN
    >>> import numpy as np
    >>> gan = SAGAN(dataset=np.zeros((8, 28, 28, 1), "float32"), filters=8, seed=0)
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))
    >>> rates = [round(float(opt.learning_rate), 6) for opt in (gan.d_optimizer, gan.g_optimizer)]
    >>> gan.generate(2).shape, rates
    ((2, 28, 28, 1), [0.0004, 0.0001])
    """

    name = "sagan"
    loss = staticmethod(losses.hinge)
    generator_loss = staticmethod(losses.wasserstein)  # -mean D(G(z))
    decision_threshold = 0.0

    def __init__(
        self,
        dataset="mnist",
        *,
        filters: int = 64,
        d_learning_rate: float = 4e-4,
        g_learning_rate: float = 1e-4,
        beta_1: float = 0.0,
        beta_2: float = 0.9,
        **kwargs,
    ):
        check_number("filters", filters, integer=True, low=1)
        check_number("d_learning_rate", d_learning_rate, low=0, low_open=True)
        self.filters = filters
        super().__init__(
            dataset,
            learning_rate=d_learning_rate,
            g_learning_rate=g_learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            **kwargs,
        )

    @property
    def _base_side(self) -> int:
        side = self.img_shape[0]
        if side % 4 or self.img_shape[0] != self.img_shape[1]:
            raise ValueError(
                f"SAGAN builds square images whose side is divisible by 4 (28, 32, 64). "
                f"Received image shape {self.img_shape}."
            )
        return side // 4

    def build_generator(self) -> keras.Model:
        f, base = self.filters, self._base_side
        return keras.Sequential(
            [
                keras.Input((self.latent_dim,)),
                _sn(layers.Dense(base * base * 4 * f)),
                layers.Reshape((base, base, 4 * f)),
                layers.BatchNormalization(momentum=0.8),
                layers.ReLU(),
                layers.UpSampling2D(),
                _sn(layers.Conv2D(2 * f, 3, padding="same")),
                layers.BatchNormalization(momentum=0.8),
                layers.ReLU(),
                SelfAttention(),
                layers.UpSampling2D(),
                _sn(layers.Conv2D(f, 3, padding="same")),
                layers.BatchNormalization(momentum=0.8),
                layers.ReLU(),
                _sn(layers.Conv2D(self.img_shape[-1], 3, padding="same", activation="tanh")),
            ],
            name="generator",
        )

    def build_discriminator(self) -> keras.Model:
        f = self.filters
        return keras.Sequential(
            [
                keras.Input(self.img_shape),
                _sn(layers.Conv2D(f, 3, padding="same")),
                layers.LeakyReLU(0.1),
                _sn(layers.Conv2D(2 * f, 4, 2, padding="same")),
                layers.LeakyReLU(0.1),
                SelfAttention(),
                _sn(layers.Conv2D(4 * f, 4, 2, padding="same")),
                layers.LeakyReLU(0.1),
                layers.Flatten(),
                _sn(layers.Dense(1)),
            ],
            name="discriminator",
        )
