"""Context Encoder (Pathak et al., 2016): an encoder-decoder that fills a hole, trained with L2 and a GAN loss.

G is an encoder-decoder without skip connections (`odog.networks.unet` with
`skips=False`): 4x4 stride-2 convolutions down to a 2x2 bottleneck and
transposed convolutions back, so everything G knows of the context passes
through the bottleneck, the paper's point (its encoder's features are what
it learned from inpainting). G reads the image with the hole blanked and the
mask, and only its hole is kept (`odog.inpainting`). Its loss is the paper's
joint loss,

    L = 0.999 * L_rec + 0.001 * L_adv,

L_rec the mean squared error inside the hole, L_adv the cross-entropy of D
on the inpainted image. The L2 term alone gives the blurry mean of the
plausible fills; the small adversarial term sharpens it. D judges the whole
inpainted image against real ones (the paper's D saw the filled region;
with holes at any place odog shows D the image, as for the paper's random
blocks). `adversarial_weight=0` trains the same G with L2 alone.
"""

import keras

from odog import networks
from odog.inpainting import InpaintingGAN
from odog.validation import check_number


class ContextEncoder(InpaintingGAN):
    """Context encoder: encoder-decoder G, 0.999 x L2 in the hole + 0.001 x adversarial.

    Args:
        reconstruction_weight: the weight of the hole's mean squared error (0.999).
        adversarial_weight: the weight of the GAN loss (0.001; 0 = L2 only).
        **kwargs: passed to `InpaintingGAN` (hole_size, hole_position,
            filters) and `BaseGAN`.

    Example:
    >>> from odog import ContextEncoder
    >>> import numpy as np
    >>> x = np.zeros((8, 28, 28, 1), "float32")
    >>> gan = ContextEncoder(dataset=x, filters=4, seed=0)
    >>> logs = gan.train_on_batch(x[:4])
    >>> sorted(logs)[:3], gan.hole_size
    (['adversarial_loss', 'd_acc', 'd_fake'], 14)
    """

    name = "context_encoder"

    def __init__(
        self, dataset="mnist", *, reconstruction_weight: float = 0.999, adversarial_weight: float = 0.001, **kwargs
    ):
        check_number("reconstruction_weight", reconstruction_weight, low=0)
        check_number("adversarial_weight", adversarial_weight, low=0)
        if reconstruction_weight == adversarial_weight == 0:
            raise ValueError("reconstruction_weight and adversarial_weight are both 0: G would learn nothing.")
        self.reconstruction_weight, self.adversarial_weight = reconstruction_weight, adversarial_weight
        super().__init__(dataset, **kwargs)

    def fill_network(self, input_shape: tuple, channels: int) -> keras.Model:
        return networks.unet(input_shape, channels, self.filters, skips=False, dropout=0.0, name="encoder_decoder")
