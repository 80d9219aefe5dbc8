"""CoGAN (Liu & Tuzel, 2016): two GANs that share their first (G) and last (D) layers draw pairs from one z.

Two domains, and no pairs between them: CoGAN learns their joint
distribution anyway, by tying two GANs together. The generators share their
first layers, those that turn z into the image's content (which digit, its
shape), and each has its own last layers, which draw the domain's details
(grey strokes, or strokes through colour textures). The discriminators are
the mirror image: separate first layers read each domain's pixels, shared
last layers judge the content. From one z the two generators then draw the
same digit in both domains, because the shared layers can only afford one
content for both.

Here each G is DCGAN-like (a shared Dense and 7x7 -> 14x14 transposed
convolution, then per domain a 14x14 -> 28x28 one and a tanh convolution),
each D two strided convolutions (the first per domain) and a shared sigmoid
head, as Keras-GAN's cogan.py wires its MLPs. D_a and D_b train on their own
domain's images (cross-entropy); G trains through both. The training data
are two unpaired piles (`odog.data.translation`), drawn independently.
"""

import keras
import numpy as np
from keras import layers

from odog import imaging, metrics, networks, viz
from odog.base import BaseGAN
from odog.data import translation
from odog.losses import binary_crossentropy
from odog.models import CombinedModel
from odog.translation import TranslationGAN
from odog.validation import check_number

DOMAINS = ("a", "b")


