"""Data loading: named datasets, folders, arrays, and clear errors."""

import numpy as np
import pytest
from PIL import Image

import odog
from odog import GAN, cli, data, viz


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
    with pytest.raises(
        ValueError, match=r"Expected one of \['cifar10', 'fashion_mnist', 'mnist', .*'textured_mnist'\]"
    ):
        data.load_named("svhn")


def test_image_folder_recursive_resized_and_cropped(tmp_path):
    _write(tmp_path / "a.png", (40, 30))
    _write(tmp_path / "sub" / "b.JPG", (30, 60), (0, 0, 255))
    _write(tmp_path / "sub" / "c.jpeg", (16, 16), 128, mode="L")
    (tmp_path / "notes.txt").write_text("not an image")
    folder = data.load(str(tmp_path), image_size=16)
    assert isinstance(folder, data.ImageFolder) and len(folder) == 3 and folder.labels is None
    images = folder.take([0, 1, 2])
    assert images.shape == (3, 16, 16, 3) and images.min() >= -1 and images.max() <= 1
    np.testing.assert_allclose(images[0, 8, 8], np.array([200, 10, 10]) / 127.5 - 1, atol=0.02)
    assert data.ImageFolder(tmp_path, image_size=8, channels=1).take([2]).shape == (1, 8, 8, 1)


def test_non_square_images_are_center_cropped(tmp_path):
    pixels = np.zeros((20, 60, 3), "uint8")
    pixels[:, 20:40] = 255  # a white centre third: the crop keeps it and drops the black sides
    Image.fromarray(pixels).save(tmp_path / "wide.png")
    (crop,) = data.ImageFolder(tmp_path, image_size=20).take([0])
    assert crop.shape == (20, 20, 3) and crop.min() > 0.9


def _numbered_folder(root, n, classes=None):
    """n images whose red channel encodes their number, optionally spread over class subfolders."""
    for i in range(n):
        folder = root / classes[i % len(classes)] if classes else root
        _write(folder / f"{i:03d}.png", (12, 12), (i, 0, 0))


def _numbers(images):
    return np.round((images[:, 0, 0, 0] + 1) * 127.5).astype(int).tolist()


def test_folder_streams_shuffled_passes_and_resumes_at_any_position(tmp_path):
    _numbered_folder(tmp_path, 10)
    folder = data.ImageFolder(tmp_path, image_size=8)
    stream = folder.batches(5, seed=3)
    seen = [_numbers(next(stream)[0]) for _ in range(6)]  # three passes
    passes = [sorted(seen[2 * k] + seen[2 * k + 1]) for k in range(3)]
    assert passes == [list(range(10))] * 3  # each pass holds every image once
    assert seen[0] + seen[1] != seen[2] + seen[3]  # and each pass has its own order
    resumed = folder.batches(5, seed=3, start=15)  # 15 images already used
    assert [_numbers(next(resumed)[0]) for _ in range(3)] == [
        (seen[3] + seen[4])[0:5],
        (seen[3] + seen[4] + seen[5])[5:10],
        (seen[3] + seen[4] + seen[5])[10:15],
    ]
    other = folder.batches(5, seed=4)
    assert _numbers(next(other)[0]) + _numbers(next(other)[0]) != seen[0] + seen[1]


def test_class_subfolders_are_labels(tmp_path):
    _numbered_folder(tmp_path, 9, classes=["dog", "cat", "owl"])
    folder = data.ImageFolder(tmp_path, image_size=8)
    assert folder.class_names == ["cat", "dog", "owl"] and folder.num_classes == 3
    images, labels = next(folder.batches(9, seed=0))
    # Image i went to ["dog", "cat", "owl"][i % 3]: its label is that name's place in sorted order.
    expected = [["cat", "dog", "owl"].index(["dog", "cat", "owl"][i % 3]) for i in _numbers(images)]
    assert labels.tolist() == expected
    assert data.num_classes(str(tmp_path)) == 3 and data.class_names(str(tmp_path)) == ["cat", "dog", "owl"]
    _write(tmp_path / "loose.png")  # an image beside the subfolders: one unlabelled folder
    assert data.class_names(str(tmp_path)) is None and data.ImageFolder(tmp_path, 8).labels is None


def test_max_images_caps_a_folder_with_a_fixed_subset(tmp_path):
    _numbered_folder(tmp_path, 30)
    capped = data.ImageFolder(tmp_path, image_size=8, max_images=12)
    assert len(capped) == 12 and capped.files == data.ImageFolder(tmp_path, 8, max_images=12).files
    numbers = sorted(_numbers(capped.take(range(12))))
    assert numbers != list(range(12))  # a random subset, not the first files
    gan = GAN(dataset=str(tmp_path), image_size=8, max_images=12, latent_dim=4)
    assert len(gan.data) == 12
    with pytest.raises(ValueError, match="max_images"):
        GAN(dataset=str(tmp_path), max_images=0)


