"""Image-to-image translation: its data, what each step trains, the image pool, translate(), samples,
checkpoints without data, and the measures on an MNIST task."""

import re

import keras
import numpy as np
import pytest
from conftest import changed, snapshot
from helpers import TRANSLATION, build_small, colour, digits_dataset, joined_batch, small_batch, small_dataset
from PIL import Image

import odog
from odog import backend, data
from odog.data import translation
from odog.translation import ImagePool

needs_bicyclegan = pytest.mark.skipif("bicyclegan" not in TRANSLATION, reason="odog has no BicycleGAN yet")


def _png(path, pixels) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(np.asarray(pixels, "uint8")).save(path)


def _scaled(pixels) -> np.ndarray:
    """uint8 pixels as odog reads them, float32 in [-1, 1]."""
    return np.asarray(pixels).astype("float32") / 127.5 - 1.0


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def test_paired_arrays_of_different_counts_are_refused_naming_both_counts():
    a, b = np.zeros((5, 28, 28), "uint8"), np.zeros((3, 28, 28, 3), "uint8")
    with pytest.raises(ValueError, match="Received 5 inputs and 3 targets"):
        translation.from_arrays(a, b, paired=True)
    with pytest.raises(ValueError, match="Received 5 inputs and 3 targets"):
        odog.Pix2Pix(dataset=(a, b), filters=4)
    unpaired = translation.from_arrays(a, b, paired=False)  # two piles of images may differ in count
    assert (len(unpaired.a), len(unpaired.b), len(unpaired), unpaired.channels) == (5, 3, 5, (1, 3))


def test_domains_of_different_sizes_are_refused():
    with pytest.raises(ValueError, match="inputs of 8x8 and targets of 16x16"):
        translation.from_arrays(np.zeros((4, 8, 8), "uint8"), np.zeros((4, 16, 16, 3), "uint8"), paired=True)
    with pytest.raises(ValueError, match="domain_a of 28x28 and domain_b of 32x32"):
        odog.CycleGAN(dataset=(np.zeros((4, 28, 28), "uint8"), np.zeros((4, 32, 32, 3), "uint8")), filters=4)


@pytest.mark.parametrize(
    ("a", "b", "paired", "named"),
    [
        (np.zeros((0, 8, 8), "uint8"), np.zeros((4, 8, 8), "uint8"), False, "domain_a"),
        (np.zeros((4, 8, 8), "uint8"), np.zeros((0, 8, 8, 3), "uint8"), False, "domain_b"),
        (np.zeros((4, 8, 8), "uint8"), None, True, "targets"),
    ],
)
def test_an_empty_domain_is_refused(a, b, paired, named):
    with pytest.raises(ValueError, match=f"Received no images for `{named}`"):
        translation.from_arrays(a, b, paired=paired)


def test_a_cyclegan_folder_loads_both_domains(tmp_path):
    rng = np.random.default_rng(0)
    a_pixels = rng.integers(0, 256, (3, 16, 16, 3))
    for i, pixels in enumerate(a_pixels):
        _png(tmp_path / "trainA" / f"{i}.png", pixels)
    for i in range(5):  # another count, grey and larger: read as RGB at 16x16
        _png(tmp_path / "trainB" / "nested" / f"{i}.png", rng.integers(0, 256, (24, 24)))
    for side in "AB":
        _png(tmp_path / f"test{side}" / "0.png", rng.integers(0, 256, (16, 16, 3)))
    domains = translation.load(tmp_path, paired=False, image_size=16)
    assert not domains.paired and domains.a.shape == (3, 16, 16, 3) and domains.b.shape == (5, 16, 16, 3)
    np.testing.assert_allclose(domains.a, _scaled(a_pixels), atol=1e-6)  # in file order, not resampled
    grey = translation.load(tmp_path, paired=False, image_size=16, channels=1)
    assert grey.a.shape == (3, 16, 16, 1) and grey.b.shape == (5, 16, 16, 1)
    test = translation.load(tmp_path, paired=False, image_size=16, split="test")
    assert test.a.shape == test.b.shape == (1, 16, 16, 3)

    gan = odog.CycleGAN(dataset=tmp_path, image_size=16, filters=4, residual_blocks=1, seed=0)
    assert gan.img_shape == (16, 16, 6) and gan.domain_channels == (3, 3)
    assert gan.data.a.shape == (3, 16, 16, 3) and len(gan.test_data().a) == 1


