"""`TranslationGAN`: the image-to-image models' shared shape (pix2pix, CycleGAN, ...).

A translation model learns G: A -> B (and, two-way, F: B -> A) from two
domains of images (`odog.data.translation`). Its training examples are both
domains joined on the channel axis, (H, W, C_a + C_b), so BaseGAN's step,
loop, checkpoints and callbacks run unchanged:

- one-way (pix2pix): `generator` maps A to B; the conditional
  `discriminator` scores a joined (input, output) pair, which is exactly what
  a joined real batch is; its fakes are (a, G(a)).
- two-way (CycleGAN, DiscoGAN, DualGAN): `generator` maps a joined batch
  (a, b) to (F(b), G(a)) with its two translators as the layers `g_ab` and
  `g_ba`; `discriminator` maps (a, b) to [D_A(a), D_B(b)] with `d_a` and
  `d_b`. Applying `generator` twice is the cycle, (F(G(a)), G(F(b))); to the
  swapped batch (b, a), the identity mapping.

A variant writes `translator()` and `critic()` (its networks) and its
`generator_objective()`; discriminators that score patches get their targets
broadcast over the patches here.
"""

import os
from pathlib import Path

import keras
import numpy as np
from keras import ops

from odog import data as data_lib
from odog import imaging, metrics, viz
from odog.base import BaseGAN
from odog.data import translation
from odog.losses import binary_accuracy, least_squares, mean_absolute_error
from odog.models import CombinedModel
from odog.validation import check_number

__all__ = ["ImagePool", "TranslationGAN"]

A2B, B2A = "a2b", "b2a"


