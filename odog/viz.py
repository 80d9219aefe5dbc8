"""Pictures of a GAN: sample grids and GIFs (pillow), training curves and figures (matplotlib)."""

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


def save_gif(frames: list[np.ndarray], path: str | os.PathLike, rows: int | None = None, duration: int = 200) -> Path:
    """Writes an animated GIF, one `image_grid` per frame, looping forever.

    Args:
        frames: one image batch (N, H, W, C) in [-1, 1] per frame.
        path: the .gif to write (its folder is created).
        rows: grid rows of each frame.
        duration: milliseconds per frame.

    Example:
    >>> import tempfile
    >>> from PIL import Image
    >>> path = save_gif([np.full((2, 4, 4, 1), v) for v in (-1.0, 1.0)], Path(tempfile.mkdtemp()) / "a.gif")
    >>> Image.open(path).n_frames
    2
    """
    if not len(frames):
        raise ValueError("Expected at least one frame for the GIF. Received none.")
    return _write_gif([image_grid(frame, rows) for frame in frames], path, duration)


def evolution_gif(grids: list[str | os.PathLike], path: str | os.PathLike, duration: int = 200) -> Path:
    """Writes the sample grids of a run (`out_dir/images/<iteration>.png`), in order, as one GIF.

    The grids were drawn from the same fixed noise, so the GIF shows the
    same samples improving over training (the evolution GIF of "GAN笔记——理论与实现").

    Args:
        grids: PNG files of one size, in the order to show them.
        path: the .gif to write.
        duration: milliseconds per frame (the last is held five times longer).
    """
    from PIL import Image

    if not grids:
        raise ValueError("Expected at least one sample grid for the evolution GIF. Received none.")
    pictures = []
    for grid in grids:
        with Image.open(grid) as picture:
            pictures.append(picture.convert("RGB"))
    sizes = {p.size for p in pictures}
    if len(sizes) > 1:
        raise ValueError(f"The sample grids of one GIF must have one size. Received sizes {sorted(sizes)}.")
    return _write_gif(pictures, path, [duration] * (len(pictures) - 1) + [5 * duration])


def _write_gif(pictures: list, path, duration) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")  # a GIF is replaced whole, never left half-written
    pictures[0].save(
        temporary, format="GIF", save_all=True, append_images=pictures[1:], duration=duration, loop=0, disposal=1
    )
    os.replace(temporary, path)
    return path


def real_vs_generated(real: np.ndarray, generated: np.ndarray, path: str | os.PathLike) -> Path:
    """Writes a figure of real images (left) next to generated ones (right), each as a grid.

    Args:
        real: images in [-1, 1], (N, H, W, C).
        generated: images in [-1, 1] of the same size.
        path: the PNG to write.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if tuple(real.shape[1:]) != tuple(generated.shape[1:]):
        raise ValueError(
            f"Expected real and generated images of one shape. Received {real.shape[1:]} and {generated.shape[1:]}."
        )
    fig, axes = plt.subplots(1, 2, figsize=(8, 4.3))
    for axis, images, title in zip(axes, (real, generated), ("real", "generated"), strict=True):
        grid = np.asarray(image_grid(images))
        axis.imshow(grid, cmap="gray" if grid.ndim == 2 else None, vmin=0, vmax=255)
        axis.set_title(title)
        axis.axis("off")
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
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
