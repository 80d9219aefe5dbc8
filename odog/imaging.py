"""Resizing batches of images, for pyramids (LAPGAN) and super-resolution (SRGAN, ESRGAN)."""

import numpy as np
from PIL import Image

_FILTERS = {"box": Image.BOX, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC, "nearest": Image.NEAREST}


def resize(images: np.ndarray, size: int | tuple[int, int], method: str = "bicubic") -> np.ndarray:
    """Resizes a batch of float images with Pillow's filters.

    Pillow's resampling is antialiased when shrinking, as MATLAB's
    `imresize` is, which is how super-resolution papers make their
    low-resolution inputs and their bicubic baseline. "box" averages each
    factor x factor block (a pyramid's downsampling step). Values are not
    clipped: bicubic can overshoot the input range slightly.

    Args:
        images: float array (N, H, W, C).
        size: the output side, or (height, width).
        method: "bicubic", "bilinear", "box" or "nearest".

    Returns:
        float32 array (N, height, width, C).

    Example:
    >>> x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    >>> resize(x, 2, "box")[0, ..., 0].tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """
    if method not in _FILTERS:
        raise ValueError(
            f"Invalid value received for argument `method`. Expected one of {sorted(_FILTERS)}. "
            f"Received: method={method!r}"
        )
    images = np.asarray(images, dtype="float32")
    if images.ndim != 4:
        raise ValueError(f"Expected a batch of images of shape (N, H, W, C). Received: shape={images.shape}")
    height, width = (size, size) if isinstance(size, int) else size
    out = np.empty((len(images), height, width, images.shape[-1]), "float32")
    for i, image in enumerate(images):
        for c in range(images.shape[-1]):
            plane = Image.fromarray(np.ascontiguousarray(image[..., c]))  # mode "F"
            out[i, ..., c] = np.asarray(plane.resize((width, height), _FILTERS[method]))
    return out


def to_rgb(images: np.ndarray) -> np.ndarray:
    """Grey images (..., 1) repeated to three channels; RGB images unchanged (to show both in one grid).

    Example:
    >>> to_rgb(np.zeros((2, 4, 4, 1))).shape, to_rgb(np.zeros((2, 4, 4, 3))).shape
    ((2, 4, 4, 3), (2, 4, 4, 3))
    """
    return np.repeat(images, 3, axis=-1) if images.shape[-1] == 1 else images
