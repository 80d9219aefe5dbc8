"""Reference training loops that odog is measured against.

- `keras_gan_iteration`: the Keras-GAN loop ported to Keras 3 as it stands:
  `G.predict`, two `D.train_on_batch`, one `combined.train_on_batch`.
- `FusedGAN`: a plain, correct fused loop: one compiled step updates D on a
  real and a generated batch, then G through D, each with its own Adam, G and
  D both in training mode (as the PyTorch DCGAN of the blog post "生成对抗网络GAN" does). On JAX it
  is the pure step of Keras' guide "Customizing what happens in fit() with
  JAX": `stateless_call`, `jax.value_and_grad` and `stateless_apply` on
  state kept as arrays between calls, nothing of odog's in it.
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

    def __init__(
        self,
        generator: keras.Model,
        discriminator: keras.Model,
        latent_dim: int = 100,
        seed: int = 0,
        fresh_generator_noise: bool = False,
    ):
        # Keras-GAN trains G on the noise that made D's fakes, and XLA then runs G's forward pass once for
        # both; `fresh_generator_noise` draws new noise for G's update, the same work as odog's step.
        self.fresh_generator_noise = fresh_generator_noise
        self.generator, self.discriminator = generator, discriminator
        self.latent_dim = latent_dim
        self.rng = np.random.default_rng(seed)
        self.g_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.d_optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5)
        self.g_optimizer.build(generator.trainable_variables)
        self.d_optimizer.build(discriminator.trainable_variables)
        if keras.backend.backend() == "jax":
            self.step = self._jax_step()
        else:
            variables = [*generator.variables, *discriminator.variables]
            variables += [*self.g_optimizer.variables, *self.d_optimizer.variables]
            self.step = backend.compile_function(self._step, variables)

    def _jax_step(self):
        """The same step as a pure jitted function of the state, which stays on the device."""
        import jax

        g, d = self.generator, self.discriminator
        g_opt, d_opt = self.g_optimizer, self.d_optimizer

        def step(state, real, z, z_g):
            g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov = state

            def d_loss_fn(d_tv, g_ntv, d_ntv):
                fake, g_ntv = g.stateless_call(g_tv, g_ntv, z, training=True)
                pred_real, d_ntv = d.stateless_call(d_tv, d_ntv, real, training=True)
                pred_fake, d_ntv = d.stateless_call(d_tv, d_ntv, fake, training=True)
                loss = binary_crossentropy(ops.ones_like(pred_real), pred_real) + binary_crossentropy(
                    ops.zeros_like(pred_fake), pred_fake
                )
                return loss, (g_ntv, d_ntv)

            (d_loss, (g_ntv, d_ntv)), d_grads = jax.value_and_grad(d_loss_fn, has_aux=True)(d_tv, g_ntv, d_ntv)
            d_tv, d_ov = d_opt.stateless_apply(d_ov, d_grads, d_tv)

            def g_loss_fn(g_tv, g_ntv, d_ntv):
                fake, g_ntv = g.stateless_call(g_tv, g_ntv, z_g, training=True)
                pred, d_ntv = d.stateless_call(d_tv, d_ntv, fake, training=True)
                return binary_crossentropy(ops.ones_like(pred), pred), (g_ntv, d_ntv)

            (g_loss, (g_ntv, d_ntv)), g_grads = jax.value_and_grad(g_loss_fn, has_aux=True)(g_tv, g_ntv, d_ntv)
            g_tv, g_ov = g_opt.stateless_apply(g_ov, g_grads, g_tv)
            return (g_tv, g_ntv, d_tv, d_ntv, g_ov, d_ov), {"d_loss": d_loss, "g_loss": g_loss}

        jitted = jax.jit(step, donate_argnums=0)
        models = (g.trainable_variables, g.non_trainable_variables, d.trainable_variables, d.non_trainable_variables)
        self.state = tuple([v.value for v in group] for group in (*models, g_opt.variables, d_opt.variables))

        def call(real, z, z_g):
            self.state, logs = jitted(self.state, real, z, z_g)
            return logs

        return call

    def _step(self, real, z, z_g):
        g, d = self.generator, self.discriminator
        fake = g(z, training=True)

        def d_loss_fn():
            pred_real, pred_fake = d(real, training=True), d(fake, training=True)
            loss = binary_crossentropy(ops.ones_like(pred_real), pred_real) + binary_crossentropy(
                ops.zeros_like(pred_fake), pred_fake
            )
            return loss, {"d_loss": loss}

        def g_loss_fn():
            pred = d(g(z_g, training=True), training=True)
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
            z_g = self.rng.standard_normal(z.shape, dtype="float32") if self.fresh_generator_noise else z
            logs = self.step(real, z, z_g)
            float(logs["g_loss"])  # wait for the step, as a loop that logs does

    def generate(self, n: int, seed: int = 0) -> np.ndarray:
        if keras.backend.backend() == "jax":  # the trained state lives in self.state
            g, d = self.generator, self.discriminator
            groups = (
                g.trainable_variables,
                g.non_trainable_variables,
                d.trainable_variables,
                d.non_trainable_variables,
            )
            for group, values in zip(groups, self.state[:4], strict=True):
                for variable, value in zip(group, values, strict=True):
                    variable.assign(value)
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
