"""Free-text tags as conditions: vocabularies, tagged image folders, a synthetic tagged dataset.

A tagged dataset is the layout of the notes "GAN笔记——理论与实现": a folder holding `images/` (png/jpg)
and `tags.csv`, one line `image_id,tags` per image, where `tags` is free text
such as "blue hair red eyes". A tag is a two-word phrase ("blue hair"), or any
phrase when the text separates tags with ";". The vocabulary is read from the
data, or given. Tags become multi-hot vectors over the vocabulary.

No anime-face data can be downloaded here, so `make_shapes` writes a tagged
dataset of coloured shapes on coloured backgrounds ("red circle white
background"), and `read_shapes` reads those attributes back from an image,
which measures whether generated images match their requested tags.
"""

import csv
import os
import warnings
from pathlib import Path

import numpy as np

from odog import data as data_lib

TAGS_FILE = "tags.csv"
IMAGES_FOLDER = "images"


def parse_tags(text: str) -> list[str]:
    """Splits free text into tags: on ";" when present, else into word pairs.

    Example:
    >>> parse_tags("Blue hair  red eyes")
    ['blue hair', 'red eyes']
    >>> parse_tags("long hair; smile")
    ['long hair', 'smile']
    """
    text = text.strip().lower()
    if ";" in text:
        return [" ".join(t.split()) for t in text.split(";") if t.strip()]
    words = text.split()
    if len(words) % 2:
        raise ValueError(
            f"Cannot split {text!r} into two-word tags ('blue hair red eyes'). "
            "Separate tags with ';', or give the vocabulary."
        )
    return [f"{words[i]} {words[i + 1]}" for i in range(0, len(words), 2)]


def encode(tags, vocabulary: list[str]) -> np.ndarray:
    """A multi-hot float32 vector over `vocabulary` for tags given as text or a list.

    Example:
    >>> encode("red circle white background", ["red circle", "blue circle", "white background"]).tolist()
    [1.0, 0.0, 1.0]
    >>> encode("green circle", ["red circle", "white background"])
    Traceback (most recent call last):
    ...
    ValueError: Unknown tag 'green circle'. The vocabulary is: red circle, white background.
    """
    found = parse_tags(tags) if isinstance(tags, str) else [" ".join(str(t).lower().split()) for t in tags]
    vector = np.zeros(len(vocabulary), "float32")
    index = {tag: i for i, tag in enumerate(vocabulary)}
    for tag in found:
        if tag not in index:
            raise ValueError(f"Unknown tag {tag!r}. The vocabulary is: {', '.join(vocabulary)}.")
        vector[index[tag]] = 1.0
    return vector


def read_tags_file(folder: str | os.PathLike) -> dict[str, str]:
    """`image_id -> tags text` from `folder/tags.csv`, with clear errors."""
    path = Path(folder) / TAGS_FILE
    if not path.is_file():
        raise FileNotFoundError(
            f"No {TAGS_FILE} in {folder}. A tagged dataset is a folder with {IMAGES_FOLDER}/ and a "
            f"{TAGS_FILE} of 'image_id,tags' lines (odog.tags.make_shapes writes one)."
        )
    rows = {}
    with open(path, newline="") as f:
        for number, row in enumerate(csv.reader(f), 1):
            if not row or (number == 1 and row[:2] == ["image_id", "tags"]):
                continue
            if len(row) < 2:
                raise ValueError(f"{path}, line {number}: expected 'image_id,tags'. Received: {row}")
            rows[row[0].strip()] = ",".join(row[1:])
    if not rows:
        raise ValueError(f"{path} lists no images.")
    return rows


def vocabulary_of(folder: str | os.PathLike) -> list[str]:
    """The sorted distinct tags of a tagged folder's tags.csv."""
    return sorted({tag for text in read_tags_file(folder).values() for tag in parse_tags(text)})


def load_tagged(folder: str | os.PathLike, vocabulary: list[str], image_size: int, channels: int = 3):
    """Images of a tagged folder and their multi-hot tags.

    Images whose tags hold none of the vocabulary are dropped, as the notes "GAN笔记——理论与实现"
    kept only images with a hair or eye tag; tags outside the vocabulary are
    ignored with a warning that counts them.

    Returns:
        `(Dataset, tags)`: images in [-1, 1] and a float32 (N, len(vocabulary)) array.
    """
    from PIL import Image, UnidentifiedImageError

    texts = read_tags_file(folder)
    images_dir = Path(folder) / IMAGES_FOLDER
    files = {p.stem: p for p in images_dir.glob("*") if p.suffix.lower() in data_lib.IMAGE_SUFFIXES}
    index = {tag: i for i, tag in enumerate(vocabulary)}
    images, vectors, unknown, missing, bad = [], [], set(), 0, 0
    for image_id, text in texts.items():
        vector = np.zeros(len(vocabulary), "float32")
        for tag in parse_tags(text):
            if tag in index:
                vector[index[tag]] = 1.0
            else:
                unknown.add(tag)
        if not vector.any():
            continue
        if image_id not in files:
            missing += 1
            continue
        try:
            with Image.open(files[image_id]) as im:
                images.append(data_lib.square_crop(im.convert("RGB" if channels == 3 else "L"), image_size))
        except (UnidentifiedImageError, OSError, ValueError):
            bad += 1
            continue
        vectors.append(vector)
    if unknown:
        warnings.warn(f"Ignored {len(unknown)} tags outside the vocabulary, e.g. {sorted(unknown)[:3]}.", stacklevel=2)
    if missing or bad:
        warnings.warn(f"Skipped {missing} tagged images missing from {images_dir} and {bad} unreadable.", stacklevel=2)
    if not images:
        raise ValueError(f"No readable image of {folder} carries a tag of the vocabulary {vocabulary}.")
    return data_lib.from_arrays(np.stack(images), name=str(folder)), np.stack(vectors)


