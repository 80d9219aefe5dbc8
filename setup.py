from pathlib import Path

from setuptools import find_packages, setup

setup(
    name="odog",
    version="0.1.0",
    description="One Day One GAN: GAN variants on Keras 3, trainable in one line and measured.",
    long_description=Path(__file__).with_name("README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    packages=find_packages(include=["odog", "odog.*"]),
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
        "test": ["pytest", "pytest-xdist", "nbclient", "nbformat", "ipykernel", "ruff", "tensorboard"],
        # keras.callbacks.TensorBoard and odog train --tensorboard write through TensorBoard's summaries.
        "tensorboard": ["tensorboard"],
        "notebooks": ["jupyter", "nbformat"],
        "docs": ["mkdocs"],
        # Keras' other backends; TensorFlow stays installed (and the default) for tf.data and TensorBoard.
        "jax": ["jax"],
        "torch": ["torch"],
    },
    entry_points={"console_scripts": ["odog=odog.cli:main"]},
)
