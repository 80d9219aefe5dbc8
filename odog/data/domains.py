"""Many domains of one digit set: StarGAN's offline task, built from MNIST.

Every MNIST image is drawn in exactly one of five styles (`DOMAINS`), chosen
at random and balanced, as 28x28 RGB so that colour can be a domain:

- `plain`: the digit as MNIST has it, grey on black;
- `thin`: its strokes eroded (each pixel the minimum of itself and its four
  neighbours);
- `thick`: its strokes dilated (the maximum over its 3x3 neighbourhood);
- `inverted`: black on white;
- `coloured`: the digit in a saturated colour of its own on black.

Two named datasets (`odog.data.load_named`) read the same images, built once
from MNIST's train and test splits and cached: `mnist_domains`, labelled by
domain (0-4, in the order of `DOMAINS`), and `mnist_domains_digits`, labelled
by digit. `odog.metrics.classifier` trains one classifier on each: the first
reads an image's domain, the second its digit in any of the domains.
"""

import os

import numpy as np

from odog import data as data_lib
from odog.data.translation import neighbourhood

__all__ = ["DOMAINS", "load", "mnist_domains", "stylize"]

DOMAINS = ("plain", "thin", "thick", "inverted", "coloured")


def stylize(digits: np.ndarray, domains: np.ndarray, seed: int = 0) -> np.ndarray:
    """Draws each uint8 digit (N, H, W) in its domain (N,) of `DOMAINS`: uint8 (N, H, W, 3).

    Example:
    >>> dot = np.zeros((5, 5, 5), "uint8"); dot[:, 1:4, 1:4] = 255
    >>> images = stylize(dot, np.arange(5))
    >>> [int((images[i, ..., 0] > 127).sum()) for i in range(4)]  # plain, thin, thick, inverted
    [9, 1, 25, 16]
    """
    digits = np.asarray(digits, "uint8")
    domains = np.asarray(domains)
    if digits.ndim != 3 or domains.shape != (len(digits),):
        raise ValueError(
            f"Expected digits (N, H, W) and one domain per digit (N,). Received digits.shape={digits.shape}, "
            f"domains.shape={domains.shape}"
        )
    if len(domains) and (domains.min() < 0 or domains.max() >= len(DOMAINS)):
        raise ValueError(f"Expected domains in [0, {len(DOMAINS) - 1}] ({DOMAINS}). Received: {domains.max()}")
    rng = np.random.default_rng(seed)
    grey = digits.copy()
    thin, thick = domains == 1, domains == 2
    if thin.any():  # erosion over the cross of each pixel and its four neighbours
        d = digits[thin]
        padded = np.pad(d, ((0, 0), (1, 1), (1, 1)), mode="edge")
        h, w = d.shape[1:]
        grey[thin] = np.minimum.reduce(
            [d, padded[:, :h, 1:-1], padded[:, 2:, 1:-1], padded[:, 1:-1, :w], padded[:, 1:-1, 2:]]
        )
    if thick.any():
        grey[thick] = neighbourhood(digits[thick], np.maximum)
    inverted = domains == 3
    grey[inverted] = 255 - digits[inverted]
    out = np.repeat(grey[..., None], 3, axis=-1)
    coloured = domains == 4
    # A saturated colour: a random hue at full value, its least channel at most 30%.
    hues = rng.uniform(0, 6, int(coloured.sum()))
    x = 1 - np.abs(hues % 2 - 1)
    zero = np.zeros_like(x)
    sextant = np.floor(hues).astype(int)
    table = [(1, x, 0), (x, 1, 0), (0, 1, x), (0, x, 1), (x, 0, 1), (1, 0, x)]
    colours = np.stack(
        [np.choose(sextant, [np.asarray(t[c]) + zero for t in table]) for c in range(3)], axis=-1
    ).astype("float32")
    colours = np.maximum(colours, 0.3 * rng.uniform(0, 1, (len(colours), 1)))
    out[coloured] = np.round(digits[coloured][..., None] * colours[:, None, None, :]).astype("uint8")
    return out


def mnist_domains() -> tuple:
    """MNIST in `DOMAINS`, as Keras' loaders return a dataset plus digits, built once and cached (uint8).

    Returns:
        `((x_train, domains_train, digits_train), (x_test, domains_test, digits_test))`.
    """
    path = data_lib.cache_dir() / "datasets" / "mnist_domains.npz"
    if not path.is_file():
        (x_train, y_train), (x_test, y_test) = data_lib._read_named("mnist")
        arrays = {}
        for split, x, y, seed in (("train", x_train, y_train, 0), ("test", x_test, y_test, 1)):
            rng = np.random.default_rng(seed)
            domains = rng.permutation(np.arange(len(x)) % len(DOMAINS))  # balanced, at random
            arrays[f"x_{split}"] = stylize(x, domains, seed=seed)
            arrays[f"domains_{split}"] = domains.astype("int64")
            arrays[f"digits_{split}"] = np.asarray(y).reshape(-1).astype("int64")
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".mnist_domains-{os.getpid()}.npz")  # parallel builders never clash
        np.savez(temporary, **arrays)
        os.replace(temporary, path)
    with np.load(path) as f:
        return tuple((f[f"x_{s}"], f[f"domains_{s}"], f[f"digits_{s}"]) for s in ("train", "test"))


def load(split: str = "train") -> tuple[data_lib.Dataset, np.ndarray]:
    """A split of `mnist_domains` as a `Dataset` labelled by domain, and its digits (N,).

    Example:
    ```python
    test, digits = load("test")
    test.images.shape, test.labels[:3], digits[:3]  # (10000, 28, 28, 3), domains, digits
    ```
    """
    images = data_lib.load_named("mnist_domains", split)
    return images, data_lib.load_named("mnist_domains_digits", split).labels
