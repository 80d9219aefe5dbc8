"""Day 7, EBGAN (Zhao, Mathieu and LeCun, 2017): an autoencoder as discriminator.

D's output is an energy, the reconstruction error of an autoencoder
(`odog.models.autoencoder_discriminator`, mean squared error per pixel): low
on real images, pushed above a margin m on generated ones,
L_D = E(x) + max(0, m - E(G(z))). G lowers the energy of its samples, plus
the pulling-away term on the autoencoder's embeddings of a batch, which keeps
the samples of a batch apart (against mode collapse): L_G = E(G(z)) + 0.1 PT.
G is DCGAN's.
"""

from keras import ops

from odog import losses
from odog.models import autoencoder_discriminator, float32_outputs
from odog.validation import check_number
from odog.variants.dcgan import DCGAN


class EBGAN(DCGAN):
    """Energy-based GAN.

    Args:
        margin: the energy above which generated images stop being pushed
            (per-pixel mean squared error, images in [-1, 1]).
        pt_weight: weight of the pulling-away term in G's loss (0.1).
        embedding_dim: size of the autoencoder's bottleneck (32).
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import EBGAN
    >>> import numpy as np
    >>> gan = EBGAN(dataset=np.zeros((8, 28, 28, 1), "float32"))
    >>> gan.discriminate(np.zeros((3, 28, 28, 1))).shape  # energies
    (3,)
    """

    name = "ebgan"
    lower_is_real = True

    def __init__(
        self, dataset="mnist", *, margin: float = 0.3, pt_weight: float = 0.1, embedding_dim: int = 32, **kwargs
    ):
        check_number("margin", margin, low=0, low_open=True)
        check_number("pt_weight", pt_weight, low=0)
        check_number("embedding_dim", embedding_dim, integer=True, low=2)
        self.margin, self.pt_weight, self.embedding_dim = margin, pt_weight, embedding_dim
        super().__init__(dataset, **kwargs)

    @property
    def loss(self):
        return losses.energy_margin(self.margin)

    def build_discriminator(self):
        discriminator, with_embedding = autoencoder_discriminator(self.img_shape, self.embedding_dim, "l2")
        self.with_embedding = float32_outputs(with_embedding)  # the embedding too, under mixed precision
        return discriminator

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        e_real = ops.mean(self.discriminator(real, training=True))
        e_fake = self.discriminator(fake, training=True)
        hinge = ops.mean(ops.relu(self.margin - e_fake))
        loss = e_real + hinge
        logs = {
            "d_loss": loss,
            "d_loss_real": e_real,
            "d_loss_fake": hinge,
            "d_real": e_real,
            "d_fake": ops.mean(e_fake),
        }
        return loss, logs

    def generator_objective(self, z) -> tuple:
        energy, embedding = self.with_embedding(self.generator(z, training=True), training=True)
        pulling_away = losses.pulling_away(embedding)
        loss = ops.mean(energy) + self.pt_weight * pulling_away
        return loss, {"g_loss": loss, "pulling_away": pulling_away}
