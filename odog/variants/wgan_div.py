"""WGAN-div (Wu et al., 2018): the Wasserstein divergence, no Lipschitz constraint.

WGAN-GP's critic loss, mean D(G(z)) - mean D(x), with a different gradient
term: k * E[||grad D||^p] at the real and at the generated images (k = 2,
p = 6, the paper's best), as PyTorch-GAN's WGAN-div writes it. The term
makes the objective a divergence (W_div) between the two distributions
without asking D to be 1-Lipschitz, so there is no target norm of 1 and no
interpolates. Adam(2e-4, 0.5, 0.999) and 5 critic steps per G step, the
paper's settings. The term and the mean gradient norm are logged.
"""

from keras import ops

from odog import regularizers
from odog.validation import check_number
from odog.variants.wgan_gp import WGANGP


class WGANDiv(WGANGP):
    """Wasserstein divergence GAN.

    Args:
        gp_weight: the weight k of the gradient term (2).
        power: the power p of the gradient norm (6).
        learning_rate: Adam learning rate of both models (2e-4).
        beta_2: Adam beta_2 (0.999).
        **kwargs: passed to `WGANGP` (beta_1=0.5), `WGAN` (d_steps=5), `DCGAN` and `BaseGAN`.

    Example:
    >>> from odog import WGANDiv
    >>> import numpy as np
    >>> gan = WGANDiv(dataset=np.zeros((16, 28, 28, 1), "float32"), d_steps=1, seed=0)
    >>> logs = gan.train_on_batch(np.zeros((3, 28, 28, 1), "float32"))
    >>> sorted(logs)
    ['d_fake', 'd_loss', 'd_real', 'g_loss', 'gradient_norm', 'gradient_penalty', 'wasserstein']
    """

    name = "wgan_div"

    def __init__(
        self,
        dataset="mnist",
        *,
        gp_weight: float = 2.0,
        power: float = 6.0,
        learning_rate: float = 2e-4,
        beta_2: float = 0.999,
        **kwargs,
    ):
        check_number("power", power, low=0, low_open=True)
        self.power = power
        super().__init__(dataset, gp_weight=gp_weight, learning_rate=learning_rate, beta_2=beta_2, **kwargs)

    def gradient_term(self, real, fake) -> tuple:
        critic = lambda x: self.discriminator(x, training=True)  # noqa: E731
        real_norms, fake_norms = regularizers.gradient_norms(critic, real), regularizers.gradient_norms(critic, fake)
        term = 0.5 * (ops.mean(real_norms**self.power) + ops.mean(fake_norms**self.power))
        return term, 0.5 * (ops.mean(real_norms) + ops.mean(fake_norms))
