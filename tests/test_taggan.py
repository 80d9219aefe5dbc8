"""Tags as conditions: parsing, tagged folders, the shapes data and TagGAN's matching-aware D."""

import keras
import numpy as np
import pytest
from conftest import changed, snapshot

from odog import TagGAN, tags


@pytest.fixture(scope="module")
def shapes(tmp_path_factory):
    return tags.make_shapes(tmp_path_factory.mktemp("shapes"), n=96, size=28, seed=0)


def test_shapes_dataset_and_checker(shapes):
    vocabulary = tags.vocabulary_of(shapes)
    assert vocabulary == sorted(tags.shapes_vocabulary()) and len(vocabulary) == 15
    dataset, vectors = tags.load_tagged(shapes, vocabulary, image_size=28)
    assert dataset.images.shape == (96, 28, 28, 3) and vectors.shape == (96, 15)
    assert (vectors.sum(axis=1) == 2).all()  # "<colour> <shape>" and "<colour> background"
    written = tags.read_tags_file(shapes)
    texts = [written[str(i)] for i in range(96)]
    assert tags.shape_match(dataset.images, texts)["all"] == 1.0
    wrong = [t.replace("circle", "square") if "circle" in t else t.replace("square", "circle") for t in texts]
    assert tags.shape_match(dataset.images, wrong)["shape"] < 0.5


def test_tagged_folder_errors(tmp_path, shapes):
    with pytest.raises(FileNotFoundError, match="No tags.csv.*images/"):
        tags.read_tags_file(tmp_path)
    (tmp_path / "tags.csv").write_text("0\n")
    with pytest.raises(ValueError, match="line 1: expected 'image_id,tags'"):
        tags.read_tags_file(tmp_path)
    with pytest.raises(ValueError, match="Cannot split 'red circle white' into two-word tags"):
        tags.parse_tags("red circle white")
    with pytest.warns(UserWarning, match="Ignored 12 tags outside the vocabulary"):
        dataset, vectors = tags.load_tagged(shapes, ["red circle", "red square", "red triangle"], 28)
    assert len(dataset.images) == len(vectors) < 96 and (vectors.sum(axis=1) == 1).all()


def test_taggan_trains_and_generates_from_text(shapes):
    gan = TagGAN(dataset=str(shapes), image_size=28, seed=0)
    assert gan.vocabulary == tags.vocabulary_of(shapes) and gan.img_shape == (28, 28, 3)
    history = gan.train(epochs=2, batch_size=8, verbose=0)
    assert all(np.isfinite(v).all() for v in history.values()) and "d_mismatched" in history
    one = gan.generate(3, tags="Red circle white background", seed=0)
    assert one.shape == (3, 28, 28, 3) and np.abs(one).max() <= 1
    many = gan.generate(2, tags=["blue square black background", "red circle white background"], seed=0)
    np.testing.assert_allclose(many[1], one[1], atol=1e-6)  # same noise, same tags
    assert len(gan.sample_tags()) == 10 and gan.sample_grid == (10, 8)


@pytest.mark.parametrize(
    ("tags_", "message"),
    [
        ("purple circle", r"Unknown tag 'purple circle'. The vocabulary is: black background, blue circle"),
        (["red circle"] * 3, "Expected 2 tag texts"),
        (np.ones((2, 4)), r"multi-hot rows of shape \(2, 15\)"),
    ],
)
def test_wrong_tags_are_refused(shapes, tags_, message):
    gan = TagGAN(dataset=str(shapes), image_size=28)
    with pytest.raises(ValueError, match=message):
        gan.generate(2, tags=tags_)


def test_matching_aware_discriminator(shapes):
    gan = TagGAN(dataset=str(shapes), image_size=28, seed=0, ema=None)
    images, vectors = gan.data.images[:16], gan.data.labels[:16]
    real = gan.real_input(images[None], vectors[None])
    assert (real[2][0] != vectors).any(axis=1).mean() > 0.5, "the wrong tags are mostly wrong"
    latent = gan.latent((16,))
    fake = keras.ops.convert_to_numpy(gan.generator(latent, training=False))
    args = ([images, vectors, real[2][0]], gan.discriminator_input(fake, latent), np.ones((16, 1)), np.zeros((16, 1)))
    args = keras.tree.map_structure(lambda a: keras.ops.convert_to_tensor(a, "float32"), args)  # as when compiled
    g_before = snapshot(gan.generator.variables)
    for _ in range(40):
        logs = gan.discriminator_step(*args)
    assert not any(changed(g_before, gan.generator.variables))
    right = gan.discriminate(images, vectors).mean()
    wrong = gan.discriminate(images, real[2][0]).mean()
    assert right > wrong + 0.2, "D did not learn to reject real images with wrong tags"
    assert float(logs["d_mismatched"]) < 0.5


def test_taggan_saves_its_vocabulary(shapes, tmp_path):
    import odog

    gan = TagGAN(dataset=str(shapes), image_size=28, seed=0)
    gan.save(tmp_path)
    loaded = odog.load(tmp_path)
    assert loaded.vocabulary == gan.vocabulary
    np.testing.assert_array_equal(
        loaded.generate(2, tags="red circle white background", seed=0),
        gan.generate(2, tags="red circle white background", seed=0),
    )


def test_taggan_on_a_labelled_dataset_uses_class_names(mnist):
    gan = TagGAN(dataset=(mnist.images[:32], mnist.labels[:32]))
    assert gan.vocabulary[3] == "class 3"
    assert gan.data.labels.shape == (32, 10) and (gan.data.labels.sum(axis=1) == 1).all()
    with pytest.raises(ValueError, match="TagGAN needs tags"):
        TagGAN(dataset=np.zeros((4, 28, 28, 1), "float32"))
