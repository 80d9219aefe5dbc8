"""UNIT and MUNIT: what each step trains (down to their shared and per-domain parts), their codes, and their
errors. The generic translation tests (tests/test_translation.py, tests/test_variants.py) cover them too."""

import keras
import numpy as np
import pytest
from conftest import changed, snapshot
from helpers import build_small, joined_batch, small_batch

import odog


def _moved(before, model) -> bool:
    return all(changed(before, model.trainable_variables))


# ----------------------------------------------------------------------
# UNIT
# ----------------------------------------------------------------------
def test_unit_translators_share_their_innermost_layers():
    gan = build_small("unit")
    ab, ba = gan.generator.get_layer("g_ab"), gan.generator.get_layer("g_ba")
    for name in ("shared_encoder", "shared_decoder"):
        assert ab.get_layer(name) is ba.get_layer(name)
    shared = {id(v) for name in ("shared_encoder", "shared_decoder") for v in ab.get_layer(name).variables}
    assert shared and shared <= {id(v) for v in ba.variables}
    # Counted once: the generator's variables are the union of the six parts'.
    parts = gan.parts()
    assert len(gan.generator.variables) == sum(len(m.variables) for m in parts.values())


def test_a_unit_g_step_moves_every_part_and_leaves_d_bit_identical():
    gan = build_small("unit")
    parts = gan.parts()
    before = {k: snapshot(m.trainable_variables) for k, m in parts.items()}
    d_before = snapshot(gan.discriminator.variables)
    logs = gan.generator_step(keras.ops.convert_to_tensor(joined_batch(gan)[:4]))
    for key in ("g_loss", "adversarial_loss", "kl_loss", "reconstruction_loss", "cycle_kl_loss", "cycle_loss"):
        assert np.isfinite(keras.ops.convert_to_numpy(logs[key])), key
    assert not any(changed(d_before, gan.discriminator.variables)), "the G step touched D"
    for key, model in parts.items():
        assert _moved(before[key], model), f"{key} did not move"


def test_a_unit_d_step_moves_both_critics_and_leaves_every_vae_part_bit_identical():
    gan = build_small("unit")
    real = keras.ops.convert_to_tensor(joined_batch(gan)[:4])
    ones, zeros = keras.ops.ones((4, 1)), keras.ops.zeros((4, 1))
    g_before = snapshot(gan.generator.variables + gan.generator_ema.variables)
    critics = {k: gan.discriminator.get_layer(k) for k in ("d_a", "d_b")}
    d_before = {k: snapshot(m.trainable_variables) for k, m in critics.items()}
    gan.discriminator_step(real, gan.discriminator_fakes(real), ones, zeros)
    assert not any(changed(g_before, gan.generator.variables + gan.generator_ema.variables))
    for key, model in critics.items():
        assert _moved(d_before[key], model), f"{key} did not move"


def test_unit_translation_is_decoding_the_other_domains_shared_code():
    gan = build_small("unit")
    gan.train_on_batch(*small_batch(gan))
    a, b = small_batch(gan)
    code = gan.encode(a, "a")
    assert code.shape == (len(a), *gan.code_shape) == (len(a), 7, 7, 16)
    np.testing.assert_allclose(gan.decode(code, "b"), gan.translate(a, "a2b"), atol=1e-5)
    np.testing.assert_allclose(gan.decode(gan.encode(b, "b"), "a"), gan.translate(b, "b2a"), atol=1e-5)
    own = gan.decode(gan.encode(b, "b", ema=False), "b", ema=False)  # the B VAE's reconstruction
    assert own.shape == b.shape and own.min() >= -1 and own.max() <= 1


def test_unit_refuses_bad_domains_codes_and_settings():
    gan = build_small("unit")
    a, b = small_batch(gan)
    with pytest.raises(ValueError, match=r"Expected 'a' or 'b' \(UNIT has two domains\). Received: domain='c'"):
        gan.encode(a, "c")
    with pytest.raises(ValueError, match=r"Expected images of shape \(N, 28, 28, 1\) to encode from domain 'a'"):
        gan.encode(b, "a")
    with pytest.raises(ValueError, match=r"Expected codes of shape \(N, 7, 7, 16\)"):
        gan.decode(np.zeros((2, 7, 7, 3)), "b")
    with pytest.raises(ValueError, match="Expected 'a2b' or 'b2a'. Received: 'a2c'"):
        gan.translate(a, "a2c")
    with pytest.raises(ValueError, match="`shared_blocks`"):
        odog.UNIT(dataset=(a, b), filters=4, shared_blocks=0)
    with pytest.raises(ValueError, match="`cycle_weight`"):
        odog.UNIT(dataset=(a, b), filters=4, cycle_weight=-1.0)


