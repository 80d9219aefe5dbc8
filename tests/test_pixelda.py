"""PixelDA: labelled source data, steps that change only what they train, adapt/classify, and its refusals."""

import keras
import numpy as np
import pytest
from conftest import changed, snapshot
from helpers import SMALL, labelled_domains_dataset, translation_dataset

import odog
from odog import PixelDA, backend
from odog.data import translation


@pytest.fixture
def gan():
    return PixelDA(dataset=labelled_domains_dataset(), seed=0, **SMALL["pixelda"])


def _inputs(gan, n: int = 4):
    joined = keras.ops.convert_to_tensor(gan.data.images[:n])
    z = keras.ops.convert_to_tensor(gan.sample_noise((n,)))
    return joined, z, keras.ops.convert_to_tensor(gan.data.labels[:n].astype("int32"))


def test_data_are_labelled_sources_and_unlabelled_targets(gan):
    source, labels, target = labelled_domains_dataset()
    data = gan.data
    assert len(data) == len(source) and data.images.shape == (len(source), 28, 28, 4)
    np.testing.assert_array_equal(data.labels, labels)
    assert gan.img_shape == (28, 28, 4) and gan.domain_channels == (1, 3)
    # Each source image of a batch comes with its own label: here image i is filled with i / 40 and labelled i.
    marked = np.linspace(-1, 1, 40, dtype="float32")[:, None, None, None] * np.ones((40, 28, 28, 1), "float32")
    joined, batch_labels = next(
        PixelDA(dataset=(marked, np.arange(40), target), classes=40, filters=4).data.batches(
            16, np.random.default_rng(0)
        )
    )
    assert joined.shape == (16, 28, 28, 4) and batch_labels.shape == (16,)
    np.testing.assert_allclose(joined[:, 0, 0, 0], marked[batch_labels, 0, 0, 0])


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "compiled"])
def test_a_d_step_changes_d_only(gan, compiled):
    joined, z, _ = _inputs(gan)
    ones, zeros = np.ones((4, 1), "float32"), np.zeros((4, 1), "float32")

    def d_step(joined, z, ones, zeros):
        return gan.discriminator_step(joined, gan.discriminator_fakes([joined, z]), ones, zeros)

    step = backend.compile_function(d_step, gan.step_variables(), jit_compile=False) if compiled else d_step
    others = gan.generator.variables + gan.generator_ema.variables + gan.classifier.variables
    others_before, d_before = snapshot(others), snapshot(gan.discriminator.trainable_variables)
    logs = step(joined, z, ones, zeros)
    assert np.isfinite(keras.ops.convert_to_numpy(logs["d_loss"]))
    assert not any(changed(others_before, others)), "the D step touched G or the classifier"
    assert all(changed(d_before, gan.discriminator.trainable_variables)), "D did not move"


def test_a_g_step_trains_g_and_the_classifier_and_leaves_d(gan):
    joined, z, labels = _inputs(gan)
    d_before = snapshot(gan.discriminator.variables)
    g_before, t_before = snapshot(gan.generator.trainable_variables), snapshot(gan.classifier.trainable_variables)
    logs = gan.generator_step([joined, z, labels])
    values = {k: float(v) for k, v in logs.items()}
    assert values["task_loss"] == pytest.approx(0.5 * (values["task_loss_adapted"] + values["task_loss_source"]))
    assert values["g_loss"] == pytest.approx(10 * values["adversarial_loss"] + values["task_loss"], rel=1e-5)
    assert not any(changed(d_before, gan.discriminator.variables)), "the G step touched D"
    assert all(changed(g_before, gan.generator.trainable_variables)), "G did not move"
    assert all(changed(t_before, gan.classifier.trainable_variables)), "the classifier did not move"


def test_the_classifier_learns_the_source_labels(gan):
    """Trained on one batch of labelled sources, T's loss on it falls: the labels reach it."""
    gan.task_weight, gan.adversarial_weight = 1.0, 0.0
    joined, z, labels = _inputs(gan, 10)
    first = float(gan.generator_step([joined, z, labels])["task_loss_source"])
    for _ in range(30):
        last = float(gan.generator_step([joined, z, labels])["task_loss_source"])
    assert last < 0.7 * first


def test_train_adapt_and_classify(gan):
    history = gan.train(epochs=3, batch_size=4, verbose=0)
    assert len(history["task_loss"]) == 3 and all(np.isfinite(v).all() for v in history.values())
    source, _, target = labelled_domains_dataset()
    adapted = gan.adapt(source[:5], seed=1)
    assert adapted.shape == (5, 28, 28, 3) and adapted.dtype == np.float32 and np.abs(adapted).max() <= 1
    np.testing.assert_array_equal(adapted, gan.adapt(source[:5], seed=1))
    assert not np.array_equal(adapted, gan.adapt(source[:5], seed=2))  # the noise matters to G
    assert gan.generate(3, seed=0).shape == (3, 28, 28, 3)
    classes = gan.classify(target[:7])
    assert classes.shape == (7,) and classes.dtype.kind == "i" and ((classes >= 0) & (classes < 10)).all()
    np.testing.assert_array_equal(classes, gan.classify(np.round((target[:7] + 1) * 127.5).astype("uint8")))


def test_a_saved_model_adapts_and_classifies_the_same_without_its_data(gan, tmp_path):
    gan.train(epochs=2, batch_size=4, verbose=0)
    gan.save(tmp_path)
    loaded = odog.load(tmp_path)
    source, _, target = labelled_domains_dataset()
    np.testing.assert_array_equal(loaded.adapt(source[:3], seed=0), gan.adapt(source[:3], seed=0))
    np.testing.assert_array_equal(loaded.classify(target[:6]), gan.classify(target[:6]))


def test_bad_data_labels_and_images_are_refused(gan):
    source, labels, target = labelled_domains_dataset()
    with pytest.raises(ValueError, match=r"pass dataset=\(source_images, source_labels, target_images\)"):
        PixelDA(dataset=(source, target), filters=4)
    with pytest.raises(ValueError, match="image folders do not carry"):
        PixelDA(dataset="some/folder", filters=4)
    with pytest.raises(ValueError, match=r"one integer class label per source image, shape \(40,\)"):
        PixelDA(dataset=(source, labels[:10], target), filters=4)
    with pytest.raises(ValueError, match=r"labels in \[0, 9\] \(classes=10\). Received labels in \[3, 12\]"):
        PixelDA(dataset=(source, labels + 3, target), filters=4)
    with pytest.raises(ValueError, match="Both domains must have images of one size"):
        PixelDA(dataset=(source, labels, target[:, :20, :20]), filters=4)
    with pytest.raises(ValueError, match="`classes`"):
        PixelDA(dataset=(source, labels, target), classes=1)
    with pytest.raises(ValueError, match=r"`labels`. Expected 4 integer class labels in \[0, 9\]"):
        gan.train_on_batch(source[:4], target[:4], labels=[0, 1, 2, 30])
    with pytest.raises(ValueError, match="pass the source images' labels"):
        gan.train_on_batch(source[:4], target[:4])
    with pytest.raises(ValueError, match=r"target-domain images of shape \(N, 28, 28, 3\) to classify"):
        gan.classify(source[:2])
    with pytest.raises(ValueError, match=r"one noise vector per image, z of shape \(2, 10\)"):
        gan.adapt(source[:2], z=np.zeros((3, 10)))
    with pytest.raises(ValueError, match="has no labels"):
        gan.measure(translation.from_arrays(*translation_dataset(paired=False), paired=False))
