"""Datasets for odog: named datasets, image folders and arrays.

Every loader returns images as float32 in [-1, 1] with shape (N, H, W, C), the
range a tanh generator produces, and labels as int64 of shape (N,) or None.

Named datasets are looked up first as `<name>.npz` (keys x_train, y_train,
x_test, y_test) in the folder named by the environment variable
`ODOG_DATA_DIR`, for machines without internet, and otherwise downloaded by
`keras.datasets`. A local file must go through odog's path: Keras deletes a
cached file whose hash differs from its own copy and then tries to download.
"""

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from odog.data.folders import IMAGE_SUFFIXES, ImageFolder, square_crop, subfolder_classes, to_8bit

__all__ = [
    "Dataset",
    "CACHE_ENV",
    "DatasetUnavailableError",
    "IMAGE_SUFFIXES",
    "ImageFolder",
    "Unavailable",
    "cache_dir",
    "class_names",
    "from_arrays",
    "image_shape",
    "is_available",
    "load",
    "load_named",
    "num_classes",
    "square_crop",
    "to_8bit",
]

DATA_DIR_ENV = "ODOG_DATA_DIR"

# name -> (image shape, number of classes)
NAMED_DATASETS = {
    "mnist": ((28, 28, 1), 10),
    "fashion_mnist": ((28, 28, 1), 10),
    "cifar10": ((32, 32, 3), 10),
    # MNIST's digits as thick strokes on procedural colour textures (`odog.data.translation.textured`),
    # built from MNIST once and cached: the second domain of the unpaired translation task.
    "textured_mnist": ((28, 28, 3), 10),
    # MNIST's digits each drawn in one of five styles (`odog.data.domains`), cached like textured_mnist:
    # StarGAN's task, labelled by style (its domain classifier) or by digit (its digit classifier).
    "mnist_domains": ((28, 28, 3), 5),
    "mnist_domains_digits": ((28, 28, 3), 10),
}
CACHE_ENV = "ODOG_CACHE_DIR"


def cache_dir() -> Path:
    """Where odog caches what it builds once (classifiers, derived datasets): `$ODOG_CACHE_DIR` or ~/.cache/odog."""
    return Path(os.environ.get(CACHE_ENV) or Path.home() / ".cache" / "odog")


class DatasetUnavailableError(OSError):
    """A named dataset is neither in `$ODOG_DATA_DIR` nor downloadable."""


@dataclass
class Dataset:
    """Images in [-1, 1] with optional integer labels.

    Attributes:
        images: float32 array of shape (N, H, W, C).
        labels: int64 array of shape (N,), or None.
        name: a short description of where the data came from.
    """

    images: np.ndarray
    labels: np.ndarray | None = None
    name: str = "arrays"
    class_names = None  # arrays carry class numbers only; an ImageFolder's subfolders name them

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.images.shape[1:])

    @property
    def num_classes(self) -> int | None:
        return None if self.labels is None else int(self.labels.max()) + 1

    def __len__(self) -> int:
        return len(self.images)

    def take(self, index) -> np.ndarray:
        """The images at `index` (integers), as `ImageFolder.take` reads them."""
        return self.images[np.asarray(index)]

    def batches(self, batch_size: int, rng: np.random.Generator):
        """An endless iterator of `(images, labels)` batches drawn with replacement by `rng`,
        as Keras-GAN draws them (`np.random.randint` per iteration)."""
        while True:
            index = rng.integers(0, len(self.images), batch_size)
            yield self.images[index], None if self.labels is None else self.labels[index]


def load_named(name: str, split: str = "train") -> Dataset:
    """Loads a named dataset, from `$ODOG_DATA_DIR` first, then Keras.

    Args:
        name: one of `NAMED_DATASETS` ("mnist", "fashion_mnist", "cifar10").
        split: "train" or "test".

    Returns:
        A `Dataset` scaled to [-1, 1], with labels.

    Example:
    ```python
    test = load_named("mnist", split="test")
    test.images.shape  # (10000, 28, 28, 1)
    ```
    """
    if name not in NAMED_DATASETS:
        raise ValueError(
            f"Invalid value received for argument `dataset`. Expected one of "
            f"{sorted(NAMED_DATASETS)}, a folder of images or an array. "
            f"Received: dataset={name!r}"
        )
    if split not in ("train", "test"):
        raise ValueError(
            f"Invalid value received for argument `split`. Expected 'train' or 'test'. Received: split={split!r}"
        )
    (x_train, y_train), (x_test, y_test) = _read_named(name)
    x, y = (x_train, y_train) if split == "train" else (x_test, y_test)
    return from_arrays(x, np.asarray(y).reshape(-1), name=f"{name}:{split}")