# ----------------------------------------------------------------------
# MUNIT
# ----------------------------------------------------------------------
def test_a_munit_g_step_moves_every_encoder_and_decoder_and_leaves_d_bit_identical():
    gan = build_small("munit")
    parts = gan.parts()
    assert sorted(parts) == [f"{k}_{d}" for k in ("content_encoder", "decoder", "style_encoder") for d in "ab"]
    before = {k: snapshot(m.trainable_variables) for k, m in parts.items()}
    d_before = snapshot(gan.discriminator.variables)
    logs = gan.generator_step(keras.ops.convert_to_tensor(joined_batch(gan)[:4]))
    for key in ("g_loss", "adversarial_loss", "image_loss", "style_loss", "content_loss"):
        assert np.isfinite(keras.ops.convert_to_numpy(logs[key])), key
    assert not any(changed(d_before, gan.discriminator.variables)), "the G step touched D"
    for key, model in parts.items():
        assert _moved(before[key], model), f"{key} did not move"


def test_a_munit_d_step_leaves_the_encoders_and_decoders_bit_identical():
    gan = build_small("munit")
    real = keras.ops.convert_to_tensor(joined_batch(gan)[:4])
    g_side = gan.generator.variables + gan.generator_ema.variables + gan.style_encoders.variables
    g_before = snapshot(g_side)
    critics = {k: gan.discriminator.get_layer(k) for k in ("d_a", "d_b")}
    d_before = {k: snapshot(m.trainable_variables) for k, m in critics.items()}
    gan.discriminator_step(real, gan.discriminator_fakes(real), keras.ops.ones((4, 1)), keras.ops.zeros((4, 1)))
    assert not any(changed(g_before, g_side))
    for key, model in critics.items():
        assert _moved(d_before[key], model), f"{key} did not move"


def test_munit_style_codes_choose_the_output_and_seeds_repeat_it():
    gan = build_small("munit")
    gan.train_on_batch(*small_batch(gan))
    a, b = small_batch(gan)
    first, again = gan.translate(a, "a2b", seed=1), gan.translate(a, "a2b", seed=1)
    np.testing.assert_array_equal(first, again)
    assert first.shape == b.shape and first.min() >= -1 and first.max() <= 1
    assert not np.allclose(first, gan.translate(a, "a2b", seed=2)), "the style changed nothing"
    assert gan.diversity(a, "a2b", samples=3) > 0 and gan.diversity(b, "b2a", samples=3) > 0
    styles = gan.encode_style(b, "b")
    assert styles.shape == (len(b), 8)
    one = gan.translate(a, "a2b", style=styles[0])  # one style for every input
    np.testing.assert_allclose(one, gan.translate(a, "a2b", style=np.repeat(styles[:1], len(a), 0)), atol=1e-6)
    grid = gan.sample_columns(a[:2], b[:2])
    assert len(grid) == 8 and grid[1].shape == (2, 28, 28, 3) and grid[5].shape == (2, 28, 28, 1)


def test_munit_refuses_bad_domains_styles_and_settings():
    gan = build_small("munit")
    a, b = small_batch(gan)
    with pytest.raises(ValueError, match=r"Expected 'a' or 'b' \(MUNIT has two domains\). Received: domain='B'"):
        gan.encode_style(b, "B")
    with pytest.raises(ValueError, match=r"Expected images of shape \(N, 28, 28, 3\) to encode the style of domain"):
        gan.encode_style(a, "b")
    with pytest.raises(ValueError, match=r"style of shape \(4, 8\) or \(8,\). Received: style.shape=\(3, 8\)"):
        gan.translate(a, "a2b", style=np.zeros((3, 8)))
    with pytest.raises(ValueError, match="takes a `style=` code or a `seed=` to draw one; not 'z'"):
        gan.translate(a, "a2b", z=np.zeros((4, 8)))
    with pytest.raises(ValueError, match="`samples`"):
        gan.diversity(a, samples=1)
    with pytest.raises(ValueError, match="`style_dim`"):
        odog.MUNIT(dataset=(a, b), filters=4, style_dim=0)
