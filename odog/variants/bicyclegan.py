"""BicycleGAN (Zhu et al., 2017): many outputs for one input, from a latent code.

pix2pix gives one output per input, because G learns to ignore any noise it
is given. BicycleGAN makes the code z matter by tying it to the output both
ways. G(a, z) is a U-Net with z tiled over every pixel and joined to the
input of each encoder layer (the official scripts' `--where_add all`), and an
encoder E(b) gives a Gaussian code of a target:

- cVAE-GAN (b -> z -> b): z ~ E(b) (reparameterized); G(a, z) must
  reconstruct b (L1, weight 10) and fool D, and E's code stays near N(0, 1)
  (KL, weight 0.01);
- cLR-GAN (z -> b -> z): z ~ N(0, 1); G(a, z) must fool D, and E must read
  the code back from G's output (L1 on the mean, weight 0.5).

One PatchGAN D (the official code's `--use_same_D`) scores the target
domain's images of both paths, with the least-squares loss;
Adam(2e-4, beta_1 0.5) for D and for G and E together. Here the latent term's
gradient reaches E as well as G (the paper updates G alone with it).

G normalizes by instance, as the official code's G does: with BatchNorm the
two paths' batches (codes from E and from N(0, 1)) were normalized by their
own statistics in training and by moving ones unlike either at test time,
where the L1 to the targets doubled; D won the game and many outputs lost
the digit (docs/bicyclegan.md). Its U-Net stops at a 4x4 map on 28x28
images (`bottleneck`), as DiscoGAN's.
"""

import keras
import numpy as np
from keras import layers, ops

from odog import metrics, networks
from odog.models import CombinedModel, float32_outputs
from odog.translation import A2B, TranslationGAN
from odog.validation import check_number


