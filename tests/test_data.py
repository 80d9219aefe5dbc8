"""Data loading: named datasets, folders, arrays, and clear errors."""

import numpy as np
import pytest
from PIL import Image

from odog import GAN, data


def _write(path, size=(40, 30), color=(200, 10, 10), mode="RGB"):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new(mode, size, color).save(path)


def test_named_dataset_from_odog_data_dir(tmp_path, monkeypatch):
    x = np.random.default_rng(0).integers(0, 256, (6, 28, 28), dtype=np.uint8)
    np.savez(tmp_path / "mnist.npz", x_train=x, y_train=np.arange(6), x_test=x[:2], y_test=np.arange(2))
    monkeypatch.setenv("ODOG_DATA_DIR", str(tmp_path))
    train = data.load_named("mnist")
    assert train.images.shape == (6, 28, 28, 1) and train.images.dtype == np.float32
    np.testing.assert_allclose(train.images[..., 0], x / 127.5 - 1, atol=1e-6)
    assert train.labels.tolist() == list(range(6)) and len(data.load_named("mnist", "test")) == 2


def test_real_mnist_is_scaled_with_labels(mnist):
    assert mnist.images.shape == (60000, 28, 28, 1)
    assert mnist.images.min() == -1.0 and mnist.images.max() == 1.0
    assert mnist.num_classes == 10


def test_missing_dataset_offline_says_both_ways(tmp_path, monkeypatch):
    import keras

    def offline():
        raise Exception("URL fetch failure: no network")

    monkeypatch.setenv("ODOG_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", offline)
    with pytest.raises(data.DatasetUnavailableError, match=r"has no fashion_mnist.npz.*ODOG_DATA_DIR") as info:
        data.load_named("fashion_mnist")
    assert "internet" in str(info.value)


def test_local_file_missing_keys(tmp_path, monkeypatch):
    np.savez(tmp_path / "mnist.npz", x_train=np.zeros((2, 28, 28), np.uint8))
    monkeypatch.setenv("ODOG_DATA_DIR", str(tmp_path))
    with pytest.raises(ValueError, match=r"lacks the keys \['x_test', 'y_test', 'y_train'\]"):
        data.load_named("mnist")


def test_unknown_name_lists_choices():
    with pytest.raises(ValueError, match=r"Expected one of \['cifar10', 'fashion_mnist', 'mnist'\]"):
        data.load_named("svhn")


def test_image_folder_recursive_resized_and_cropped(tmp_path):
    _write(tmp_path / "a.png", (40, 30))
    _write(tmp_path / "sub" / "b.JPG", (30, 60), (0, 0, 255))
    _write(tmp_path / "sub" / "c.jpeg", (16, 16), 128, mode="L")
    (tmp_path / "notes.txt").write_text("not an image")
    ds = data.load_image_folder(tmp_path, image_size=16)
    assert ds.images.shape == (3, 16, 16, 3) and ds.labels is None
    assert ds.images.min() >= -1 and ds.images.max() <= 1
    np.testing.assert_allclose(ds.images[0, 8, 8], np.array([200, 10, 10]) / 127.5 - 1, atol=0.02)
    gray = data.load_image_folder(tmp_path, image_size=8, channels=1)
    assert gray.images.shape == (3, 8, 8, 1)


def test_corrupt_images_are_skipped_with_a_count(tmp_path):
    _write(tmp_path / "good.png")
    (tmp_path / "bad.png").write_bytes(b"\x89PNG broken")
    (tmp_path / "worse.jpg").write_bytes(b"")
    with pytest.warns(UserWarning, match="Skipped 2 of 3 unreadable"):
        ds = data.load_image_folder(tmp_path, image_size=8)
    assert len(ds) == 1


def test_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="Image folder not found"):
        data.load_image_folder(tmp_path / "nope", 8)
    with pytest.raises(ValueError, match=r"contains no \.png, \.jpg or \.jpeg"):
        data.load_image_folder(tmp_path, 8)
    (tmp_path / "bad.png").write_bytes(b"junk")
    with pytest.raises(ValueError, match="None of the 1 image files"):
        data.load_image_folder(tmp_path, 8)


def test_gan_trains_on_an_image_folder(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(6):
        Image.fromarray(rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)).save(tmp_path / f"{i}.png")
    gan = GAN(dataset=str(tmp_path), image_size=16, latent_dim=8, seed=0)
    assert gan.img_shape == (16, 16, 3)
    gan.train(epochs=2, batch_size=4, verbose=0)
    assert gan.generate(3).shape == (3, 16, 16, 3)


@pytest.mark.parametrize(
    ("images", "labels", "match"),
    [
        (np.zeros((4, 8, 8, 2), "float32"), None, r"C = 1 or 3. Received: images.shape=\(4, 8, 8, 2\)"),
        (np.zeros((4, 8), "float32"), None, "Received: images.shape=\\(4, 8\\)"),
        (np.zeros((0, 8, 8), "float32"), None, "empty"),
        (np.zeros((4, 8, 8), "int32"), None, "dtype.*int32"),
        (np.full((4, 8, 8), 3.0, "float32"), None, r"scaled to \[-1, 1\].*\[3, 3\]"),
        (np.full((4, 8, 8), np.nan, "float32"), None, "NaN"),
        (np.zeros((4, 8, 8), "uint8"), np.arange(3), r"one integer label per image.*\(3,\) for 4 images"),
        (np.zeros((4, 8, 8), "uint8"), np.array([0.5, 1, 2, 3]), "integer class labels"),
    ],
)
def test_bad_arrays_are_refused(images, labels, match):
    with pytest.raises(ValueError, match=match):
        data.from_arrays(images, labels)


def test_tuple_dataset_keeps_labels():
    ds = data.load((np.zeros((3, 4, 4, 3), "uint8"), np.array([[0], [2], [1]])))
    assert ds.labels.tolist() == [0, 2, 1] and ds.num_classes == 3