@pytest.mark.parametrize("layout", ["empty", "missing"])
def test_a_cyclegan_folder_without_b_images_is_refused_naming_trainb(tmp_path, layout):
    _png(tmp_path / "trainA" / "0.png", np.zeros((8, 8, 3)))
    if layout == "empty":
        (tmp_path / "trainB").mkdir()
        (tmp_path / "trainB" / "notes.txt").write_text("not an image")
    message = r"trainB contains no \.png" if layout == "empty" else r"has no trainB/ folder"
    with pytest.raises((ValueError, FileNotFoundError), match=message):
        translation.load(tmp_path, paired=False, image_size=8)
    gan = odog.CycleGAN(dataset=tmp_path, image_size=8, filters=4, residual_blocks=1)
    with pytest.raises((ValueError, FileNotFoundError), match=message):
        gan.data  # noqa: B018


def test_a_pix2pix_folder_loads_side_by_side_pairs_and_btoa_swaps_them(tmp_path):
    pairs = np.random.default_rng(0).integers(0, 256, (3, 8, 16, 3))  # H=8, 2W=16: input | target
    for i, pair in enumerate(pairs):
        _png(tmp_path / "train" / f"{i}.png", pair)
    domains = translation.load(tmp_path, paired=True, image_size=8)
    assert domains.paired and domains.a.shape == domains.b.shape == (3, 8, 8, 3)
    np.testing.assert_allclose(domains.a, _scaled(pairs[:, :, :8]), atol=1e-6)
    np.testing.assert_allclose(domains.b, _scaled(pairs[:, :, 8:]), atol=1e-6)
    swapped = translation.load(tmp_path, paired=True, image_size=8, direction="BtoA")
    np.testing.assert_array_equal(swapped.a, domains.b)
    np.testing.assert_array_equal(swapped.b, domains.a)
    with pytest.raises(FileNotFoundError, match="no test/ folder"):
        translation.load(tmp_path, paired=True, image_size=8, split="test")

    gan = odog.Pix2Pix(dataset=tmp_path, image_size=8, direction="BtoA", filters=4)
    np.testing.assert_array_equal(gan.data.a, domains.b)  # the model learns B -> A: its inputs are the right halves


def test_pairs_directly_in_the_folder_train_too(tmp_path):
    pair = np.concatenate([np.zeros((8, 8)), np.full((8, 8), 255)], axis=1)
    _png(tmp_path / "0.png", pair)
    domains = translation.load(tmp_path, paired=True, image_size=8, channels=1)
    assert domains.a.shape == (1, 8, 8, 1) and (domains.a == -1).all() and (domains.b == 1).all()


def test_odd_width_pair_images_are_refused(tmp_path):
    _png(tmp_path / "train" / "odd.png", np.zeros((8, 15, 3)))
    with pytest.raises(ValueError, match=r"odd\.png is 15x8: .*even width"):
        translation.load(tmp_path, paired=True, image_size=8)


def test_pix2pix_refuses_an_unpaired_folder(tmp_path):
    for side in "AB":
        _png(tmp_path / f"train{side}" / "0.png", np.zeros((16, 16, 3)))
    with pytest.raises(ValueError, match=r"learns from pairs, and .* holds two unpaired domains.*\(CycleGAN"):
        translation.load(tmp_path, paired=True, image_size=16)
    with pytest.raises(ValueError, match=r"Pix2Pix learns from pairs, and .* holds two unpaired domains.*\(CycleGAN"):
        odog.Pix2Pix(dataset=tmp_path, image_size=16, filters=4)  # at the door, not when training starts


@pytest.fixture(scope="module")
def mnist_test():
    try:
        return data.load_named("mnist", "test")
    except data.DatasetUnavailableError as error:
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def edges2digits(mnist_test):
    return translation.task("edges2digits", "test")


