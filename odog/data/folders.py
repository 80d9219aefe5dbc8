"""Image folders, streamed: decoded lazily, in parallel, into shuffled batches.

A folder of face photos (CelebA's 200,000 JPEGs, an anime-face crawl) does
not fit in memory as float32, so `ImageFolder` keeps only the file list and
decodes each batch as training asks for it. The pipeline is grain's
(`grain.MapDataset`): it needs no TensorFlow, so the same batches come on
every Keras backend, and its datasets are random-access, so the batch at any
position of the shuffled stream can be read directly. A run resumed from a
checkpoint therefore continues the stream exactly where it stopped, on any
backend, with nothing but the position stored.

Class subfolders are labels: `folder/cat/*.jpg, folder/dog/*.jpg` gives
labels 0 and 1 and the class names ("cat", "dog").
"""

import os
import threading
import warnings
from pathlib import Path

import numpy as np

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")


class ImageFolder:
    """The png/jpg images under a folder, read lazily as square crops.

    Each image's shorter side is resized to `image_size`, then its centre
    square is kept (as the DCGAN CelebA and anime-face setups do). Files
    whose header cannot be read are skipped with a warning that counts them;
    a file that fails later, while decoding, is replaced in its batch by the
    next readable file (with a warning naming it).

    When every image sits in a subfolder of `path` and there are at least two
    subfolders, each subfolder is a class: `labels` holds the class of each
    image and `class_names` the subfolders' names, in sorted order.

    Args:
        path: a folder, searched recursively.
        image_size: the side of the square output images.
        channels: 3 for RGB, 1 for grayscale.
        max_images: use at most this many images, a fixed random subset
            (the same for every run); None: all of them.

    Example:
    >>> import tempfile
    >>> from PIL import Image
    >>> root = Path(tempfile.mkdtemp())
    >>> for name in ("cat", "dog"):
    ...     (root / name).mkdir()
    ...     for i in range(3):
    ...         Image.new("RGB", (40, 30), (40 * i, 0, 0)).save(root / name / f"{i}.png")
    >>> folder = ImageFolder(root, image_size=16)
    >>> len(folder), folder.shape, folder.class_names, folder.labels.tolist()
    (6, (16, 16, 3), ['cat', 'dog'], [0, 0, 0, 1, 1, 1])
    >>> images, labels = next(folder.batches(4, seed=0))
    >>> images.shape, images.dtype, labels.shape
    ((4, 16, 16, 3), dtype('float32'), (4,))
    """

    def __init__(self, path: str | os.PathLike, image_size: int = 64, channels: int = 3, max_images: int | None = None):
        from odog.validation import check_number

        check_number("image_size", image_size, integer=True, low=1)
        if channels not in (1, 3):
            raise ValueError(
                f"Invalid value received for argument `channels`. Expected 1 or 3. Received: channels={channels!r}"
            )
        if max_images is not None:
            check_number("max_images", max_images, integer=True, low=1)
        self.root = Path(path)
        self.image_size, self.channels, self.max_images = image_size, channels, max_images
        self.class_names = subfolder_classes(self.root)
        files = _image_files(self.root)
        if max_images is not None and len(files) > max_images:
            keep = np.sort(np.random.default_rng(0).choice(len(files), max_images, replace=False))
            files = [files[i] for i in keep]
        self.files = _readable(files, self.root)
        self.labels = None
        if self.class_names is not None:
            index = {name: k for k, name in enumerate(self.class_names)}
            self.labels = np.array([index[f.relative_to(self.root).parts[0]] for f in self.files], "int64")
        self._bad: set[Path] = set()
        self._lock = threading.Lock()

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.image_size, self.image_size, self.channels)

    @property
    def name(self) -> str:
        return str(self.root)

    @property
    def num_classes(self) -> int | None:
        return None if self.class_names is None else len(self.class_names)

    def __len__(self) -> int:
        return len(self.files)

    def take(self, index) -> np.ndarray:
        """The images at `index` (integers), decoded, as float32 in [-1, 1]."""
        return _to_float(np.stack([self._decode(int(i)) for i in np.asarray(index).reshape(-1)]))

    def batches(self, batch_size: int, seed: int, start: int = 0, threads: int | None = None):
        """An endless iterator of `(images, labels)` batches from a shuffled stream.

        Every pass over the folder is a new permutation drawn from `seed`;
        the stream is cut into batches from image number `start` on, so a run
        that has used `start` images continues it exactly. Images are decoded
        by `threads` threads (default: two per core, at most 16) a few batches
        ahead, so memory holds those batches and no more.

        Args:
            batch_size: images per batch.
            seed: the shuffle's seed.
            start: the position in the stream (images already used).
            threads: decoding threads.

        Returns:
            An iterator of float32 images in [-1, 1], (batch_size, *shape),
            and int64 labels (batch_size,) or None.
        """
        import grain

        threads = threads or min(16, 2 * (os.cpu_count() or 1))
        order = grain.MapDataset.range(len(self.files)).shuffle(seed=seed).repeat()
        stream = order.slice(slice(start, None)).map(lambda i: (self._decode(int(i)), int(i)))
        options = grain.ReadOptions(num_threads=threads, prefetch_buffer_size=max(2 * threads, 4 * batch_size))
        for pixels, index in stream.to_iter_dataset(options).batch(batch_size):
            yield _to_float(pixels), None if self.labels is None else self.labels[index]

    def _decode(self, i: int) -> np.ndarray:
        """Image `i` as uint8 pixels; if it cannot be decoded, the next one that can."""
        from PIL import Image, UnidentifiedImageError

        for step in range(len(self.files)):
            file = self.files[(i + step) % len(self.files)]
            try:
                with Image.open(file) as im:
                    return square_crop(to_8bit(im).convert("RGB" if self.channels == 3 else "L"), self.image_size)
            except (UnidentifiedImageError, OSError, ValueError) as error:
                with self._lock:
                    new = file not in self._bad
                    self._bad.add(file)
                if new:
                    warnings.warn(
                        f"Could not decode {file} ({error}); its place in the batch goes to the next image. "
                        f"{len(self._bad)} of the {len(self.files)} files of {self.root} failed so far.",
                        stacklevel=2,
                    )
        raise ValueError(f"None of the {len(self.files)} image files in {self.root} could be decoded.")


