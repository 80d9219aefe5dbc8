"""Tag-conditional GAN (the notes "GAN笔记——理论与实现"): generate from free-text tags such as "blue hair red eyes".

The conditions are multi-hot vectors over a vocabulary of tags, read from a
tagged folder (images/ plus tags.csv of `image_id,tags` lines, the anime-face
layout of the notes "GAN笔记——理论与实现") or given. G and D are CGAN's, with the multi-hot vector in
place of the one-hot class. D is matching-aware, as in the notes "GAN笔记——理论与实现" (and Reed et
al.'s GAN-CLS): it must call "real" only a real image with its own tags, and
"fake" a real image with wrong tags, a wrong image with the tags, and a
generated image. G therefore has to draw what the tags say, not just
something realistic.

On a named dataset such as MNIST, the tags are the class names, "class 0"
to "class 9".
"""

import os
from pathlib import Path

import numpy as np
from keras import ops

from odog import data as data_lib
from odog import tags as tags_lib
from odog import viz
from odog.losses import binary_accuracy, binary_crossentropy
from odog.variants.cgan import CGAN


def _is_tagged_folder(dataset) -> bool:
    return isinstance(dataset, (str, os.PathLike)) and (Path(dataset) / tags_lib.TAGS_FILE).is_file()


class TagGAN(CGAN):
    """GAN conditioned on free-text tags, with a matching-aware discriminator.

    Args:
        dataset: a tagged folder (images/ and tags.csv), or a named or
            `(images, labels)` dataset whose classes become the tags.
        vocabulary: the tags, e.g. ["blue hair", "red eyes", ...]; read
            from tags.csv (or the classes) when omitted.
        **kwargs: passed to `CGAN`, `DCGAN` and `BaseGAN` (image_size, ...).

    Example:
    >>> from odog import TagGAN
    >>> gan = TagGAN(dataset=(np.zeros((4, 28, 28, 1)), np.array([0, 1, 2, 3])))
    >>> gan.vocabulary
    ['class 0', 'class 1', 'class 2', 'class 3']
    >>> gan.generate(2, tags="class 2").shape
    (2, 28, 28, 1)
    >>> gan.generate(1, tags="class 7")
    Traceback (most recent call last):
    ...
    ValueError: Unknown tag 'class 7'. The vocabulary is: class 0, class 1, class 2, class 3.
    """

    name = "taggan"
    conditions = ("tags",)
    # Larger images use the paper's D; LayerNorm instead of BatchNorm there, so
    # that D judges each (image, tags) pair on its own, not by batch statistics.
    d_normalization = "layer"

    def __init__(self, dataset="mnist", *, vocabulary: list[str] | None = None, **kwargs):
        if vocabulary is None:
            if _is_tagged_folder(dataset):
                vocabulary = tags_lib.vocabulary_of(dataset)
            else:
                classes = data_lib.num_classes(dataset)
                if classes is None:
                    raise ValueError(
                        "TagGAN needs tags: pass a folder with images/ and tags.csv, a labelled dataset, "
                        "or vocabulary=[...]."
                    )
                vocabulary = [f"class {k}" for k in range(classes)]
        vocabulary = [" ".join(str(tag).lower().split()) for tag in vocabulary]
        if len(set(vocabulary)) != len(vocabulary) or not vocabulary:
            raise ValueError(f"The vocabulary must list distinct tags. Received: {vocabulary}")
        self.vocabulary = vocabulary
        self.record_config(vocabulary=vocabulary)
        kwargs.pop("num_classes", None)  # recorded in saved configs; the vocabulary decides it
        super().__init__(dataset, num_classes=len(vocabulary), **kwargs)

    def load_data(self) -> data_lib.Dataset:
        """The images with their tags as multi-hot labels."""
        if _is_tagged_folder(self.dataset):
            images, vectors = tags_lib.load_tagged(self.dataset, self.vocabulary, self.img_shape[0], self.img_shape[-1])
            return data_lib.Dataset(images.images, vectors, images.name)
        loaded = super().load_data()
        return data_lib.Dataset(loaded.images, np.eye(len(self.vocabulary), dtype="float32")[loaded.labels])

    def check_labels(self, labels, n: int) -> np.ndarray:
        """Multi-hot rows (n, len(vocabulary)) from text, n texts, or multi-hot rows."""
        if isinstance(labels, str):
            return np.tile(tags_lib.encode(labels, self.vocabulary), (n, 1))
        if isinstance(labels, (list, tuple)) and labels and all(isinstance(t, str) for t in labels):
            if len(labels) != n:
                raise ValueError(f"Expected {n} tag texts, one per image. Received {len(labels)}.")
            return np.stack([tags_lib.encode(t, self.vocabulary) for t in labels])
        array = np.asarray(labels, "float32")
        if array.ndim == 1 and array.shape[0] == len(self.vocabulary):
            array = np.tile(array, (n, 1))
        if array.shape != (n, len(self.vocabulary)) or not np.isin(array, (0, 1)).all():
            raise ValueError(
                f"Invalid value received for argument `tags`. Expected text such as {self.vocabulary[0]!r}, "
                f"{n} texts, or multi-hot rows of shape ({n}, {len(self.vocabulary)}). Received: shape {array.shape}"
            )
        return array

    def condition(self, labels: np.ndarray) -> np.ndarray:
        return np.asarray(labels, "float32")  # already multi-hot

    def latent(self, shape: tuple, rng: np.random.Generator | None = None, labels: np.ndarray | None = None):
        rng = self.rng if rng is None else rng
        if labels is None:  # tag combinations as they occur in the data
            rows = self.data.labels if self.data_loaded else np.eye(len(self.vocabulary), dtype="float32")
            labels = rows[rng.integers(0, len(rows), shape)]
        return [self.sample_noise(shape, rng), self.condition(labels)]

    def real_input(self, images: np.ndarray, labels: np.ndarray):
        # Wrong tags for each real image: the tags of another image of the batch.
        wrong = np.stack([step[self.rng.permutation(len(step))] for step in labels])
        return [images, labels, wrong]

    def discriminator_objective(self, real, fake, real_targets, fake_targets) -> tuple:
        images, tags, wrong_tags = real
        generated, generated_tags = fake
        d = self.discriminator
        s_real = d([images, tags], training=True)
        s_wrong_tags = d([images, wrong_tags], training=True)
        s_wrong_image = d([ops.roll(images, 1, axis=0), tags], training=True)
        s_fake = d([generated, generated_tags], training=True)
        loss_real = binary_crossentropy(real_targets, s_real)
        loss_fake = (
            binary_crossentropy(fake_targets, s_wrong_tags)
            + binary_crossentropy(fake_targets, s_wrong_image)
            + binary_crossentropy(fake_targets, s_fake)
        ) / 3.0
        loss = 0.5 * (loss_real + loss_fake)
        logs = {
            "d_loss": loss,
            "d_loss_real": loss_real,
            "d_loss_fake": loss_fake,
            "d_acc": 0.5
            * (binary_accuracy(ops.ones_like(s_real), s_real) + binary_accuracy(ops.zeros_like(s_fake), s_fake)),
            "d_real": ops.mean(s_real),
            "d_fake": ops.mean(s_fake),
            "d_mismatched": 0.5 * (ops.mean(s_wrong_tags) + ops.mean(s_wrong_image)),
        }
        return loss, logs

    def generation_input(self, n: int, rng: np.random.Generator, tags=None):
        """G's input for `generate(n, tags=...)`: `tags` is text for all images
        ("blue hair red eyes"), a list of `n` texts, or multi-hot rows; None
        draws tag combinations as they occur in the training data."""
        return self.latent((n,), rng, None if tags is None else self.check_labels(tags, n))

    @property
    def sample_grid(self) -> tuple[int, int]:
        return (min(10, len(self.sample_tags())), 8)

    def sample_tags(self) -> list[str]:
        """Up to 10 tag texts for the sample grid: the most frequent combinations in the data."""
        rows = self.data.labels if self.data_loaded else np.eye(len(self.vocabulary))
        combos, counts = np.unique(rows, axis=0, return_counts=True)
        top = combos[np.argsort(-counts, kind="stable")[:10]]
        return [" ".join(self.vocabulary[i] for i in np.flatnonzero(row)) for row in top]

    def sample_images(self, path):
        """Writes a grid with one row per tag combination (see `sample_tags`)."""
        texts = self.sample_tags()[:10]
        rows, cols = len(texts), 8
        images = self.generate(rows * cols, tags=[t for t in texts for _ in range(cols)], seed=0)
        return viz.save_grid(images, path, rows=rows)
