"""AAE (Makhzani et al., 2015): an autoencoder whose codes a discriminator pushes towards the prior.

Seed 000's VAE + GAN hybrid. An encoder E maps an image to a Gaussian code
(mean and log-variance, sampled with the reparameterization trick) and a
decoder G maps the code back to the image. Where a VAE pulls each code
towards N(0, I) with a KL term, the AAE trains a discriminator D on codes:
D tells draws from the prior p(z) = N(0, I) ("real") from the codes E gives
training images ("fake"), and E learns to fool it. Once E's codes fill the
prior, any z ~ p(z) decodes to a plausible image: G is a generator.

Keras-GAN's networks and weights: E and G are MLPs (512, 512, LeakyReLU
0.2), D is an MLP on the code (512, 256), the code has 10 dimensions, and E
and G minimize 0.999 x the pixels' MSE + 0.001 x the adversarial
cross-entropy, with Adam(2e-4, 0.5) for both steps. `generate()` decodes
prior draws; `encode()` gives E's mean code.
"""

import keras
import numpy as np
from keras import layers, ops

from odog.base import BaseGAN
from odog.losses import binary_crossentropy
from odog.models import CombinedModel, float32_outputs
from odog.validation import check_images, check_number


def _mean_squared_error(target, predicted):
    return ops.mean(ops.square(target - predicted))


class AAE(BaseGAN):
    """Adversarial autoencoder: E(x) -> z -> G(z) ~ x, D(z) tells E's codes from the prior.

    Args:
        dataset: as `BaseGAN` (MNIST by default).
        latent_dim: size of the code z (10).
        reconstruction_weight: weight of the pixels' MSE in E and G's loss (0.999);
            the adversarial cross-entropy gets 1 minus it.
        **kwargs: passed to `BaseGAN`.

    Example:
    >>> from odog import AAE
    >>> gan = AAE(dataset=np.zeros((8, 28, 28, 1), "float32"), seed=0)
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))
    >>> gan.encode(np.zeros((2, 28, 28, 1), "float32")).shape, gan.generate(2).shape
    ((2, 10), (2, 28, 28, 1))
    """

    name = "aae"
    generator_reads_real = True  # the G step encodes and reconstructs a real batch
    # What `combined.train_on_batch(images, [images, validity])` trains E and G with (the weights are
    # the objective's).
    generator_loss = [_mean_squared_error, binary_crossentropy]

    def __init__(self, dataset="mnist", *, latent_dim: int = 10, reconstruction_weight: float = 0.999, **kwargs):
        check_number("reconstruction_weight", reconstruction_weight, low=0, high=1)
        self.reconstruction_weight = reconstruction_weight
        super().__init__(dataset, latent_dim=latent_dim, **kwargs)

    # ------------------------------------------------------------------
    # Networks: G is the decoder, D judges codes.
    # ------------------------------------------------------------------
    def build_generator(self) -> keras.Model:
        model = keras.Sequential([keras.Input((self.latent_dim,))], name="generator")
        for _ in range(2):
            model.add(layers.Dense(512))
            model.add(layers.LeakyReLU(0.2))
        model.add(layers.Dense(int(np.prod(self.img_shape)), activation="tanh"))
        model.add(layers.Reshape(self.img_shape))
        return model

    def build_encoder(self) -> keras.Model:
        """E: images -> `[mean, log_variance]` of a Gaussian code."""
        inputs = keras.Input(self.img_shape)
        x = layers.Flatten()(inputs)
        for _ in range(2):
            x = layers.LeakyReLU(0.2)(layers.Dense(512)(x))
        mean = layers.Dense(self.latent_dim, name="mean")(x)
        log_variance = layers.Dense(self.latent_dim, name="log_variance")(x)
        return keras.Model(inputs, [mean, log_variance], name="encoder")

    def build_discriminator(self) -> keras.Model:
        return keras.Sequential(
            [
                keras.Input((self.latent_dim,)),
                layers.Dense(512),
                layers.LeakyReLU(0.2),
                layers.Dense(256),
                layers.LeakyReLU(0.2),
                layers.Dense(1, activation="sigmoid"),
            ],
            name="discriminator",
        )

    def build_combined(self) -> keras.Model:
        # E trains with G, so it is part of the combined model: images -> [reconstruction, D(code)].
        self.encoder = float32_outputs(self.build_encoder())

        def connect(images):
            code = self.encoder(images)[0]  # the mean code: the reparameterized draw happens in the step
            return [self.generator(code), self.discriminator(code)]

        return CombinedModel(self.generator, self.discriminator, connect=connect, input_shapes=[self.img_shape])

    def variable_groups(self) -> dict[str, list]:
        return {**super().variable_groups(), "encoder": self.encoder.variables}

    # ------------------------------------------------------------------
    # The step.
    # ------------------------------------------------------------------
    def encoded(self, images, training: bool):
        """A code sampled from E(images)'s Gaussian (reparameterized, so gradients reach E)."""
        mean, log_variance = self.encoder(images, training=training)
        noise = keras.random.normal(ops.shape(mean), seed=self.seed_generator)
        return mean + ops.exp(0.5 * log_variance) * noise

    def discriminator_fakes(self, latent):
        # D's "real" inputs are the prior draws `latent` themselves; its fakes are E's codes of the real
        # batch, taken in `discriminator_objective`.
        return latent

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        prior = fake  # see `discriminator_fakes`
        return super().discriminator_objective(prior, self.encoded(real, training=False), real_targets, fake_targets)

    def generator_objective(self, z) -> tuple:
        _, real = z  # the prior draw is unused: E and G train on the real batch
        code = self.encoded(real, training=True)
        reconstruction = self.generator(code, training=True)
        validity = self.discriminator(code, training=True)  # frozen by generator_step
        mse = _mean_squared_error(real, reconstruction)
        adversarial = binary_crossentropy(ops.ones_like(validity), validity)
        loss = self.reconstruction_weight * mse + (1.0 - self.reconstruction_weight) * adversarial
        return loss, {"g_loss": loss, "reconstruction_loss": mse, "adversarial_loss": adversarial}

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def encode(self, images: np.ndarray) -> np.ndarray:
        """E's mean code of each image, (N, latent_dim)."""
        images = check_images(images, self.img_shape, "to encode")
        return self.encoder.predict(images, batch_size=256, verbose=0)[0].astype("float32")

    def reconstruct(self, images: np.ndarray, ema: bool = True) -> np.ndarray:
        """G(E(images)) from E's mean codes; `ema` decodes with `generator_ema` as `generate()` does."""
        return self.generate_from(self.encode(images), ema=ema)
