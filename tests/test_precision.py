"""Mixed precision through Keras' own policies, for every variant, on the active backend."""

import contextlib

import keras
import numpy as np
import pytest
from helpers import SMALL, build_small, eager_unless_xla, small_batch

import odog


@contextlib.contextmanager
def policy(name: str):
    """Builds inside the block under the global dtype policy `name`."""
    keras.mixed_precision.set_global_policy(name)
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy("float32")


def _dtype(x) -> str:
    return keras.backend.standardize_dtype(x.dtype)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_every_variant_trains_in_mixed_bfloat16(name, request):
    eager_unless_xla(request, name)
    with policy("mixed_bfloat16"):
        gan = build_small(name)
    models = [gan.generator, gan.discriminator] + ([gan.generator_ema] if gan.generator_ema is not None else [])
    for model in models:
        computes = {layer.dtype_policy.compute_dtype for layer in model._flatten_layers() if layer.weights}
        assert "bfloat16" in computes, f"{model.name} computes in {computes}"  # the body is low precision
        assert {_dtype(v) for v in model.weights if "seed" not in v.path} == {"float32"}  # the variables are not
    logs = gan.train_on_batch(*small_batch(gan), record=False)
    assert {key: _dtype(value) for key, value in logs.items()} == dict.fromkeys(logs, "float32")  # losses, penalties
    assert all(np.isfinite(keras.ops.convert_to_numpy(value)) for value in logs.values())
    images = gan.generate(3, seed=0)
    assert images.dtype == np.float32 and np.abs(images).max() <= 1.0 and np.isfinite(images).all()


@pytest.mark.parametrize("name", ["dcgan", "wgan_gp"])
def test_mixed_float16_scales_the_loss_and_moves_as_float32_does(name):
    """Keras compiles the models with a LossScaleOptimizer; odog's steps scale their losses for it.

    Unscaled, the optimizer would divide every gradient by its scale (32768): the first Adam steps would
    be about 1/30 of float32's. Scaled, the first update of each model matches float32's to a few percent.
    """
    moves = {}
    for precision in ("float32", "mixed_float16"):
        with policy(precision):
            gan = build_small(name)
        before = [np.array(v) for v in gan.discriminator.trainable_weights + gan.generator.trainable_weights]
        logs = gan.train_on_batch(*small_batch(gan))
        after = [np.array(v) for v in gan.discriminator.trainable_weights + gan.generator.trainable_weights]
        moves[precision] = np.array([np.abs(a - b).sum() for a, b in zip(after, before, strict=True)])
        assert np.isfinite(list(logs.values())).all()
    assert isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
    # Per variable the ratio is about 1 (a few biases whose float32 gradient is rounding noise differ);
    # unscaled, the ratios would sit far below 1.
    moved = moves["float32"] > 0
    ratios = moves["mixed_float16"][moved] / moves["float32"][moved]
    assert 0.9 < np.median(ratios) < 1.1, ratios
    np.testing.assert_allclose(moves["mixed_float16"].sum(), moves["float32"].sum(), rtol=0.05)


def test_a_mixed_precision_checkpoint_loads_and_samples_the_same(tmp_path):
    with policy("mixed_bfloat16"):
        gan = build_small("dcgan")
        gan.train(epochs=2, batch_size=4, verbose=0)
        gan.save(tmp_path)
        again = odog.load(tmp_path, dataset=gan.dataset)
    np.testing.assert_array_equal(again.generate(2, seed=1), gan.generate(2, seed=1))
    assert again.generator.layers[0].dtype_policy.name == "mixed_bfloat16"