def _read_named(name: str):
    if name == "textured_mnist":
        return _textured_mnist()
    if name in ("mnist_domains", "mnist_domains_digits"):
        from odog.data.domains import mnist_domains

        (x_train, domains_train, digits_train), (x_test, domains_test, digits_test) = mnist_domains()
        if name == "mnist_domains":
            return (x_train, domains_train), (x_test, domains_test)
        return (x_train, digits_train), (x_test, digits_test)
    local_dir = os.environ.get(DATA_DIR_ENV)
    if local_dir:
        path = Path(local_dir) / f"{name}.npz"
        if path.is_file():
            with np.load(path, allow_pickle=False) as f:
                missing = {"x_train", "y_train", "x_test", "y_test"} - set(f)
                if missing:
                    raise ValueError(
                        f"{path} lacks the keys {sorted(missing)}. A local "
                        "dataset file needs x_train, y_train, x_test, y_test."
                    )
                return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
    import keras

    try:
        return getattr(keras.datasets, name).load_data()
    except Exception as error:  # Keras raises bare Exception on URL errors.
        where = f"{DATA_DIR_ENV}={local_dir} has no {name}.npz" if local_dir else f"{DATA_DIR_ENV} is not set"
        raise DatasetUnavailableError(
            f"Could not load the '{name}' dataset: {where}, and keras.datasets "
            f"could not download it ({type(error).__name__}: {error}). Either "
            f"connect to the internet, or put {name}.npz (keys x_train, "
            f"y_train, x_test, y_test) in a folder and set {DATA_DIR_ENV} to "
            "that folder."
        ) from error


def _textured_mnist():
    """`textured_mnist` as Keras' loaders return a dataset, built from MNIST on first use and cached (uint8)."""
    from odog.data.translation import textured

    path = cache_dir() / "datasets" / "textured_mnist.npz"
    if not path.is_file():
        (x_train, y_train), (x_test, y_test) = _read_named("mnist")
        arrays = {"x_train": textured(x_train, seed=0), "y_train": y_train}
        arrays.update(x_test=textured(x_test, seed=1), y_test=y_test)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".textured_mnist-{os.getpid()}.npz")  # parallel builders never clash
        np.savez(temporary, **arrays)
        os.replace(temporary, path)
    with np.load(path) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


def from_arrays(images: np.ndarray, labels: np.ndarray | None = None, name: str = "arrays") -> Dataset:
    """Validates images (and labels) given as arrays and scales them.

    Args:
        images: uint8 in [0, 255] or floats in [-1, 1], of shape (N, H, W) or
            (N, H, W, C) with C in {1, 3}. Floats that all lie in [0, 1]
            are most likely scaled for another convention: a warning says so.
        labels: optional integer class labels, one per image.
        name: a description kept with the dataset.

    Returns:
        A `Dataset` with float32 images in [-1, 1].

    Example:
    >>> ds = from_arrays(np.zeros((4, 8, 8), "uint8"), np.arange(4))
    >>> ds.images.shape, float(ds.images.min())
    ((4, 8, 8, 1), -1.0)
    """
    images = np.asarray(images)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3):
        raise ValueError(
            "Invalid value received for argument `images`. Expected an array "
            "of shape (N, H, W) or (N, H, W, C) with C = 1 or 3. Received: "
            f"images.shape={images.shape}"
        )
    if len(images) == 0:
        raise ValueError("Received an empty image array: it holds no images.")
    if images.dtype == np.uint8:
        images = images.astype("float32") / 127.5 - 1.0
    elif np.issubdtype(images.dtype, np.floating):
        images = images.astype("float32")
        lo, hi = float(images.min()), float(images.max())
        if not (np.isfinite(lo) and np.isfinite(hi)):
            raise ValueError("Received images with NaN or infinite values.")
        if lo < -1.0 - 1e-6 or hi > 1.0 + 1e-6:
            raise ValueError(
                "Float images must be scaled to [-1, 1] (e.g. x / 127.5 - 1 "
                f"for 8-bit data). Received values in [{lo:.3g}, {hi:.3g}]."
            )
        if 0.0 <= lo < hi <= 1.0:
            warnings.warn(
                f"The float images' values all lie in [0, 1] ([{lo:.3g}, {hi:.3g}]), and odog reads float images as "
                "[-1, 1]: they will train as a darkened copy. If they are scaled to [0, 1], pass x * 2 - 1.",
                stacklevel=2,
            )
    else:
        raise ValueError(
            "Invalid dtype received for argument `images`. Expected uint8 "
            f"or a float type. Received: images.dtype={images.dtype}"
        )
    if labels is not None:
        labels = np.asarray(labels)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.ndim != 1 or len(labels) != len(images):
            raise ValueError(
                f"Expected one integer label per image. Received labels.shape={labels.shape} for {len(images)} images."
            )
        if not np.issubdtype(labels.dtype, np.integer) or labels.min() < 0:
            raise ValueError(
                "Expected non-negative integer class labels. Received dtype "
                f"{labels.dtype} with minimum {labels.min()}."
            )
        labels = labels.astype("int64")
    return Dataset(images, labels, name)


