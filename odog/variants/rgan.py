"""Relativistic GAN (Jolicoeur-Martineau, 2018): D judges which is more realistic.

DCGAN's networks with a linear critic C. A standard GAN's D says how likely
an image is real; a relativistic D says how likely a real image is more
realistic than a generated one: sigmoid(C(x_r) - C(x_f)) for a real image
paired with a fake (RSGAN), or sigmoid(C(x_r) - mean C(x_f)) against the
average fake (RaSGAN, `average=True`). G's loss swaps the roles, so G also
learns from the real images' scores (it pushes them down as it pushes its
own up), which the paper argues a standard GAN misses: D should believe half
of what it sees is fake. The G step therefore reads a real batch too
(`generator_reads_real`). Adam(2e-4, 0.5), as DCGAN.
"""

from keras import ops

from odog import losses
from odog.variants.dcgan import DCGAN


class RGAN(DCGAN):
    """Relativistic standard GAN, or relativistic average GAN.

    Args:
        average: compare each image with the average of the other kind
            (RaSGAN) rather than with one paired image (RSGAN). False.
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import RGAN
    >>> import numpy as np
    >>> gan = RGAN(dataset=np.zeros((16, 28, 28, 1), "float32"), average=True, seed=0)
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))
    >>> sorted(logs)
    ['d_acc', 'd_fake', 'd_loss', 'd_real', 'g_loss']
    """

    name = "rgan"
    d_activation = None
    decision_threshold = 0.0
    generator_reads_real = True

    def __init__(self, dataset="mnist", *, average: bool = False, **kwargs):
        if not isinstance(average, bool):
            raise TypeError(f"average must be True (RaSGAN) or False (RSGAN); received {average!r}.")
        self.average = average
        super().__init__(dataset, **kwargs)

    def relativistic_loss(self, real_scores, fake_scores):
        """-E[log sigmoid(C(x_r) - C(x_f))], with C(x_f) averaged over the batch if `average`."""
        if self.average:
            return losses.relativistic_average(real_scores, fake_scores)
        return losses.relativistic_standard(real_scores, fake_scores)

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        # Targets and label tricks do not apply: D compares, it does not classify.
        real_scores = self.discriminator(real, training=True)
        fake_scores = self.discriminator(fake, training=True)
        loss = self.relativistic_loss(real_scores, fake_scores)
        return loss, {
            "d_loss": loss,
            "d_acc": losses.relativistic_accuracy(real_scores, fake_scores),
            "d_real": ops.mean(real_scores),
            "d_fake": ops.mean(fake_scores),
        }

    def generator_objective(self, z) -> tuple:
        noise, real = z
        fake_scores = self.combined(noise, training=True)
        loss = self.relativistic_loss(fake_scores, self.discriminator(real, training=True))
        return loss, {"g_loss": loss}
