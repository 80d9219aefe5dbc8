"""Data for image-to-image translation: two domains of images, paired or not.

A translation model learns a map between domain A and domain B. Its data is
a `Domains`: the images of both, and whether they are paired (image i of A
goes with image i of B, as pix2pix needs) or not (CycleGAN's two piles).
Sources:

- arrays: `(inputs, targets)` for paired models, `(domain_a, domain_b)` for
  unpaired ones (the counts may differ);
- a pix2pix-style folder (facades, edges2shoes, maps): each file holds the
  input and the target side by side, under `train/` (and `test/`);
  `direction="BtoA"` swaps which half is the input;
- a CycleGAN-style folder (horse2zebra): `trainA/`, `trainB/` (and `testA/`,
  `testB/`);
- a task odog builds offline from MNIST (`TASKS`), with train and test splits
  and the digits' labels, so that results can be read back by a classifier:
  `edges2digits` (paired: hollow outlines -> digits), `digits2textured`
  (unpaired: digits <-> `textured_mnist`) and `digits2textured_pairs`
  (paired, one of many textures per digit: BicycleGAN's task).

A training batch holds both domains joined on the channel axis,
(N, H, W, C_a + C_b): that is what pix2pix's conditional discriminator reads,
and it lets the shared training loop draw translation batches as it draws
images.
"""

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from odog import data as data_lib
from odog.data.folders import IMAGE_SUFFIXES, square_crop, to_8bit

__all__ = [
    "DIRECTIONS",
    "TASKS",
    "Domains",
    "from_arrays",
    "load",
    "neighbourhood",
    "outlines",
    "shapes",
    "task",
    "textured",
]

DIRECTIONS = ("AtoB", "BtoA")
# name -> (paired, (domain A's shape, domain B's shape))
TASKS = {
    "edges2digits": (True, ((28, 28, 1), (28, 28, 1))),
    "digits2textured": (False, ((28, 28, 1), (28, 28, 3))),
    "digits2textured_pairs": (True, ((28, 28, 1), (28, 28, 3))),
}


@dataclass
class Domains:
    """The images of two domains, float32 in [-1, 1].

    Attributes:
        a: domain A's images (N_a, H, W, C_a).
        b: domain B's images (N_b, H, W, C_b); N_b = N_a when paired.
        paired: image i of A goes with image i of B.
        name: where the data came from.
        labels_a, labels_b: the digits of an MNIST task's images, else None.

    Example:
    >>> d = Domains(np.zeros((4, 8, 8, 1), "float32"), np.ones((6, 8, 8, 3), "float32"), paired=False)
    >>> d.shape, d.channels, len(d)
    ((8, 8, 4), (1, 3), 6)
    >>> joined, _ = next(d.batches(2, np.random.default_rng(0)))
    >>> joined.shape
    (2, 8, 8, 4)
    """

    a: np.ndarray
    b: np.ndarray
    paired: bool
    name: str = "arrays"
    labels_a: np.ndarray | None = None
    labels_b: np.ndarray | None = None
    # The named datasets whose odog classifier reads each domain's digits (MNIST tasks), else None.
    classifiers: tuple[str, str] | None = None
    labels = None  # the training loop's labels: translation batches carry none
    class_names = None

    @property
    def shape(self) -> tuple[int, int, int]:
        """A joined batch's (H, W, C_a + C_b)."""
        return tuple(self.a.shape[1:3]) + (self.a.shape[-1] + self.b.shape[-1],)

    @property
    def channels(self) -> tuple[int, int]:
        return int(self.a.shape[-1]), int(self.b.shape[-1])

    def __len__(self) -> int:
        return max(len(self.a), len(self.b))

    def take(self, index) -> np.ndarray:
        """Joined images: pair `index` (paired), or A's and B's images at `index` (modulo each count)."""
        index = np.asarray(index)
        return np.concatenate([self.a[index % len(self.a)], self.b[index % len(self.b)]], axis=-1)

    def batches(self, batch_size: int, rng: np.random.Generator):
        """An endless iterator of `(joined, None)` batches drawn with replacement by `rng`:
        pairs when paired, else an independent draw from each domain."""
        while True:
            index_a = rng.integers(0, len(self.a), batch_size)
            index_b = index_a if self.paired else rng.integers(0, len(self.b), batch_size)
            yield np.concatenate([self.a[index_a], self.b[index_b]], axis=-1), None

    def swapped(self) -> "Domains":
        """B as the input domain and A as the target."""
        classifiers = None if self.classifiers is None else self.classifiers[::-1]
        return Domains(self.b, self.a, self.paired, self.name, self.labels_b, self.labels_a, classifiers)

    def unpaired(self) -> "Domains":
        """The same images, drawn independently from each domain."""
        return Domains(self.a, self.b, False, self.name, self.labels_a, self.labels_b, self.classifiers)


