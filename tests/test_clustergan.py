"""ClusterGAN: its clustered latent, the encoder trained with G, and what `encode`, `cluster` and `generate` take."""

import keras
import numpy as np
import pytest
from conftest import changed, snapshot

import odog
from odog import ClusterGAN, backend


@pytest.fixture
def gan(digits):
    return ClusterGAN(dataset=digits, d_steps=1, seed=0)


def _d_step_args(gan, real):
    latent = gan.latent((len(real),))
    fake = keras.ops.convert_to_numpy(gan.generator(latent, training=False))
    return real, gan.discriminator_input(fake, latent), np.ones((len(real), 1)), np.zeros((len(real), 1))


def test_latent_is_small_gaussian_noise_and_a_one_hot_cluster(gan):
    assert gan.latent_dim == 30 + 10 and gan.clusters == 10
    latent = gan.latent((2000,))
    np.testing.assert_array_equal(latent[:, 30:].sum(axis=1), np.ones(2000))
    assert set(np.unique(latent[:, 30:])) == {0.0, 1.0}
    assert latent[:, :30].std() == pytest.approx(0.1, rel=0.05)  # sigma, the paper's
    chosen = gan.generation_input(5, np.random.default_rng(0), cluster=[0, 1, 2, 3, 9])
    np.testing.assert_array_equal(chosen[:, 30:].argmax(axis=1), [0, 1, 2, 3, 9])
    assert (gan.generation_input(3, np.random.default_rng(0), cluster=7)[:, 37] == 1).all()
    images = gan.generate(4, cluster=2, seed=0)
    assert images.shape == (4, 28, 28, 1) and images.dtype == np.float32
    np.testing.assert_array_equal(images, gan.generate(4, cluster=2, seed=0))
    assert not np.array_equal(images, gan.generate(4, cluster=3, seed=0))


def test_generate_refuses_a_bad_cluster(gan):
    with pytest.raises(ValueError, match=r"`cluster`. Expected integers in \[0, 9\] \(clusters=10\). Received: \[10\]"):
        gan.generate(2, cluster=10)
    with pytest.raises(ValueError, match=r"`cluster`. Expected integers in \[0, 9\]"):
        gan.generate(2, cluster=[-1, 3])
    with pytest.raises(ValueError, match=r"Expected an integer or 2 integers in \[0, 9\]. Received: float64"):
        gan.generate(2, cluster=1.5)
    with pytest.raises(ValueError, match=r"Expected an integer or 2 integers.*shape \(3,\)"):
        gan.generate(2, cluster=[1, 2, 3])
    with pytest.raises(ValueError, match="takes no condition `code`: its conditions are 'cluster'"):
        gan.generate(2, code=1)


def test_encode_and_cluster(gan, digits):
    codes = gan.encode(digits[:6])
    assert codes.shape == (6, 40) and codes.dtype == np.float32
    np.testing.assert_allclose(codes[:, 30:].sum(axis=1), np.ones(6), rtol=1e-5)  # softmax of z_c
    assert (codes[:, 30:] > 0).all()
    clusters = gan.cluster(digits[:6])
    assert clusters.shape == (6,) and clusters.dtype.kind == "i" and ((clusters >= 0) & (clusters < 10)).all()
    np.testing.assert_array_equal(clusters, codes[:, 30:].argmax(axis=1))
    np.testing.assert_array_equal(gan.predict_code(digits[:6]), clusters)  # InfoGAN's name, for shared benchmarks
    with pytest.raises(
        ValueError, match=r"Expected images of shape \(N, 28, 28, 1\) to encode. Received: images.shape"
    ):
        gan.encode(digits[0])
    with pytest.raises(ValueError, match=r"Received: images.shape=\(2, 32, 32, 1\)"):
        gan.cluster(np.zeros((2, 32, 32, 1)))


def test_constructor_checks_its_arguments(digits):
    with pytest.raises(ValueError, match=r"`adversarial`. Expected 'wgan-gp' or 'bce'. Received: adversarial='hinge'"):
        ClusterGAN(dataset=digits, adversarial="hinge")
    with pytest.raises(ValueError, match="latent_dim is noise_dim \\+ clusters"):
        ClusterGAN(dataset=digits, latent_dim=40)
    with pytest.raises(ValueError, match="`sigma`. Expected a number > 0"):
        ClusterGAN(dataset=digits, sigma=0.0)
    with pytest.raises(ValueError, match="`categories`. Expected an integer >= 2"):
        ClusterGAN(dataset=digits, clusters=1)
    with pytest.raises(ValueError, match="side is divisible by 4"):
        ClusterGAN(dataset=np.zeros((4, 30, 30, 1), "float32"))


def test_paper_settings(digits):
    gan = ClusterGAN(dataset=digits)
    assert (gan.d_steps, gan.default_batch_size, gan.adversarial, gan.beta_n, gan.beta_c) == (5, 64, "wgan-gp", 10, 10)
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert float(optimizer.learning_rate) == pytest.approx(1e-4)
        assert (optimizer.beta_1, optimizer.beta_2) == (0.5, 0.9)