def test_corrupt_images_are_skipped_with_a_count(tmp_path):
    _write(tmp_path / "good.png")
    (tmp_path / "bad.png").write_bytes(b"\x89PNG broken")
    (tmp_path / "worse.jpg").write_bytes(b"")
    with pytest.warns(UserWarning, match="Skipped 2 of 3 unreadable"):
        folder = data.ImageFolder(tmp_path, image_size=8)
    assert len(folder) == 1


def test_an_image_that_fails_to_decode_is_replaced_in_its_batch(tmp_path):
    _numbered_folder(tmp_path, 4)
    whole = (tmp_path / "001.png").read_bytes()
    folder = data.ImageFolder(tmp_path, image_size=8)  # headers all readable
    (tmp_path / "001.png").write_bytes(whole[: len(whole) // 2])  # truncated after the scan
    with pytest.warns(UserWarning, match=r"Could not decode .*001\.png.*1 of the 4 files"):
        images, _ = next(folder.batches(8, seed=0))
    assert images.shape == (8, 8, 8, 3) and 1 not in _numbers(images)


def test_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="Image folder not found"):
        data.ImageFolder(tmp_path / "nope", 8)
    with pytest.raises(ValueError, match=r"contains no \.png, \.jpg or \.jpeg"):
        data.ImageFolder(tmp_path, 8)
    (tmp_path / "bad.png").write_bytes(b"junk")
    with pytest.raises(ValueError, match="None of the 1 image files"):
        data.ImageFolder(tmp_path, 8)


def test_gan_trains_on_an_image_folder(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(6):
        Image.fromarray(rng.integers(0, 256, (20, 24, 3), dtype=np.uint8)).save(tmp_path / f"{i}.png")
    gan = GAN(dataset=str(tmp_path), image_size=16, latent_dim=8, seed=0)
    assert gan.img_shape == (16, 16, 3)
    gan.train(epochs=2, batch_size=4, verbose=0)
    assert gan.generate(3).shape == (3, 16, 16, 3) and gan.stream_state["position"] == 8


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


def test_cgan_on_class_subfolders_names_its_classes_and_resumes_the_stream_exactly(tmp_path):
    rng = np.random.default_rng(0)
    for name, shade in (("cat", 40), ("dog", 200)):
        for i in range(6):
            pixels = np.clip(rng.normal(shade, 20, (34, 28)), 0, 255).astype("uint8")  # non-square: cropped
            _write_array(tmp_path / "pets" / name / f"{i}.png", pixels)
    pets = str(tmp_path / "pets")
    settings = {"dataset": pets, "image_size": 28, "channels": 1, "latent_dim": 8, "seed": 0}
    straight = odog.CGAN(**settings)
    assert straight.num_classes == 2 and straight.class_names == ["cat", "dog"]
    straight.train(epochs=5, batch_size=4, verbose=0)

    first = odog.CGAN(**settings)
    first.train(epochs=3, batch_size=4, checkpoint_interval=3, out_dir=tmp_path / "run", verbose=0)
    resumed = odog.load(tmp_path / "run")
    assert resumed.class_names == ["cat", "dog"] and resumed.stream_state == {"seed": 0, "position": 12}
    resumed.train(epochs=2, batch_size=4, verbose=0)
    assert resumed.history["g_loss"] == straight.history["g_loss"]
    for a, b in zip(resumed.generator.get_weights(), straight.generator.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)

    np.testing.assert_array_equal(resumed.generate(3, labels="dog", seed=1), resumed.generate(3, labels=1, seed=1))
    np.testing.assert_array_equal(
        resumed.generate(2, labels=["dog", "cat"], seed=1), resumed.generate(2, labels=[1, 0], seed=1)
    )
    with pytest.raises(ValueError, match=r"class names \['cat', 'dog'\] or class numbers. Received: 'cow'"):
        resumed.generate(1, labels="cow")
    out = tmp_path / "dogs.npy"
    assert cli.main(["generate", str(tmp_path / "run"), "-n", "2", "--labels", "dog", "--out", str(out)]) == 0
    assert np.load(out).shape == (2, 28, 28, 1)
    captioned = Image.open(resumed.sample_images(tmp_path / "grid.png")).size
    plain = viz.image_grid(np.zeros((20, 28, 28, 1)), rows=2).size
    assert captioned[1] == plain[1] and captioned[0] > plain[0]  # the class names are written left of the rows


def test_numbered_classes_refuse_names():
    gan = odog.CGAN(dataset=(np.zeros((4, 28, 28), "uint8"), np.array([0, 1, 0, 1])), latent_dim=4)
    with pytest.raises(ValueError, match="has no class names .* pass class numbers in \\[0, 1\\]"):
        gan.generate(1, labels="cat")
    with pytest.raises(ValueError, match="Expected 2 different non-empty strings"):
        odog.CGAN(dataset=(np.zeros((4, 28, 28), "uint8"), np.array([0, 1, 0, 1])), class_names=["a", "a"])


def _write_array(path, pixels):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(pixels).save(path)
