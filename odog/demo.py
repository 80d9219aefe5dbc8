"""`odog demo`: a local web page for a trained model, built with Gradio.

The page follows the model: class labels as a drop-down (CGAN, ACGAN), the
tag vocabulary as drop-downs (TagGAN, as in the GUI of the blog post "GAN笔记——理论与实现"), the categorical
code and sliders for the continuous codes (InfoGAN), a seed, the number of
images and a "Create" button; unconditional models also walk the latent
space (slerp); super-resolution models enlarge an upload next to bicubic;
translation models translate an upload. What a control sends is what
`generate()` (or `upscale()`, `translate()`) receives, so an image on the page
equals the library's own for the same choice. Bad input shows a message on
the page, and the server keeps running.

Example:
```python
from odog import demo
demo.build(odog.load("runs/cgan")).launch()   # or, from a shell: odog demo runs/cgan
```
"""

import os
from collections import defaultdict

import numpy as np

from odog import viz

MAX_IMAGES = 64  # per press of "Create": more would make the page slow to answer
ANY = "(any)"  # a tag drop-down left out of the condition
WALK_STEPS = 10


def _gradio():
    try:
        import gradio
    except ImportError as error:
        raise ImportError("odog demo needs Gradio: pip install 'odog[demo]' (or pip install gradio).") from error
    return gradio


def tag_groups(vocabulary: list[str], rows: np.ndarray | None = None) -> dict[str, list[str]]:
    """The vocabulary in groups of exclusive tags, one drop-down each (hair colour, eye colour).

    With `rows`, the training set's multi-hot tags, tags that never occur on
    one image together share a group. Without them, tags are grouped by their
    last word ("blue hair" -> "hair"). A group is named by the word all its
    tags share, last or first ("class 0", "class 1" -> "class").

    Example:
    >>> tag_groups(["blue hair", "red hair", "red eyes", "green eyes"])
    {'hair': ['blue hair', 'red hair'], 'eyes': ['red eyes', 'green eyes']}
    >>> rows = np.array([[1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 0, 1]])
    >>> tag_groups(["red circle", "blue square", "white background", "black background"], rows)
    {'group 1': ['red circle', 'blue square'], 'background': ['white background', 'black background']}
    """
    if rows is None:
        by_word = defaultdict(list)
        for tag in vocabulary:
            by_word[tag.split()[-1]].append(tag)
        members = list(by_word.values())
    else:
        together = np.asarray(rows, "float32").T @ np.asarray(rows, "float32") > 0
        groups: list[list[int]] = []
        for i in range(len(vocabulary)):
            group = next((g for g in groups if not together[i, g].any()), None)
            if group is None:
                groups.append([i])
            else:
                group.append(i)
        members = [[vocabulary[i] for i in group] for group in groups]
    named = {}
    for k, tags in enumerate(members):
        words = [tag.split() for tag in tags]
        shared = {w[-1] for w in words} if len({w[-1] for w in words}) == 1 else {w[0] for w in words}
        name = shared.pop() if len(shared) == 1 and len(tags) > 1 else f"group {k + 1}"
        named[name if name not in named else f"group {k + 1}"] = tags
    return named


def _training_tags(gan) -> np.ndarray | None:
    """The multi-hot tags of `gan`'s training set, or None where that data is not on this machine."""
    try:
        return gan.data.labels
    except (OSError, ValueError):  # a pretrained model or a moved run: group the tags by their words
        return None


def check_count(n) -> int:
    """The number of images asked for, refused with what is allowed."""
    if n is None or float(n) != int(n) or not 1 <= int(n) <= MAX_IMAGES:
        raise ValueError(f"The page makes 1 to {MAX_IMAGES} images at a time. Received: {n}")
    return int(n)


def check_seed(seed) -> int | None:
    """A seed from the page: an integer, or empty for a random draw."""
    if seed is None or seed == "":
        return None
    if float(seed) != int(seed) or int(seed) < 0:
        raise ValueError(f"The seed must be a non-negative integer. Received: {seed}")
    return int(seed)


