"""Helpers shared by test modules (imported, unlike fixtures, by name)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

import odog

ROOT = Path(__file__).resolve().parents[1]

# Small settings that build each variant fast; every variant trains on 28x28 digits (`small_dataset`).
SMALL = {
    "gan": {},
    "dcgan": {},
    "cgan": {},
    "acgan": {},
    "taggan": {},
    "infogan": {},
    "sgan": {"labelled": 10},
    "wgan": {"d_steps": 2},
    "wgan_gp": {"d_steps": 2},
    "lsgan": {},
    "ebgan": {},
    "began": {"filters": 8},
    "bgan": {},
    "dragan": {},
    "rgan": {"average": True},
    "softmax_gan": {},
    "wgan_div": {"d_steps": 2},
    "ssgan": {},
    "aae": {},
    "bigan": {},
    "clustergan": {},
    "context_encoder": {"filters": 4},
    "ccgan": {"filters": 4},
    "lapgan": {"filters": 8},
    "sagan": {"filters": 8},
    "srgan": {"residual_blocks": 1, "filters": 8, "content_loss": "pixel"},
    "esrgan": {"rrdb_blocks": 1, "filters": 8, "growth": 4, "content_loss": "pixel", "pretrain_iterations": 1},
    "stargan": {"filters": 4, "residual_blocks": 1},
}

# The image-to-image variants train on two domains (`translation_dataset`); paired ones on pairs.
TRANSLATION_SMALL = {
    "pix2pix": {"filters": 4},
    "cyclegan": {"filters": 4, "residual_blocks": 1},
    "discogan": {"filters": 4},
    "dualgan": {"filters": 4},
    "bicyclegan": {"filters": 4},
    "unit": {"filters": 4, "residual_blocks": 0},
    "munit": {"filters": 4, "residual_blocks": 1},
}
PAIRED = ("pix2pix", "bicyclegan")
TRANSLATION = tuple(name for name in TRANSLATION_SMALL if name in odog.available())  # bicyclegan once it exists
SMALL.update({name: TRANSLATION_SMALL[name] for name in TRANSLATION})
# Models of two unpaired domains that translate nothing (CoGAN draws pairs from noise): they train on
# `translation_dataset` as the translation variants do, but are not in TRANSLATION (they have no `translate`).
TWO_DOMAINS_SMALL = {"cogan": {"filters": 4, "latent_dim": 8}}
SMALL.update({name: config for name, config in TWO_DOMAINS_SMALL.items() if name in odog.available()})
# PixelDA trains on labelled source images and unlabelled target images, (source, labels, target)
# (`labelled_domains_dataset`); its batches are (joined images, source labels), as a labelled dataset's.
LABELLED_DOMAINS_SMALL = {"pixelda": {"filters": 4, "residual_blocks": 1}}
SMALL.update({name: config for name, config in LABELLED_DOMAINS_SMALL.items() if name in odog.available()})


# The step is compiled with XLA for these in `build_small` (where the variant compiles with XLA at all);
# the others run it uncompiled (a graph on TensorFlow, eagerly on JAX), which tests the same code without a
# compilation per variant.
XLA = ("dcgan", "sagan")


def build_small(name: str, seed: int = 0):
    """Variant `name` in its `SMALL` settings on `small_dataset(name)`."""
    gan = odog.get(name)(dataset=small_dataset(name), seed=seed, **SMALL[name])
    gan.jit_compile = type(gan).jit_compile and name in XLA
    return gan


def eager_unless_xla(request, name: str) -> None:
    """Runs the test's steps eagerly (conftest's `eager`) unless `name` compiles with XLA in `build_small`.

    For the every-variant tests whose point is not tracing: each traced TensorFlow step stays in memory
    after its model is freed, and a few iterations cost less than their tracing. Tracing is tested per
    variant by test_backends' G-step test, and with XLA for the `XLA` variants.
    """
    if name not in XLA:
        request.getfixturevalue("eager")


def is_translation(gan_or_name) -> bool:
    """Whether a variant (a name or a model) trains on two domains: a translation model, or CoGAN's kind."""
    name = gan_or_name if isinstance(gan_or_name, str) else gan_or_name.name
    return name in TRANSLATION_SMALL or name in TWO_DOMAINS_SMALL


def small_dataset(name: str):
    """The data `build_small(name)` trains on: `digits_dataset()`, or two domains for translation variants."""
    if is_translation(name):
        return translation_dataset(paired=name in PAIRED)
    if name in LABELLED_DOMAINS_SMALL:
        return labelled_domains_dataset()
    return digits_dataset()


