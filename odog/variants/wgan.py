"""Day 5, WGAN (Arjovsky et al., 2017): a critic estimates the Wasserstein distance.

The DCGAN architecture with a linear critic instead of a sigmoid D, the
Wasserstein loss, RMSprop(5e-5), 5 critic steps per G step, and the critic's
weights clipped to [-0.01, 0.01] after every critic update. The clip is part
of the compiled step (Keras-GAN looped over layers with numpy
`get_weights`/`set_weights`, and clipped BatchNorm's moving statistics too).
The critic's estimate, mean D(x) - mean D(G(z)), is logged as `wasserstein`.
"""

import keras
from keras import ops

from odog import losses, regularizers
from odog.validation import check_number
from odog.variants.dcgan import DCGAN

OPTIMIZERS = ("rmsprop", "adam")


class WGAN(DCGAN):
    """Wasserstein GAN with weight clipping.

    Args:
        clip_value: the critic's weights are clipped to [-clip_value,
            clip_value] after every update (0.01).
        d_steps: critic steps per generator step (5).
        learning_rate: learning rate of both models (5e-5).
        optimizer: "rmsprop", the paper's, or "adam": Adam(learning_rate,
            beta_1, beta_2), WGAN-GP's optimizer, with the clip kept.
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import WGAN
    >>> import numpy as np
    >>> gan = WGAN(dataset=np.zeros((16, 28, 28, 1), "float32"), seed=0)
    >>> logs = gan.train_on_batch(np.zeros((5 * 2, 28, 28, 1), "float32"))  # 5 critic batches of 2
    >>> sorted(logs)
    ['d_fake', 'd_loss', 'd_real', 'g_loss', 'wasserstein']
    >>> max(float(np.abs(w).max()) for w in gan.discriminator.get_weights()) <= 0.01
    True
    """

    name = "wgan"
    loss = staticmethod(losses.wasserstein)
    d_activation = None

    def __init__(
        self,
        dataset="mnist",
        *,
        clip_value: float | None = 0.01,
        d_steps: int = 5,
        learning_rate: float = 5e-5,
        optimizer: str = "rmsprop",
        **kwargs,
    ):
        if optimizer not in OPTIMIZERS:
            raise ValueError(
                f"Invalid value received for argument `optimizer`. Expected one of {OPTIMIZERS}. "
                f"Received: optimizer={optimizer!r}"
            )
        self.optimizer_name = optimizer  # `optimizer` is G's Keras optimizer (BaseGAN.optimizer)
        if clip_value is not None:
            check_number("clip_value", clip_value, low=0, low_open=True)
        self.clip_value = clip_value
        super().__init__(dataset, d_steps=d_steps, learning_rate=learning_rate, **kwargs)

    def build_optimizer(self, role: str) -> keras.optimizers.Optimizer:
        if self.optimizer_name == "adam":
            return super().build_optimizer(role)
        # The paper: momentum-based optimizers made the critic unstable.
        return keras.optimizers.RMSprop(self.learning_rate_of(role))

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        # Targets and label tricks do not apply: the critic scores, it does not classify.
        d_real = ops.mean(self.discriminator(real, training=True))
        d_fake = ops.mean(self.discriminator(fake, training=True))
        distance = d_real - d_fake
        return -distance, {"d_loss": -distance, "d_real": d_real, "d_fake": d_fake, "wasserstein": distance}

    def discriminator_step(self, real, fake, real_targets, fake_targets) -> dict:
        logs = super().discriminator_step(real, fake, real_targets, fake_targets)
        if self.clip_value is not None:
            regularizers.clip_weights(self.discriminator.trainable_variables, self.clip_value)
        return logs
