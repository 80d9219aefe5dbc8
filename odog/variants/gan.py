"""Day 1, GAN (Goodfellow et al., 2014): the MLP GAN of Keras-GAN and ODOG.

G: Dense 256/512/1024 with LeakyReLU(0.2) and BatchNorm(momentum=0.8), tanh.
D: Dense 512/256 with LeakyReLU(0.2), sigmoid. Adam(2e-4, 0.5), BCE, z in R^100.
"""

import keras
import numpy as np
from keras import layers

from odog.base import BaseGAN


class GAN(BaseGAN):
    """The original GAN with multilayer perceptrons.

    Example:
    >>> from odog import GAN
    >>> gan = GAN()  # MNIST, loaded when training starts
    >>> gan.train(epochs=2, verbose=0)["g_loss"].__len__()
    2
    """

    name = "gan"

    def build_generator(self) -> keras.Model:
        model = keras.Sequential(name="generator")
        model.add(keras.Input((self.latent_dim,)))
        for units in (256, 512, 1024):
            model.add(layers.Dense(units))
            model.add(layers.LeakyReLU(0.2))
            model.add(layers.BatchNormalization(momentum=0.8))
        model.add(layers.Dense(int(np.prod(self.img_shape)), activation="tanh"))
        model.add(layers.Reshape(self.img_shape))
        return model

    def build_discriminator(self) -> keras.Model:
        return keras.Sequential(
            [
                keras.Input(self.img_shape),
                layers.Flatten(),
                layers.Dense(512),
                layers.LeakyReLU(0.2),
                layers.Dense(256),
                layers.LeakyReLU(0.2),
                layers.Dense(1, activation="sigmoid"),
            ],
            name="discriminator",
        )