def test_edges2digits_pairs_hollow_outlines_with_their_digits(edges2digits, mnist_test):
    task = edges2digits
    assert task.paired and task.a.shape == task.b.shape == (10_000, 28, 28, 1)
    assert task.classifiers == ("mnist", "mnist")
    np.testing.assert_array_equal(task.b, mnist_test.images)
    np.testing.assert_array_equal(task.labels_a, mnist_test.labels)
    np.testing.assert_array_equal(task.labels_b, mnist_test.labels)
    assert set(np.unique(task.a).tolist()) == {-1.0, 1.0}  # drawn lines, no greys
    assert (task.a > 0).reshape(len(task.a), -1).any(axis=1).all()  # every digit has an outline
    strokes = task.b > 0  # the pixels outlines() reads as stroke (> 127)
    assert not (strokes & (task.a > 0)).any(), "an outline runs over its digit's stroke: not hollow"


def test_outlines_of_a_filled_square_are_its_boundary_only():
    square = np.zeros((1, 28, 28), "uint8")
    square[0, 10:18, 8:20] = 255
    out = translation.outlines(square)
    assert out.dtype == np.uint8 and set(np.unique(out).tolist()) == {0, 255}
    expected = np.zeros((28, 28), "uint8")
    expected[8:20, 6:22] = 1  # the square widened by two pixels ...
    expected[9:19, 7:21] = 0  # ... of which only the one-pixel rim is drawn
    np.testing.assert_array_equal(out[0] // 255, expected)


def test_textured_mnist_is_a_named_colour_dataset_with_mnist_labels(mnist_test):
    textured = data.load_named("textured_mnist", "test")
    assert textured.shape == (28, 28, 3) and textured.images.shape == (10_000, 28, 28, 3)
    np.testing.assert_array_equal(textured.labels, mnist_test.labels)
    assert textured.images.min() >= -1 and textured.images.max() <= 1
    assert np.abs(textured.images[..., 0] - textured.images[..., 1]).mean() > 0.05  # colours, not grey

    unpaired = translation.task("digits2textured", "test")  # disjoint halves: no digit meets its own copy
    assert not unpaired.paired and len(unpaired.a) == len(unpaired.b) == 5_000
    np.testing.assert_array_equal(unpaired.labels_a, mnist_test.labels[:5_000])
    np.testing.assert_array_equal(unpaired.labels_b, mnist_test.labels[5_000:])
    np.testing.assert_allclose(unpaired.b, textured.images[5_000:], atol=1e-6)
    pairs = translation.task("digits2textured_pairs", "test")
    assert pairs.paired and pairs.classifiers == ("mnist", "textured_mnist")
    np.testing.assert_allclose(pairs.b, textured.images, atol=1e-6)


# ----------------------------------------------------------------------
# What each step trains
# ----------------------------------------------------------------------
def _parts(gan) -> tuple[dict, dict]:
    """`(translators, critics)` by name: g_ab, g_ba and d_a, d_b two-way; G and D one-way (and BicycleGAN's E,
    which trains with G)."""
    if gan.two_way:
        translators = {name: gan.generator.get_layer(name) for name in ("g_ab", "g_ba")}
        critics = {name: gan.discriminator.get_layer(name) for name in ("d_a", "d_b")}
    else:
        translators, critics = {"generator": gan.generator}, {"discriminator": gan.discriminator}
    if getattr(gan, "encoder", None) is not None:
        translators["encoder"] = gan.encoder
    return translators, critics


def _unmoved(before, model) -> list[str]:
    return [
        v.path
        for v, moved in zip(model.trainable_variables, changed(before, model.trainable_variables), strict=True)
        if not moved
    ]


def _still(gan, name: str, model) -> list[str]:
    """Trainable variables a D update may leave alone: a Wasserstein critic's output bias, whose gradient
    (mean over fakes minus mean over reals) is exactly zero."""
    return [model.trainable_variables[-1].path] if gan.name == "dualgan" and name.startswith("d") else []


def _g_variables(gan) -> list:
    """Everything on G's side: both translators (and their EMA, BicycleGAN's encoder)."""
    models = [gan.generator, gan.generator_ema, getattr(gan, "encoder", None)]
    return [v for model in models if model is not None for v in model.variables]


@pytest.mark.parametrize("name", TRANSLATION)
def test_one_iteration_moves_every_translator_and_critic(name):
    gan = build_small(name)
    translators, critics = _parts(gan)
    before = {key: snapshot(model.trainable_variables) for key, model in {**translators, **critics}.items()}
    logs = gan.train_on_batch(*small_batch(gan))
    assert all(np.isfinite(value) for value in logs.values()), logs
    for key, model in {**translators, **critics}.items():
        assert _unmoved(before[key], model) == _still(gan, key, model), f"{key} did not move"
    if getattr(gan, "pool", None) is not None:  # the compiled step stored its fakes
        assert int(keras.ops.convert_to_numpy(gan.pool.count)) == len(small_batch(gan)[0])


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
@pytest.mark.parametrize("name", TRANSLATION)
def test_a_d_step_changes_the_critics_only(name, compiled):
    """D's step on joined real batches and the fakes made from them (through the pool) leaves G bit-identical."""
    gan = build_small(name)
    # Tensors, as the compiled step receives them (BicycleGAN joins a slice of `real` with a drawn code).
    real, ones, zeros = (
        keras.ops.convert_to_tensor(x)
        for x in (joined_batch(gan)[:4], np.ones((4, 1), "float32"), np.zeros((4, 1), "float32"))
    )

    def d_step(real, real_targets, fake_targets):
        return gan.discriminator_step(real, gan.discriminator_fakes(real), real_targets, fake_targets)

    step = backend.compile_function(d_step, gan.step_variables(), jit_compile=False) if compiled else d_step
    _, critics = _parts(gan)
    g_before, d_before = snapshot(_g_variables(gan)), {k: snapshot(m.trainable_variables) for k, m in critics.items()}
    logs = step(real, ones, zeros)
    assert np.isfinite(keras.ops.convert_to_numpy(logs["d_loss"]))
    assert not any(changed(g_before, _g_variables(gan))), "the D step touched G"
    for key, model in critics.items():
        assert _unmoved(d_before[key], model) == _still(gan, key, model), f"{key} did not move"


@pytest.mark.parametrize("name", TRANSLATION)
def test_a_g_step_changes_the_translators_only(name):
    """G's step moves every translator and leaves every D variable (and the pool) bit-identical."""
    gan = build_small(name)
    translators, _ = _parts(gan)
    d_variables = gan.discriminator.variables  # weights and instance-norm scales; all must stay bit-identical
    pool = [] if getattr(gan, "pool", None) is None else gan.pool.variables
    d_before, pool_before = snapshot(d_variables), snapshot(pool)
    g_before = {key: snapshot(model.trainable_variables) for key, model in translators.items()}
    logs = gan.generator_step(keras.ops.convert_to_tensor(joined_batch(gan)[:4]))
    assert np.isfinite(keras.ops.convert_to_numpy(logs["g_loss"]))
    assert not any(changed(d_before, d_variables)), "the G step touched D"
    assert not any(changed(pool_before, pool)), "the G step touched the pool"
    for key, model in translators.items():
        assert not _unmoved(g_before[key], model), f"{key} did not move"


# ----------------------------------------------------------------------
# The image pool
# ----------------------------------------------------------------------
def _numpy(x) -> np.ndarray:
    return np.asarray(keras.ops.convert_to_numpy(x))


def test_the_pool_passes_fakes_through_while_filling_then_mixes_stored_and_new():
    pool = ImagePool(4, (2, 2, 1), keras.random.SeedGenerator(0))
    first = _numpy(pool.query(np.ones((4, 2, 2, 1), "float32")))
    assert (first == 1).all() and int(_numpy(pool.count)) == 4 and (_numpy(pool.images) == 1).all()
    shown = _numpy(pool.query(np.full((64, 2, 2, 1), 2.0, "float32"))).reshape(64, -1)
    assert (shown == shown[:, :1]).all()  # whole images, never a blend
    new = (shown[:, 0] == 2).sum()
    assert set(np.unique(shown).tolist()) == {1.0, 2.0}, "expected stored (1) and new (2) images"
    assert 16 <= new <= 48, f"{new} of 64 new: expected about half"
    assert int(_numpy(pool.count)) == 4  # the pool stays at its size
    assert (_numpy(pool.images) == 2).any(), "no new fake was stored"


def test_the_pool_is_saved_in_and_restored_from_a_checkpoint(tmp_path):
    gan = build_small("cyclegan")
    assert "image_pool/0" in gan.named_variables()
    stored = np.random.default_rng(0).uniform(-1, 1, gan.pool.images.shape).astype("float32")
    gan.pool.images.assign(stored)
    gan.pool.count.assign(17)
    gan.save(tmp_path)
    for loaded in (odog.load(tmp_path, dataset=small_dataset("cyclegan")), odog.load(tmp_path)):
        np.testing.assert_array_equal(_numpy(loaded.pool.images), stored)
        assert int(_numpy(loaded.pool.count)) == 17


# ----------------------------------------------------------------------
# translate()
# ----------------------------------------------------------------------
@pytest.fixture(scope="module")
def pix2pix():
    return build_small("pix2pix")


@pytest.fixture(scope="module")
def cyclegan():
    return build_small("cyclegan")


@pytest.mark.parametrize(
    "shape",
    [(2, 28, 28, 3), (2, 32, 32, 1), (0, 28, 28, 1), (2, 32, 32), (28, 28, 1)],
    ids=lambda s: "x".join(map(str, s)),
)
def test_translate_refuses_images_of_another_shape_giving_both_shapes(pix2pix, shape):
    """The message gives the expected shape and the shape received, as the caller passed it."""
    expected = re.escape("Expected images of shape (N, 28, 28, 1) to translate a2b")
    with pytest.raises(ValueError, match=expected + ".*" + re.escape(f"Received: images.shape={shape}")):
        pix2pix.translate(np.zeros(shape, "float32"))


def test_translate_b2a_expects_the_b_domain(cyclegan):
    with pytest.raises(ValueError, match=re.escape("(N, 28, 28, 3) to translate b2a") + ".*B domain"):
        cyclegan.translate(np.zeros((2, 28, 28, 1), "float32"), "b2a")
    with pytest.raises(ValueError, match="Expected 'a2b' or 'b2a'. Received: 'AtoB'"):
        cyclegan.translate(np.zeros((2, 28, 28, 1), "float32"), "AtoB")


def test_pix2pix_refuses_b2a_and_options_it_does_not_take(pix2pix):
    with pytest.raises(ValueError, match=re.escape("Expected 'a2b' (Pix2Pix learns A -> B only). Received: 'b2a'")):
        pix2pix.translate(np.zeros((2, 28, 28, 1), "float32"), "b2a")
    with pytest.raises(ValueError, match="Pix2Pix.translate takes no 'seed'"):
        pix2pix.translate(np.zeros((2, 28, 28, 1), "float32"), seed=0)


def test_translate_takes_uint8_and_returns_the_target_domain_in_range(pix2pix, cyclegan):
    digits = np.random.default_rng(0).integers(0, 256, (3, 28, 28), dtype=np.uint8)
    out = pix2pix.translate(digits)  # (N, H, W) uint8 for a 1-channel domain
    assert out.dtype == np.float32 and out.shape == (3, 28, 28, 3)
    assert np.isfinite(out).all() and out.min() >= -1 and out.max() <= 1
    np.testing.assert_allclose(out, pix2pix.translate(_scaled(digits)[..., None]), atol=1e-5)  # read as x/127.5-1
    coloured = np.random.default_rng(1).integers(0, 256, (3, 28, 28, 3), dtype=np.uint8)
    back = cyclegan.translate(coloured, "b2a")
    assert back.dtype == np.float32 and back.shape == (3, 28, 28, 1) and np.abs(back).max() <= 1
    np.testing.assert_allclose(back, cyclegan.translate(_scaled(coloured), "b2a"), atol=1e-5)


def test_btoa_learns_the_other_way():
    a, b = small_dataset("pix2pix")  # a: 1 channel, b: 3
    gan = odog.Pix2Pix(dataset=(a, b), direction="BtoA", filters=4, seed=0)
    assert gan.a_shape == (28, 28, 3) and gan.b_shape == (28, 28, 1)
    np.testing.assert_array_equal(gan.data.a, b)
    assert gan.translate(b[:2]).shape == (2, 28, 28, 1) and gan.generate(3, seed=0).shape == (3, 28, 28, 1)


@needs_bicyclegan
def test_bicyclegan_translates_with_codes():
    gan = build_small("bicyclegan")
    a, b = small_dataset("bicyclegan")
    one, again, other = (gan.translate(a[:3], seed=s) for s in (1, 1, 2))
    assert one.shape == (3, 28, 28, 3) and np.abs(one).max() <= 1
    np.testing.assert_array_equal(one, again)
    assert not np.array_equal(one, other), "the code z changes nothing"
    codes = gan.encode(b[:3])
    assert codes.shape == (3, gan.latent_dim) and codes.dtype == np.float32
    assert gan.translate(a[:3], z=codes).shape == (3, 28, 28, 3)
    with pytest.raises(ValueError, match=re.escape(f"z of shape (3, {gan.latent_dim}). Received: z.shape=(2, ")):
        gan.translate(a[:3], z=codes[:2])
    with pytest.raises(ValueError, match=re.escape("(N, 28, 28, 3) to encode")):
        gan.encode(a[:3])
    assert gan.diversity(a[:3], samples=3) > 0
    with pytest.raises(ValueError, match="samples"):
        gan.diversity(a[:3], samples=1)


def test_discogan_matches_critic_features_and_weighs_its_terms():
    """DiscoGAN's G loss is (1 - rate) * ((1 - fm) * GAN + fm * feature matching) + rate * reconstruction, and
    feature matching compares the batch means of each critic's hidden features on real and generated images."""
    a, b = small_dataset("discogan")
    real = keras.ops.convert_to_tensor(np.concatenate([a[:4], b[:4]], axis=-1))
    gan = odog.DiscoGAN(dataset=(a, b), filters=4, seed=0)
    assert keras.ops.convert_to_numpy(gan.feature_matching_loss(real, real)) == 0.0
    shuffled = keras.ops.convert_to_tensor(np.concatenate([a[4:8], b[4:8]], axis=-1))
    assert keras.ops.convert_to_numpy(gan.feature_matching_loss(real, shuffled)) > 0
    # The feature models are the critics' own layers: a D step moves them with the critics.
    critic = gan.discriminator.get_layer("d_b")
    assert {id(v) for v in gan.critic_features[1].variables} <= {id(v) for v in critic.variables}
    for rate, share in ((0.5, 0.9), (1.0, 0.9), (0.0, 0.0)):
        gan = odog.DiscoGAN(dataset=(a, b), filters=4, seed=0, reconstruction_rate=rate, feature_matching=share)
        _, logs = gan.generator_objective(real)
        logs = {k: float(keras.ops.convert_to_numpy(v)) for k, v in logs.items()}
        expected = (1 - rate) * ((1 - share) * logs["adversarial_loss"] + share * logs["feature_matching_loss"])
        assert logs["g_loss"] == pytest.approx(expected + rate * logs["cycle_loss"], rel=1e-5)
    with pytest.raises(ValueError, match="reconstruction_rate"):
        odog.DiscoGAN(dataset=(a, b), reconstruction_rate=2.0)


@needs_bicyclegan
@pytest.mark.parametrize("bottleneck", [4, 2])
def test_bicyclegan_joins_the_code_to_every_encoder_layer_down_to_its_bottleneck(bottleneck, tmp_path):
    a, b = small_dataset("bicyclegan")
    options = {} if bottleneck == 4 else {"bottleneck": bottleneck}  # 4 is the default
    gan = odog.BicycleGAN(dataset=(a, b), filters=4, seed=0, **options)
    assert _deepest_side(gan.generator) == bottleneck
    # Each encoder convolution sees the previous map (the image first) and z's latent_dim channels.
    convolutions = [layer for layer in gan.generator.layers if isinstance(layer, keras.layers.Conv2D)]
    channels = [a.shape[-1]] + [layer.output.shape[-1] for layer in convolutions[:-1]]
    assert [layer.input.shape[-1] for layer in convolutions] == [c + gan.latent_dim for c in channels]
    gan.save(tmp_path)
    loaded = odog.load(tmp_path)
    assert _deepest_side(loaded.generator) == bottleneck
    np.testing.assert_array_equal(loaded.translate(a[:2], seed=1), gan.translate(a[:2], seed=1))


def _deepest_side(model) -> int:
    """The side of the smallest map the encoder's convolutions make (transposed ones are not `Conv2D`)."""
    return min(layer.output.shape[1] for layer in model.layers if isinstance(layer, keras.layers.Conv2D))


@pytest.mark.parametrize("bottleneck", [4, 2])
def test_discogan_generators_stop_at_their_bottleneck_and_it_is_saved(bottleneck, tmp_path):
    a, b = small_dataset("discogan")
    options = {} if bottleneck == 4 else {"bottleneck": bottleneck}  # 4 is the default
    gan = odog.DiscoGAN(dataset=(a, b), filters=4, seed=0, **options)
    for name in ("g_ab", "g_ba"):
        assert _deepest_side(gan.generator.get_layer(name)) == bottleneck
    gan.save(tmp_path)
    loaded = odog.load(tmp_path)
    assert _deepest_side(loaded.generator.get_layer("g_ab")) == bottleneck
    np.testing.assert_array_equal(loaded.translate(a[:2]), gan.translate(a[:2]))


def test_discogan_refuses_a_bottleneck_that_is_not_a_power_of_two():
    with pytest.raises(ValueError, match=r"`bottleneck`. Expected a power of two. Received: bottleneck=3"):
        odog.DiscoGAN(dataset=small_dataset("discogan"), filters=4, bottleneck=3)


# ----------------------------------------------------------------------
# Samples, checkpoints
# ----------------------------------------------------------------------
@pytest.mark.parametrize("name", TRANSLATION)
def test_sample_images_tiles_rows_of_inputs_outputs_and_targets(name, tmp_path):
    gan = build_small(name)
    # input | output | target one-way; both cycles two-way; input | four codes | target for BicycleGAN; MUNIT:
    # a | three styles | b | three styles
    columns, target = {"pix2pix": (3, 2), "bicyclegan": (6, 5), "munit": (8, 4)}.get(name, (6, 3))
    path = gan.sample_images(tmp_path / "grid.png")
    with Image.open(path) as image:
        size, pixels = image.size, np.asarray(image.convert("RGB"))
    rows, side = gan.sample_rows, 28 + 2  # tiles and the 2-pixel padding between them
    assert size == (columns * side + 2, rows * side + 2)

    def tile(row, column):
        return pixels[2 + row * side : row * side + side, 2 + column * side : column * side + side]

    for row in (0, rows - 1):
        a, b = gan.data.a[row], gan.data.b[row]
        np.testing.assert_array_equal(tile(row, 0), np.round((np.repeat(a, 3, axis=-1) + 1) * 127.5))
        np.testing.assert_array_equal(tile(row, target), np.round((b + 1) * 127.5))


@pytest.mark.parametrize("name", TRANSLATION)
def test_a_saved_model_translates_the_same_without_its_data(name, tmp_path):
    gan = build_small(name)
    rng = np.random.default_rng(1)
    for variable in _g_variables(gan):  # away from what seed 0 builds: the load must restore them
        if "float" in str(variable.dtype):
            variable.assign(_numpy(variable) + rng.normal(0, 0.05, variable.shape).astype("float32"))
    a, b = small_dataset(name)
    gan.save(tmp_path)
    loaded = odog.load(tmp_path)
    assert isinstance(loaded.dataset, data.Unavailable) and loaded.domain_channels == gan.domain_channels
    options = {"seed": 3} if name in ("bicyclegan", "munit") else {}  # their codes, drawn alike
    np.testing.assert_array_equal(loaded.translate(a[:3], **options), gan.translate(a[:3], **options))
    if gan.two_way:
        np.testing.assert_array_equal(loaded.translate(b[:3], "b2a", **options), gan.translate(b[:3], "b2a", **options))
    np.testing.assert_array_equal(
        loaded.translate(a[:3], ema=False, **options), gan.translate(a[:3], ema=False, **options)
    )


def test_training_a_loaded_model_without_its_data_says_to_pass_it(tmp_path):
    """As every other variant does (`odog.data.Unavailable.reason`), not "Received: Unavailable"."""
    build_small("pix2pix").save(tmp_path)
    loaded = odog.load(tmp_path)
    with pytest.raises(ValueError, match=re.escape("odog.load(path, dataset=...)")):
        loaded.train(epochs=1, batch_size=2, verbose=0)


# ----------------------------------------------------------------------
# Measures
# ----------------------------------------------------------------------
def _first(domains: translation.Domains, n: int) -> translation.Domains:
    return translation.Domains(
        domains.a[:n],
        domains.b[:n],
        domains.paired,
        domains.name,
        domains.labels_a[:n],
        domains.labels_b[:n],
        domains.classifiers,
    )


def test_measure_on_edges2digits_scores_translations_and_reads_their_digits(edges2digits, monkeypatch):
    gan = odog.Pix2Pix(dataset="edges2digits", filters=4, seed=0)  # the task is read only when used
    small = _first(edges2digits, 64)
    scores = gan.measure(small)
    assert set(scores) == {"l1", "psnr", "ssim", "digit_a2b", "relation_a2b", "fd_a2b"}, scores  # one-way: no b2a
    assert all(np.isfinite(value) for value in scores.values()), scores
    assert 0 < scores["l1"] <= 2 and -1 <= scores["ssim"] < 1 and 0 <= scores["digit_a2b"] <= 1
    assert scores["fd_a2b"] > 0
    assert gan.evaluate(small) == {k: scores[k] for k in ("l1", "psnr", "ssim")}

    # A translator that returns the targets: no error, and the classifier reads the digits they show.
    monkeypatch.setattr(gan, "translate", lambda images, direction="a2b", **_: small.b)
    perfect = gan.measure(small)
    assert perfect["l1"] == 0 and perfect["ssim"] == pytest.approx(1) and perfect["psnr"] == np.inf
    assert perfect["digit_a2b"] > 0.9 and perfect["fd_a2b"] < scores["fd_a2b"]
    assert perfect["relation_a2b"] >= perfect["digit_a2b"]

    # One that swaps digits consistently (each digit's targets shown for the next digit's inputs) keeps a
    # relation of digits to digits, not the digit.
    by_digit = {d: small.b[small.labels_a == d] for d in range(10)}
    swapped = np.stack([by_digit[(d + 1) % 10][i % len(by_digit[(d + 1) % 10])] for i, d in enumerate(small.labels_a)])
    monkeypatch.setattr(gan, "translate", lambda images, direction="a2b", **_: swapped)
    relation = gan.measure(small)
    assert relation["digit_a2b"] < 0.2 and relation["relation_a2b"] > 0.9, relation


def test_two_way_measures_score_both_directions(cyclegan):
    small = _first(translation.task("digits2textured", "test"), 32)
    scores = cyclegan.measure(small)
    expected = {
        "cycle_l1_a",
        "cycle_l1_b",
        "digit_a2b",
        "relation_a2b",
        "fd_a2b",
        "digit_b2a",
        "relation_b2a",
        "fd_b2a",
    }
    assert set(scores) == expected, scores
    assert all(np.isfinite(value) for value in scores.values()), scores  # unpaired: no l1/psnr/ssim
    assert set(cyclegan.evaluate((small.a, small.b))) == {"cycle_l1_a", "cycle_l1_b"}


def test_measures_need_what_they_read(pix2pix):
    with pytest.raises(ValueError, match="Arrays carry no test split"):
        pix2pix.evaluate()
    a, b = small_dataset("pix2pix")
    with pytest.raises(ValueError, match="needs one of the MNIST tasks"):
        pix2pix.measure(translation.from_arrays(a, b, paired=True))
    assert set(pix2pix.evaluate((a[:4], b[:4]))) == {"l1", "psnr", "ssim"}


def test_the_small_domains_are_what_the_helpers_promise():
    """helpers.translation_dataset: digits in A, their colouring in B (paired), other digits unpaired."""
    a, b = small_dataset("pix2pix")
    digits, _ = digits_dataset()
    np.testing.assert_array_equal(a, digits)
    np.testing.assert_array_equal(b, colour(digits))
    assert ((b[..., 0] > -0.8) == (a[..., 0] > 0)).all()
    ua, ub = small_dataset("cyclegan")
    assert len(ua) == 40 and ub.shape == (30, 28, 28, 3)
