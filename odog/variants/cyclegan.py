"""Day 13, CycleGAN (Zhu et al., 2017): unpaired translation with cycle consistency.

Two generators, G: A -> B and F: B -> A (CycleGAN's ResNet generator,
`odog.networks.resnet_generator`), and two PatchGAN discriminators with
instance normalization, D_B on B and D_A on A. Nothing pairs an a with a b:
what keeps G(a) about a is the cycle, F(G(a)) ~ a and G(F(b)) ~ b,

    L = L_LSGAN(G, D_B) + L_LSGAN(F, D_A) + lambda (|F(G(a)) - a|_1 + |G(F(b)) - b|_1)
        + 0.5 lambda (|G(b) - b|_1 + |F(a) - a|_1),   lambda = 10

with the identity term only when both domains have the same channels. Each
D is trained on a pool of the last 50 fakes (`odog.translation.ImagePool`),
half of the time older ones, so that it does not forget. Adam(2e-4, 0.5).
"""

import keras

from odog import networks
from odog.translation import ImagePool, TranslationGAN
from odog.validation import check_number


class CycleGAN(TranslationGAN):
    """Unpaired image-to-image translation: two ResNet generators, two PatchGANs, cycle and identity losses.

    Args:
        dataset: `(domain_a, domain_b)` arrays (any counts), a CycleGAN-style
            folder (trainA/, trainB/, testA/, testB/, as horse2zebra ships),
            or None for the offline task `digits2textured` (MNIST digits <->
            digits on colour textures).
        residual_blocks: residual blocks of each generator (6, the paper's
            for 128x128 images).
        cycle_weight: lambda, the weight of the cycle loss (10).
        identity_weight: weight of the identity loss; None: 0.5 * lambda when
            both domains have the same channels, else 0.
        pool_size: fakes kept for the discriminators (50; 0: no pool).
        filters: base width of the networks (16: 10 minutes of training on 2
            CPU cores for the docs' numbers; the paper's 64 for real photos).
        **kwargs: passed to `TranslationGAN` and `BaseGAN`.

    Example:
    >>> from odog import CycleGAN
    >>> import numpy as np
    >>> a, b = np.zeros((6, 28, 28, 1), "float32"), np.ones((9, 28, 28, 3), "float32")
    >>> gan = CycleGAN(dataset=(a, b), filters=4, residual_blocks=1, seed=0)
    >>> logs = gan.train_on_batch(a[:2], b[:2])
    >>> gan.translate(b[:3], "b2a").shape
    (3, 28, 28, 1)
    """

    name = "cyclegan"
    two_way = True
    paired = False
    default_task = "digits2textured"

    def __init__(
        self,
        dataset=None,
        *,
        residual_blocks: int = 6,
        cycle_weight: float = 10.0,
        identity_weight: float | None = None,
        pool_size: int = 50,
        filters: int = 16,
        **kwargs,
    ):
        check_number("residual_blocks", residual_blocks, integer=True, low=0)
        check_number("cycle_weight", cycle_weight, low=0)
        if identity_weight is not None:
            check_number("identity_weight", identity_weight, low=0)
        check_number("pool_size", pool_size, integer=True, low=0)
        self.residual_blocks, self.cycle_weight = residual_blocks, cycle_weight
        super().__init__(dataset, filters=filters, **kwargs)
        same_channels = self.domain_channels[0] == self.domain_channels[1]
        if identity_weight and not same_channels:
            raise ValueError(
                f"The identity loss compares G(b) with b, which needs domains of equal channels; these have "
                f"{self.domain_channels}. Pass identity_weight=0 (or None)."
            )
        self.identity_weight = (
            (0.5 * cycle_weight if same_channels else 0.0) if identity_weight is None else identity_weight
        )
        self.pool = ImagePool(pool_size, self.img_shape, self.seed_generator) if pool_size else None

    def translator(self, input_shape: tuple, out_channels: int, name: str) -> keras.Model:
        return networks.resnet_generator(input_shape, out_channels, self.filters, self.residual_blocks, name=name)

    def critic(self, input_shape: tuple, name: str) -> keras.Model:
        return networks.patch_discriminator(input_shape, self.filters, name=name)

    def discriminator_fakes(self, latent):
        fakes = super().discriminator_fakes(latent)
        return fakes if self.pool is None else self.pool.query(fakes)

    def variable_groups(self) -> dict[str, list]:
        return {**super().variable_groups(), "image_pool": [] if self.pool is None else self.pool.variables}
