"""PixelDA (Bousmalis et al., 2017): pixel-level domain adaptation, a GAN that makes labelled source images
look like the target domain, and a classifier trained on them.

A classifier trained on one domain (MNIST digits, with labels) reads another
(digits through colour textures, labels unknown) badly. PixelDA adapts the
pixels instead of the features: G(x_s, z) redraws a source image in the
target domain's style (a residual network at full resolution, so the digit
stays where it was) and a PatchGAN D judges G's outputs against real target
images. A task classifier T learns the source labels on G's adapted images
and on the source images themselves, and trains with G, so G keeps what T
needs to read the class. T is then a classifier of the target domain,
trained without one target label:

    L_D = LSGAN(D(x_t), D(G(x_s, z)))
    L_G,T = adversarial_weight * LSGAN_G(D(G(x_s, z))) + task_weight * 0.5 (CE(T(G(x_s, z)), y_s) + CE(T(x_s), y_s))

with Keras-GAN's pixelda.py weights (10 and 1) and its least-squares patch
loss; Adam(2e-4, 0.5) for D and for G with T. The paper's optional
content-similarity loss (for foreground masks of rendered objects) is left
out: MNIST's digits have no masks.
"""

import keras
import numpy as np
from keras import layers, ops

from odog import data as data_lib
from odog import metrics, networks
from odog.base import BaseGAN
from odog.data import translation
from odog.models import CombinedModel, float32_outputs
from odog.translation import A2B, TranslationGAN
from odog.validation import check_number


class LabelledDomains(translation.Domains):
    """Two unpaired domains whose source (A) carries labels: the training loop draws `(joined, labels of a)`.

    `images` (what `take` gives for every source image) and `len()` count
    the source images, as a labelled dataset does.
    """

    @property
    def labels(self) -> np.ndarray:
        return self.labels_a

    @property
    def images(self) -> np.ndarray:
        return self.take(np.arange(len(self.a)))

    def __len__(self) -> int:
        return len(self.a)

    def batches(self, batch_size: int, rng: np.random.Generator):
        while True:
            index_a, index_b = rng.integers(0, len(self.a), batch_size), rng.integers(0, len(self.b), batch_size)
            yield np.concatenate([self.a[index_a], self.b[index_b]], axis=-1), self.labels_a[index_a]

    def unpaired(self) -> "LabelledDomains":
        return self


def labelled(source, labels, target, classes: int) -> LabelledDomains:
    """Validates `(source images, their labels, target images)` arrays as `LabelledDomains`."""
    domains = translation.from_arrays(source, target, paired=False)
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == classes:  # one-hot rows
        labels = labels.argmax(axis=1)
    if labels.shape != (len(domains.a),) or labels.dtype.kind not in "iu":
        raise ValueError(
            f"Invalid `labels`: expected one integer class label per source image, shape ({len(domains.a)},). "
            f"Received: labels of shape {labels.shape} and dtype {labels.dtype}"
        )
    if labels.min() < 0 or labels.max() >= classes:
        raise ValueError(
            f"Invalid `labels`: expected class labels in [0, {classes - 1}] (classes={classes}). "
            f"Received labels in [{labels.min()}, {labels.max()}]: pass classes= to match them."
        )
    return LabelledDomains(domains.a, domains.b, False, "arrays", labels.astype("int64"))


