"""Pictures of a GAN: sample grids (pillow) and training curves (matplotlib)."""

import math
import os
from pathlib import Path

import numpy as np


def image_grid(images: np.ndarray, rows: int | None = None, padding: int = 2, row_labels: list[str] | None = None):
    """Tiles images in [-1, 1] into one PIL image.

    Args:
        images: array of shape (N, H, W, C), C in {1, 3}.
        rows: grid rows; by default the grid is as square as possible.
        padding: pixels of black between tiles.
        row_labels: a caption per row (class names), written left of it.

    Returns:
        A `PIL.Image.Image`.

    Example:
    >>> image_grid(np.zeros((6, 4, 4, 1))).size  # (width, height): 3 rows of 2
    (14, 20)
    >>> image_grid(np.zeros((4, 16, 16, 3)), rows=2, row_labels=["cat", "dog"]).size[0] > 36
    True
    """
    from PIL import Image, ImageDraw

    images = np.asarray(images)
    n, h, w, c = images.shape
    rows = rows or math.ceil(math.sqrt(n))
    cols = math.ceil(n / rows)
    pixels = np.clip((images + 1.0) * 127.5, 0, 255).round().astype("uint8")
    grid = np.zeros((rows * (h + padding) + padding, cols * (w + padding) + padding, c), "uint8")
    for i, image in enumerate(pixels):
        r, q = divmod(i, cols)
        top, left = padding + r * (h + padding), padding + q * (w + padding)
        grid[top : top + h, left : left + w] = image
    picture = Image.fromarray(grid[..., 0] if c == 1 else grid)
    if not row_labels:
        return picture
    if len(row_labels) != rows:
        raise ValueError(f"Expected one row label per row ({rows}). Received {len(row_labels)} labels.")
    draw = ImageDraw.Draw(picture)
    margin = max(int(draw.textlength(str(label))) for label in row_labels) + 2 * padding
    captioned = Image.new(picture.mode, (picture.width + margin, picture.height))
    captioned.paste(picture, (margin, 0))
    draw = ImageDraw.Draw(captioned)
    white = 255 if c == 1 else (255, 255, 255)
    for r, label in enumerate(row_labels):
        draw.text((padding, padding + r * (h + padding) + h // 2), str(label), fill=white, anchor="lm")
    return captioned


def save_grid(
    images: np.ndarray, path: str | os.PathLike, rows: int | None = None, row_labels: list[str] | None = None
) -> Path:
    """Writes `image_grid(images, rows, row_labels=row_labels)` as a PNG, creating its folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image_grid(images, rows, row_labels=row_labels).save(path)
    return path


def plot_history(history: dict[str, list[float]], path: str | os.PathLike) -> Path:
    """Plots the losses, the mean D outputs and the variant's own measures.

    Panels: every loss; `d_real` and `d_fake` when logged; and any
    other logged measure (a critic's `wasserstein` estimate, BEGAN's
    `convergence` and `k`, a gradient norm, ...), each as a moving average.

    Args:
        history: per-iteration values, as returned by `BaseGAN.train`.
        path: the PNG to write.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    outputs = [k for k in ("d_real", "d_fake") if k in history]
    panels = [
        ("losses", [k for k in history if "loss" in k]),
        ("mean discriminator output", outputs),
        ("measures", [k for k in history if "loss" not in k and k not in outputs and not k.endswith("acc")]),
    ]
    panels = [(title, keys) for title, keys in panels if keys]
    labels = {"d_real": "D(x)", "d_fake": "D(G(z))"}
    fig, axes = plt.subplots(1, len(panels), figsize=(5.5 * len(panels), 3.5))
    for axis, (title, keys) in zip(np.atleast_1d(axes), panels, strict=True):
        for key in keys:
            axis.plot(_smooth(history[key]), label=labels.get(key, key), linewidth=1)
        axis.set(xlabel="iteration", title=f"{title} (moving average)")
        axis.legend()
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _smooth(values: list[float], window: int = 50) -> np.ndarray:
    values = np.asarray(values, dtype="float64")
    window = max(1, min(window, len(values) // 10 or 1))
    return np.convolve(values, np.ones(window) / window, mode="valid")
