"""Class-conditional GANs: labels flow through training, sampling and checks."""

import keras
import numpy as np
import pytest
from conftest import changed, snapshot
from helpers import without_dropout
from PIL import Image

import odog
from odog import ACGAN, CGAN, GAN, SGAN, InfoGAN, metrics


@pytest.fixture(scope="module")
def labelled(mnist):
    return mnist.images[:64], mnist.labels[:64]


@pytest.fixture(params=[CGAN, ACGAN], ids=lambda c: c.name)
def conditional(request, labelled):
    return request.param(dataset=labelled, seed=0, ema=None)


def _d_state(gan):
    return [v for v in gan.discriminator.variables if "seed_generator" not in v.path]


def test_d_step_changes_d_only_and_g_step_changes_g_only(conditional, labelled):
    gan = conditional
    images, labels = labelled[0][:8], labelled[1][:8]
    latent = gan.latent((8,))
    fake = keras.ops.convert_to_numpy(gan.generator(latent, training=False))
    g_before, d_before = snapshot(gan.generator.variables), snapshot(gan.discriminator.trainable_variables)
    gan.discriminator_step(
        gan.real_input(images, labels),
        gan.discriminator_input(fake, latent),
        np.ones((8, 1), "float32"),
        np.zeros((8, 1), "float32"),
    )
    assert not any(changed(g_before, gan.generator.variables))
    assert all(changed(d_before, gan.discriminator.trainable_variables))

    d_before, g_before = snapshot(_d_state(gan)), snapshot(gan.generator.trainable_variables)
    gan.generator_step(gan.latent((8,)))
    assert not any(changed(d_before, _d_state(gan)))
    assert all(changed(g_before, gan.generator.trainable_variables)), "e.g. the label embedding did not train"


def test_train_generate_and_grid(conditional, tmp_path):
    gan = conditional
    history = gan.train(epochs=2, batch_size=8, verbose=0, sample_interval=2, out_dir=tmp_path)
    assert all(np.isfinite(v).all() for v in history.values())
    assert gan.num_classes == 10 and gan.sample_grid == (10, 10)
    assert Image.open(tmp_path / "images" / "2.png").size == (10 * 30 + 2, 10 * 30 + 2)
    images = gan.generate(4, labels=[3, 3, 9, 0], seed=1)
    assert images.shape == (4, 28, 28, 1) and np.abs(images).max() <= 1
    # Same noise, different labels: the label changes the image.
    a, b = gan.generate(2, labels=1, seed=5), gan.generate(2, labels=8, seed=5)
    assert not np.allclose(a, b)
    np.testing.assert_array_equal(gan.generate(3, labels=np.eye(10)[[3, 3, 9]], seed=1), images[:3])


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ([0, 10], r"labels in \[0, 9\]. Received: 10"),
        ([-1, 2], r"labels in \[0, 9\]. Received: -1"),
        ([1, 2, 3], r"Expected 2 labels, one per image"),
        (np.eye(9)[:2], r"one-hot rows of width 10"),
        (np.full((2, 10), 0.5), r"one-hot rows \(one 1 each\)"),
        ([0.5, 1.0], r"Expected integers"),
    ],
)
def test_wrong_labels_are_refused_clearly(labels, message, labelled):
    gan = CGAN(dataset=labelled)
    with pytest.raises(ValueError, match=message):
        gan.generate(2, labels=labels)


def test_label_count_must_match_the_batch(labelled):
    gan = ACGAN(dataset=labelled, seed=0)
    with pytest.raises(ValueError, match="Expected 8 labels"):
        gan.train_on_batch(labelled[0][:8], labelled[1][:7])
    with pytest.raises(ValueError, match="is not conditional"):
        GAN(dataset=labelled[0]).train_on_batch(labelled[0][:8], labelled[1][:8])


def test_unlabelled_data_is_refused():
    with pytest.raises(ValueError, match=r"needs class labels.*\(images, labels\)"):
        CGAN(dataset=np.zeros((4, 28, 28, 1), "float32"))
    gan = CGAN(dataset=np.zeros((4, 28, 28, 1), "float32"), num_classes=10)
    with pytest.raises(ValueError, match="this dataset has no labels"):
        gan.train(epochs=1, verbose=0)


def test_cgan_discriminator_judges_images_with_labels(labelled):
    gan = CGAN(dataset=labelled, seed=0)
    images, labels = labelled[0][:4], labelled[1][:4]
    scores = gan.discriminate(images, labels)
    assert scores.shape == (4,) and ((scores > 0) & (scores < 1)).all()
    assert not np.allclose(scores, gan.discriminate(images, (labels + 1) % 10))
    with pytest.raises(ValueError, match="pass labels="):
        gan.discriminate(images)
    # Keras-GAN style calls on the compiled models train the right model.
    before = snapshot(gan.discriminator.trainable_variables)
    gan.discriminator.train_on_batch([images, np.eye(10)[labels]], np.ones((4, 1)))
    assert all(changed(before, gan.discriminator.trainable_variables))


