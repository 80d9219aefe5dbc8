"""BiGAN (Donahue et al., 2016): an encoder learned with the GAN.

A GAN maps z to x and has no way back. BiGAN adds an encoder E from x to z
and gives the discriminator pairs: D tells (x, E(x)) for real images from
(G(z), z) for noise, and G and E together try to make the two joint
distributions the same. At the optimum E inverts G, so E's code of an image
carries what G needs to draw it: features learned without labels, which a
linear classifier can read (`odog.metrics.linear_probe`, docs/bigan.md).

Keras-GAN's networks: G and E are MLPs (512, 512, LeakyReLU 0.2,
BatchNorm 0.8), z has 100 dimensions, D concatenates the flattened image
with the code (Dense 1024 x 3, LeakyReLU 0.2, dropout 0.5). Cross-entropy
and Adam(2e-4, 0.5) for D and for G with E; G and E's loss is D's with
the targets swapped, summed over both kinds of pairs.
"""

import keras
import numpy as np
from keras import layers, ops

from odog.base import BaseGAN
from odog.losses import binary_crossentropy
from odog.models import CombinedModel, float32_outputs
from odog.validation import check_images


class BiGAN(BaseGAN):
    """Bidirectional GAN: G(z), E(x), and D on (image, code) pairs.

    Args:
        dataset: as `BaseGAN` (MNIST by default).
        **kwargs: passed to `BaseGAN` (latent_dim 100, ...).

    Example:
    >>> from odog import BiGAN
    >>> gan = BiGAN(dataset=np.zeros((8, 28, 28, 1), "float32"), seed=0)
    >>> [tuple(i.shape) for i in gan.discriminator.inputs]
    [(None, 28, 28, 1), (None, 100)]
    >>> logs = gan.train_on_batch(np.zeros((4, 28, 28, 1), "float32"))
    >>> gan.encode(np.zeros((2, 28, 28, 1), "float32")).shape
    (2, 100)
    """

    name = "bigan"
    generator_reads_real = True  # the G step also trains E on a real batch
    generator_loss = [binary_crossentropy, binary_crossentropy]  # `combined`'s two pairs

    # ------------------------------------------------------------------
    # Networks.
    # ------------------------------------------------------------------
    def _mlp(self, inputs):
        x = inputs
        for _ in range(2):
            x = layers.Dense(512)(x)
            x = layers.BatchNormalization(momentum=0.8)(layers.LeakyReLU(0.2)(x))
        return x

    def build_generator(self) -> keras.Model:
        z = keras.Input((self.latent_dim,))
        x = layers.Dense(int(np.prod(self.img_shape)), activation="tanh")(self._mlp(z))
        return keras.Model(z, layers.Reshape(self.img_shape)(x), name="generator")

    def build_encoder(self) -> keras.Model:
        """E: images -> codes of `latent_dim`."""
        images = keras.Input(self.img_shape)
        return keras.Model(images, layers.Dense(self.latent_dim)(self._mlp(layers.Flatten()(images))), name="encoder")

    def build_discriminator(self) -> keras.Model:
        images, code = keras.Input(self.img_shape), keras.Input((self.latent_dim,))
        x = layers.Concatenate()([layers.Flatten()(images), code])
        for _ in range(3):
            x = layers.Dropout(0.5)(layers.LeakyReLU(0.2)(layers.Dense(1024)(x)))
        return keras.Model([images, code], layers.Dense(1, activation="sigmoid")(x), name="discriminator")

    def build_combined(self) -> keras.Model:
        # E trains with G, so it is part of the combined model: [z, images] -> [D(G(z), z), D(x, E(x))].
        self.encoder = float32_outputs(self.build_encoder())

        def connect(inputs):
            z, images = inputs
            return [self.discriminator([self.generator(z), z]), self.discriminator([images, self.encoder(images)])]

        shapes = [(self.latent_dim,), self.img_shape]
        return CombinedModel(self.generator, self.discriminator, connect=connect, input_shapes=shapes)

    def variable_groups(self) -> dict[str, list]:
        return {**super().variable_groups(), "encoder": self.encoder.variables}

    # ------------------------------------------------------------------
    # The step.
    # ------------------------------------------------------------------
    def discriminator_input(self, fake, latent):
        return [fake, latent]  # (G(z), z)

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        real = ops.convert_to_tensor(real)
        pairs = [real, self.encoder(real, training=False)]  # (x, E(x)); E is not trained by D's step
        return super().discriminator_objective(pairs, fake, real_targets, fake_targets)

    def generator_objective(self, z) -> tuple:
        z, real = z
        # D frozen (generator_step); G and E want D to call the fake pairs real and the real pairs fake.
        on_fakes = self.discriminator([self.generator(z, training=True), z], training=True)
        on_reals = self.discriminator([real, self.encoder(real, training=True)], training=True)
        loss_g = binary_crossentropy(ops.ones_like(on_fakes), on_fakes)
        loss_e = binary_crossentropy(ops.zeros_like(on_reals), on_reals)
        return loss_g + loss_e, {"g_loss": loss_g + loss_e, "g_loss_fakes": loss_g, "e_loss_reals": loss_e}

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def encode(self, images: np.ndarray) -> np.ndarray:
        """E's code of each image, (N, latent_dim): features for a downstream classifier."""
        images = check_images(images, self.img_shape, "to encode")
        return self.encoder.predict(images, batch_size=256, verbose=0).astype("float32")

    def reconstruct(self, images: np.ndarray, ema: bool = True) -> np.ndarray:
        """G(E(images)): what G draws from each image's code (`ema`: with `generator_ema`)."""
        return self.generate_from(self.encode(images), ema=ema)
