"""Day 3, CGAN (Mirza and Osindero, 2014): G and D both see the class label.

G(z, y): DCGAN's generator on [z, one-hot y] (see
`odog.conditional.ConditionalGAN`, which says why not Keras-GAN's product).
D(x, y): DCGAN's discriminator on the image with the one-hot label stacked
as `num_classes` constant channels, the paper's concatenation. Keras-GAN
multiplied the flattened image by a label embedding instead; for a
convolutional D, extra channels give every filter the label at every
position, where a product is a per-pixel gate. D thus judges "is this a
real image *of this class*", and G must follow y to fool it.
"""

import keras
from keras import layers

from odog.conditional import ConditionalGAN
from odog.models import CombinedModel
from odog.variants.dcgan import DCGAN


class CGAN(ConditionalGAN, DCGAN):
    """Conditional GAN on class labels.

    Args:
        num_classes: number of classes (read from the dataset by default).
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import CGAN
    >>> import numpy as np
    >>> gan = CGAN(dataset=(np.zeros((4, 28, 28, 1)), np.array([0, 1, 2, 9])), seed=0)
    >>> gan.num_classes, gan.generate(3, labels=[7, 7, 1]).shape
    (10, (3, 28, 28, 1))
    """

    name = "cgan"

    def build_discriminator(self) -> keras.Model:
        height, width, channels = self.img_shape
        trunk = super().build_discriminator(channels=channels + self.num_classes)
        x = keras.Input(self.img_shape, name="image")
        y = keras.Input((self.num_classes,), name="label")
        maps = layers.UpSampling2D((height, width))(layers.Reshape((1, 1, self.num_classes))(y))
        return keras.Model([x, y], trunk(layers.Concatenate()([x, maps])), name="discriminator")

    def build_combined(self) -> keras.Model:
        return CombinedModel(
            self.generator, self.discriminator, connect=lambda z_y: self.discriminator([self.generator(z_y), z_y[1]])
        )