def subfolder_classes(root: str | os.PathLike) -> list[str] | None:
    """The class subfolders of `root`, sorted; None when it has no classes.

    A folder has classes when it holds at least two subfolders with images
    and no image files of its own.

    Example:
    >>> subfolder_classes("/no/such/folder") is None
    True
    """
    root = Path(root)
    if not root.is_dir() or any(_is_image(p) for p in root.iterdir()):
        return None
    names = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".") and _image_files(p))
    return names if len(names) >= 2 else None


def _is_image(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES and not path.name.startswith(".")


def _image_files(root: Path) -> list[Path]:
    if not root.is_dir():
        raise FileNotFoundError(
            f"Image folder not found: {root}. Pass an existing folder of png/jpg images, or a dataset name such as "
            "'mnist'."
        )
    return sorted(p for p in root.rglob("*") if _is_image(p))


def _readable(files: list[Path], root: Path) -> list[Path]:
    """The files whose image header can be read (decoding waits for training)."""
    from PIL import Image, UnidentifiedImageError

    if not files:
        raise ValueError(f"The image folder {root} contains no .png, .jpg or .jpeg files (searched recursively).")
    good, bad = [], []
    for file in files:
        try:
            with Image.open(file):
                good.append(file)
        except (UnidentifiedImageError, OSError, ValueError):
            bad.append(file)
    if not good:
        raise ValueError(
            f"None of the {len(files)} image files in {root} could be read (e.g. {bad[0].name}); they may be "
            "corrupt or not images."
        )
    if bad:
        warnings.warn(
            f"Skipped {len(bad)} of {len(files)} unreadable image files in {root} (e.g. {bad[0].name}).", stacklevel=3
        )
    return good


def _to_float(pixels: np.ndarray) -> np.ndarray:
    pixels = np.asarray(pixels, dtype="float32") / 127.5 - 1.0
    return pixels[..., None] if pixels.ndim == 3 else pixels


def to_8bit(image):
    """A PIL image with 8 bits per channel: 16-bit grayscale ("I;16", or "I"
    as Pillow opens 16-bit PNGs) is scaled by its bit depth, where PIL's own
    conversion would clip it to 255 (white).

    Example:
    >>> from PIL import Image
    >>> deep = Image.fromarray(np.array([[0, 32768, 65535]], "uint16"))
    >>> np.asarray(to_8bit(deep)).tolist()
    [[0, 128, 255]]
    """
    from PIL import Image

    if image.mode.startswith("I;16") or image.mode == "I":
        pixels = np.asarray(image, dtype="float64")
        return Image.fromarray(np.round(np.clip(pixels, 0, 65535) / 257).astype("uint8"), mode="L")
    return image


def square_crop(image, size: int) -> np.ndarray:
    """A PIL image resized so its shorter side is `size`, then its centre square, as uint8 pixels."""
    from PIL import Image

    w, h = image.size
    scale = size / min(w, h)
    image = image.resize((max(size, round(w * scale)), max(size, round(h * scale))), Image.BICUBIC)
    w, h = image.size
    left, top = (w - size) // 2, (h - size) // 2
    return np.asarray(image.crop((left, top, left + size, top + size)), dtype="uint8")
