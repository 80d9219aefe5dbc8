"""Every variant on the active Keras backend, and checkpoints across backends.

The suite runs on TensorFlow (the default); CI also runs this module and the
Keras-semantics tests with KERAS_BACKEND=jax.
"""

import json

import keras
import numpy as np
import pytest
from helpers import (
    SMALL,
    backend_available,
    build_small,
    eager_unless_xla,
    generated_shape,
    is_translation,
    run_on_backend,
    small_batch,
    small_dataset,
)

import odog
from odog import backend


@pytest.mark.parametrize("name", sorted(SMALL))
def test_every_variant_trains_saves_loads_and_resumes(name, tmp_path, request):
    """Train, save, load, resume: the resumed run equals the unbroken one."""
    eager_unless_xla(request, name)
    gan = build_small(name)
    gan.train(epochs=2, batch_size=4, verbose=0)
    gan.save(tmp_path)
    resumed = odog.load(tmp_path, dataset=small_dataset(name))
    resumed.jit_compile = gan.jit_compile
    assert type(resumed) is type(gan) and resumed.iteration == 2
    # TagGAN draws default tags from the data once it is loaded: load it on both.
    assert len(resumed.data) == len(gan.data)
    np.testing.assert_array_equal(resumed.generate(3, seed=5), gan.generate(3, seed=5))
    # On torch, unseeded Dropout draws from the process-wide generator, whose state the checkpoint holds
    # and `load` restored; both runs share this process, so each starts from that state, as a new process would.
    state = backend.global_rng_state()
    gan.train(epochs=2, batch_size=4, verbose=0)
    if state is not None:
        backend.set_global_rng_state(state)
    resumed.train(epochs=2, batch_size=4, verbose=0)
    assert resumed.iteration == 4
    np.testing.assert_allclose(resumed.history["g_loss"], gan.history["g_loss"], rtol=1e-5, atol=1e-6)
    for (path, a), b in zip(gan.named_variables().items(), resumed.named_variables().values(), strict=True):
        np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=1e-5, atol=1e-6, err_msg=path)
    images = resumed.generate(2, seed=0)
    assert images.dtype == np.float32 and images.shape == (2, *generated_shape(resumed))
    assert np.isfinite(images).all() and np.abs(images).max() <= 1.0


@pytest.mark.parametrize("name", sorted(SMALL))
def test_every_variant_step_changes_what_it_trains(name):
    """One iteration moves D and G; a G step alone leaves every D variable bit-identical."""
    gan = build_small(name)
    d_before = {p: np.array(v) for p, v in gan.named_variables().items() if p.startswith("discriminator/")}
    g_before = {p: np.array(v) for p, v in gan.named_variables().items() if p.startswith("generator/")}
    images, labels = small_batch(gan)
    if name == "esrgan":  # stage 1 trains G alone, as it should
        gan.train_on_batch(images, labels)
        d_now = {p: np.array(v) for p, v in gan.named_variables().items() if p.startswith("discriminator/")}
        assert all(np.array_equal(d_before[p], d_now[p]) for p in d_before)
    gan.train_on_batch(images, labels)
    after = {p: np.array(v) for p, v in gan.named_variables().items()}
    trainable = {f"discriminator/{p}" for p, v in odog.checkpoint.variable_paths(gan.discriminator) if v.trainable}
    assert any(not np.array_equal(d_before[p], after[p]) for p in trainable), "D did not move"
    assert any(not np.array_equal(g_before[p], after[p]) for p in g_before), "G did not move"

    d_state = {p: np.array(v) for p, v in gan.named_variables().items() if p.startswith("discriminator/")}
    step = backend.compile_function(gan.generator_step, gan.step_variables(), gan.jit_compile)
    step(gan.step_inputs(*_split(gan, images, labels))["z_g"])
    changed = [p for p, v in gan.named_variables().items() if p in d_state and not np.array_equal(d_state[p], v)]
    assert all("seed_generator" in p for p in changed), changed  # dropout's RNG counter may advance


def _split(gan, images, labels):
    if is_translation(gan):  # (a, b): one joined batch, no labels
        images, labels = np.concatenate([images, labels], axis=-1), None
    batch = len(images) // gan.d_steps
    real = images.reshape((gan.d_steps, batch) + images.shape[1:])
    if labels is None:
        return real, None
    labels = gan.check_labels(labels, len(images))
    return real, labels.reshape((gan.d_steps, batch) + labels.shape[1:])


def test_the_active_backend_is_reported():
    assert backend.name() == keras.backend.backend()


_SAVE = """
import json, sys, numpy as np, odog
from helpers import SMALL, small_dataset
gan = odog.get(sys.argv[1] if len(sys.argv) > 1 else NAME)(dataset=small_dataset(NAME), seed=0, **SMALL[NAME])
gan.train(epochs=3, batch_size=4, verbose=0)
gan.save(FOLDER)
print(json.dumps(gan.generate(4, seed=7).tolist()))
"""

_LOAD = """
import json, numpy as np, odog
from helpers import small_dataset
gan = odog.load(FOLDER, dataset=small_dataset(NAME))
samples = gan.generate(4, seed=7)
gan.train(epochs=2, batch_size=4, verbose=0)
print(json.dumps({"samples": samples.tolist(), "iteration": gan.iteration,
                  "finite": bool(np.isfinite(gan.generate(2, seed=0)).all())}))
"""


def _needs(backend_name: str):
    how = {"jax": "pip install -e '.[jax]'", "torch": "pip install torch (CPU: pip install torch==<version>)"}
    return pytest.mark.skipif(
        not backend_available(backend_name), reason=f"{backend_name} is not installed here: {how[backend_name]}"
    )


@pytest.mark.parametrize(
    ("name", "source", "target"),
    [
        pytest.param("dcgan", "tensorflow", "jax", marks=_needs("jax")),
        pytest.param("sagan", "jax", "tensorflow", marks=_needs("jax")),
        pytest.param("wgan_gp", "tensorflow", "torch", marks=_needs("torch")),
        pytest.param("cyclegan", "tensorflow", "jax", marks=_needs("jax")),
    ],
)
def test_checkpoints_move_between_backends(name, source, target, tmp_path):
    """Saved on one backend, loaded on the other: the same samples, and training continues.

    DCGAN carries BatchNorm statistics, SAGAN spectral-norm vectors, WGAN-GP a gradient penalty (on torch,
    which CI does not install: that case skips there), CycleGAN two translators, instance norm and its
    pool of past fakes.
    """
    folder = repr(str(tmp_path))
    saved = json.loads(run_on_backend(source, f"NAME = {name!r}; FOLDER = {folder}" + _SAVE).splitlines()[-1])
    loaded = json.loads(run_on_backend(target, f"NAME = {name!r}; FOLDER = {folder}" + _LOAD).splitlines()[-1])
    assert np.abs(np.array(saved) - np.array(loaded["samples"])).max() <= 1e-4
    assert loaded["iteration"] == 5 and loaded["finite"]