# --- A synthetic tagged dataset: coloured shapes on coloured backgrounds. ---

COLOURS = {"red": (220, 40, 40), "green": (40, 180, 60), "blue": (50, 70, 220), "yellow": (230, 210, 40)}
SHAPES = ("circle", "square", "triangle")
BACKGROUNDS = {"black": (20, 20, 20), "white": (235, 235, 235), "gray": (128, 128, 128)}


def shapes_vocabulary() -> list[str]:
    """The 15 tags of `make_shapes`: 12 "<colour> <shape>" and 3 "<colour> background"."""
    return [f"{c} {s}" for c in COLOURS for s in SHAPES] + [f"{b} background" for b in BACKGROUNDS]


def draw_shape(colour: str, shape: str, background: str, size: int, rng: np.random.Generator) -> np.ndarray:
    """One uint8 image (size, size, 3) of a shape at a random place and scale, with pixel noise."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (size, size), BACKGROUNDS[background])
    draw = ImageDraw.Draw(image)
    side = int(rng.uniform(0.4, 0.65) * size)
    left, top = rng.integers(1, size - side, 2)
    box = [int(left), int(top), int(left + side), int(top + side)]
    if shape == "circle":
        draw.ellipse(box, fill=COLOURS[colour])
    elif shape == "square":
        draw.rectangle(box, fill=COLOURS[colour])
    else:
        draw.polygon([(box[0], box[3]), (box[2], box[3]), ((box[0] + box[2]) // 2, box[1])], fill=COLOURS[colour])
    noisy = np.asarray(image, "float32") + rng.normal(0, 6, (size, size, 3))
    return np.clip(noisy, 0, 255).astype("uint8")


def make_shapes(folder: str | os.PathLike, n: int = 6000, size: int = 32, seed: int = 0) -> Path:
    """Writes a tagged dataset of `n` shapes to `folder` (images/ and tags.csv).

    Example:
    ```python
    make_shapes("data/shapes")          # then TagGAN(dataset="data/shapes")
    ```
    """
    rng = np.random.default_rng(seed)
    folder = Path(folder)
    (folder / IMAGES_FOLDER).mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(n):
        colour = str(rng.choice(list(COLOURS)))
        shape = str(rng.choice(SHAPES))
        background = str(rng.choice(list(BACKGROUNDS)))
        from PIL import Image

        Image.fromarray(draw_shape(colour, shape, background, size, rng)).save(folder / IMAGES_FOLDER / f"{i}.png")
        lines.append(f"{i},{colour} {shape} {background} background\n")
    (folder / TAGS_FILE).write_text("".join(lines))
    return folder


def read_shapes(images: np.ndarray) -> list[dict]:
    """Reads colour, shape and background back from images in [-1, 1].

    Background: the nearest background colour to the median border pixel.
    Foreground: pixels far from it; its mean colour names the colour, and the
    fraction of its bounding box it fills names the shape (square ~1, circle
    ~0.79, triangle ~0.5). An image without a clear foreground reads as None.
    """
    results = []
    for image in np.asarray(images, "float32"):
        pixels = (image + 1.0) * 127.5
        border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
        ground = np.median(border, axis=0)
        background = min(BACKGROUNDS, key=lambda b: np.linalg.norm(ground - BACKGROUNDS[b]))
        mask = np.linalg.norm(pixels - ground, axis=-1) > 60
        if mask.sum() < 12:
            results.append({"colour": None, "shape": None, "background": background})
            continue
        rows, cols = np.flatnonzero(mask.any(1)), np.flatnonzero(mask.any(0))
        fill = mask.sum() / ((rows[-1] - rows[0] + 1) * (cols[-1] - cols[0] + 1))
        shape = "square" if fill > 0.9 else "circle" if fill > 0.66 else "triangle"
        mean = pixels[mask].mean(axis=0)
        colour = min(COLOURS, key=lambda c: np.linalg.norm(mean - COLOURS[c]))
        results.append({"colour": colour, "shape": shape, "background": background})
    return results


def shape_match(images: np.ndarray, tags: list[str]) -> dict:
    """How often images show their requested shape tags ("red circle white background").

    Returns:
        A dict with `all` (every requested attribute matches), and per
        attribute `colour`, `shape`, `background`, each a fraction.
    """
    read = read_shapes(images)
    hits = {"colour": [], "shape": [], "background": [], "all": []}
    for got, text in zip(read, tags, strict=True):
        want = {}
        for tag in parse_tags(text):
            first, second = tag.split()
            if second == "background":
                want["background"] = first
            else:
                want["colour"], want["shape"] = first, second
        ok = {k: got[k] == v for k, v in want.items()}
        for k, v in ok.items():
            hits[k].append(v)
        hits["all"].append(all(ok.values()))
    return {k: float(np.mean(v)) if v else float("nan") for k, v in hits.items()}