def small_batch(gan, size: int = 4) -> tuple:
    """What `gan.train_on_batch` takes for `size` training images per D step: (images, labels), or the
    translation models' (a, b)."""
    n = gan.d_steps * size
    if is_translation(gan):
        return gan.data.a[:n], gan.data.b[:n]
    return gan.data.images[:n], (gan.data.labels[:n] if gan.uses_labels else None)


def joined_batch(gan, size: int = 4) -> np.ndarray:
    """A translation model's `size` * d_steps training examples, both domains joined on the channel axis."""
    return np.concatenate(small_batch(gan, size), axis=-1)


def generated_shape(gan) -> tuple:
    """The shape of one image of `gan.generate()`: img_shape, or the target domain's for translation."""
    return tuple(gan.b_shape) if is_translation(gan) or gan.name in LABELLED_DOMAINS_SMALL else tuple(gan.img_shape)


def digits_dataset(n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n` 28x28 images of bright bars with labels 0-9, as (images, labels)."""
    rng = np.random.default_rng(seed)
    images = -np.ones((n, 28, 28, 1), "float32")
    for image, (r, c) in zip(images, rng.integers(4, 18, (n, 2)), strict=True):
        image[r : r + 8, c : c + 2] = 1.0
    return images, np.arange(n) % 10


def colour(images: np.ndarray, seed: int = 0) -> np.ndarray:
    """1-channel images in [-1, 1] as 3-channel ones: each image's strokes in a colour of its own on dark grey."""
    rng = np.random.default_rng(seed)
    colours = rng.uniform(-0.5, 1.0, (len(images), 1, 1, 3)).astype("float32")
    return np.where(images > 0, colours, np.float32(-0.8)).astype("float32")


def translation_dataset(paired: bool, n: int = 40) -> tuple[np.ndarray, np.ndarray]:
    """Two small 28x28 domains from `digits_dataset`: A the digits (1 channel), B coloured (3 channels).

    Paired: B is A's own images coloured; unpaired: 30 other digits, coloured (the counts differ).
    """
    a, _ = digits_dataset(n)
    b = colour(a) if paired else colour(digits_dataset(30, seed=1)[0], seed=1)
    return a, b


def labelled_domains_dataset() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`translation_dataset(paired=False)` with labels 0-9 for its 40 source images: (source, labels, target)."""
    a, b = translation_dataset(paired=False)
    return a, np.arange(len(a)) % 10, b


def backend_available(name: str) -> bool:
    """Whether the Keras backend `name` can be imported here."""
    return importlib.util.find_spec(name) is not None


def run_on_backend(backend: str, code: str, timeout: int = 600) -> str:
    """Runs Python `code` in a fresh process on a Keras backend; returns its stdout."""
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "3"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "tests"), env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )
    if result.returncode:
        raise AssertionError(f"{backend} subprocess failed:\n{result.stderr[-4000:]}")
    return result.stdout


def seeded_digests(seed: int = 0) -> dict[str, str]:
    """A hash of each variant's initial weights and first samples when built with `seed`.

    For every variant in `SMALL` on its `small_dataset`, and DCGAN's 32x32 paper layout;
    equal digests in two processes mean "seed" means reproducible.
    """
    import hashlib

    import keras

    cases = {name: (name, SMALL[name], small_dataset(name)) for name in SMALL}
    cases["dcgan_32x32"] = ("dcgan", {}, np.zeros((8, 32, 32, 3), "uint8"))
    digests = {}
    for case, (name, config, dataset) in cases.items():
        gan = odog.get(name)(dataset=dataset, seed=seed, **config)
        digest = hashlib.sha256()
        encoder = getattr(gan, "encoder", None)  # BicycleGAN's
        for variable in gan.generator.weights + gan.discriminator.weights + (encoder.weights if encoder else []):
            digest.update(np.ascontiguousarray(keras.ops.convert_to_numpy(variable)).tobytes())
        digest.update(gan.generate(2, seed=0).tobytes())
        digests[case] = digest.hexdigest()
    return digests


def without_dropout(gan):
    """`gan` with its D's Dropout rates set to 0, so that an objective can be compared with its formula."""
    import keras  # here: helpers loads no framework on import (subprocess tests pick their backend first)

    for layer in gan.discriminator.layers:
        if isinstance(layer, keras.layers.Dropout):
            layer.rate = 0.0
    return gan
