"""ClusterGAN (Mukherjee et al., 2019): a clustered latent space and an encoder that maps images back into it.

G's input is z = (z_n, z_c): Gaussian noise z_n ~ N(0, sigma^2 I) (30
dimensions, sigma 0.1, the paper's MNIST setting) next to a one-hot z_c of
10 clusters. The small sigma keeps the ten one-hot corners apart, so that
each grows its own mode. An encoder E maps an image to (z_n, logits of
z_c); G and E train together, with one optimizer, on

    adversarial + beta_n * MSE(E_n(G(z)), z_n) + beta_c * CE(E_c(G(z)), z_c)

(betas 10), so that E inverts G and G must keep the clusters readable. E
then clusters real images: `cluster(images)` is the argmax of its z_c.

D is the paper's WGAN-GP critic (gradient penalty 10, 5 critic steps per G
step) or, with `adversarial="bce"`, the reference implementation's default
cross-entropy D (eriklindernoren/PyTorch-GAN's `cluster_gan`). Adam(1e-4,
0.5, 0.9) for both, batch 64. G is InfoGAN's (the same paper network), which
this class extends for its latent layout and its grid of one row per code;
D and E are the reference's: 4x4 stride-2 convolutions 64 and 128, FC 1024,
LeakyReLU(0.2), no normalization (the penalty is per sample).

Not reproduced: the reference's weight decay 2.5e-5 on G and E (an L2 term in
PyTorch's Adam; Keras' Adam decays decoupled, which is another method).

Not in the paper, off by default: `code_augment`, InfoGAN's remedy for codes
that settle on styles. E then reads z_c from a randomly distorted copy of
each generated image (and z_n from the image itself), so that a cluster
cannot hold slant, width, position or stroke thickness.
"""

import keras
import numpy as np
from keras import layers, ops

from odog import regularizers
from odog.losses import binary_accuracy, sigmoid_crossentropy, wasserstein
from odog.models import CombinedModel, float32_outputs
from odog.validation import check_images, check_number
from odog.variants.infogan import InfoGAN

ADVERSARIAL = ("wgan-gp", "bce")