class CoGAN(TranslationGAN):
    """Coupled GANs: one z -> a pair of images (a, b), generators and discriminators sharing layers.

    Args:
        dataset: `(domain_a, domain_b)` arrays (any counts, one image size),
            a CycleGAN-style folder (trainA/, trainB/), or None for the
            offline task `digits2textured` (MNIST digits and, from the other
            half of MNIST, digits on colour textures).
        latent_dim: size of z (100, Keras-GAN's).
        filters: base width of G and D (32).
        **kwargs: passed to `TranslationGAN` and `BaseGAN` (learning_rate,
            ema, seed, ...).

    Example:
    >>> from odog import CoGAN
    >>> import numpy as np
    >>> a, b = np.zeros((6, 28, 28, 1), "float32"), np.ones((9, 28, 28, 3), "float32")
    >>> gan = CoGAN(dataset=(a, b), filters=4, latent_dim=8, seed=0)
    >>> logs = gan.train_on_batch(a[:2], b[:2])
    >>> x_a, x_b = gan.generate_pairs(3, seed=0)
    >>> x_a.shape, x_b.shape, gan.generate(2, domain="a").shape
    ((3, 28, 28, 1), (3, 28, 28, 3), (2, 28, 28, 1))
    """

    name = "cogan"
    paired = False
    default_task = "digits2textured"
    loss = staticmethod(binary_crossentropy)
    interpolates = True
    default_batch_size = 32
    sample_rows = 8

    def __init__(self, dataset=None, *, latent_dim: int = 100, filters: int = 32, **kwargs):
        check_number("filters", filters, integer=True, low=1)
        super().__init__(dataset, latent_dim=latent_dim, filters=filters, **kwargs)

    @classmethod
    def dataset_shape(cls, dataset, image_size=None, channels=None) -> tuple:
        shape = super().dataset_shape(dataset, image_size, channels)
        if shape[0] % 4 or shape[1] % 4:
            raise ValueError(
                f"CoGAN's generators double a feature map twice: its images' sides must be multiples of 4. "
                f"Received: {shape[0]}x{shape[1]} images. Resize them (odog.imaging.resize) or pass image_size."
            )
        return shape

    # ------------------------------------------------------------------
    # Networks: shared first layers in G, shared last layers in D.
    # ------------------------------------------------------------------
    def build_generator(self) -> keras.Model:
        height, width = self.img_shape[:2]
        f = self.filters
        z = keras.Input((self.latent_dim,))
        trunk = keras.Sequential(
            [
                keras.Input((self.latent_dim,)),
                layers.Dense(height // 4 * width // 4 * 4 * f),
                networks.normalization("batch"),
                layers.ReLU(),
                layers.Reshape((height // 4, width // 4, 4 * f)),
                layers.Conv2DTranspose(2 * f, 4, strides=2, padding="same"),
                networks.normalization("batch"),
                layers.ReLU(),
            ],
            name="g_shared",
        )

        def head(channels: int, name: str) -> keras.Model:
            return keras.Sequential(
                [
                    keras.Input((height // 2, width // 2, 2 * f)),
                    layers.Conv2DTranspose(f, 4, strides=2, padding="same"),
                    networks.normalization("batch"),
                    layers.ReLU(),
                    layers.Conv2D(channels, 3, padding="same", activation="tanh"),
                ],
                name=name,
            )

        content = trunk(z)
        g_a, g_b = head(self.domain_channels[0], "g_a"), head(self.domain_channels[1], "g_b")
        return keras.Model(z, layers.Concatenate()([g_a(content), g_b(content)]), name="generator")

    def build_discriminator(self) -> keras.Model:
        height, width = self.img_shape[:2]
        f = self.filters

        def first(channels: int, name: str) -> keras.Model:
            return keras.Sequential(
                [
                    keras.Input((height, width, channels)),
                    layers.Conv2D(f, 4, strides=2, padding="same"),
                    layers.LeakyReLU(0.2),
                ],
                name=name,
            )

        shared = keras.Sequential(
            [
                keras.Input((height // 2, width // 2, f)),
                layers.Conv2D(2 * f, 4, strides=2, padding="same"),
                layers.LeakyReLU(0.2),
                layers.Flatten(),
                layers.Dense(1, activation="sigmoid"),
            ],
            name="d_shared",
        )
        inputs = keras.Input(self.img_shape)
        a, b = self.split(inputs)
        d_a, d_b = first(self.domain_channels[0], "d_a"), first(self.domain_channels[1], "d_b")
        return keras.Model(inputs, [shared(d_a(a)), shared(d_b(b))], name="discriminator")

    def build_combined(self) -> keras.Model:
        return CombinedModel(self.generator, self.discriminator)

    # ------------------------------------------------------------------
    # The step: G reads noise; D_a and D_b score their own domain.
    # ------------------------------------------------------------------
    @property
    def can_sample_on_device(self) -> bool:
        """False: the two domains are two arrays of different counts, drawn on the host."""
        return False

    def generator_inputs(self, real: np.ndarray, labels=None) -> tuple:
        """Noise from `latent()`, as BaseGAN's (not the real batch, as a translation G reads)."""
        return BaseGAN.generator_inputs(self, real, labels)

    def discriminator_fakes(self, latent):
        """The joined pairs (G_a(z), G_b(z)), G in inference mode."""
        return self.generator(latent, training=False)

    def generator_objective(self, z) -> tuple:
        """The sum of both domains' adversarial losses, D frozen: the shared layers learn from both."""
        scores = self.scores(self.generator(z, training=True))
        loss_a, loss_b = (self.combined_loss(keras.ops.ones_like(s), s) for s in scores)
        loss = loss_a + loss_b
        return loss, {"g_loss": loss, "g_loss_a": loss_a, "g_loss_b": loss_b}

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def check_domain(self, domain: str) -> str:
        if domain not in DOMAINS:
            raise ValueError(
                f"Invalid value received for argument `domain`. Expected 'a' ({self.a_shape} images) or 'b' "
                f"({self.b_shape} images). Received: domain={domain!r}"
            )
        return domain

    def generate_from(self, latent, ema: bool = True, domain: str = "b") -> np.ndarray:
        """Domain `domain`'s images for explicit noise `latent` ("b" by default, as `interpolate` shows)."""
        self.check_domain(domain)
        a, b = self.split(super().generate_from(latent, ema))
        return a if domain == "a" else b

    def generate_pairs(self, n: int, *, seed: int | None = None, ema: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """`n` pairs (a, b), each drawn from one z: float32 in [-1, 1], (n, *a_shape) and (n, *b_shape)."""
        check_number("n", n, integer=True, low=1)
        joined = BaseGAN.generate_from(self, self.latent((n,), np.random.default_rng(seed)), ema)
        return self.split(joined)

    def generate(self, n: int, *, domain: str = "b", seed: int | None = None, ema: bool = True) -> np.ndarray:
        """`n` images of one domain ("b", the second, by default; "a"): one half of `generate_pairs`.

        Returns:
            float32 images in [-1, 1], (n, *b_shape) or (n, *a_shape).
        """
        self.check_domain(domain)
        a, b = self.generate_pairs(n, seed=seed, ema=ema)
        return a if domain == "a" else b

    def discriminate(self, images: np.ndarray, domain: str = "b") -> np.ndarray:
        """D_b's (or D_a's) score of each image of that domain, shape (N,), as `generate` draws them."""
        self.check_domain(domain)
        images = np.asarray(images, "float32")
        shape = self.a_shape if domain == "a" else self.b_shape
        if images.ndim != 4 or tuple(images.shape[1:]) != shape:
            raise ValueError(
                f"Expected images of domain {domain!r}, shape (N, {', '.join(map(str, shape))}). "
                f"Received: images.shape={images.shape}"
            )
        other = np.zeros(images.shape[:3] + (self.img_shape[-1] - shape[-1],), "float32")
        joined = np.concatenate([images, other] if domain == "a" else [other, images], axis=-1)
        scores = self.discriminator.predict(joined, batch_size=256, verbose=0)[DOMAINS.index(domain)]
        return scores.reshape(len(images))

    def translator_model(self, direction: str, ema: bool = True) -> keras.Model:
        raise ValueError(
            "CoGAN translates nothing: it draws pairs (a, b) from noise. Use generate_pairs(n), or a translation "
            "model (CycleGAN, UNIT-like models) to map your own images."
        )

    def sample_images(self, path, data=None):
        """Writes `sample_rows` rows of four pairs (a | b, a | b, ...) from fixed noise (seed 0)."""
        a, b = self.generate_pairs(4 * self.sample_rows, seed=0)
        if max(self.domain_channels) == 3:
            a, b = imaging.to_rgb(a), imaging.to_rgb(b)
        pairs = np.stack([a, b], axis=1).reshape((-1,) + a.shape[1:])
        return viz.save_grid(pairs, path, rows=self.sample_rows)

    def evaluate(self, data=None) -> dict[str, float]:
        """`measure()`: CoGAN has no translations to compare with targets."""
        return self.measure(data)

    def measure(self, data=None, n: int = 10000) -> dict[str, float]:
        """What odog's classifiers read in `n` generated pairs, on an MNIST task (`digits2textured`).

        `same_digit`: the share of pairs whose two images the domains'
        classifiers read as one digit; `same_digit_independent`: the same for
        pairs of images from two independent z (chance, about 10% for a model
        that draws every digit); `fd_a`, `fd_b`: each domain's classifier
        Frechet distance to that domain's real test images; `coverage_a`,
        `coverage_b`: how evenly the digits are drawn (1 = as in the test set).

        Args:
            data: `Domains` of an MNIST task (its classifiers); None: the task
                the model trained on.
            n: pairs to draw (seed 0; the independent ones: seeds 1 and 2).
        """
        check_number("n", n, integer=True, low=2)
        data = self.test_data() if data is None else data
        if data.classifiers is None:
            raise ValueError(
                f"measure() reads digits back with odog's classifiers, so it needs one of the MNIST tasks "
                f"{sorted(translation.TASKS)}; {data.name} has none."
            )
        name_a, name_b = data.classifiers
        a, b = self.generate_pairs(n, seed=0)
        read_a, read_b = metrics.predicted_labels(a, name_a), metrics.predicted_labels(b, name_b)
        alone_a = metrics.predicted_labels(self.generate(n, domain="a", seed=1), name_a)
        alone_b = metrics.predicted_labels(self.generate(n, domain="b", seed=2), name_b)
        scores_a, scores_b = metrics.evaluate(a, name_a), metrics.evaluate(b, name_b)
        return {
            "same_digit": float((read_a == read_b).mean()),
            "same_digit_independent": float((alone_a == alone_b).mean()),
            "fd_a": scores_a["fd"],
            "fd_b": scores_b["fd"],
            "coverage_a": scores_a["coverage"],
            "coverage_b": scores_b["coverage"],
        }