class TranslationGAN(BaseGAN):
    """Base class of the image-to-image translation GANs.

    Args:
        dataset: the training data (`odog.data.translation.load`): a tuple of
            two image arrays (paired models: `(inputs, targets)`; unpaired:
            `(domain_a, domain_b)`), a pix2pix-style folder of side-by-side
            pairs, a CycleGAN-style folder (trainA/, trainB/), or a task
            name; None: the variant's offline MNIST task (`default_task`).
        direction: "AtoB", or "BtoA" to learn the map from B to A.
        filters: the networks' base width.
        domain_channels: (C_a, C_b), for a model rebuilt from a checkpoint
            without its data; read from the data otherwise.
        **kwargs: passed to `BaseGAN` (image_size and channels for folders,
            learning_rate, ema, seed, ...).
    """

    two_way = False
    paired = True
    default_task = "edges2digits"
    loss = staticmethod(least_squares)
    interpolates = False
    default_batch_size = 16
    sample_rows = 8
    # Measured on 2 CPU cores, batch 16: pix2pix's step takes 35 ms without XLA, 61 ms with it.
    jit_compile = False

    def __init__(
        self,
        dataset=None,
        *,
        direction: str = "AtoB",
        filters: int = 32,
        domain_channels: tuple[int, int] | None = None,
        **kwargs,
    ):
        check_number("filters", filters, integer=True, low=1)
        if direction not in translation.DIRECTIONS:
            raise ValueError(
                f"Invalid value received for argument `direction`. Expected one of {translation.DIRECTIONS}. "
                f"Received: direction={direction!r}"
            )
        if dataset is None:
            dataset = self.default_task
            self.record_config(dataset=dataset)
        if isinstance(dataset, tuple):  # arrays: validate now, at the door
            dataset = translation.from_arrays(*dataset, paired=self.paired)
        elif self.paired and isinstance(dataset, (str, os.PathLike)) and translation.is_unpaired_folder(Path(dataset)):
            raise ValueError(
                f"{type(self).__name__} learns from pairs, and {dataset} holds two unpaired domains (trainA/, "
                "trainB/). Pass a folder of side-by-side pairs or (inputs, targets) arrays, or train an unpaired "
                "model (CycleGAN, DiscoGAN, DualGAN) on it."
            )
        if isinstance(dataset, str) and dataset in translation.TASKS and kwargs.get("image_size") not in (None, 28):
            raise ValueError(
                f"The task {dataset!r} has 28x28 images; image_size is for folders. Received: "
                f"image_size={kwargs['image_size']}"
            )
        if isinstance(dataset, data_lib.Unavailable):
            if domain_channels is None:
                raise ValueError("A translation model rebuilt without its data needs domain_channels=(C_a, C_b).")
            channels_ab = tuple(domain_channels)
        else:
            a, b = translation.shapes(dataset, kwargs.get("image_size"), kwargs.get("channels"))
            if a[:2] != b[:2]:
                raise ValueError(f"Both domains must have images of one size. Received {a} and {b}.")
            channels_ab = (a[-1], b[-1]) if direction == "AtoB" else (b[-1], a[-1])
        self.direction, self.filters = direction, filters
        self.domain_channels = tuple(int(c) for c in channels_ab)
        self.record_config(domain_channels=list(self.domain_channels))
        super().__init__(dataset, **kwargs)

    @classmethod
    def dataset_shape(cls, dataset, image_size=None, channels=None) -> tuple:
        if dataset is None:
            dataset = cls.default_task
        if isinstance(dataset, data_lib.Unavailable):
            return dataset.shape
        a, b = translation.shapes(dataset, image_size, channels)
        return tuple(a[:2]) + (a[-1] + b[-1],)

    # ------------------------------------------------------------------
    # Domains.
    # ------------------------------------------------------------------
    @property
    def a_shape(self) -> tuple:
        return tuple(self.img_shape[:2]) + (self.domain_channels[0],)

    @property
    def b_shape(self) -> tuple:
        return tuple(self.img_shape[:2]) + (self.domain_channels[1],)

    def split(self, joined):
        """`(a, b)` of a joined batch (tensor or array)."""
        c = self.domain_channels[0]
        return joined[..., :c], joined[..., c:]

    def load_data(self, split: str = "train") -> translation.Domains:
        """A split of `dataset`, read as this model reads it (size, channels, direction)."""
        return translation.load(
            self.dataset,
            self.paired,
            image_size=self.image_size,
            channels=self.channels,
            direction=self.direction,
            split=split,
            max_images=self.max_images,
        )

    def test_data(self) -> translation.Domains:
        """The test split of the training source (a task, or a folder with test/ or testA/, testB/)."""
        if not isinstance(self.dataset, (str, os.PathLike)):
            raise ValueError("Arrays carry no test split: pass held-out images to evaluate(data=(a, b)).")
        return self.load_data("test")

    # ------------------------------------------------------------------
    # Networks: a variant writes `translator` and `critic`.
    # ------------------------------------------------------------------
    def translator(self, input_shape: tuple, out_channels: int, name: str) -> keras.Model:
        """A network translating images of `input_shape` into `out_channels` channels."""
        raise NotImplementedError(f"{type(self).__name__} must implement translator().")

    def critic(self, input_shape: tuple, name: str) -> keras.Model:
        """A discriminator of images of `input_shape` (one score, or one per patch)."""
        raise NotImplementedError(f"{type(self).__name__} must implement critic().")

    def build_generator(self) -> keras.Model:
        ca, cb = self.domain_channels
        if not self.two_way:
            return self.translator(self.a_shape, cb, "generator")
        g_ab, g_ba = self.translator(self.a_shape, cb, "g_ab"), self.translator(self.b_shape, ca, "g_ba")
        inputs = keras.Input(self.img_shape)
        a, b = self.split(inputs)
        return keras.Model(inputs, keras.layers.Concatenate()([g_ba(b), g_ab(a)]), name="generator")

    def build_discriminator(self) -> keras.Model:
        if not self.two_way:  # conditional: scores (input, output) pairs
            return self.critic(self.img_shape, "discriminator")
        d_a, d_b = self.critic(self.a_shape, "d_a"), self.critic(self.b_shape, "d_b")
        inputs = keras.Input(self.img_shape)
        a, b = self.split(inputs)
        return keras.Model(inputs, [d_a(a), d_b(b)], name="discriminator")

    def build_combined(self) -> keras.Model:
        if self.two_way:
            return CombinedModel(self.generator, self.discriminator)

        def connect(a):
            return self.discriminator(keras.layers.Concatenate()([a, self.generator(a)]))

        return CombinedModel(self.generator, self.discriminator, connect=connect, input_shapes=[self.a_shape])

    # ------------------------------------------------------------------
    # The step.
    # ------------------------------------------------------------------
    def train_on_batch(self, a: np.ndarray, b: np.ndarray | None = None, *, record: bool = True) -> dict:
        """One iteration on a batch of `a` images and their targets (or unpaired `b` images).

        `a` may also be a joined batch (N, H, W, C_a + C_b) with `b` None, as
        the training loop passes it.
        """
        if b is not None:
            a, b = np.asarray(a, "float32"), np.asarray(b, "float32")
            if a.shape[:-1] != b.shape[:-1]:
                raise ValueError(
                    f"Expected batches of a and b images of one count and size. Received a.shape={a.shape}, "
                    f"b.shape={b.shape}"
                )
            a = np.concatenate([a, b], axis=-1)
        return super().train_on_batch(a, record=record)

    def generator_inputs(self, real: np.ndarray, labels=None) -> tuple:
        """G's inputs come from the real batches themselves."""
        return real, real[-1]

    def joined_fakes(self, joined, training: bool):
        """What D scores as fake for a joined real batch: (a, G(a)) one-way, (F(b), G(a)) two-way."""
        if self.two_way:
            return self.generator(joined, training=training)
        a, _ = self.split(joined)
        return ops.concatenate([a, self.generator(a, training=training)], axis=-1)

    def discriminator_fakes(self, latent):
        return self.joined_fakes(latent, training=False)

    def scores(self, images, training: bool = True) -> list:
        """D's outputs for joined images, as a list (one per critic)."""
        scores = self.discriminator(images, training=training)
        return list(scores) if isinstance(scores, (list, tuple)) else [scores]

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        pred_real, pred_fake = self.scores(real), self.scores(fake)

        def on_patches(targets, scores):
            # One target per image, repeated over its patches, and over the batches of fakes a step may join
            # (BicycleGAN's two paths).
            targets = ops.reshape(targets, (-1,) + (1,) * (len(scores.shape) - 1))
            targets = ops.tile(targets, (scores.shape[0] // targets.shape[0],) + (1,) * (len(scores.shape) - 1))
            return ops.broadcast_to(targets, ops.shape(scores))

        loss_real = sum(self.loss(on_patches(real_targets, p), p) for p in pred_real) / len(pred_real)
        loss_fake = sum(self.loss(on_patches(fake_targets, p), p) for p in pred_fake) / len(pred_fake)
        accuracy = sum(
            binary_accuracy(ops.ones_like(r), r, self.decision_threshold)
            + binary_accuracy(ops.zeros_like(f), f, self.decision_threshold)
            for r, f in zip(pred_real, pred_fake, strict=True)
        ) / (2 * len(pred_real))
        loss = 0.5 * (loss_real + loss_fake)
        logs = {"d_loss": loss, "d_loss_real": loss_real, "d_loss_fake": loss_fake, "d_acc": accuracy}
        logs["d_real"] = sum(ops.mean(p) for p in pred_real) / len(pred_real)
        logs["d_fake"] = sum(ops.mean(p) for p in pred_fake) / len(pred_fake)
        return loss, logs

    # Two-way models: the weight of the cycle loss, of the identity loss (0: none), and the distance both use.
    cycle_weight = 10.0
    identity_weight = 0.0

    def reconstruction_error(self, images, targets):
        """The cycle and identity distance: the mean absolute error (DiscoGAN: squared)."""
        return mean_absolute_error(images, targets)

    def generator_objective(self, z) -> tuple:
        """Two-way: adversarial + cycle_weight * |F(G(a)) - a|, |G(F(b)) - b| (+ identity_weight * |G(b) - b|, ...).

        `generator` maps the joined (a, b) to (F(b), G(a)); applied to those
        fakes it returns the cycle (F(G(a)), G(F(b))), and applied to the
        swapped (b, a) it returns (F(a), G(b)), which the identity loss ties
        to (a, b). One-way variants write their own.
        """
        fakes = self.generator(z, training=True)
        adversarial = self.adversarial_loss(fakes)
        cycle = self.reconstruction_error(self.generator(fakes, training=True), z)
        loss = adversarial + self.cycle_weight * cycle
        logs = {"adversarial_loss": adversarial, "cycle_loss": cycle}
        if self.identity_weight:
            a, b = self.split(z)
            identity = self.reconstruction_error(self.generator(ops.concatenate([b, a], axis=-1), training=True), z)
            loss += self.identity_weight * identity
            logs["identity_loss"] = identity
        return loss, {"g_loss": loss, **logs}

    def adversarial_loss(self, fakes):
        """G's adversarial loss for joined fakes, summed over the critics (D frozen)."""
        return sum(self.combined_loss(ops.ones_like(p), p) for p in self.scores(fakes))

    # ------------------------------------------------------------------
    # Using it.
    # ------------------------------------------------------------------
    def translator_model(self, direction: str, ema: bool = True) -> keras.Model:
        """The network that translates `direction` ("a2b" or "b2a")."""
        if direction not in (A2B, B2A) or (direction == B2A and not self.two_way):
            expected = f"'{A2B}' or '{B2A}'" if self.two_way else f"'{A2B}' ({type(self).__name__} learns A -> B only)"
            raise ValueError(
                f"Invalid value received for argument `direction`. Expected {expected}. Received: {direction!r}"
            )
        generator = self.sampler(ema)
        return generator.get_layer(f"g_{direction[0]}{direction[2]}") if self.two_way else generator

    def translation_input(self, images: np.ndarray, direction: str, **options):
        """The translator's input for `images` (BicycleGAN adds a latent code)."""
        if options:
            raise ValueError(f"{type(self).__name__}.translate takes no {', '.join(map(repr, options))}.")
        return images

    def translate(self, images, direction: str = A2B, *, ema: bool = True, **options) -> np.ndarray:
        """Translates images of one domain into the other.

        Args:
            images: (N, H, W, C) of the training images' size and the source
                domain's channels, uint8 or floats in [-1, 1]; (N, H, W) for
                one channel.
            direction: "a2b" (default) or, for two-way models, "b2a".
            ema: use the moving average of G's weights when it has one.
            **options: a variant's own (BicycleGAN: `z=`, `seed=`).

        Returns:
            float32 images in [-1, 1], (N, H, W, C of the target domain).
        """
        model = self.translator_model(direction, ema)
        shape = self.a_shape if direction == A2B else self.b_shape
        images = np.asarray(images)
        received = images.shape
        if images.ndim == 3 and shape[-1] == 1:
            images = images[..., None]
        if images.ndim != 4 or tuple(images.shape[1:]) != shape or not len(images):
            raise ValueError(
                f"Expected images of shape (N, {', '.join(map(str, shape))}) to translate {direction} (the training "
                f"images' size and the {'A' if direction == A2B else 'B'} domain's channels). "
                f"Received: images.shape={received}"
            )
        images = data_lib.from_arrays(images).images if images.shape[-1] in (1, 3) else images.astype("float32")
        inputs = self.translation_input(images, direction, **options)
        return np.clip(model.predict(inputs, batch_size=128, verbose=0), -1.0, 1.0).astype("float32")

    def generate(self, n: int, *, seed: int | None = None, ema: bool = True) -> np.ndarray:
        """Translates `n` training inputs drawn at random (a2b).

        A translation G has no noise to sample; this shows what it does to
        inputs it knows. For your own images use `translate()`.
        """
        check_number("n", n, integer=True, low=1)
        rng = np.random.default_rng(seed)
        a = self.data.a[rng.choice(len(self.data.a), n, replace=n > len(self.data.a))]
        return self.translate(a, A2B, ema=ema, **self.generation_options(rng))

    def real_samples(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """`n` training images of domain B, what `generate()`'s translations imitate."""
        return self.data.b[rng.choice(len(self.data.b), n, replace=n > len(self.data.b))]

    def generation_options(self, rng: np.random.Generator) -> dict:
        """`translate()` options for `generate()` (BicycleGAN: a seeded code)."""
        return {}

    def sample_columns(self, a: np.ndarray, b: np.ndarray) -> list[np.ndarray]:
        """The columns of a sample grid: input | output | target, or both cycles two-way."""
        if not self.two_way:
            return [a, self.translate(a), b]
        a2b, b2a = self.translate(a, A2B), self.translate(b, B2A)
        return [a, a2b, self.translate(a2b, B2A), b, b2a, self.translate(b2a, A2B)]

    def sample_images(self, path, data: translation.Domains | None = None):
        """Writes a grid of `sample_rows` fixed examples (the first of the test split when there is one)."""
        if data is None:
            data = self._sample_data()
        n = min(self.sample_rows, len(data.a), len(data.b))
        columns = [
            imaging.to_rgb(c) if max(self.domain_channels) == 3 else c
            for c in self.sample_columns(data.a[:n], data.b[:n])
        ]
        return viz.save_grid(np.stack(columns, axis=1).reshape((-1,) + columns[0].shape[1:]), path, rows=n)

    def _sample_data(self) -> translation.Domains:
        """The test split when there is one, else the training data; read once."""
        if getattr(self, "_samples", None) is None:
            try:
                self._samples = self.test_data()
            except (ValueError, OSError):
                self._samples = self.data
        return self._samples

    def evaluate(self, data: translation.Domains | tuple | None = None) -> dict[str, float]:
        """L1, PSNR and SSIM of a2b translations to their targets (paired data), and cycle L1 (two-way).

        Args:
            data: held-out `Domains` or a tuple of arrays; None: `test_data()`.
        """
        if data is None:
            data = self.test_data()
        elif isinstance(data, tuple):
            data = translation.from_arrays(*data, paired=self.paired)
        scores = {}
        a2b = self.translate(data.a, A2B)
        if data.paired:
            scores.update(
                l1=float(np.abs(a2b - data.b).mean()), psnr=metrics.psnr(a2b, data.b), ssim=metrics.ssim(a2b, data.b)
            )
        if self.two_way:
            scores["cycle_l1_a"] = float(np.abs(self.translate(a2b, B2A) - data.a).mean())
            scores["cycle_l1_b"] = float(np.abs(self.translate(self.translate(data.b, B2A), A2B) - data.b).mean())
        return scores

    def measure(self, data: translation.Domains | None = None) -> dict[str, float]:
        """`evaluate()` plus what odog's classifiers read in the translations, on an MNIST task's test split.

        `digit_a2b`: the share of a2b outputs that the target domain's
        classifier reads as the input's digit; `relation_a2b`: the share that
        follows the best one-to-one map of digits to digits (Hungarian
        matching, as `metrics.cluster_accuracy`), so a model that turns every
        3 into an 8 and every 8 into a 3 keeps a relation without keeping
        the digit; `fd_a2b`: the outputs' classifier Frechet distance to that
        domain's real test images. Two-way models also get the b2a scores.

        Args:
            data: `Domains` with digit labels and classifiers (an MNIST task,
                `odog.data.translation.task`); None: `test_data()`.
        """
        data = self.test_data() if data is None else data
        if data.classifiers is None or data.labels_a is None:
            raise ValueError(
                f"measure() reads digits back with odog's classifiers, so it needs one of the MNIST tasks "
                f"{sorted(translation.TASKS)}; {data.name} has no digit labels. Use evaluate() for L1, PSNR and SSIM."
            )
        scores = self.evaluate(data)
        for direction, source, labels, target in (
            (A2B, data.a, data.labels_a, data.classifiers[1]),
            (B2A, data.b, data.labels_b, data.classifiers[0]),
        ):
            if direction == B2A and not self.two_way:
                break
            output = self.translate(source, direction)
            read = metrics.predicted_labels(output, target)
            scores[f"digit_{direction}"] = float((read == labels).mean())
            scores[f"relation_{direction}"] = metrics.cluster_accuracy(labels, read)["accuracy"]
            scores[f"fd_{direction}"] = metrics.evaluate(output, target)["fd"]
        return scores


class ImagePool:
    """A buffer of past fakes that D sees instead of the newest ones half of the time (CycleGAN, after
    Shrivastava et al., 2017), so that D does not forget what G used to make.

    Until `size` fakes are stored, each batch is stored and passed on; then
    each fake, with probability 1/2, replaces a random stored one and the
    stored one is shown to D. The pool is two variables updated inside the
    compiled step, and saved in checkpoints.

    Example:
    >>> pool = ImagePool(4, (2, 2, 1), keras.random.SeedGenerator(0))
    >>> first = pool.query(np.ones((4, 2, 2, 1), "float32"))
    >>> float(np.asarray(first).mean()), int(pool.count.numpy())
    (1.0, 4)
    >>> later = np.asarray(pool.query(np.zeros((8, 2, 2, 1), "float32")))
    >>> sorted(set(later.reshape(8, -1).mean(axis=1).tolist())) in ([0.0, 1.0], [0.0], [1.0])
    True
    """

    def __init__(self, size: int, shape: tuple, seed_generator: keras.random.SeedGenerator):
        check_number("size", size, integer=True, low=1)
        self.size = size
        self.images = keras.Variable(np.zeros((size, *shape), "float32"), trainable=False, name="pool_images")
        self.count = keras.Variable(0, dtype="int32", trainable=False, name="pool_count")
        self.seed_generator = seed_generator

    @property
    def variables(self) -> list:
        return [self.images, self.count]

    def query(self, fakes):
        """The batch D sees for `fakes`; updates the pool."""
        n = fakes.shape[0]
        filling = self.count < self.size
        stored_at = ops.mod(self.count + ops.arange(n, dtype="int32"), self.size)
        swap = keras.random.uniform((n,), seed=self.seed_generator) < 0.5
        picks = keras.random.randint((n,), 0, self.size, seed=self.seed_generator, dtype="int32")
        old = ops.take(self.images, picks, axis=0)
        per_image = (-1,) + (1,) * (len(fakes.shape) - 1)
        shown = ops.where(ops.reshape(ops.logical_or(filling, ops.logical_not(swap)), per_image), fakes, old)
        at = ops.where(filling, stored_at, picks)
        kept = ops.where(
            ops.reshape(ops.logical_or(filling, swap), per_image), fakes, ops.take(self.images, at, axis=0)
        )
        self.images.assign(ops.scatter_update(self.images, ops.expand_dims(at, 1), kept))
        self.count.assign(ops.minimum(self.count + n, self.size))
        return shown
