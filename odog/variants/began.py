"""Day 12, BEGAN (Berthelot, Schumm and Metz, 2017): boundary equilibrium GAN.

D is an autoencoder (`odog.models.autoencoder_discriminator`, mean absolute
error per pixel); L(v) is its reconstruction loss. D minimizes
L(x) - k_t L(G(z)) and G minimizes L(G(z)). The control variable k_t keeps
the equilibrium E[L(G(z))] = gamma E[L(x)]:

    k_{t+1} = clip(k_t + lambda_k (gamma L(x) - L(G(z))), 0, 1)

and M = L(x) + |gamma L(x) - L(G(z))| measures convergence: it falls as the
samples improve. Both are logged (`k`, `convergence`); k is saved with the
checkpoint. G is the paper's: from D's code map up (7x7 on MNIST), ELU
convolutions and nearest-neighbour upsampling, no BatchNorm.

The defaults are set for MNIST, where the paper's (gamma 0.5, lambda_k 0.001,
a 64-wide code) collapse: a thin "1" is the easiest digit to reconstruct, so
G drawing only ones already meets L(G(z)) = 0.5 L(x), and k_t, which should
push back, stays near 0. gamma 1 asks fakes to be as hard to reconstruct as
real digits, a faster k_t reacts within a short run, and a 16-wide code keeps
D from reconstructing anything digit-like. docs/began.md has the runs.
"""

import keras
from keras import layers, ops

from odog.base import BaseGAN
from odog.models import autoencoder_discriminator, code_side
from odog.validation import check_number


class BEGAN(BaseGAN):
    """Boundary equilibrium GAN.

    Args:
        gamma: the diversity ratio E[L(G(z))] / E[L(x)] aimed for (1.0; the
            paper's 0.5 collapses on MNIST).
        lambda_k: learning rate of k_t (0.01; the paper's is 0.001).
        embedding_dim: size of the autoencoder's bottleneck, h (16).
        filters: width n of G's convolutions (64).
        **kwargs: passed to `BaseGAN`.

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
        self,
        dataset="mnist",
        *,
        gamma: float = 1.0,
        lambda_k: float = 0.01,
        embedding_dim: int = 16,
        filters: int = 64,
        **kwargs,
    ):
        check_number("gamma", gamma, low=0, high=1, low_open=True)
        check_number("lambda_k", lambda_k, low=0)
        check_number("embedding_dim", embedding_dim, integer=True, low=1)
        check_number("filters", filters, integer=True, low=1)
        self.gamma, self.lambda_k, self.embedding_dim, self.filters = gamma, lambda_k, embedding_dim, filters
        self.k = keras.Variable(0.0, trainable=False, name="k")
        super().__init__(dataset, **kwargs)

    @property
    def loss(self):
        """D's loss on energies: L for real targets, -k_t L for fake ones."""

        def equilibrium(y_true, energy):
            y_true = ops.cast(y_true, energy.dtype)
            return ops.mean(y_true * energy - (1.0 - y_true) * self.k * energy)

        return equilibrium

    def build_generator(self) -> keras.Model:
        """Dense to D's code map (7x7 for MNIST), then two ELU convolutions per side, doubling it up."""
        side, doublings = code_side(self.img_shape[0])
        n = self.filters
        model = keras.Sequential(name="generator")
        model.add(keras.Input((self.latent_dim,)))
        model.add(layers.Dense(side * side * n))
        model.add(layers.Reshape((side, side, n)))
        for i in range(doublings + 1):
            model.add(layers.Conv2D(n, 3, padding="same", activation="elu"))
            model.add(layers.Conv2D(n, 3, padding="same", activation="elu"))
            if i < doublings:
                model.add(layers.UpSampling2D())
        model.add(layers.Conv2D(self.img_shape[-1], 3, padding="same", activation="tanh"))
        return model

    def build_discriminator(self) -> keras.Model:
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

    def variable_groups(self) -> dict[str, list]:
        return {**super().variable_groups(), "k": [self.k]}
