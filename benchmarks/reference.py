"""Reference training loops that odog is measured against.

- `keras_gan_iteration`: the Keras-GAN loop ported to Keras 3 as it stands:
  `G.predict`, two `D.train_on_batch`, one `combined.train_on_batch`.
- `FusedGAN`: a plain, correct fused loop: one compiled step updates D on a
  real and a generated batch, then G through D, each with its own Adam, G and
  D both in training mode (as the PyTorch DCGAN of seed 002 does).
Both train the reference architectures: Keras-GAN's MLP GAN and Keras-GAN's
MNIST DCGAN (with BatchNorm in D, unlike odog's DCGAN).
"""

import keras
import numpy as np
from keras import layers, ops

from odog import backend
from odog.losses import binary_crossentropy
from odog.variants import DCGAN, GAN


def keras_gan_dcgan_discriminator(img_shape: tuple) -> keras.Model:
    """Keras-GAN's MNIST DCGAN discriminator, BatchNorm(0.8) included."""
    model = keras.Sequential([keras.Input(img_shape)], name="discriminator")
    for i, (filters, stride) in enumerate(((32, 2), (64, 2), (128, 2), (256, 1))):
        model.add(layers.Conv2D(filters, 3, stride, padding="same"))
        if i == 1:
            model.add(layers.ZeroPadding2D(((0, 1), (0, 1))))
        if i > 0:
            model.add(layers.BatchNormalization(momentum=0.8))
        model.add(layers.LeakyReLU(0.2))
        model.add(layers.Dropout(0.25))
    model.add(layers.Flatten())
    model.add(layers.Dense(1, activation="sigmoid"))
    return model


class KerasGANDCGAN(DCGAN):
    """odog's DCGAN with Keras-GAN's BatchNorm discriminator (for comparison)."""

    name = "dcgan-keras-gan-d"

    def build_discriminator(self) -> keras.Model:
        return keras_gan_dcgan_discriminator(self.img_shape)


def reference_models(variant: str, seed: int) -> tuple[keras.Model, keras.Model]:
    """(G, D) of the reference architecture of "gan" or "dcgan"."""
    dummy = np.zeros((1, 28, 28, 1), "float32")
    if variant == "gan":
        gan = GAN(dataset=dummy, seed=seed)
        return gan.generator, gan.discriminator
    gan = KerasGANDCGAN(dataset=dummy, seed=seed)
    return gan.generator, gan.discriminator


class FusedGAN:
    """A plain fused training loop over a (G, D) pair."""

    def __init__(self, generator: keras.Model, discriminator: keras.Model, latent_dim: int = 100, seed: int = 0):
        self.generator, self.discriminator = generator, discriminator
        self.latent_dim = latent_dim
        self.rng = np.random.default_rng(seed)
        self.g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.g_optimizer.build(generator.trainable_variables)
        self.d_optimizer.build(discriminator.trainable_variables)
        self.step = backend.compile_function(self._step)

    def _step(self, real, z):
        g, d = self.generator, self.discriminator
        fake = g(z, training=True)

        def d_loss_fn():
            pred_real, pred_fake = d(real, training=True), d(fake, training=True)
            loss = binary_crossentropy(ops.ones_like(pred_real), pred_real) + binary_crossentropy(
                ops.zeros_like(pred_fake), pred_fake
            )
            return loss, {"d_loss": loss}

        def g_loss_fn():
            pred = d(g(z, training=True), training=True)
            loss = binary_crossentropy(ops.ones_like(pred), pred)
            return loss, {"g_loss": loss}

        d_grads, logs = backend.gradients(d_loss_fn, d.trainable_variables)
        self.d_optimizer.apply(d_grads, d.trainable_variables)
        g_grads, g_logs = backend.gradients(g_loss_fn, g.trainable_variables)
        self.g_optimizer.apply(g_grads, g.trainable_variables)
        return {**logs, **g_logs}

    def train(self, images: np.ndarray, iterations: int, batch_size: int = 32) -> None:
        for _ in range(iterations):
            real = images[self.rng.integers(0, len(images), batch_size)]
            z = self.rng.standard_normal((batch_size, self.latent_dim), dtype="float32")
            logs = self.step(real, z)
            float(logs["g_loss"])  # wait for the step, as a loop that logs does

    def generate(self, n: int, seed: int = 0) -> np.ndarray:
        z = np.random.default_rng(seed).standard_normal((n, self.latent_dim), dtype="float32")
        return self.generator.predict(z, batch_size=256, verbose=0)


def keras_gan_iteration(gan, images: np.ndarray, batch_size: int, rng: np.random.Generator) -> None:
    """One iteration of the Keras-GAN loop on odog's compiled models."""
    valid, fake = np.ones((batch_size, 1), "float32"), np.zeros((batch_size, 1), "float32")
    real = images[rng.integers(0, len(images), batch_size)]
    noise = rng.standard_normal((batch_size, gan.latent_dim), dtype="float32")
    generated = gan.generator.predict(noise, verbose=0)
    gan.discriminator.train_on_batch(real, valid)
    gan.discriminator.train_on_batch(generated, fake)
    noise = rng.standard_normal((batch_size, gan.latent_dim), dtype="float32")
    gan.combined.train_on_batch(noise, valid)