def test_acgan_discriminator_learns_to_classify(labelled):
    gan = ACGAN(dataset=labelled, seed=0, ema=None)
    images, labels = labelled
    fake_latent = gan.latent((32,))
    fake = keras.ops.convert_to_numpy(gan.generator(fake_latent, training=False))
    args = (
        gan.real_input(images[:32], labels[:32]),
        gan.discriminator_input(fake, fake_latent),
        np.ones((32, 1), "float32"),
        np.zeros((32, 1), "float32"),
    )
    first = gan.discriminator_step(*args)
    for _ in range(60):
        last = gan.discriminator_step(*args)
    assert float(last["d_class_loss"]) < 0.7 * float(first["d_class_loss"])
    assert float(last["d_class_acc"]) > 0.5  # chance: 0.1


def test_save_and_load_keep_the_classes(labelled, tmp_path):
    gan = ACGAN(dataset=labelled, seed=0)
    gan.train(epochs=1, batch_size=4, verbose=0)
    gan.save(tmp_path)
    loaded = odog.load(tmp_path, dataset=labelled)
    assert type(loaded) is ACGAN and loaded.num_classes == 10
    np.testing.assert_array_equal(
        gan.generate(3, labels=[1, 2, 3], seed=0), loaded.generate(3, labels=[1, 2, 3], seed=0)
    )
    loaded.train(epochs=1, batch_size=4, verbose=0)
    assert loaded.iteration == 2


def test_label_accuracy_of_real_digits_is_high(mnist):
    assert metrics.label_accuracy(mnist.images[:500], mnist.labels[:500]) > 0.97
    assert metrics.label_accuracy(mnist.images[:500], (mnist.labels[:500] + 1) % 10) < 0.05


def test_infogan_codes_reach_q_and_train_through_both_steps(labelled):
    gan = InfoGAN(dataset=labelled[0], seed=0, ema=None)
    assert gan.latent_dim == 62 + 10 + 2
    rates = float(gan.d_optimizer.learning_rate), float(gan.g_optimizer.learning_rate)
    assert rates == pytest.approx((2e-4, 1e-3))  # the paper's
    latent = gan.latent((16,))
    assert latent.shape == (16, 74)
    np.testing.assert_array_equal(latent[:, 62:72].sum(axis=1), np.ones(16))  # one-hot code
    assert np.abs(latent[:, 72:]).max() <= 1  # U(-1, 1)
    fake = keras.ops.convert_to_numpy(gan.generator(latent, training=False))
    args = (labelled[0][:16], gan.discriminator_input(fake, latent), np.ones((16, 1)), np.zeros((16, 1)))
    g_before, d_before = snapshot(gan.generator.variables), snapshot(gan.discriminator.trainable_variables)
    first = gan.discriminator_step(*args)
    assert not any(changed(g_before, gan.generator.variables))
    assert all(changed(d_before, gan.discriminator.trainable_variables)), "the Q head did not train"
    for _ in range(40):
        last = gan.discriminator_step(*args)
    assert float(last["info_loss"]) < 0.9 * float(first["info_loss"])  # Q learns to read the codes

    d_before, g_before = snapshot(_d_state(gan)), snapshot(gan.generator.trainable_variables)
    logs = gan.generator_step(gan.latent((16,)))
    assert not any(changed(d_before, _d_state(gan))) and all(changed(g_before, gan.generator.trainable_variables))
    assert float(logs["g_info_loss"]) > 0


def test_infogan_generate_and_grids(labelled):
    gan = InfoGAN(dataset=labelled[0], seed=0)
    assert gan.generate(4, code=3, continuous=[0.0, 1.5], seed=0).shape == (4, 28, 28, 1)
    assert gan.predict_code(labelled[0][:5]).shape == (5,)
    grid = gan.code_grid(varying=1, columns=5)
    assert grid.shape == (50, 28, 28, 1)
    with pytest.raises(ValueError, match=r"`code`. Expected integers in \[0, 9\]"):
        gan.generate(2, code=10)
    with pytest.raises(ValueError, match=r"`continuous`. Expected shape \(2,\) or \(2, 2\)"):
        gan.generate(2, continuous=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="latent_dim is noise_dim"):
        InfoGAN(dataset=labelled[0], latent_dim=10)
    with pytest.raises(ValueError, match="side is divisible by 4"):
        InfoGAN(dataset=np.zeros((4, 30, 30, 1), "float32"))
    with pytest.raises(ValueError, match=r"Expected \(shear, scale, shift, thickening\) or None"):
        InfoGAN(dataset=labelled[0], code_augment=(0.5, 0.2))
    with pytest.raises(ValueError, match=r"`code_augment\[1\]`. Expected a number >= 0 and < 1"):
        InfoGAN(dataset=labelled[0], code_augment=(0.5, 1.0, 2.0, 1.0))


