"""Day 12, BEGAN (Berthelot, Schumm and Metz, 2017): boundary equilibrium GAN.

D is an autoencoder (`odog.models.autoencoder_discriminator`, mean absolute
error per pixel); L(v) is its reconstruction loss. D minimizes
L(x) - k_t L(G(z)) and G minimizes L(G(z)). The control variable k_t keeps
the equilibrium E[L(G(z))] = gamma E[L(x)]:

    k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z))), 0, 1)

and M = L(x) + |gamma L(x) - L(G(z))| measures convergence: it falls as the
samples improve. Both are logged (`k`, `convergence`); k is saved with the
checkpoint. G is DCGAN's.
"""

import keras
from keras import ops

from odog.base import _check_number
from odog.models import autoencoder_discriminator
from odog.variants.dcgan import DCGAN


class BEGAN(DCGAN):
    """Boundary equilibrium GAN.

    Args:
        gamma: the diversity ratio E[L(G(z))] / E[L(x)] aimed for (0.5).
        lambda_k: learning rate of k_t (0.001).
        embedding_dim: size of the autoencoder's bottleneck, h (64).
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import BEGAN
    >>> import numpy as np
    >>> gan = BEGAN(dataset=np.zeros((8, 28, 28, 1), "float32"), seed=0)
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))
    >>> 0.0 <= logs["k"] <= 1.0, logs["convergence"] > 0
    (True, True)
    """

    name = "began"
    lower_is_real = True

    def __init__(
        self, dataset="mnist", *, gamma: float = 0.5, lambda_k: float = 0.001, embedding_dim: int = 64, **kwargs
    ):
        _check_number("gamma", gamma, low=0, high=1, low_open=True)
        _check_number("lambda_k", lambda_k, low=0)
        _check_number("embedding_dim", embedding_dim, integer=True, low=1)
        self.gamma, self.lambda_k, self.embedding_dim = gamma, lambda_k, embedding_dim
        self.k = keras.Variable(0.0, trainable=False, name="k")
        super().__init__(dataset, **kwargs)

    @property
    def loss(self):
        """D's loss on energies: L for real targets, -k_t L for fake ones."""

        def equilibrium(y_true, energy):
            y_true = ops.cast(y_true, energy.dtype)
            return ops.mean(y_true * energy - (1.0 - y_true) * self.k * energy)

        return equilibrium

    def build_discriminator(self):
        return autoencoder_discriminator(self.img_shape, self.embedding_dim, "l1")[0]

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        l_real = ops.mean(self.discriminator(real, training=True))
        l_fake = ops.mean(self.discriminator(fake, training=True))
        loss = l_real - self.k * l_fake
        logs = {
            "d_loss": loss,
            "d_loss_real": l_real,
            "d_loss_fake": l_fake,
            "d_real": l_real,
            "d_fake": l_fake,
            "convergence": l_real + ops.abs(self.gamma * l_real - l_fake),
        }
        return loss, logs

    def discriminator_step(self, real, fake, real_targets, fake_targets) -> dict:
        logs = super().discriminator_step(real, fake, real_targets, fake_targets)
        balance = self.gamma * logs["d_loss_real"] - logs["d_loss_fake"]
        self.k.assign(ops.clip(self.k + self.lambda_k * balance, 0.0, 1.0))
        logs["k"] = ops.convert_to_tensor(self.k)
        return logs

    def _state(self) -> dict[str, list]:
        return {**super()._state(), "k": [self.k]}
