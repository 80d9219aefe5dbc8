import contextlib
import gc
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
# Models compile their steps without XLA here (and in the subprocesses and notebook kernels the tests
# start), unless the environment says otherwise: every XLA compilation stays in TensorFlow's process-wide
# cache after its model is freed (about 80 MB per DCGAN, against 30 without XLA, measured with
# clear_session and gc between models), and a worker running hundreds of models outgrew the machine's
# memory. Tests that are about the XLA path set it per model (helpers.XLA).
os.environ.setdefault("ODOG_JIT_COMPILE", "0")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from keras import layers  # noqa: E402

from odog import BaseGAN, data, metrics  # noqa: E402


def pytest_sessionstart(session):
    """Trains the cached classifiers (MNIST, and textured_mnist for the translation tests) once, before parallel
    workers would each train their own."""
    parallel = getattr(session.config.option, "numprocesses", None)
    if parallel and not hasattr(session.config, "workerinput"):
        with contextlib.suppress(data.DatasetUnavailableError):  # tests that need MNIST skip themselves
            metrics.classifier("mnist")
            metrics.classifier("textured_mnist")


@pytest.fixture(autouse=True, scope="module")
def release_models():
    """Frees each test module's models when it ends: a worker runs hundreds of tests, and Keras' global
    state with every model's compiled steps grew one past the machine's memory (15 GB, killed by the OOM
    killer in a full run)."""
    yield
    keras.backend.clear_session()
    gc.collect()


class TinyGAN(BaseGAN):
    """A small variant with BatchNorm and Dropout in both models, 8x8 images."""

    name = "tiny"

    def build_generator(self):
        return keras.Sequential(
            [
                keras.Input((self.latent_dim,)),
                layers.Dense(32),
                layers.BatchNormalization(momentum=0.8),
                layers.LeakyReLU(0.2),
                layers.Dense(int(np.prod(self.img_shape)), activation="tanh"),
                layers.Reshape(self.img_shape),
            ]
        )

    def build_discriminator(self):
        return keras.Sequential(
            [
                keras.Input(self.img_shape),
                layers.Flatten(),
                layers.Dense(32),
                layers.BatchNormalization(momentum=0.8),
                layers.LeakyReLU(0.2),
                layers.Dropout(0.25),
                layers.Dense(1, activation="sigmoid"),
            ]
        )


@pytest.fixture
def blobs():
    """64 synthetic 8x8 images in [-1, 1]: bright squares at random places."""
    rng = np.random.default_rng(0)
    images = -np.ones((64, 8, 8, 1), "float32")
    for image, (r, c) in zip(images, rng.integers(0, 5, (64, 2)), strict=True):
        image[r : r + 3, c : c + 3] = 1.0
    return images


@pytest.fixture(scope="session")
def digits():
    """32 MNIST-shaped images: bright strokes on a dark background."""
    rng = np.random.default_rng(0)
    images = -np.ones((32, 28, 28, 1), "float32")
    for image, (r, c) in zip(images, rng.integers(4, 18, (32, 2)), strict=True):
        image[r : r + 8, c : c + 2] = 1.0
    return images


@pytest.fixture
def tiny(blobs):
    return TinyGAN(dataset=blobs, latent_dim=8, seed=0)


@pytest.fixture(scope="session")
def mnist():
    """The real MNIST training set (from $ODOG_DATA_DIR, or downloaded)."""
    try:
        return data.load_named("mnist")
    except data.DatasetUnavailableError as error:
        pytest.skip(str(error))


def snapshot(variables):
    return [np.array(keras.ops.convert_to_numpy(v)) for v in variables]


def changed(before, variables):
    return [not np.array_equal(b, a) for b, a in zip(before, snapshot(variables), strict=True)]


@pytest.fixture
def eager():
    """Runs odog's compiled steps eagerly on TensorFlow, for the example scripts' test: it builds full-size
    models for 4 iterations, where tracing a step costs more than running it (for the notebooks' 20 it
    does not). The compiled steps of every variant are tested in tests/test_backends.py."""
    if keras.backend.backend() != "tensorflow":
        yield
        return
    import tensorflow as tf

    tf.config.run_functions_eagerly(True)
    yield
    tf.config.run_functions_eagerly(False)
