"""Helpers shared by test modules (imported, unlike fixtures, by name)."""

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

# Small settings that build each variant fast; every variant trains on 28x28 digits.
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
    "lapgan": {"filters": 8},
    "sagan": {"filters": 8},
    "srgan": {"residual_blocks": 1, "filters": 8, "content_loss": "pixel"},
    "esrgan": {"rrdb_blocks": 1, "filters": 8, "growth": 4, "content_loss": "pixel", "pretrain_iterations": 1},
}


# The step is compiled with XLA for these in `build_small`; the others run it uncompiled (a graph on
# TensorFlow, eagerly on JAX), which tests the same code without a compilation per variant.
XLA = ("dcgan", "sagan")


def build_small(name: str, seed: int = 0):
    """Variant `name` in its `SMALL` settings on `digits_dataset()`."""
    import odog

    gan = odog.get(name)(dataset=digits_dataset(), seed=seed, **SMALL[name])
    gan.jit_compile = gan.jit_compile and name in XLA
    return gan


def small_batch(gan, size: int = 4) -> tuple:
    """The first `size` training images per D step (and their labels), for `train_on_batch`."""
    n = gan.d_steps * size
    return gan.data.images[:n], (gan.data.labels[:n] if gan.uses_labels else None)


def digits_dataset(n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n` 28x28 images of bright bars with labels 0-9, as (images, labels)."""
    rng = np.random.default_rng(seed)
    images = -np.ones((n, 28, 28, 1), "float32")
    for image, (r, c) in zip(images, rng.integers(4, 18, (n, 2)), strict=True):
        image[r : r + 8, c : c + 2] = 1.0
    return images, np.arange(n) % 10


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

    For every variant in `SMALL` on digits, and DCGAN's 32x32 paper layout;
    equal digests in two processes mean "seed" means reproducible.
    """
    import hashlib

    import keras

    import odog

    cases = {name: (name, SMALL[name], digits_dataset()) for name in SMALL}
    cases["dcgan_32x32"] = ("dcgan", {}, np.zeros((8, 32, 32, 3), "uint8"))
    digests = {}
    for case, (name, config, dataset) in cases.items():
        gan = odog.get(name)(dataset=dataset, seed=seed, **config)
        digest = hashlib.sha256()
        for variable in gan.generator.weights + gan.discriminator.weights:
            digest.update(np.ascontiguousarray(keras.ops.convert_to_numpy(variable)).tobytes())
        digest.update(gan.generate(2, seed=0).tobytes())
        digests[case] = digest.hexdigest()
    return digests
