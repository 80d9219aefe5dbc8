"""`ConditionalGAN`: what every class-conditional variant shares.

G takes `[z, y]` with y a one-hot class vector; training batches carry their
labels; `generate(n, labels=...)` returns images of the requested classes;
the sample grid has one row per class. Labels are checked with messages that
say what was expected. CGAN and ACGAN subclass it and add only how D uses y.
"""

import keras
import numpy as np
from keras import layers

from odog import data as data_lib
from odog import viz
from odog.base import BaseGAN
from odog.validation import check_number


class ConditionalGAN(BaseGAN):
    """Base class of the class-conditional GANs.

    Args:
        dataset: a named dataset (with labels), `(images, labels)`, or a
            folder with one subfolder of images per class (`cat/`, `dog/`).
        num_classes: number of classes; read from the dataset when omitted.
        class_names: a name per class, which `generate(labels=...)`, the
            CLI and the grids accept in place of its number; read from a
            folder's subfolders when omitted.
        **kwargs: passed to the next base class (`DCGAN`, `BaseGAN`).
    """

    uses_labels = True
    conditions = ("labels",)

    def __init__(
        self, dataset="mnist", *, num_classes: int | None = None, class_names: list[str] | None = None, **kwargs
    ):
        class_names = data_lib.class_names(dataset) if class_names is None else list(class_names)
        found = data_lib.num_classes(dataset)
        if num_classes is None and found is None and class_names is None:
            raise ValueError(
                f"{type(self).__name__} needs class labels. Pass a named dataset such as 'mnist', "
                "dataset=(images, labels), a folder with one subfolder per class, or num_classes=."
            )
        num_classes = next(n for n in (num_classes, found, class_names and len(class_names)) if n is not None)
        check_number("num_classes", num_classes, integer=True, low=2)
        if class_names is not None and (
            len(class_names) != num_classes
            or len(set(class_names)) != num_classes
            or not all(isinstance(name, str) and name for name in class_names)
        ):
            raise ValueError(
                f"Invalid value received for argument `class_names`. Expected {num_classes} different non-empty "
                f"strings, one per class. Received: class_names={class_names!r}"
            )
        self.num_classes = int(num_classes)
        self.class_names = class_names
        self.record_config(num_classes=self.num_classes, class_names=class_names)
        super().__init__(dataset, **kwargs)

    def build_generator(self) -> keras.Model:
        """The parent's G on the concatenation [z, y] (the CGAN paper's input).

        Keras-GAN multiplied z by a label embedding instead. Then every class
        gives the same distribution of inputs up to per-coordinate scale
        (z is symmetric), so G must infer the class from variances; measured
        in docs/cgan.md, that CGAN drew the requested digit 88.7% of the time.
        """
        body = super().build_generator(input_dim=self.latent_dim + self.num_classes)
        z = keras.Input((self.latent_dim,), name="z")
        y = keras.Input((self.num_classes,), name="label")
        return keras.Model([z, y], body(layers.Concatenate()([z, y])), name="generator")

    @property
    def sample_grid(self) -> tuple[int, int]:
        return (self.num_classes, 10)  # one row per class

    def check_labels(self, labels, n: int) -> np.ndarray:
        """Integer labels of shape (n,), from an int, ints, or one-hot rows.

        Example:
        >>> from odog import CGAN
        >>> gan = CGAN(dataset=(np.zeros((4, 28, 28, 1)), np.array([0, 1, 2, 3])))
        >>> gan.check_labels(2, 3).tolist(), gan.check_labels(np.eye(4)[[3, 0]], 2).tolist()
        ([2, 2, 2], [3, 0])
        >>> gan.check_labels([0, 7], 2)
        Traceback (most recent call last):
        ...
        ValueError: Invalid value received for argument `labels`. Expected class labels in [0, 3]. Received: 7
        """
        k = self.num_classes
        array = np.asarray(labels)
        if array.dtype.kind in "US":
            array = self._class_numbers(array)
        if array.ndim == 0:
            array = np.full(n, array)
        if array.ndim == 2:
            if array.shape[1] != k:
                raise ValueError(
                    f"Invalid value received for argument `labels`. Expected one-hot rows of width "
                    f"{k} (num_classes). Received: labels.shape={array.shape}"
                )
            if not (np.isin(array, (0, 1)).all() and (array.sum(axis=1) == 1).all()):
                raise ValueError("Invalid value received for argument `labels`. Expected one-hot rows (one 1 each).")
            array = array.argmax(axis=1)
        if array.ndim != 1 or len(array) != n:
            raise ValueError(
                f"Invalid value received for argument `labels`. Expected {n} labels, one per image. "
                f"Received: labels.shape={array.shape}"
            )
        if array.dtype.kind not in "iub" and not (array.dtype.kind == "f" and np.all(array == np.round(array))):
            raise ValueError(f"Invalid value received for argument `labels`. Expected integers. Received: {array[:5]}")
        bad = array[(array < 0) | (array >= k)]
        if len(bad):
            raise ValueError(
                f"Invalid value received for argument `labels`. Expected class labels in [0, {k - 1}]. "
                f"Received: {bad[0]}"
            )
        return array.astype("int64")

    def _class_numbers(self, names: np.ndarray) -> np.ndarray:
        """Class numbers for class names (`labels="cat"`)."""
        if self.class_names is None:
            raise ValueError(
                f"Invalid value received for argument `labels`. This {type(self).__name__} has no class names (it "
                f"was trained on numbered classes): pass class numbers in [0, {self.num_classes - 1}]. "
                f"Received: {names.reshape(-1)[0]!r}"
            )
        unknown = [str(name) for name in names.reshape(-1) if name not in self.class_names]
        if unknown:
            raise ValueError(
                f"Invalid value received for argument `labels`. Expected one of the class names {self.class_names} "
                f"or class numbers. Received: {unknown[0]!r}"
            )
        return np.vectorize(self.class_names.index, otypes=["int64"])(names)

    def condition(self, labels: np.ndarray) -> np.ndarray:
        """The vector G and D receive for checked labels: one-hot rows."""
        return np.eye(self.num_classes, dtype="float32")[labels]

    def latent(self, shape: tuple, rng: np.random.Generator | None = None, labels: np.ndarray | None = None):
        rng = self.rng if rng is None else rng
        if labels is None:
            labels = rng.integers(0, self.num_classes, shape)
        return [self.sample_noise(shape, rng), self.condition(labels)]

    def split_noise(self, latent) -> tuple:
        noise, *conditions = latent
        return noise, lambda other: [other, *conditions]

    def real_input(self, images: np.ndarray, labels: np.ndarray):
        return [images, self.condition(labels)]

    def discriminator_input(self, fake, latent):
        return [fake, latent[1]]

    def discriminate(self, images: np.ndarray, labels=None) -> np.ndarray:
        """D's validity score of each image (with its label, when D takes one)."""
        images = np.asarray(images, dtype="float32")
        inputs = images
        if len(self.discriminator.inputs) > 1:
            if labels is None:
                raise ValueError(f"{type(self).__name__}'s discriminator judges an image with its label: pass labels=.")
            inputs = [images, self.condition(self.check_labels(labels, len(images)))]
        scores = self.discriminator.predict(inputs, batch_size=256, verbose=0)
        scores = scores[0] if isinstance(scores, list) else scores  # ACGAN: [validity, class]
        return scores.reshape(len(images), -1).mean(axis=1)

    def generation_input(self, n: int, rng: np.random.Generator, labels=None):
        """G's input for `generate(n, labels=...)`: `labels` is one class for
        all, `n` class indices or names, or `n` one-hot rows; None cycles
        through the classes (0, 1, 2, ...)."""
        labels = np.arange(n) % self.num_classes if labels is None else self.check_labels(labels, n)
        return self.latent((n,), rng, labels)

    def sample_images(self, path):
        """Writes a grid with one row per class, from fixed noise (seed 0)."""
        rows, cols = self.sample_grid
        labels = np.repeat(np.arange(rows), cols)
        return viz.save_grid(
            self.generate(rows * cols, labels=labels, seed=0), path, rows=rows, row_labels=self.class_names
        )
