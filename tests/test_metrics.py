"""Metrics: distances with known answers, the classifier, coverage, FID errors."""

import numpy as np
import pytest

from odog import data, metrics


def test_frechet_distance_known_values():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(20000, 3))
    assert metrics.frechet_distance(a, a) == pytest.approx(0, abs=1e-6)
    # N(0, I) vs N(m, 4I) in 3-d: |m|^2 + 3 * (1 + 4 - 2 * 2) = |m|^2 + 3
    b = rng.normal(size=(20000, 3)) * 2 + np.array([1.0, 0.0, 2.0])
    assert metrics.frechet_distance(a, b) == pytest.approx(5 + 3, rel=0.03)


def test_kernel_distance_separates_distributions():
    rng = np.random.default_rng(0)
    same = metrics.kernel_distance(rng.normal(size=(400, 8)), rng.normal(size=(400, 8)))
    shifted = metrics.kernel_distance(rng.normal(size=(400, 8)), rng.normal(1.0, 1.0, size=(400, 8)))
    assert abs(same) < 0.05 and shifted > 1.0


def test_class_coverage():
    assert metrics.class_coverage(np.repeat(np.arange(10), 5), 10) == {
        "coverage": 1.0,
        "classes_covered": 10,
        "histogram": [0.1] * 10,
    }
    collapsed = metrics.class_coverage(np.full(100, 3), 10)
    assert collapsed["coverage"] == pytest.approx(0.1) and collapsed["classes_covered"] == 1


def test_classifier_learns_and_is_cached(mnist, tmp_path, monkeypatch):
    monkeypatch.setenv(metrics.CACHE_ENV, str(tmp_path))
    small_train = data.from_arrays(mnist.images[:4000], mnist.labels[:4000])
    small_test = data.from_arrays(mnist.images[-1000:], mnist.labels[-1000:])
    calls, original = [], metrics.train_classifier

    def quick(train, test, epochs=3, seed=0):
        calls.append(1)
        return original(small_train, small_test, epochs=1)

    monkeypatch.setattr(metrics, "train_classifier", quick)
    model, accuracy = metrics.classifier("mnist")
    assert accuracy > 0.85
    assert (tmp_path / "classifiers" / "mnist.keras").is_file()
    again, cached_accuracy = metrics.classifier("mnist")
    assert len(calls) == 1 and cached_accuracy == accuracy
    np.testing.assert_allclose(
        again.predict(small_test.images[:8], verbose=0), model.predict(small_test.images[:8], verbose=0), rtol=1e-5
    )

    scores = metrics.evaluate(small_test.images[:500], "mnist", real=small_test.images[500:])
    noise = metrics.evaluate(
        np.random.default_rng(0).uniform(-1, 1, (500, 28, 28, 1)), "mnist", real=small_test.images[500:]
    )
    assert scores["fd"] < noise["fd"] / 5
    assert scores["coverage"] > 0.8 > noise["coverage"]


def test_fid_offline_says_what_to_do(monkeypatch):
    import keras

    def offline(**kwargs):
        raise Exception("URL fetch failure on https://storage.googleapis.com/...")

    monkeypatch.setattr(keras.applications, "InceptionV3", offline)
    with pytest.raises(metrics.MetricUnavailableError, match=r"ImageNet weights.*internet.*weights=.*classifier FD"):
        metrics.fid(np.zeros((2, 28, 28, 1)), np.zeros((2, 28, 28, 1)))


def test_inception_features_shape_with_random_weights():
    model = metrics.inception(weights=None)
    feats = metrics.inception_features(np.zeros((2, 28, 28, 1), "float32"), model)
    assert feats.shape == (2, 2048)
