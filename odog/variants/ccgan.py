"""CCGAN (Denton et al., 2016): a context-conditional GAN; G fills a hole until D cannot tell the image from real.

G is a U-Net (`odog.networks.unet`, pix2pix's, as Keras-GAN's CCGAN): the
skip connections carry the context's strokes straight to the decoder. It
reads the image with the hole blanked and the mask, and only its hole is
kept (`odog.inpainting`). D judges whole inpainted images against real
ones, and G is trained by the adversarial loss alone, as in the paper: no
reconstruction term ties the fill to the missing pixels, so G is free to
draw any fill that fits the context (the docs measure how often that is the
right digit all the same). Dropout in the U-Net's decoder (0.5, pix2pix's)
is G's only noise; G has no z.

Left out: the paper's and Keras-GAN's D also classifies real images (a
(K+1)-way head) for semi-supervised learning, the paper's use of the model;
odog's CCGAN is the inpainting model, and its D has the real/fake output
only. Also left out: the paper's CC-GAN2 variant, whose G also reads a
low-resolution copy of the whole image.
"""

import keras

from odog import networks
from odog.inpainting import InpaintingGAN
from odog.validation import check_number


class CCGAN(InpaintingGAN):
    """Context-conditional GAN: U-Net G trained by the adversarial loss alone.

    Args:
        dropout: dropout of the U-Net's three deepest decoder layers (0.5).
        **kwargs: passed to `InpaintingGAN` (hole_size, hole_position,
            filters) and `BaseGAN`.

    Example:
    >>> from odog import CCGAN
    >>> import numpy as np
    >>> x = np.zeros((8, 28, 28, 1), "float32")
    >>> gan = CCGAN(dataset=x, filters=4, seed=0)
    >>> gan.generator.input_shape, gan.generator.output_shape  # the image and its mask in, the image out
    ((None, 28, 28, 2), (None, 28, 28, 1))
    """

    name = "ccgan"

    def __init__(self, dataset="mnist", *, dropout: float = 0.5, **kwargs):
        check_number("dropout", dropout, low=0, high=1, high_open=True)
        self.dropout = dropout
        super().__init__(dataset, **kwargs)

    def fill_network(self, input_shape: tuple, channels: int) -> keras.Model:
        return networks.unet(input_shape, channels, self.filters, dropout=self.dropout, name="unet")
