import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).resolve().parent
# The version lives in one place, odog/__init__.py; the package reports it as odog.__version__.
VERSION = re.search(r'^__version__ = "([^"]+)"$', (HERE / "odog" / "__init__.py").read_text(), re.M).group(1)

setup(
    name="odog",
    version=VERSION,
    license="MIT",
    description="One Day One GAN: GAN variants on Keras 3, trainable in one line and measured.",
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    packages=find_packages(include=["odog", "odog.*"]),
    # The pretrained generators (odog.pretrained), written by benchmarks/pretrained.py.
    package_data={"odog": ["weights/*/checkpoint.npz"]},
    python_requires=">=3.10",
    install_requires=[
        "tensorflow>=2.16",
        "keras>=3.0",
        "numpy",
        "pillow",
        "scipy",
        # Image folders stream through grain: no TensorFlow needed, the same batches on every backend.
        "grain",
        "matplotlib",
    ],
    extras_require={
        # The suite also builds the docs site and drives the demo page in a headless Chromium (selenium; the
        # browser and its driver come from the system, e.g. Debian's chromium and chromium-driver).
        "test": [
            "pytest",
            "pytest-xdist",
            "nbclient",
            "nbformat",
            "ipykernel",
            "ruff",
            "tensorboard",
            "mkdocs-material",
            "mkdocs-jupyter",
            "gradio",
            "selenium",
        ],
        # keras.callbacks.TensorBoard and odog train --tensorboard write through TensorBoard's summaries.
        "tensorboard": ["tensorboard"],
        "notebooks": ["jupyter", "nbformat"],
        # odog demo: the generation page.
        "demo": ["gradio"],
        "docs": ["mkdocs-material", "mkdocs-jupyter"],
        # Keras' other backends; TensorFlow stays installed (and the default) for tf.data and TensorBoard.
        "jax": ["jax"],
        "torch": ["torch"],
    },
    entry_points={"console_scripts": ["odog=odog.cli:main"]},
)