class PixelDA(TranslationGAN):
    """Unsupervised pixel-level domain adaptation: G(source, z) -> target style, a PatchGAN D, a task classifier.

    Args:
        dataset: `(source_images, source_labels, target_images)` arrays (the
            target's labels are never used), or None for the offline task
            `digits2textured` (MNIST digits with their labels -> digits on
            colour textures, from the other half of MNIST).
        classes: number of classes of the source labels (10).
        latent_dim: size of the noise z, given to G as one extra input
            channel through a Dense layer (10, the paper's).
        residual_blocks: residual blocks of G (3; the paper's 6 of 64
            filters on 32x32 images).
        filters: width of G and base width of D (32).
        adversarial_weight: weight of G's adversarial loss (10, Keras-GAN's).
        task_weight: weight of the classifier's loss (1).
        **kwargs: passed to `TranslationGAN` and `BaseGAN` (learning_rate,
            ema, seed, ...).

    Example:
    >>> from odog import PixelDA
    >>> import numpy as np
    >>> source, target = np.zeros((6, 28, 28, 1), "float32"), np.ones((9, 28, 28, 3), "float32")
    >>> gan = PixelDA(dataset=(source, np.arange(6) % 3, target), classes=3, filters=4, residual_blocks=1, seed=0)
    >>> logs = gan.train_on_batch(source[:2], target[:2], labels=[0, 1])
    >>> gan.adapt(source[:2]).shape, gan.classify(target[:4]).shape
    ((2, 28, 28, 3), (4,))
    """

    name = "pixelda"
    paired = False
    default_task = "digits2textured"
    uses_labels = True
    default_batch_size = 32
    sample_rows = 8

    def __init__(
        self,
        dataset=None,
        *,
        classes: int = 10,
        latent_dim: int = 10,
        residual_blocks: int = 3,
        filters: int = 32,
        adversarial_weight: float = 10.0,
        task_weight: float = 1.0,
        **kwargs,
    ):
        check_number("classes", classes, integer=True, low=2)
        check_number("residual_blocks", residual_blocks, integer=True, low=0)
        check_number("adversarial_weight", adversarial_weight, low=0)
        check_number("task_weight", task_weight, low=0)
        self.classes, self.residual_blocks = classes, residual_blocks
        self.adversarial_weight, self.task_weight = adversarial_weight, task_weight
        dataset = self._checked(dataset, classes)
        super().__init__(dataset, latent_dim=latent_dim, filters=filters, **kwargs)

    @classmethod
    def _checked(cls, dataset, classes: int = 10):
        if isinstance(dataset, tuple) and len(dataset) == 3:
            return labelled(*dataset, classes=classes)
        if isinstance(dataset, tuple):
            raise ValueError(
                "PixelDA trains its classifier on the source domain's labels: pass dataset=(source_images, "
                f"source_labels, target_images), or None for the task digits2textured. Received a tuple of "
                f"{len(dataset)} arrays."
            )
        known = dataset is None or isinstance(dataset, (LabelledDomains, data_lib.Unavailable))
        if not known and not (isinstance(dataset, str) and dataset in translation.TASKS):
            raise ValueError(
                "PixelDA needs labelled source images, which image folders do not carry: pass dataset="
                f"(source_images, source_labels, target_images) or one of {sorted(translation.TASKS)}. "
                f"Received: dataset={dataset!r}"
            )
        return dataset

    @classmethod
    def dataset_shape(cls, dataset, image_size=None, channels=None) -> tuple:
        return super().dataset_shape(cls._checked(dataset), image_size, channels)

    def load_data(self, split: str = "train") -> LabelledDomains:
        domains = super().load_data(split)
        if domains.labels_a is None:
            raise ValueError(f"PixelDA needs the source domain's labels, and {domains.name} has none.")
        if isinstance(domains, LabelledDomains):
            return domains
        return LabelledDomains(
            domains.a, domains.b, False, domains.name, domains.labels_a, domains.labels_b, domains.classifiers
        )

    # ------------------------------------------------------------------
    # Networks.
    # ------------------------------------------------------------------
    def build_generator(self) -> keras.Model:
        height, width = self.a_shape[:2]
        image, z = keras.Input(self.a_shape), keras.Input((self.latent_dim,))
        noise = layers.Reshape((height, width, 1))(layers.Dense(height * width)(z))
        x = layers.Conv2D(self.filters, 3, padding="same")(layers.Concatenate()([image, noise]))
        x = layers.ReLU()(x)
        for _ in range(self.residual_blocks):
            y = layers.ReLU()(networks.normalization("batch")(layers.Conv2D(self.filters, 3, padding="same")(x)))
            y = networks.normalization("batch")(layers.Conv2D(self.filters, 3, padding="same")(y))
            x = layers.Add()([x, y])
        outputs = layers.Conv2D(self.b_shape[-1], 3, padding="same", activation="tanh")(x)
        return keras.Model([image, z], outputs, name="generator")

    def build_discriminator(self) -> keras.Model:
        critic = networks.patch_discriminator(self.b_shape, self.filters)
        inputs = keras.Input(self.img_shape)  # a joined (a, b): D judges the b part alone
        return keras.Model(inputs, critic(self.split(inputs)[1]), name="discriminator")

    def build_combined(self) -> keras.Model:
        # T trains with G: the G step's variables are the combined model's, so T is part of it.
        self.classifier = float32_outputs(metrics.build_classifier(self.b_shape, self.classes))

        def connect(inputs):
            joined, z = inputs
            a = self.split(joined)[0]
            fake = self.generator([a, z])
            return [self.discriminator(layers.Concatenate()([a, fake])), self.classifier(fake)]

        return CombinedModel(
            self.generator, self.discriminator, connect=connect, input_shapes=[self.img_shape, (self.latent_dim,)]
        )

    def variable_groups(self) -> dict[str, list]:
        return {**super().variable_groups(), "classifier": self.classifier.variables}

    # ------------------------------------------------------------------
    # The step.
    # ------------------------------------------------------------------
    def check_labels(self, labels, n: int) -> np.ndarray:
        """Integer source labels of shape (n,) in [0, classes)."""
        if labels is None:
            raise ValueError("PixelDA trains on labelled source images: pass the source images' labels.")
        array = np.asarray(labels)
        if array.shape != (n,) or array.dtype.kind not in "iu" or array.min() < 0 or array.max() >= self.classes:
            raise ValueError(
                f"Invalid value received for argument `labels`. Expected {n} integer class labels in "
                f"[0, {self.classes - 1}]. Received: shape {array.shape}, dtype {array.dtype}"
                + (f", values in [{array.min()}, {array.max()}]" if array.size and array.dtype.kind in "iuf" else "")
            )
        return array.astype("int32")

    def train_on_batch(self, a, b=None, labels=None, *, record: bool = True) -> dict:
        """One iteration on source images `a` with their `labels` and target images `b`.

        `a` may also be a joined batch (N, H, W, C_a + C_b), with `b` None or,
        as the training loop passes it, the labels in `b`'s place.
        """
        if b is not None and np.ndim(b) < 4 and labels is None:  # (joined, labels), from the loop
            b, labels = None, b
        if b is not None:
            a, b = np.asarray(a, "float32"), np.asarray(b, "float32")
            if a.shape[:-1] != b.shape[:-1]:
                raise ValueError(
                    f"Expected batches of a and b images of one count and size. Received a.shape={a.shape}, "
                    f"b.shape={b.shape}"
                )
            a = np.concatenate([a, b], axis=-1)
        return BaseGAN.train_on_batch(self, a, labels, record=record)

    def generator_inputs(self, real: np.ndarray, labels: np.ndarray | None = None) -> tuple:
        """`z_d`: [real batches, noise] per D step; `z_g`: [the last real batch, noise, its source labels]."""
        steps, batch = real.shape[:2]
        return [real, self.sample_noise((steps, batch))], [real[-1], self.sample_noise((batch,)), labels[-1]]

    def discriminator_fakes(self, latent):
        joined, z = latent
        a = self.split(joined)[0]
        return ops.concatenate([a, self.generator([a, z], training=False)], axis=-1)

    def task_loss(self, labels, images, training: bool = True):
        """T's mean cross-entropy on `images` (target-style) with `labels`."""
        probabilities = self.classifier(images, training=training)
        return ops.mean(keras.losses.sparse_categorical_crossentropy(labels, probabilities))

    def generator_objective(self, z) -> tuple:
        joined, noise, labels = z
        a = self.split(joined)[0]
        fake = self.generator([a, noise], training=True)
        adversarial = self.adversarial_loss(ops.concatenate([a, fake], axis=-1))
        task_adapted = self.task_loss(labels, fake)
        task_source = self.task_loss(labels, self.as_target(a))
        task = 0.5 * (task_adapted + task_source)
        loss = self.adversarial_weight * adversarial + self.task_weight * task
        return loss, {
            "g_loss": loss,
            "adversarial_loss": adversarial,
            "task_loss": task,
            "task_loss_adapted": task_adapted,
            "task_loss_source": task_source,
        }

    def as_target(self, images):
        """Source images given the target's channels (grey repeated to RGB), as T reads them."""
        source, target = self.domain_channels
        if source == target:
            return images
        if source == 1:
            return ops.repeat(images, target, axis=-1)
        return ops.mean(images, axis=-1, keepdims=True)

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def translation_input(self, images: np.ndarray, direction: str, *, z=None, seed: int | None = None):
        """`[images, z]`: the noise given, or drawn from N(0, 1) with `seed`."""
        n = len(images)
        if z is None:
            z = np.random.default_rng(seed).standard_normal((n, self.latent_dim), dtype="float32")
        z = np.asarray(z, "float32")
        if z.shape != (n, self.latent_dim):
            raise ValueError(
                f"Expected one noise vector per image, z of shape ({n}, {self.latent_dim}). Received: z.shape={z.shape}"
            )
        return [images, z]

    def generation_options(self, rng: np.random.Generator) -> dict:
        return {"seed": int(rng.integers(2**31))}

    def adapt(self, images, *, seed: int | None = None, z=None, ema: bool = True) -> np.ndarray:
        """Source images redrawn in the target domain's style: float32 in [-1, 1], (N, *b_shape).

        Args:
            images: (N, *a_shape) source images, uint8 or floats in [-1, 1].
            seed: seeds the noise z; z: the noise itself, (N, latent_dim).
            ema: use the moving average of G's weights.
        """
        return self.translate(images, A2B, ema=ema, seed=seed, z=z)

    def classify(self, images, *, batch_size: int = 500) -> np.ndarray:
        """T's class for each image, (N,): target-domain images (or adapted ones), floats in [-1, 1] or uint8."""
        images = np.asarray(images)
        received = images.shape
        if images.ndim == 3 and self.b_shape[-1] == 1:
            images = images[..., None]
        if images.ndim != 4 or tuple(images.shape[1:]) != self.b_shape or not len(images):
            raise ValueError(
                f"Expected target-domain images of shape (N, {', '.join(map(str, self.b_shape))}) to classify. "
                f"Received: images.shape={received}"
            )
        images = data_lib.from_arrays(images).images
        return self.classifier.predict(images, batch_size=batch_size, verbose=0).argmax(axis=1)

    def sample_columns(self, a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
        """source | four adaptations (noise seeds 0-3) | a target image."""
        return [a, *(self.adapt(a, seed=s) for s in range(4)), b]

    def measure(self, data=None) -> dict[str, float]:
        """T's accuracy on the target test images (`target_accuracy`) and on the source ones, and what odog's
        target classifier reads in the adapted test sources (`TranslationGAN.measure`: digit_a2b, fd_a2b).

        Args:
            data: `Domains` with labels of both domains (an MNIST task); None: `test_data()`.
        """
        data = self.test_data() if data is None else data
        if data.labels_b is None or data.labels_a is None:
            raise ValueError(
                "measure() scores the classifier on labelled test images of both domains: pass an MNIST task's "
                f"`Domains` ({sorted(translation.TASKS)}); {data.name} has no labels."
            )
        scores = super().measure(data)
        scores["target_accuracy"] = float((self.classify(data.b) == data.labels_b).mean())
        source = ops.convert_to_numpy(self.as_target(data.a))
        scores["source_accuracy"] = float((self.classify(source) == data.labels_a).mean())
        return scores