@pytest.mark.parametrize("adversarial", ["wgan-gp", "bce"])
def test_d_step_trains_d_only(digits, adversarial):
    gan = ClusterGAN(dataset=digits, adversarial=adversarial, d_steps=1, seed=0)
    g_before, e_before = snapshot(gan.generator.variables), snapshot(gan.encoder.variables)
    kernels = [v for v in gan.discriminator.trainable_variables if "kernel" in v.path]
    d_before = snapshot(kernels)
    logs = gan.discriminator_step(*_d_step_args(gan, digits[:8]))
    assert all(changed(d_before, kernels))  # (a critic's last bias cancels out of its loss)
    assert not any(changed(g_before, gan.generator.variables)) and not any(changed(e_before, gan.encoder.variables))
    assert ("gradient_penalty" in logs) == (adversarial == "wgan-gp")


@pytest.mark.parametrize("adversarial", ["wgan-gp", "bce"])
def test_g_step_trains_g_and_the_encoder_and_leaves_d_bit_identical(digits, adversarial):
    gan = ClusterGAN(dataset=digits, adversarial=adversarial, d_steps=1, seed=0)
    assert {id(v) for v in gan.encoder.trainable_variables} <= {id(v) for v in gan.g_optimizer._trainable_variables}
    d_before = snapshot(gan.discriminator.variables)
    g_before, e_before = snapshot(gan.generator.trainable_variables), snapshot(gan.encoder.trainable_variables)
    step = backend.compile_function(gan.generator_step, gan.step_variables(), False)
    first = step(gan.latent((16,)))
    assert all(changed(g_before, gan.generator.trainable_variables))
    assert all(changed(e_before, gan.encoder.trainable_variables))
    assert not any(changed(d_before, gan.discriminator.variables))
    for _ in range(30):
        last = step(gan.latent((16,)))
    assert float(last["zc_loss"]) < 0.5 * float(first["zc_loss"])  # E learns to read G's clusters
    assert float(last["zc_acc"]) > 0.5
    assert set(first) == {"g_loss", "adversarial_loss", "zn_loss", "zc_loss", "zc_acc"}


def test_checkpoint_keeps_the_encoder(digits, tmp_path):
    gan = ClusterGAN(dataset=digits, adversarial="bce", d_steps=1, sigma=0.2, seed=0)
    gan.train(epochs=2, batch_size=4, verbose=0)
    assert any(path.startswith("encoder/") for path in gan.named_variables())
    gan.save(tmp_path)
    loaded = odog.load(tmp_path, dataset=digits)
    assert type(loaded) is ClusterGAN and (loaded.adversarial, loaded.sigma, loaded.iteration) == ("bce", 0.2, 2)
    np.testing.assert_array_equal(loaded.encode(digits[:4]), gan.encode(digits[:4]))
    np.testing.assert_array_equal(loaded.generate(3, cluster=5, seed=1), gan.generate(3, cluster=5, seed=1))
    fresh = ClusterGAN(dataset=digits, adversarial="bce", d_steps=1, sigma=0.2, seed=1)
    assert not np.array_equal(fresh.encode(digits[:4]), gan.encode(digits[:4]))


def test_the_grid_has_a_row_per_cluster(gan, tmp_path):
    assert gan.code_grid(columns=4).shape == (40, 28, 28, 1)
    assert gan.sample_images(tmp_path / "grid.png").is_file()


def test_code_augment_reads_the_cluster_from_a_distorted_copy(digits, tmp_path, monkeypatch):
    gan = ClusterGAN(dataset=digits, d_steps=1, seed=0, code_augment=(0.5, 0.2, 2.0, 1.0))
    z = gan.latent((16,))
    views = []
    view = gan.code_view
    monkeypatch.setattr(gan, "code_view", lambda images: views.append(view(images)) or views[-1])
    logs = gan.generator_objective(z)[1]
    fake = keras.ops.convert_to_numpy(gan.generator(z, training=True))
    distorted = keras.ops.convert_to_numpy(views[0])
    assert len(views) == 1 and np.abs(distorted - fake).mean() > 0.05
    n = gan.noise_dim
    logits = gan.encoder(distorted)[1]  # the cluster's loss is E's reading of the distorted copy
    code_loss = keras.losses.categorical_crossentropy(z[:, n:], logits, from_logits=True)
    assert float(logs["zc_loss"]) == pytest.approx(float(keras.ops.mean(code_loss)), rel=1e-5)
    z_n = keras.ops.convert_to_numpy(gan.encoder(fake)[0])  # z_n's, of the image itself
    assert float(logs["zn_loss"]) == pytest.approx(float(np.mean((z_n - z[:, :n]) ** 2)), rel=1e-5)
    plain = ClusterGAN(dataset=digits, d_steps=1, seed=0)
    monkeypatch.setattr(plain, "code_view", lambda images: pytest.fail("read without code_augment"))
    plain.generator_objective(z)
    with pytest.raises(ValueError, match=r"Expected \(shear, scale, shift, thickening\) or None"):
        ClusterGAN(dataset=digits, code_augment=(0.5, 0.2))
    gan.save(tmp_path)
    assert odog.load(tmp_path, dataset=digits).code_augment == (0.5, 0.2, 2.0, 1.0)