def read_upload(path, shape: tuple) -> np.ndarray:
    """An uploaded image file as a batch of one in [-1, 1], square-cropped and resized to `shape` (H, W, C)."""
    from PIL import Image, UnidentifiedImageError

    from odog.data import square_crop, to_8bit

    if path is None:
        raise ValueError("Upload an image first (png or jpg).")
    try:
        with Image.open(path) as image:
            image.load()
            pixels = square_crop(to_8bit(image).convert("L" if shape[-1] == 1 else "RGB"), shape[0])
    except (UnidentifiedImageError, OSError) as error:
        raise ValueError(f"{os.path.basename(str(path))} is not an image odog can read (png or jpg).") from error
    return (pixels.reshape(shape).astype("float32") / 127.5 - 1.0)[None]


def picture(images: np.ndarray, rows: int | None = None) -> np.ndarray:
    """Images in [-1, 1] as the uint8 grid the page shows (`odog.viz.image_grid`), as an RGB array."""
    return np.asarray(viz.image_grid(images, rows=rows).convert("RGB"))


def _conditions(gan, values: list) -> dict:
    """`generate()`'s conditions from the controls' values, in the order `_condition_controls` made them."""
    if "tags" in gan.conditions:  # TagGAN: drop-downs, then free text
        *chosen, text = values
        text = (text or "").strip()
        if text:  # typed tags go through the library's own parser and its message for an unknown tag
            return {"tags": text}
        tags = [tag for tag in chosen if tag and tag != ANY]
        if not tags:
            raise ValueError("Choose at least one tag, or type some.")
        unknown = [tag for tag in tags if tag not in gan.vocabulary]
        if unknown:
            raise ValueError(f"Unknown tags {unknown}: choose among {gan.vocabulary}.")
        return {"tags": np.isin(gan.vocabulary, tags).astype("float32")}
    if "labels" in gan.conditions:
        (label,) = values
        names = gan.class_names or [str(k) for k in range(gan.num_classes)]
        if label not in names:
            raise ValueError(f"Choose a class among {names}. Received: {label!r}")
        return {"labels": names.index(label)}
    if "code" in gan.conditions:  # InfoGAN
        code, *continuous = values
        return {"code": int(code), "continuous": np.asarray(continuous, "float32")}
    return {}


def _condition_controls(gr, gan) -> list:
    if "tags" in gan.conditions:
        controls = []
        for k, (group, tags) in enumerate(tag_groups(gan.vocabulary, _training_tags(gan)).items()):
            # Every group may be left out but the first, so that any tag alone can be asked for.
            choices = tags if k == 0 else [ANY, *tags]
            controls.append(gr.Dropdown(choices, value=choices[0], label=group, elem_id=group.replace(" ", "_")))
        controls.append(gr.Textbox(label="or type tags", placeholder=f"e.g. {gan.vocabulary[0]}", elem_id="tag_text"))
        return controls
    if "labels" in gan.conditions:
        names = gan.class_names or [str(k) for k in range(gan.num_classes)]
        return [gr.Dropdown(names, value=names[0], label="class", elem_id="label")]
    if "code" in gan.conditions:
        code = gr.Dropdown(list(range(gan.categories)), value=0, label="categorical code", elem_id="code")
        sliders = [
            gr.Slider(-2.0, 2.0, value=0.0, step=0.1, label=f"continuous code {k + 1}", elem_id=f"continuous_{k}")
            for k in range(gan.continuous)
        ]
        return [code, *sliders]
    return []


def _on_page(function):
    """Runs a handler; a `ValueError` (bad input) becomes a message on the page instead of a dead request."""
    gr = _gradio()

    def handler(*args):
        try:
            return function(*args)
        except ValueError as error:
            raise gr.Error(str(error)) from None

    return handler


