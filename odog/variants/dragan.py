"""DRAGAN (Kodali et al., 2017): a gradient penalty around the real data.

DCGAN's networks and cross-entropy, plus lambda * (||grad D(x_hat)|| - 1)^2
on points x_hat drawn between each real image and a copy perturbed by
uniform noise of half the batch's standard deviation (lambda = 10). The paper
reads mode collapse as the game settling in a local equilibrium where D's
gradient is sharp around the real data; the penalty keeps D smooth there,
where WGAN-GP instead penalizes on the way from the fakes to the data.

The penalty is on D's logit, the score before the sigmoid: D is linear and
the cross-entropy takes logits. On the sigmoid's output (PyTorch-GAN's
DRAGAN) a norm of 1 asks for a logit at least 4 times as steep, since the
sigmoid's slope is at most 1/4; measured at 2,000 iterations on MNIST, that
D lost to the penalty and G collapsed to two digits (docs/dragan.md). The
penalty and the mean gradient norm are logged.
"""

from odog import losses, regularizers
from odog.validation import check_number
from odog.variants.dcgan import DCGAN


class DRAGAN(DCGAN):
    """Deep regret analytic GAN.

    Args:
        gp_weight: weight lambda of the penalty (10).
        **kwargs: passed to `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import DRAGAN
    >>> import numpy as np
    >>> gan = DRAGAN(dataset=np.zeros((16, 28, 28, 1), "float32"), seed=0)
    >>> logs = gan.train_on_batch(np.random.default_rng(0).uniform(-1, 1, (4, 28, 28, 1)).astype("float32"))
    >>> logs["gradient_penalty"] >= 0, "gradient_norm" in logs
    (True, True)
    """

    name = "dragan"
    loss = staticmethod(losses.sigmoid_crossentropy)
    d_activation = None
    decision_threshold = 0.0

    def __init__(self, dataset="mnist", *, gp_weight: float = 10.0, **kwargs):
        check_number("gp_weight", gp_weight, low=0)
        self.gp_weight = gp_weight
        super().__init__(dataset, **kwargs)

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        loss, logs = super().discriminator_objective(real, fake, real_targets, fake_targets)
        seed = self.seed_generator
        penalty, norm = regularizers.gradient_penalty(
            lambda x: self.discriminator(x, training=True), real, regularizers.perturbed(real, seed=seed), seed=seed
        )
        loss = loss + self.gp_weight * penalty
        logs.update(d_loss=loss, gradient_penalty=penalty, gradient_norm=norm)
        return loss, logs