def from_arrays(a, b, paired: bool, name: str = "arrays") -> Domains:
    """Validates two domains given as arrays (uint8, or floats in [-1, 1]).

    Example:
    >>> from_arrays(np.zeros((3, 8, 8), "uint8"), np.zeros((2, 8, 8, 3), "uint8"), paired=True)
    Traceback (most recent call last):
    ...
    ValueError: Paired translation needs one target per input. Received 3 inputs and 2 targets: ...
    """
    what = ("inputs", "targets") if paired else ("domain_a", "domain_b")
    domains = []
    for label, images in zip(what, (a, b), strict=True):
        if images is None or len(np.shape(images)) == 0 or len(images) == 0:
            raise ValueError(f"Received no images for `{label}`: both domains need images.")
        try:
            domains.append(data_lib.from_arrays(images).images)
        except ValueError as error:
            raise ValueError(f"Invalid `{label}`: {error}") from error
    a, b = domains
    if a.shape[1:3] != b.shape[1:3]:
        raise ValueError(
            f"Both domains must have images of one size. Received {what[0]} of {a.shape[1]}x{a.shape[2]} and "
            f"{what[1]} of {b.shape[1]}x{b.shape[2]}: resize one of them (odog.imaging.resize)."
        )
    if paired and len(a) != len(b):
        raise ValueError(
            f"Paired translation needs one target per input. Received {len(a)} inputs and {len(b)} targets: "
            "pass arrays of equal length, or train an unpaired model (CycleGAN) on them."
        )
    return Domains(a, b, paired, name)


def shapes(source, image_size: int | None = None, channels: int | None = None) -> tuple[tuple, tuple]:
    """Domain A's and B's (H, W, C), without loading `source`."""
    if isinstance(source, Domains):
        return tuple(source.a.shape[1:]), tuple(source.b.shape[1:])
    if isinstance(source, str) and source in TASKS:
        return TASKS[source][1]
    if isinstance(source, (str, os.PathLike)):
        if not Path(source).is_dir():
            raise ValueError(
                f"Invalid value received for argument `dataset`. Expected one of {sorted(TASKS)}, a folder of "
                "image pairs (train/) or of two domains (trainA/, trainB/), or a tuple of two image arrays. "
                f"Received: dataset={str(source)!r}"
            )
        side, c = image_size or 64, channels or 3
        return (side, side, c), (side, side, c)
    if not (isinstance(source, tuple) and len(source) == 2):
        raise ValueError(
            "Invalid value received for argument `dataset`. A translation model trains on a tuple of two image "
            f"arrays (inputs, targets) or (domain_a, domain_b), a folder, or one of {sorted(TASKS)}. "
            f"Received: {type(source).__name__}"
        )
    return tuple(data_lib.image_shape(source[0])), tuple(data_lib.image_shape(source[1]))


def load(
    source,
    paired: bool,
    *,
    image_size: int | None = None,
    channels: int | None = None,
    direction: str = "AtoB",
    split: str = "train",
    max_images: int | None = None,
) -> Domains:
    """Loads any translation source as `Domains` (see the module docstring).

    Args:
        source: a task name, a folder, a tuple of two arrays, or `Domains`.
        paired: whether the model needs pairs; an unpaired model draws
            paired data independently from each domain.
        image_size: the side of images read from a folder (64).
        channels: channels of images read from a folder (3).
        direction: "AtoB", or "BtoA" to translate B into A.
        split: "train" or "test" (tasks and folders that have one).
        max_images: read at most this many images per domain from a folder.
    """
    if direction not in DIRECTIONS:
        raise ValueError(
            f"Invalid value received for argument `direction`. Expected one of {DIRECTIONS}. "
            f"Received: direction={direction!r}"
        )
    if split not in ("train", "test"):
        raise ValueError(
            f"Invalid value received for argument `split`. Expected 'train' or 'test'. Received: {split!r}"
        )
    if isinstance(source, data_lib.Unavailable):
        raise ValueError(source.reason())
    if isinstance(source, Domains):
        domains = source
    elif isinstance(source, str) and source in TASKS:
        domains = task(source, split)
    elif isinstance(source, (str, os.PathLike)):
        root = Path(source)
        shapes(root)  # a missing folder: the error that lists what is accepted
        if is_unpaired_folder(root):
            domains = read_unpaired_folder(root, image_size or 64, channels or 3, split, max_images)
        else:
            domains = read_paired_folder(root, image_size or 64, channels or 3, split, max_images)
    else:
        shapes(source)  # the error for a wrong kind of source
        domains = from_arrays(*source, paired=paired)
    if direction == "BtoA":
        domains = domains.swapped()
    if paired and not domains.paired:
        raise ValueError(
            f"This model learns from pairs, and {domains.name} holds two unpaired domains. Pass (inputs, targets) "
            "arrays or a folder of side-by-side pairs, or train an unpaired model (CycleGAN, DiscoGAN, DualGAN)."
        )
    return domains if paired else domains.unpaired()