def build(gan, title: str | None = None):
    """The page for `gan`, as a `gradio.Blocks` (call `.launch()` on it).

    Args:
        gan: a trained odog model (`odog.load(run)`).
        title: the page's heading; the variant's name by default.
    """
    gr = _gradio()
    title = title or f"odog {gan.name}"
    # png: the page shows the exact pixels, enlarged without smoothing (CSS in `launch`).
    image = {"format": "png", "type": "numpy", "height": 320}
    with gr.Blocks(title=title, analytics_enabled=False) as page:
        gr.Markdown(f"# {title}\n{type(gan).__name__}, trained {gan.iteration:,} iterations.")
        if hasattr(gan, "upscale"):
            upload = gr.File(label="low-resolution image", file_types=["image"], elem_id="upload")
            create = gr.Button("Create", variant="primary", elem_id="create")
            with gr.Row():
                bicubic = gr.Image(label="bicubic", elem_id="bicubic", **image)
                larger = gr.Image(label=f"{gan.name}, {gan.scale}x", elem_id="output", **image)

            def upscale(path):
                small = read_upload(path, gan.lr_shape)
                return picture(gan.bicubic(small)), picture(gan.upscale(small))

            create.click(_on_page(upscale), [upload], [bicubic, larger])
        elif hasattr(gan, "translate"):
            upload = gr.File(label="input image", file_types=["image"], elem_id="upload")
            directions = ["a2b", "b2a"] if gan.two_way else ["a2b"]
            direction = gr.Radio(directions, value="a2b", label="direction", elem_id="direction")
            seed = gr.Number(
                value=0, precision=0, label="seed of the code", visible=gan.name == "bicyclegan", elem_id="seed"
            )
            create = gr.Button("Create", variant="primary", elem_id="create")
            output = gr.Image(label="translated", elem_id="output", **image)

            def translate(path, way, s):
                source = gan.a_shape if way == "a2b" else gan.b_shape
                options = {"seed": check_seed(s)} if gan.name == "bicyclegan" else {}
                return picture(gan.translate(read_upload(path, source), way, **options))

            create.click(_on_page(translate), [upload, direction, seed], [output])
        else:
            controls = _condition_controls(gr, gan)
            with gr.Row():
                seed = gr.Number(value=0, precision=0, label="seed", elem_id="seed")
                count = gr.Number(value=16, precision=0, label=f"images (1-{MAX_IMAGES})", elem_id="count")
            create = gr.Button("Create", variant="primary", elem_id="create")
            output = gr.Image(label="generated", elem_id="output", **image)

            def generate(s, n, *values):
                return picture(gan.generate(check_count(n), seed=check_seed(s), **_conditions(gan, values)))

            create.click(_on_page(generate), [seed, count, *controls], [output])
            if gan.interpolates:
                walk = gr.Button(f"Walk the latent space ({WALK_STEPS} steps, slerp)", elem_id="walk")
                walked = gr.Image(label="walk", elem_id="walked", **image)

                def interpolate(s, *values):
                    walk_images = gan.interpolate(WALK_STEPS, seed=check_seed(s), **_conditions(gan, values))
                    return picture(walk_images, rows=1)

                walk.click(_on_page(interpolate), [seed, *controls], [walked])
    return page


def launch(gan, host: str = "127.0.0.1", port: int = 7860, block: bool = True):
    """Serves `build(gan)` on http://host:port; `block=False` returns at once, leaving it serving.

    Returns:
        The `gradio.Blocks`, whose `.close()` stops the server, and the
        page's address.
    """
    gr = _gradio()
    page = build(gan)
    # System fonts: Gradio's default theme fetches Google's, which an offline machine cannot reach.
    theme = gr.themes.Default(
        font=["ui-sans-serif", "system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]
    )
    _, url, _ = page.launch(
        server_name=host,
        server_port=port,
        prevent_thread_lock=True,
        quiet=not block,
        theme=theme,
        css="img { image-rendering: pixelated; }",
        show_error=True,
    )
    if block:
        page.block_thread()
    return page, url