class BicycleGAN(TranslationGAN):
    """Multimodal paired translation: G(a, z), an encoder E(b), cVAE-GAN + cLR-GAN.

    Args:
        dataset: `(inputs, targets)` arrays, a folder of side-by-side pairs,
            or None for the offline task `digits2textured_pairs` (each digit
            -> that digit on one of many colour textures).
        latent_dim: size of the code z (8).
        bottleneck: the side of G's deepest map, a power of two (4; 2 is
            pix2pix's depth).
        l1_weight: weight of the cVAE path's L1 reconstruction (10).
        kl_weight: weight of the KL term on E's codes (0.01).
        latent_weight: weight of the cLR path's code reconstruction (0.5).
        **kwargs: passed to `TranslationGAN` and `BaseGAN`.

    Example:
    >>> from odog import BicycleGAN
    >>> import numpy as np
    >>> a, b = np.zeros((8, 28, 28, 1), "float32"), np.ones((8, 28, 28, 3), "float32")
    >>> gan = BicycleGAN(dataset=(a, b), filters=4, seed=0)
    >>> logs = gan.train_on_batch(a[:4], b[:4])
    >>> gan.translate(a[:2], seed=1).shape, gan.encode(b[:2]).shape
    ((2, 28, 28, 3), (2, 8))
    """

    name = "bicyclegan"
    default_task = "digits2textured_pairs"

    def __init__(
        self,
        dataset=None,
        *,
        latent_dim: int = 8,
        bottleneck: int = 4,
        l1_weight: float = 10.0,
        kl_weight: float = 0.01,
        latent_weight: float = 0.5,
        **kwargs,
    ):
        for name, value in (("l1_weight", l1_weight), ("kl_weight", kl_weight), ("latent_weight", latent_weight)):
            check_number(name, value, low=0)
        self.l1_weight, self.kl_weight, self.latent_weight = l1_weight, kl_weight, latent_weight
        self.bottleneck = bottleneck  # checked where G is built (networks.unet)
        super().__init__(dataset, latent_dim=latent_dim, **kwargs)

    # ------------------------------------------------------------------
    # Networks.
    # ------------------------------------------------------------------
    def build_generator(self) -> keras.Model:
        return networks.unet(
            self.a_shape,
            self.b_shape[-1],
            self.filters,
            dropout=0.0,
            norm="instance",
            code_dim=self.latent_dim,
            bottleneck=self.bottleneck,
            name="generator",
        )

    def build_discriminator(self) -> keras.Model:
        critic = networks.patch_discriminator(self.b_shape, self.filters)
        inputs = keras.Input(self.img_shape)  # a joined (a, b): D judges the b part alone
        return keras.Model(inputs, critic(self.split(inputs)[1]), name="discriminator")

    def build_combined(self) -> keras.Model:
        # G trains with E: the G step's variables are the combined model's, so E is part of it.
        self.encoder = float32_outputs(networks.conv_encoder(self.b_shape, self.latent_dim, self.filters))

        def connect(joined):
            a, b = self.split(joined)
            fake = self.generator([a, self.encoder(b)[0]])
            return self.discriminator(layers.Concatenate()([a, fake]))

        return CombinedModel(self.generator, self.discriminator, connect=connect, input_shapes=[self.img_shape])

    def variable_groups(self) -> dict[str, list]:
        return {**super().variable_groups(), "encoder": self.encoder.variables}

    # ------------------------------------------------------------------
    # The step.
    # ------------------------------------------------------------------
    def encoded(self, b, training: bool):
        """`(z, mu, log_var)`: a reparameterized sample of E(b)'s Gaussian and its parameters."""
        mu, log_var = self.encoder(b, training=training)
        noise = keras.random.normal(ops.shape(mu), seed=self.seed_generator)
        return mu + ops.exp(0.5 * log_var) * noise, mu, log_var

    def random_code(self, n: int):
        return keras.random.normal((n, self.latent_dim), seed=self.seed_generator)

    def discriminator_fakes(self, latent):
        a, b = self.split(latent)
        z, _, _ = self.encoded(b, training=False)
        vae = self.generator([a, z], training=False)
        lr = self.generator([a, self.random_code(a.shape[0])], training=False)
        # Both paths' fakes in one batch, each joined with its input.
        return ops.concatenate([ops.concatenate([a, vae], axis=-1), ops.concatenate([a, lr], axis=-1)], axis=0)

    def generator_objective(self, z) -> tuple:
        a, b = self.split(z)
        code, mu, log_var = self.encoded(b, training=True)
        vae = self.generator([a, code], training=True)
        random = self.random_code(a.shape[0])
        lr = self.generator([a, random], training=True)
        adversarial = self.adversarial_loss(ops.concatenate([a, vae], axis=-1)) + self.adversarial_loss(
            ops.concatenate([a, lr], axis=-1)
        )
        l1 = ops.mean(ops.abs(vae - b))
        kl = 0.5 * ops.mean(ops.sum(ops.exp(log_var) + ops.square(mu) - 1.0 - log_var, axis=-1))
        latent = ops.mean(ops.abs(self.encoder(lr, training=True)[0] - random))
        loss = adversarial + self.l1_weight * l1 + self.kl_weight * kl + self.latent_weight * latent
        return loss, {
            "g_loss": loss,
            "adversarial_loss": adversarial,
            "l1_loss": l1,
            "kl_loss": kl,
            "latent_loss": latent,
        }

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def translation_input(self, images: np.ndarray, direction: str, *, z=None, seed: int | None = None):
        """`[images, z]`: the codes given, or drawn from N(0, 1) with `seed`."""
        n = len(images)
        if z is None:
            z = np.random.default_rng(seed).standard_normal((n, self.latent_dim), dtype="float32")
        z = np.asarray(z, "float32")
        if z.shape != (n, self.latent_dim):
            raise ValueError(
                f"Expected one code per image, z of shape ({n}, {self.latent_dim}). Received: z.shape={z.shape}"
            )
        return [images, z]

    def generation_options(self, rng: np.random.Generator) -> dict:
        return {"seed": int(rng.integers(2**31))}

    def encode(self, images) -> np.ndarray:
        """E's mean code of target-domain images, (N, latent_dim): `translate(a, z=encode(b))` recreates b's style."""
        images = np.asarray(images, "float32")
        if images.ndim != 4 or tuple(images.shape[1:]) != self.b_shape:
            raise ValueError(
                f"Expected images of shape (N, {', '.join(map(str, self.b_shape))}) to encode. "
                f"Received: images.shape={images.shape}"
            )
        return self.encoder.predict(images, batch_size=128, verbose=0)[0].astype("float32")

    def diversity(self, images, samples: int = 10, seed: int = 0) -> float:
        """The mean L1 distance between outputs for the same input under different random codes.

        Args:
            images: inputs (N, *a_shape).
            samples: codes per input (their pairs are compared).
            seed: seeds the codes.
        """
        check_number("samples", samples, integer=True, low=2)
        return metrics.diversity(np.stack([self.translate(images, seed=seed + i) for i in range(samples)]))

    def sample_columns(self, a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
        """input | four outputs from random codes (seeds 0-3) | target."""
        return [a, *(self.translate(a, A2B, seed=s) for s in range(4)), b]

    def measure(self, data=None) -> dict[str, float]:
        """`TranslationGAN.measure()` (with random codes) plus `diversity` on the first 1,000 test inputs."""
        data = self.test_data() if data is None else data
        scores = super().measure(data)
        scores["diversity"] = self.diversity(data.a[:1000])
        return scores