class ClusterGAN(InfoGAN):
    """GAN with a clustered latent space and an encoder trained with G.

    Args:
        clusters: values of the one-hot z_c (10).
        noise_dim: size of the Gaussian z_n (30).
        sigma: standard deviation of z_n (0.1).
        beta_n: weight of E's squared error on z_n in G's loss (10).
        beta_c: weight of E's cross-entropy on z_c in G's loss (10).
        adversarial: "wgan-gp" (the paper's critic with a gradient penalty)
            or "bce" (the cross-entropy D of the reference's default run).
        gp_weight: weight of the gradient penalty ("wgan-gp" only; 10).
        learning_rate: Adam learning rate of D, G and E (1e-4).
        beta_1: Adam beta_1 (0.5).
        beta_2: Adam beta_2 (0.9).
        d_steps: D steps per G step (5, the paper's and the reference's).
        code_augment: None (the paper's objective), or (shear, scale, shift,
            thickening) as InfoGAN's: E reads z_c from a copy of each
            generated image distorted that much (`odog.augment`).
        **kwargs: passed to `BaseGAN` (not `latent_dim`, which is
            noise_dim + clusters). Images need a side divisible by 4.

    Example:
    >>> from odog import ClusterGAN
    >>> import numpy as np
    >>> gan = ClusterGAN(dataset=np.zeros((4, 28, 28, 1), "float32"), seed=0)
    >>> gan.latent_dim, gan.generate(3, cluster=[0, 4, 9]).shape
    (40, (3, 28, 28, 1))
    >>> gan.encode(np.zeros((2, 28, 28, 1), "float32")).shape, gan.cluster(np.zeros((2, 28, 28, 1))).shape
    ((2, 40), (2,))
    """

    name = "clustergan"
    conditions = ("cluster",)
    default_batch_size = 64  # the paper's and the reference's

    def __init__(
        self,
        dataset="mnist",
        *,
        clusters: int = 10,
        noise_dim: int = 30,
        sigma: float = 0.1,
        beta_n: float = 10.0,
        beta_c: float = 10.0,
        adversarial: str = "wgan-gp",
        gp_weight: float = 10.0,
        learning_rate: float = 1e-4,
        beta_1: float = 0.5,
        beta_2: float = 0.9,
        d_steps: int = 5,
        code_augment: tuple[float, float, float, float] | None = None,
        **kwargs,
    ):
        check_number("sigma", sigma, low=0, low_open=True)
        check_number("beta_n", beta_n, low=0)
        check_number("beta_c", beta_c, low=0)
        check_number("gp_weight", gp_weight, low=0)
        if adversarial not in ADVERSARIAL:
            raise ValueError(
                "Invalid value received for argument `adversarial`. Expected 'wgan-gp' or 'bce'. "
                f"Received: adversarial={adversarial!r}"
            )
        if "latent_dim" in kwargs:
            raise ValueError("ClusterGAN's latent_dim is noise_dim + clusters; set those instead.")
        self.sigma, self.beta_n, self.beta_c = sigma, beta_n, beta_c
        self.adversarial, self.gp_weight = adversarial, gp_weight
        super().__init__(
            dataset,
            noise_dim=noise_dim,
            categories=clusters,
            continuous=0,
            code_augment=code_augment,
            learning_rate=learning_rate,
            g_learning_rate=learning_rate,
            beta_1=beta_1,
            beta_2=beta_2,
            d_steps=d_steps,
            **kwargs,
        )

    @property
    def clusters(self) -> int:
        return self.categories

    # ------------------------------------------------------------------
    # Networks.
    # ------------------------------------------------------------------
    def _trunk(self, outputs: int, name: str) -> keras.Model:
        """The reference's D and E: two 4x4 stride-2 convolutions, FC 1024, a linear output."""
        self._quarter_side()
        images = keras.Input(self.img_shape)
        x = layers.LeakyReLU(0.2)(layers.Conv2D(64, 4, 2, padding="same")(images))
        x = layers.LeakyReLU(0.2)(layers.Conv2D(128, 4, 2, padding="same")(x))
        x = layers.LeakyReLU(0.2)(layers.Dense(1024)(layers.Flatten()(x)))
        return keras.Model(images, layers.Dense(outputs)(x), name=name)

    def build_discriminator(self) -> keras.Model:
        return self._trunk(1, "discriminator")

    def build_combined(self) -> keras.Model:
        # G trains with E: the G step's variables are the combined model's, so E is part of it.
        trunk = self._trunk(self.noise_dim + self.clusters, "encoder_trunk")
        code = trunk.outputs[0]
        outputs = [code[:, : self.noise_dim], code[:, self.noise_dim :]]  # z_n, logits of z_c
        self.encoder = float32_outputs(keras.Model(trunk.input, outputs, name="encoder"))

        def connect(latent):
            fake = self.generator(latent)
            return [self.discriminator(fake), *self.encoder(fake)]

        return CombinedModel(self.generator, self.discriminator, connect=connect)

    def variable_groups(self) -> dict[str, list]:
        return {**super().variable_groups(), "encoder": self.encoder.variables}

    @property
    def loss(self):
        """D's loss: the critic's Wasserstein loss or cross-entropy on its logit."""
        return wasserstein if self.adversarial == "wgan-gp" else sigmoid_crossentropy

    @property
    def combined_loss(self):
        """Losses of `combined`'s outputs: validity, z_n (squared error), z_c (cross-entropy on logits)."""
        return [self.loss, "mse", keras.losses.CategoricalCrossentropy(from_logits=True)]

    # ------------------------------------------------------------------
    # The latent space.
    # ------------------------------------------------------------------
    def latent(self, shape: tuple, rng: np.random.Generator | None = None, labels=None, code=None, continuous=None):
        """[z_n ~ N(0, sigma^2), one-hot z_c] concatenated; random clusters by default."""
        z = super().latent(shape, rng, code=code)
        z[..., : self.noise_dim] *= self.sigma
        return z

    def discriminator_input(self, fake, latent):
        return fake  # D judges images only; E learns in G's step

    # ------------------------------------------------------------------
    # The step.
    # ------------------------------------------------------------------
    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        d_real = self.discriminator(real, training=True)
        d_fake = self.discriminator(fake, training=True)
        logs = {"d_real": ops.mean(d_real), "d_fake": ops.mean(d_fake)}
        if self.adversarial == "bce":
            loss = 0.5 * (sigmoid_crossentropy(real_targets, d_real) + sigmoid_crossentropy(fake_targets, d_fake))
            right = binary_accuracy(ops.ones_like(d_real), d_real, 0.0) + binary_accuracy(
                ops.zeros_like(d_fake), d_fake, 0.0
            )
            logs["d_acc"] = 0.5 * right  # of the logit: above 0 is "real"
        else:  # targets and label tricks do not apply to a critic
            logs["wasserstein"] = logs["d_real"] - logs["d_fake"]
            critic = lambda x: self.discriminator(x, training=True)  # noqa: E731
            logs["gradient_penalty"], logs["gradient_norm"] = regularizers.gradient_penalty(
                critic, real, fake, seed=self.seed_generator
            )
            loss = -logs["wasserstein"] + self.gp_weight * logs["gradient_penalty"]
        logs["d_loss"] = loss
        return loss, logs

    def generator_objective(self, z) -> tuple:
        fake = self.generator(z, training=True)
        validity = self.discriminator(fake, training=True)  # frozen: inference mode, no update
        z_n, logits = self.encoder(fake, training=True)
        if self.code_augment is not None:  # z_c from a distorted copy, z_n from the image
            logits = self.encoder(self.code_view(fake), training=True)[1]
        adversarial = self.loss(ops.ones_like(validity), validity)
        noise_loss = ops.mean(ops.square(z_n - z[:, : self.noise_dim]))
        code = z[:, self.noise_dim :]
        code_loss = ops.mean(keras.losses.categorical_crossentropy(code, logits, from_logits=True))
        loss = adversarial + self.beta_n * noise_loss + self.beta_c * code_loss
        return loss, {
            "g_loss": loss,
            "adversarial_loss": adversarial,
            "zn_loss": noise_loss,
            "zc_loss": code_loss,
            "zc_acc": ops.mean(ops.cast(ops.argmax(code, -1) == ops.argmax(logits, -1), "float32")),
        }

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def generation_input(self, n: int, rng: np.random.Generator, cluster=None):
        """G's input for `generate(n, cluster=...)`.

        Args:
            n: number of images.
            rng: the random generator of z_n and of random clusters.
            cluster: one cluster for all images or one per image (integers in
                [0, clusters)); random when None.
        """
        if cluster is not None:
            cluster = np.asarray(cluster)
            if cluster.shape not in ((), (n,)) or cluster.dtype.kind not in "iu":
                raise ValueError(
                    f"Invalid value received for argument `cluster`. Expected an integer or {n} integers in "
                    f"[0, {self.clusters - 1}]. Received: {cluster.dtype} array of shape {cluster.shape}"
                )
            if cluster.min() < 0 or cluster.max() >= self.clusters:
                raise ValueError(
                    f"Invalid value received for argument `cluster`. Expected integers in [0, {self.clusters - 1}]"
                    f" (clusters={self.clusters}). Received: {np.unique(cluster)[:10]}"
                )
            cluster = np.broadcast_to(cluster, (n,))
        return self.latent((n,), rng, code=cluster)

    def encode(self, images: np.ndarray) -> np.ndarray:
        """E's code of each image: z_n and the softmax of z_c's logits, (N, noise_dim + clusters) float32.

        Args:
            images: float images in [-1, 1] of shape (N, *img_shape), as
                `odog.data` loads them and `generate()` returns them.
        """
        images = check_images(images, self.img_shape, "to encode")
        z_n, logits = self.encoder.predict(images, batch_size=256, verbose=0)
        return np.concatenate([z_n, keras.ops.convert_to_numpy(ops.softmax(logits))], axis=1).astype("float32")

    def cluster(self, images: np.ndarray) -> np.ndarray:
        """The cluster E assigns each image: the argmax of its z_c, shape (N,) ints."""
        return self.encode(images)[:, self.noise_dim :].argmax(axis=1)

    def predict_code(self, images: np.ndarray) -> np.ndarray:
        """InfoGAN's name for `cluster()`: the categorical code of each image."""
        return self.cluster(images)
