"""Softmax GAN (Lin, 2017): one softmax over a batch of real and generated images.

DCGAN's networks with a linear D whose output is an energy (low = real).
The batch of B real and B generated images gets the distribution
exp(-D(x)) / Z, Z summed over all 2B images. D's target puts all the mass on
the real images, 1/B each; G's target is uniform, 1/(2B) on every image;
both minimize the cross-entropy to their target (`odog.losses
.softmax_cross_entropy`). G wins when D cannot tell the two halves apart.
The paper relates it to importance-weighted and maximum-likelihood
objectives: Z couples every sample of the batch, so neither side's gradient
vanishes when D is sure. G's loss holds the real images' energies (through
Z), so the G step reads a real batch too (`generator_reads_real`).
"""

from keras import ops

from odog import losses
from odog.variants.dcgan import DCGAN


class SoftmaxGAN(DCGAN):
    """Softmax GAN.

    Args:
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import SoftmaxGAN
    >>> import numpy as np
    >>> gan = SoftmaxGAN(dataset=np.zeros((16, 28, 28, 1), "float32"), seed=0)
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))
    >>> sorted(logs)
    ['d_acc', 'd_fake', 'd_loss', 'd_real', 'g_loss']
    """

    name = "softmax_gan"
    d_activation = None
    lower_is_real = True
    generator_reads_real = True

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        real_energy = self.discriminator(real, training=True)
        fake_energy = self.discriminator(fake, training=True)
        loss = losses.softmax_cross_entropy(real_energy, fake_energy, real_share=1.0)
        return loss, {
            "d_loss": loss,
            # Energies: a real image is called real below the fakes' average energy.
            "d_acc": losses.relativistic_accuracy(-real_energy, -fake_energy),
            "d_real": ops.mean(real_energy),
            "d_fake": ops.mean(fake_energy),
        }

    def generator_objective(self, z) -> tuple:
        noise, real = z
        fake_energy = self.combined(noise, training=True)
        loss = losses.softmax_cross_entropy(self.discriminator(real, training=True), fake_energy, real_share=0.5)
        return loss, {"g_loss": loss}
