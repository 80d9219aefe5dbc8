"""DualGAN (Yi et al., 2017): unsupervised dual learning for image-to-image translation.

The primal G_A: A -> B and the dual G_B: B -> A are pix2pix's U-Nets; each
domain has a critic (a PatchGAN without a sigmoid) trained with the
Wasserstein loss of WGAN, weight clipping to [-0.01, 0.01] and RMSprop(5e-5),
two critic steps per generator step, as the paper trains them. The
reconstruction error is L1:

    L_G = -D_B(G_A(a)) - D_A(G_B(b)) + lambda (|G_B(G_A(a)) - a|_1 + |G_A(G_B(b)) - b|_1)

lambda = 20 here (the paper sets 100 to 1000 for 256x256 photos, with
unweighted critics that grow with the image; on 28x28 digits 20 balances the
two terms).
"""

import keras

from odog import losses, networks, regularizers
from odog.translation import TranslationGAN
from odog.validation import check_number


class DualGAN(TranslationGAN):
    """Unpaired translation with U-Nets and weight-clipped Wasserstein critics.

    Args:
        dataset: `(domain_a, domain_b)` arrays, a trainA/ trainB/ folder, or
            None for the offline task `digits2textured`.
        reconstruction_weight: lambda, the weight of the L1 reconstruction (20).
        clip_value: the critics' weights are clipped to [-clip_value,
            clip_value] after every update (0.01).
        d_steps: critic steps per generator step (2).
        learning_rate: RMSprop learning rate of both (5e-5).
        **kwargs: passed to `TranslationGAN` and `BaseGAN`.

    Example:
    >>> from odog import DualGAN
    >>> import numpy as np
    >>> a, b = np.zeros((6, 28, 28, 1), "float32"), np.ones((6, 28, 28, 3), "float32")
    >>> gan = DualGAN(dataset=(a, b), filters=4, seed=0)
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1)), np.ones((4, 28, 28, 3)))  # 2 critic batches of 2
    >>> max(float(np.abs(w).max()) for w in gan.discriminator.trainable_weights) <= 0.01
    True
    """

    name = "dualgan"
    two_way = True
    paired = False
    default_task = "digits2textured"
    loss = staticmethod(losses.wasserstein)
    decision_threshold = 0.0

    def __init__(
        self,
        dataset=None,
        *,
        reconstruction_weight: float = 20.0,
        clip_value: float = 0.01,
        d_steps: int = 2,
        learning_rate: float = 5e-5,
        **kwargs,
    ):
        check_number("reconstruction_weight", reconstruction_weight, low=0)
        check_number("clip_value", clip_value, low=0, low_open=True)
        self.cycle_weight, self.clip_value = reconstruction_weight, clip_value
        super().__init__(dataset, d_steps=d_steps, learning_rate=learning_rate, **kwargs)

    def build_optimizer(self, role: str) -> keras.optimizers.Optimizer:
        return keras.optimizers.RMSprop(self.learning_rate_of(role))

    def translator(self, input_shape: tuple, out_channels: int, name: str) -> keras.Model:
        return networks.unet(input_shape, out_channels, self.filters, name=name)

    def critic(self, input_shape: tuple, name: str) -> keras.Model:
        return networks.patch_discriminator(input_shape, self.filters, name=name)

    def discriminator_step(self, real, fake, real_targets, fake_targets) -> dict:
        logs = super().discriminator_step(real, fake, real_targets, fake_targets)
        regularizers.clip_weights(self.discriminator.trainable_variables, self.clip_value)
        return logs