def is_unpaired_folder(root: Path) -> bool:
    """Whether `root` has the CycleGAN layout (trainA/, trainB/, ...)."""
    return any((root / name).is_dir() for name in ("trainA", "trainB", "testA", "testB"))


def read_unpaired_folder(root: Path, size: int, channels: int, split: str, max_images: int | None) -> Domains:
    """`trainA/` and `trainB/` (or `testA/`, `testB/`) of a CycleGAN-style folder."""
    a, b = (_read_images(root / f"{split}{side}", size, channels, max_images, root) for side in "AB")
    return Domains(a, b, paired=False, name=f"{root}:{split}")


def read_paired_folder(root: Path, size: int, channels: int, split: str, max_images: int | None) -> Domains:
    """The side-by-side pairs under `root/train` (`root/test`), or directly in `root` for training."""
    folder = root / split
    if not folder.is_dir():
        if split == "test":
            raise FileNotFoundError(f"{root} has no test/ folder of image pairs: it holds no test split.")
        folder = root
    files = _image_files(folder, root)[:max_images]
    halves = [[], []]
    from PIL import Image

    for file in files:
        with Image.open(file) as image:
            image = to_8bit(image).convert("RGB" if channels == 3 else "L")
            w, h = image.size
            if w < 2 or w % 2:
                raise ValueError(
                    f"{file} is {w}x{h}: a pix2pix-style pair holds the input and the target side by side, in an "
                    "image of even width. For two folders of unpaired images use trainA/ and trainB/."
                )
            for i in (0, 1):
                halves[i].append(square_crop(image.crop((i * w // 2, 0, (i + 1) * w // 2, h)), size))
    a, b = (_to_float(np.stack(half)) for half in halves)
    return Domains(a, b, paired=True, name=f"{folder}")


def _image_files(folder: Path, root: Path) -> list[Path]:
    if not folder.is_dir():
        raise FileNotFoundError(
            f"{root} has no {folder.name}/ folder. A CycleGAN-style dataset holds trainA/ and trainB/ (and "
            "testA/, testB/) with the images of each domain."
        )
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and not p.name.startswith("."))
    if not files:
        raise ValueError(f"{folder} contains no .png, .jpg or .jpeg files: each domain needs images.")
    return files


def _read_images(folder: Path, size: int, channels: int, max_images: int | None, root: Path) -> np.ndarray:
    from PIL import Image

    images = []
    for file in _image_files(folder, root)[:max_images]:
        with Image.open(file) as image:
            images.append(square_crop(to_8bit(image).convert("RGB" if channels == 3 else "L"), size))
    return _to_float(np.stack(images))


def _to_float(pixels: np.ndarray) -> np.ndarray:
    pixels = pixels.astype("float32") / 127.5 - 1.0
    return pixels[..., None] if pixels.ndim == 3 else pixels


# ----------------------------------------------------------------------
# The offline MNIST tasks.
# ----------------------------------------------------------------------
def neighbourhood(mask: np.ndarray, reduce) -> np.ndarray:
    """`reduce` (np.maximum: dilation, np.minimum: erosion) over each pixel's 3x3 neighbourhood."""
    padded = np.pad(mask, ((0, 0), (1, 1), (1, 1)), mode="edge")
    h, w = mask.shape[1:]
    out = mask.copy()
    for dy in range(3):
        for dx in range(3):
            out = reduce(out, padded[:, dy : dy + h, dx : dx + w])
    return out


def outlines(digits: np.ndarray) -> np.ndarray:
    """Hollow outlines of uint8 digits (N, H, W), uint8 0/255: the one-pixel contour around each stroke.

    The strokes are widened by two pixels first, so that the contour runs
    around them, not along them: the outline's inside is empty and the
    stroke's width and intensity are left for the model to fill in.

    Example:
    >>> dot = np.zeros((1, 9, 9), "uint8"); dot[0, 4, 4] = 255
    >>> outlines(dot)[0, 2:7, 2:7] // 255  # a 1-pixel dot: the contour of its 5x5 widening
    array([[1, 1, 1, 1, 1],
           [1, 0, 0, 0, 1],
           [1, 0, 0, 0, 1],
           [1, 0, 0, 0, 1],
           [1, 1, 1, 1, 1]], dtype=uint8)
    """
    wide = neighbourhood(neighbourhood(np.asarray(digits) > 127, np.maximum), np.maximum)
    return ((wide & ~neighbourhood(wide, np.minimum)) * 255).astype("uint8")


def textured(digits: np.ndarray, seed: int = 0) -> np.ndarray:
    """Digits drawn as thick strokes through procedural colour textures (MNIST-M's blend), uint8 (N, 28, 28, 3).

    Each image gets a texture of two random sinusoidal gratings in two random
    colours, darkened to [0, 0.6]; the digit, thickened by one pixel, shows
    the texture inverted (`|texture - digit|`, as MNIST-M blends digits into
    photo patches). The digit stays readable and the domain looks nothing
    like MNIST's black background.
    """
    digits = np.asarray(digits, "float32") / 255.0
    rng = np.random.default_rng(seed)
    n, h, w = digits.shape
    out = np.empty((n, h, w, 3), "uint8")
    yy, xx = np.mgrid[0:h, 0:w].astype("float32")
    for start in range(0, n, 5000):  # chunks: a few hundred MB at most
        chunk = digits[start : start + 5000]
        m = len(chunk)
        texture = np.zeros((m, h, w, 3), "float32")
        for _ in range(2):
            angle, frequency, phase = rng.uniform(0, np.pi, m), rng.uniform(0.2, 0.9, m), rng.uniform(0, 6.3, m)
            wave = np.sin(
                frequency[:, None, None] * (np.cos(angle)[:, None, None] * xx + np.sin(angle)[:, None, None] * yy)
                + phase[:, None, None]
            )
            colour = rng.uniform(0, 1, (m, 1, 1, 3)).astype("float32")
            texture += 0.5 * (wave[..., None] * 0.5 + 0.5) * colour
        texture *= 0.6 / max(float(texture.max()), 1e-6)
        thick = neighbourhood(chunk, np.maximum)[..., None]
        out[start : start + m] = np.round(np.abs(texture - thick) * 255).astype("uint8")
    return out


def task(name: str, split: str = "train") -> Domains:
    """One of the offline MNIST `TASKS`, with its digits' labels.

    - `edges2digits`: hollow outlines (`outlines()`) -> the digits (paired).
    - `digits2textured`: MNIST digits <-> `textured_mnist`, unpaired and from
      disjoint halves of the split, so no image of A has its copy in B.
    - `digits2textured_pairs`: each digit -> its textured version (paired; a
      texture is one of many possible outputs).
    """
    if name not in TASKS:
        raise ValueError(f"Unknown translation task {name!r}. Available: {', '.join(sorted(TASKS))}.")
    (x_train, y_train), (x_test, y_test) = data_lib._read_named("mnist")
    digits, labels = (x_train, y_train) if split == "train" else (x_test, y_test)
    labels = np.asarray(labels).reshape(-1).astype("int64")
    if name == "edges2digits":
        a, b, labels_a, labels_b = outlines(digits), digits, labels, labels
    else:
        colour = data_lib.load_named("textured_mnist", split)
        b_images = np.round((colour.images + 1.0) * 127.5).astype("uint8")
        if name == "digits2textured_pairs":
            a, b, labels_a, labels_b = digits, b_images, labels, labels
        else:
            half = len(digits) // 2
            a, b, labels_a, labels_b = digits[:half], b_images[half:], labels[:half], labels[half:]
    domains = from_arrays(a, b, paired=TASKS[name][0], name=f"{name}:{split}")
    domains.labels_a, domains.labels_b = labels_a, labels_b
    # Outlines are read by the MNIST classifier too: how well it reads them is the input's own score.
    domains.classifiers = ("mnist", "mnist" if name == "edges2digits" else "textured_mnist")
    return domains