def image_shape(source, image_size: int | None = None, channels: int | None = None) -> tuple:
    """The (H, W, C) a data source yields, without loading it.

    Args:
        source: a dataset name, a folder path, an array or an (x, y) tuple.
        image_size: the side for image folders (default 64).
        channels: the channels for image folders (default 3).
    """
    if isinstance(source, (Unavailable, Dataset, ImageFolder)):
        return source.shape
    if isinstance(source, str) and source in NAMED_DATASETS:
        return NAMED_DATASETS[source][0]
    if isinstance(source, (str, os.PathLike)):
        if not Path(source).is_dir():
            raise ValueError(
                f"Invalid value received for argument `dataset`. Expected one "
                f"of {sorted(NAMED_DATASETS)}, an existing folder of images, "
                f"or an array. Received: dataset={str(source)!r}"
            )
        return (image_size or 64, image_size or 64, channels or 3)
    images = source[0] if isinstance(source, tuple) and len(source) == 2 else source
    if not hasattr(images, "shape") and not isinstance(images, (list, tuple)):
        raise ValueError(
            f"Invalid value received for argument `dataset`. Expected one of {sorted(NAMED_DATASETS)}, a folder "
            "of images, an array of images (N, H, W[, C]) or a tuple (images, labels). "
            f"Received: dataset={source!r:.80}"
        )
    full = tuple(np.shape(images))
    if len(full) not in (3, 4) or (len(full) == 4 and full[-1] not in (1, 3)):
        raise ValueError(
            "Invalid value received for argument `dataset`. Expected an array of images of shape (N, H, W) or "
            f"(N, H, W, C) with C = 1 or 3. Received: an array of shape {full}"
        )
    shape = full[1:]
    return shape + (1,) if len(shape) == 2 else shape


def is_available(source) -> bool:
    """Whether `source` can still be loaded: False for a folder that is gone.

    Example:
    >>> is_available("mnist"), is_available("/no/such/folder")
    (True, False)
    """
    if isinstance(source, Unavailable):
        return False
    if isinstance(source, ImageFolder):
        return source.root.is_dir()
    if isinstance(source, str) and source in NAMED_DATASETS:
        return True
    from odog.data.translation import TASKS

    if isinstance(source, str) and source in TASKS:
        return True
    if isinstance(source, (str, os.PathLike)):
        return Path(source).is_dir()
    return True


def num_classes(source) -> int | None:
    """The number of classes of a labelled source, without loading a named one.

    Example:
    >>> num_classes("mnist"), num_classes((np.zeros((3, 2, 2)), np.array([0, 4, 1]))), num_classes(np.zeros((3, 2, 2)))
    (10, 5, None)
    """
    if isinstance(source, str) and source in NAMED_DATASETS:
        return NAMED_DATASETS[source][1]
    if isinstance(source, (Dataset, ImageFolder)):
        return source.num_classes
    names = class_names(source)
    if names is not None:
        return len(names)
    if isinstance(source, tuple) and len(source) == 2 and source[1] is not None and len(source[1]):
        return int(np.max(source[1])) + 1
    return None


def class_names(source) -> list[str] | None:
    """The names of a source's classes: a folder's class subfolders, else None.

    Example:
    >>> class_names("mnist") is None
    True
    """
    if isinstance(source, (Dataset, ImageFolder)):
        return source.class_names
    if isinstance(source, (str, os.PathLike)) and not (isinstance(source, str) and source in NAMED_DATASETS):
        return subfolder_classes(source)
    return None


def load(
    source, image_size: int | None = None, channels: int | None = None, max_images: int | None = None
) -> "Dataset | ImageFolder":
    """Loads any supported source: a name, a folder, an array or (x, y).

    A named dataset or arrays load into memory (a `Dataset`); a folder
    streams from disk (an `ImageFolder`, capped at `max_images`).

    Example:
    >>> load(np.zeros((2, 4, 4, 3), "uint8")).shape
    (4, 4, 3)
    """
    if isinstance(source, (Dataset, ImageFolder)):
        return source
    if isinstance(source, Unavailable):
        raise ValueError(source.reason())
    if isinstance(source, str) and source in NAMED_DATASETS:
        return load_named(source)
    if isinstance(source, (str, os.PathLike)):
        return ImageFolder(source, image_size or 64, channels or 3, max_images)
    if isinstance(source, tuple):
        if len(source) != 2:
            raise ValueError(f"A dataset tuple must be (images, labels). Received a tuple of length {len(source)}.")
        return from_arrays(*source)
    return from_arrays(source)


@dataclass
class Unavailable:
    """Stands for training data that a loaded checkpoint cannot reach.

    In-memory arrays are not stored in checkpoints, and an image folder may
    have moved since: such a model generates, but training it again needs
    the data, `odog.load(path, dataset=...)`.

    Attributes:
        shape: the images' (H, W, C).
        source: the folder the model was trained on, or None for arrays.
    """

    shape: tuple
    source: str | None = None

    def reason(self) -> str:
        """Why the data cannot be loaded, and what to do."""
        if self.source is None:
            what = "on in-memory arrays, which are not stored in checkpoints"
        else:
            what = f"on the image folder {self.source}, which is no longer there (moved or deleted)"
        return f"This model was trained {what}. Pass the data to continue training: odog.load(path, dataset=...)."