def test_infogan_reads_the_code_from_a_distorted_copy_and_keeps_the_setting(labelled, tmp_path):
    images = keras.ops.convert_to_tensor(labelled[0][:16])
    paper = InfoGAN(dataset=labelled[0], seed=0, code_augment=None)
    predicted = paper.discriminator(images)
    assert paper._read_code(images, predicted) is predicted[1]  # the paper's objective
    gan = InfoGAN(dataset=labelled[0], seed=0)
    predicted = gan.discriminator(images)
    distorted = keras.ops.convert_to_numpy(gan._read_code(images, predicted))
    assert distorted.shape == (16, 10) and not np.allclose(distorted, keras.ops.convert_to_numpy(predicted[1]))
    gan.train(epochs=2, batch_size=8, verbose=0)
    gan.save(tmp_path)
    assert odog.load(tmp_path).code_augment == gan.code_augment == (0.5, 0.2, 2.0, 1.0)


def test_cluster_accuracy_finds_the_best_mapping():
    labels = np.repeat(np.arange(10), 5)
    permuted = (labels * 3 + 1) % 10  # a relabelling of perfect clusters
    assert metrics.cluster_accuracy(permuted, labels)["accuracy"] == 1.0
    assert metrics.cluster_accuracy(np.zeros(50, int), labels)["accuracy"] == pytest.approx(0.1)


def test_sgan_uses_only_its_labelled_subset(mnist):
    gan = SGAN(dataset=(mnist.images[:2000], mnist.labels[:2000]), labelled=30, seed=0, ema=None)
    images, labels = gan.labelled_set
    assert len(images) == 30 and np.bincount(labels, minlength=10).tolist() == [3] * 10
    real = gan.real_input(mnist.images[:8].reshape(1, 8, 28, 28, 1), None)
    assert real[1].shape == (1, 8, 28, 28, 1) and set(real[2].ravel()) <= set(labels.tolist())
    assert gan.discriminator.output_shape == (None, 10)  # N logits; "generated" is the fixed logit 0
    history = gan.train(epochs=30, batch_size=16, verbose=0)
    assert history["d_class_loss"][-1] < history["d_class_loss"][0]
    scores = gan.discriminate(mnist.images[:4])
    assert scores.shape == (4,) and ((scores > 0) & (scores < 1)).all()
    assert gan.classify(mnist.images[:4]).shape == (4,)
    with pytest.raises(ValueError, match="SGAN needs labels"):
        SGAN(dataset=np.zeros((4, 28, 28, 1), "float32"))


def test_sgan_feature_matching_matches_d_features_and_trains_g_only(mnist, tmp_path):
    dataset = (mnist.images[:200], mnist.labels[:200])
    gan = SGAN(dataset=dataset, labelled=20, feature_matching=True, seed=0, ema=None)
    assert gan.features.output_shape == (None, 4096) and gan.generator_reads_real
    without_dropout(gan)  # the formula without Dropout's noise
    z, real = gan.sample_noise((8,)), mnist.images[:8]
    loss = float(gan.generator_objective((z, real))[0])
    fake = keras.ops.convert_to_numpy(gan.generator(z, training=True))
    f_real, f_fake = (keras.ops.convert_to_numpy(gan.features(x)) for x in (real, fake))
    assert loss == pytest.approx(np.mean((f_real.mean(0) - f_fake.mean(0)) ** 2), rel=1e-4)
    d_state = [v for v in gan.discriminator.variables if "seed_generator" not in v.path]
    d_before, g_before = snapshot(d_state), snapshot(gan.generator.trainable_variables)
    gan.generator_step((z, real))
    assert not any(changed(d_before, d_state))
    assert all(changed(g_before, gan.generator.trainable_variables))
    history = gan.train(epochs=2, batch_size=8, verbose=0)
    assert np.isfinite(history["g_loss"]).all()
    gan.save(tmp_path)
    assert odog.load(tmp_path, dataset=dataset).feature_matching is True
    with pytest.raises(TypeError, match="feature_matching must be True or False"):
        SGAN(dataset=dataset, feature_matching=1)


def test_keras_gan_style_calls_on_multi_output_discriminators(labelled):
    gan = ACGAN(dataset=labelled, seed=0)
    images, labels = labelled[0][:4], np.eye(10)[labelled[1][:4]]
    d_before, g_before = snapshot(gan.discriminator.trainable_variables), snapshot(gan.generator.trainable_variables)
    gan.discriminator.train_on_batch(images, [np.ones((4, 1)), labels])
    assert all(changed(d_before, gan.discriminator.trainable_variables))
    d_before = snapshot(_d_state(gan))
    gan.combined.train_on_batch(gan.latent((4,), labels=labelled[1][:4]), [np.ones((4, 1)), labels])
    assert not any(changed(d_before, _d_state(gan))) and any(changed(g_before, gan.generator.trainable_variables))
