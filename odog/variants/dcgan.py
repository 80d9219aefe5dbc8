"""Day 2, DCGAN (Radford et al., 2015): convolutional G and D.

Two architectures, picked by image size:
- 28x28 (MNIST): Keras-GAN's DCGAN. G: Dense 128x7x7, two UpSampling + Conv
  blocks with BatchNorm(0.8) and ReLU, tanh. D: strided Conv 32/64/128/256
  with LeakyReLU(0.2) and Dropout(0.25), sigmoid. One change, explained in the
  docs: D has no BatchNorm. With BatchNorm, D trains on batch statistics of
  all-real and all-fake batches while G trains against D in inference mode;
  on Keras 3 that lets D win within about 1500 iterations (D loss ~1e-5).
- 32x32 and larger powers of two (image folders, CIFAR-10): the DCGAN paper.
  Transposed convolutions, BatchNorm + ReLU in G, no BatchNorm on D's first
  layer, LeakyReLU(0.2) in D, weights drawn from N(0, 0.02).
"""

import math

import keras
from keras import layers

from odog.base import BaseGAN
from odog.validation import check_number


def paper_init() -> keras.initializers.Initializer:
    """N(0, 0.02), the paper's weights; a new initializer per layer, made when
    the model is built, so that its seed comes from the GAN's `seed` (one built
    at import would take a different seed in every process)."""
    return keras.initializers.RandomNormal(0.0, 0.02)


class DCGAN(BaseGAN):
    """Deep convolutional GAN.

    Args:
        filters: base number of filters of the paper architecture (64).
        **kwargs: passed to `BaseGAN` (dataset, latent_dim, image_size, ...).

    Example:
    >>> from odog import DCGAN
    >>> DCGAN().architecture  # MNIST: Keras-GAN's layout
    'keras-gan'
    >>> import numpy as np
    >>> DCGAN(dataset=np.zeros((8, 64, 64, 3), "uint8")).architecture  # or an image folder
    'paper'
    """

    name = "dcgan"
    # What the loss-family variants built on this architecture change.
    d_activation: str | None = "sigmoid"  # None: a linear critic
    d_normalization = "batch"  # of the paper layout's D: "batch" or "layer"

    def __init__(self, dataset="mnist", *, filters: int = 64, **kwargs):
        check_number("filters", filters, integer=True, low=1)
        self.filters = filters
        super().__init__(dataset, **kwargs)

    @property
    def architecture(self) -> str:
        """ "keras-gan" for 28x28 images, "paper" for 32x32 and larger."""
        side = self.img_shape[0]
        if self.img_shape[:2] == (28, 28):
            return "keras-gan"
        if self.img_shape[0] != self.img_shape[1] or side < 32 or side & (side - 1):
            raise ValueError(
                "DCGAN builds 28x28 images (MNIST) or square images whose side "
                f"is a power of two >= 32. Received image shape {self.img_shape}; "
                "pass image_size=64 for an image folder."
            )
        return "paper"

    def build_generator(self, input_dim: int | None = None) -> keras.Model:
        """G; `input_dim` widens its input (latent_dim), for conditions joined to z."""
        input_dim = input_dim or self.latent_dim
        if self.architecture == "keras-gan":
            return keras.Sequential(
                [
                    keras.Input((input_dim,)),
                    layers.Dense(128 * 7 * 7, activation="relu"),
                    layers.Reshape((7, 7, 128)),
                    layers.UpSampling2D(),
                    layers.Conv2D(128, 3, padding="same"),
                    layers.BatchNormalization(momentum=0.8),
                    layers.Activation("relu"),
                    layers.UpSampling2D(),
                    layers.Conv2D(64, 3, padding="same"),
                    layers.BatchNormalization(momentum=0.8),
                    layers.Activation("relu"),
                    layers.Conv2D(self.img_shape[-1], 3, padding="same", activation="tanh"),
                ],
                name="generator",
            )
        # Paper: project to 4x4, then double the side and halve the filters.
        doublings = int(math.log2(self.img_shape[0])) - 2
        width = self.filters * 2 ** (doublings - 1)
        model = keras.Sequential(name="generator")
        model.add(keras.Input((input_dim,)))
        model.add(layers.Dense(4 * 4 * width, use_bias=False, kernel_initializer=paper_init()))
        model.add(layers.Reshape((4, 4, width)))
        model.add(layers.BatchNormalization())
        model.add(layers.Activation("relu"))
        for _ in range(doublings - 1):
            width //= 2
            model.add(layers.Conv2DTranspose(width, 4, 2, "same", use_bias=False, kernel_initializer=paper_init()))
            model.add(layers.BatchNormalization())
            model.add(layers.Activation("relu"))
        model.add(
            layers.Conv2DTranspose(self.img_shape[-1], 4, 2, "same", activation="tanh", kernel_initializer=paper_init())
        )
        return model

    def build_discriminator(self) -> keras.Model:
        model = keras.Sequential(name="discriminator")
        model.add(keras.Input(self.img_shape))
        if self.architecture == "keras-gan":
            for filters, stride in ((32, 2), (64, 2), (128, 2), (256, 1)):
                model.add(layers.Conv2D(filters, 3, stride, padding="same"))
                model.add(layers.LeakyReLU(0.2))
                model.add(layers.Dropout(0.25))
        else:
            doublings = int(math.log2(self.img_shape[0])) - 2
            for i in range(doublings):
                model.add(
                    layers.Conv2D(self.filters * 2**i, 4, 2, "same", use_bias=i > 0, kernel_initializer=paper_init())
                )
                if i > 0:  # the paper: no normalization on D's input layer
                    norm = layers.BatchNormalization if self.d_normalization == "batch" else layers.LayerNormalization
                    model.add(norm())
                model.add(layers.LeakyReLU(0.2))
        model.add(layers.Flatten())
        model.add(layers.Dense(1, activation=self.d_activation, kernel_initializer=paper_init()))
        return model
