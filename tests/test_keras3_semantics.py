"""Which step changes which variables, on Keras 3, proved rather than assumed, on every backend.

CI runs this module on TensorFlow and on JAX (KERAS_BACKEND=jax).
"""

import warnings

import keras
import numpy as np
import pytest
from conftest import TinyGAN, changed, snapshot

from odog import backend
from odog.models import frozen


def _step_args(gan, images):
    batch = len(images)
    z = gan.sample_noise((batch,))
    ones, zeros = np.ones((batch, 1), "float32"), np.zeros((batch, 1), "float32")
    fake = keras.ops.convert_to_numpy(gan.generator(z, training=False))
    return images, fake, ones, zeros


@pytest.mark.parametrize("compiled", [False, True])
def test_discriminator_step_changes_d_only(tiny, blobs, compiled):
    g_before = snapshot(tiny.generator.variables)
    d_before = snapshot(tiny.discriminator.trainable_variables)
    step = (
        backend.compile_function(tiny.discriminator_step, tiny.step_variables())
        if compiled
        else tiny.discriminator_step
    )
    step(*_step_args(tiny, blobs[:16]))
    assert not any(changed(g_before, tiny.generator.variables)), "the D step touched G"
    assert all(changed(d_before, tiny.discriminator.trainable_variables)), "a D weight did not move"


def _d_state(gan):
    """Every D variable except dropout's RNG counter: weights and BN statistics.

    D's Dropout stays active in the G step (as in Keras-GAN and PyTorch's
    DCGAN), so its seed counter advances; nothing learned may change.
    """
    variables = [v for v in gan.discriminator.variables if "seed_generator" not in v.path]
    assert any("moving_mean" in v.path for v in variables)
    return variables


@pytest.mark.parametrize("compiled", [False, True])
def test_generator_step_changes_g_only_and_d_bit_identical(tiny, compiled):
    d_before = snapshot(_d_state(tiny))
    g_before = snapshot(tiny.generator.trainable_variables)
    step = backend.compile_function(tiny.generator_step, tiny.step_variables()) if compiled else tiny.generator_step
    step(tiny.sample_noise((16,)))
    assert not any(changed(d_before, _d_state(tiny))), "the G step touched D"
    assert all(changed(g_before, tiny.generator.trainable_variables)), "a G weight did not move"


def test_frozen_batchnorm_runs_in_inference_mode(tiny):
    """In the G step, D's BatchNorm normalizes with its moving statistics."""
    for layer in tiny.discriminator.layers:  # isolate BatchNorm from dropout noise
        if isinstance(layer, keras.layers.Dropout):
            layer.rate = 0.0
    z = tiny.sample_noise((16,))
    images = tiny.generator(z, training=True)
    with frozen(tiny.discriminator):
        through_combined = keras.ops.convert_to_numpy(tiny.combined(z, training=True))
    inference = keras.ops.convert_to_numpy(tiny.discriminator(images, training=False))
    batch_stats = keras.ops.convert_to_numpy(tiny.discriminator(images, training=True))
    np.testing.assert_allclose(through_combined, inference, rtol=1e-5, atol=1e-6)
    assert not np.allclose(through_combined, batch_stats, atol=1e-4)


def test_each_model_has_its_own_optimizer_bound_to_its_own_variables(tiny):
    assert tiny.d_optimizer is not tiny.g_optimizer
    d_ids = {id(v) for v in tiny.discriminator.trainable_variables}
    g_ids = {id(v) for v in tiny.generator.trainable_variables}
    # Adam keeps two slots (m, v) per variable it was built for.
    assert len(tiny.d_optimizer.variables) == 2 + 2 * len(d_ids)
    assert len(tiny.g_optimizer.variables) == 2 + 2 * len(g_ids)


def test_keras2_recipe_leaves_d_untrained_on_keras3(blobs):
    """Why odog does not rely on `D.trainable = False` before compiling combined."""
    gan = TinyGAN(dataset=blobs, latent_dim=8, seed=0)
    d = gan.build_discriminator()
    d.compile(optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5), loss="binary_crossentropy")
    d.trainable = False  # Keras-GAN sets this before building combined
    before = snapshot(d.trainable_weights or d.weights)
    with warnings.catch_warnings(record=True) as caught:  # TensorFlow also warns: "no trainable weights"
        warnings.simplefilter("always")
        d.train_on_batch(blobs[:16], np.ones((16, 1), "float32"))
    if keras.backend.backend() == "tensorflow":
        assert any("trainable" in str(w.message) for w in caught)
    assert not any(changed(before, d.weights)), "expected the Keras 3 pitfall to hold"


def test_keras_style_train_on_batch_calls_are_correct(tiny, blobs):
    """Keras-GAN code run against odog's models trains the right model."""
    z = tiny.sample_noise((16,))
    valid = np.ones((16, 1), "float32")
    d_before, g_before = snapshot(_d_state(tiny)), snapshot(tiny.generator.trainable_variables)
    tiny.combined.train_on_batch(z, valid)
    assert not any(changed(d_before, _d_state(tiny)))
    assert any(changed(g_before, tiny.generator.trainable_variables))

    d_before, g_before = snapshot(tiny.discriminator.trainable_variables), snapshot(tiny.generator.variables)
    tiny.discriminator.train_on_batch(blobs[:16], valid)
    assert all(changed(d_before, tiny.discriminator.trainable_variables))
    assert not any(changed(g_before, tiny.generator.variables))


def test_train_on_batch_updates_both_models(tiny, blobs):
    d_before = snapshot(tiny.discriminator.trainable_variables)
    g_before = snapshot(tiny.generator.trainable_variables)
    logs = tiny.train_on_batch(blobs[:16])
    assert all(changed(d_before, tiny.discriminator.trainable_variables))
    assert all(changed(g_before, tiny.generator.trainable_variables))
    assert set(logs) == {"d_loss", "d_loss_real", "d_loss_fake", "d_acc", "d_real", "d_fake", "g_loss"}
    assert all(np.isfinite(v) for v in logs.values())
    assert 0.0 <= logs["d_real"] <= 1.0 and 0.0 <= logs["d_fake"] <= 1.0
