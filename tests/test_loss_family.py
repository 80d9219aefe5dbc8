"""The loss family: each variant's step updates the right model, by its own rule."""

import keras
import numpy as np
import pytest
from conftest import changed, snapshot
from helpers import without_dropout
from PIL import Image

import odog
from odog import BEGAN, BGAN, DRAGAN, EBGAN, LSGAN, RGAN, SSGAN, WGAN, WGANGP, SoftmaxGAN, WGANDiv, losses, regularizers

FAMILY = [WGAN, WGANGP, LSGAN, EBGAN, BEGAN, BGAN, DRAGAN, RGAN, SoftmaxGAN, WGANDiv, SSGAN]


def _build(cls, images, **kwargs):
    return cls(dataset=images, seed=0, ema=None, **kwargs)


def _step_args(gan, real):
    batch = len(real)
    fake = keras.ops.convert_to_numpy(gan.generator(gan.sample_noise((batch,)), training=False))
    return real, fake, np.ones((batch, 1), "float32"), np.zeros((batch, 1), "float32")


def _d_state(gan):  # learned D state: everything but Dropout's RNG counter
    return [v for v in gan.discriminator.variables if "seed_generator" not in v.path]


@pytest.mark.parametrize("cls", FAMILY, ids=lambda c: c.name)
def test_d_step_changes_d_only_and_g_step_changes_g_only(cls, digits):
    gan = _build(cls, digits)
    learned = gan.discriminator.trainable_variables
    # The output bias cancels out of a critic's mean D(x) - mean D(G(z)), and of losses that compare scores.
    if issubclass(cls, WGAN) or cls.generator_reads_real:
        learned = learned[:-1]
    g_before, d_before = snapshot(gan.generator.variables), snapshot(learned)
    logs = gan.discriminator_step(*_step_args(gan, digits[:8]))
    assert not any(changed(g_before, gan.generator.variables)), "the D step touched G"
    assert all(changed(d_before, learned)), "a D weight did not move"
    assert all(np.isfinite(float(v)) for v in logs.values())

    d_before, g_before = snapshot(_d_state(gan)), snapshot(gan.generator.trainable_variables)
    extra = snapshot([gan.k]) if cls is BEGAN else []
    z = gan.sample_noise((8,))
    logs = gan.generator_step((z, digits[8:16]) if gan.generator_reads_real else z)
    assert not any(changed(d_before, _d_state(gan))), "the G step touched D"
    assert all(changed(g_before, gan.generator.trainable_variables)), "a G weight did not move"
    if cls is BEGAN:
        assert not any(changed(extra, [gan.k])), "the G step touched k_t"
    assert np.isfinite(float(logs["g_loss"]))


@pytest.mark.parametrize("cls", FAMILY, ids=lambda c: c.name)
def test_d_steps_lower_the_d_objective_against_a_fixed_g(cls, digits):
    gan = without_dropout(_build(cls, digits))
    args = _step_args(gan, digits[:16])
    gan.discriminator_step(*args)  # from here on WGAN's weights are clipped: compare like with like
    first = float(gan.discriminator_objective(*args)[0])
    for _ in range(15 if issubclass(cls, WGAN) else 5):
        gan.discriminator_step(*args)
    assert float(gan.discriminator_objective(*args)[0]) < first


def test_wgan_clips_every_critic_weight_inside_the_compiled_step(digits):
    gan = _build(WGAN, digits, clip_value=0.01)
    assert isinstance(gan.d_optimizer, keras.optimizers.RMSprop) and gan.d_optimizer is not gan.g_optimizer
    logs = gan.train_on_batch(digits[:10])  # 5 critic steps of 2 images
    assert int(gan.d_optimizer.iterations) == 5 and int(gan.g_optimizer.iterations) == 1
    weights = [np.abs(keras.ops.convert_to_numpy(v)) for v in gan.discriminator.trainable_variables]
    assert max(w.max() for w in weights) <= 0.01 + 1e-7
    assert sum(int((w >= 0.01 - 1e-7).sum()) for w in weights) > 100, "the clip never bound"
    assert logs["wasserstein"] == pytest.approx(logs["d_real"] - logs["d_fake"], abs=1e-5)


def test_wgan_takes_adam_and_keeps_the_clip(digits, tmp_path):
    gan = _build(WGAN, digits, optimizer="adam", learning_rate=2e-4, beta_1=0.3)
    assert isinstance(gan.d_optimizer, keras.optimizers.Adam) and isinstance(gan.g_optimizer, keras.optimizers.Adam)
    assert float(gan.d_optimizer.beta_1) == 0.3 and float(gan.d_optimizer.learning_rate) == pytest.approx(2e-4)
    gan.train_on_batch(digits[:10])
    weights = [np.abs(keras.ops.convert_to_numpy(v)) for v in gan.discriminator.trainable_variables]
    assert max(w.max() for w in weights) <= 0.01 + 1e-7
    gan.save(tmp_path / "run")
    loaded = WGAN.load(tmp_path / "run", dataset=digits[:16])
    assert isinstance(loaded.d_optimizer, keras.optimizers.Adam) and float(loaded.d_optimizer.beta_1) == 0.3
    with pytest.raises(
        ValueError, match=r"`optimizer`. Expected one of \('rmsprop', 'adam'\). Received: optimizer='sgd'"
    ):
        WGAN(dataset=digits[:16], optimizer="sgd")


def test_wgan_refuses_a_batch_that_is_not_one_per_critic_step(digits):
    gan = _build(WGAN, digits)
    with pytest.raises(ValueError, match="multiple of d_steps=5"):
        gan.train_on_batch(digits[:7])


def test_gradient_norms_are_exact_for_a_linear_critic():
    w = np.arange(1.0, 5.0, dtype="float32").reshape(1, 2, 2, 1)
    critic = lambda x: keras.ops.sum(x * w, axis=(1, 2, 3))  # noqa: E731
    norms = keras.ops.convert_to_numpy(regularizers.gradient_norms(critic, np.zeros((3, 2, 2, 1), "float32")))
    np.testing.assert_allclose(norms, np.full(3, np.sqrt(1 + 4 + 9 + 16)), rtol=1e-5)


def test_gradient_penalty_is_nonzero_and_drives_the_input_gradient_norm_to_one():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(64, 4, 4, 1)).astype("float32")
    fake = rng.normal(size=(64, 4, 4, 1)).astype("float32") + 2.0
    keras.utils.set_random_seed(0)
    critic = keras.Sequential(
        [keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(32, "tanh"), keras.layers.Dense(1)]
    )
    critic.layers[-1].kernel.assign(5.0 * critic.layers[-1].kernel)  # start far from norm 1
    seed = keras.random.SeedGenerator(0)
    optimizer = keras.optimizers.Adam(1e-2)
    optimizer.build(critic.trainable_variables)

    def loss_fn():
        penalty, norm = regularizers.gradient_penalty(critic, real, fake, seed)
        return penalty, {"penalty": penalty, "norm": norm}

    def penalty_and_grads():
        grads, logs = odog.backend.gradients(loss_fn, critic.trainable_variables)
        return grads, float(logs["penalty"]), float(logs["norm"])

    grads, penalty, norm = penalty_and_grads()
    assert penalty > 0.1 and abs(norm - 1.0) > 0.3
    # Second order: the penalty reaches every weight the input gradient depends on (not the output bias).
    kernels = [g for g, v in zip(grads, critic.trainable_variables, strict=True) if "kernel" in v.path]
    assert len(kernels) == 2 and all(np.abs(keras.ops.convert_to_numpy(g)).sum() > 0 for g in kernels)
    for _ in range(150):
        grads, penalty, norm = penalty_and_grads()
        optimizer.apply(grads, critic.trainable_variables)
    assert penalty < 0.01 and abs(norm - 1.0) < 0.05


@pytest.mark.parametrize("batch", [3, 5])
def test_wgan_gp_trains_at_any_batch_size_and_logs_its_penalty(digits, batch):
    gan = _build(WGANGP, digits, d_steps=1)
    assert isinstance(gan.d_optimizer, keras.optimizers.Adam)  # the paper's, not WGAN's RMSprop
    for optimizer in (gan.d_optimizer, gan.g_optimizer):  # the settings measured best at odog's budgets
        assert float(optimizer.beta_2) == pytest.approx(0.999) and float(optimizer.learning_rate) == pytest.approx(2e-4)
    logs = gan.train_on_batch(digits[:batch])
    assert logs["gradient_penalty"] > 0 and logs["gradient_norm"] > 0
    assert logs["d_loss"] == pytest.approx(-logs["wasserstein"] + 10.0 * logs["gradient_penalty"], rel=1e-4)


def test_wgan_gp_critic_has_no_batchnorm_at_any_size():
    for side in (28, 32):
        gan = WGANGP(dataset=np.zeros((4, side, side, 1), "float32"), filters=8)
        kinds = {type(layer).__name__ for layer in gan.discriminator.layers}
        assert "BatchNormalization" not in kinds
        assert gan.discriminator.layers[-1].activation.__name__ == "linear"
    assert "LayerNormalization" in kinds


def test_wgan_trains_on_a_64x64_image_folder(tmp_path):
    rng = np.random.default_rng(0)
    for i in range(6):
        Image.fromarray(rng.integers(0, 256, (80, 72, 3), dtype=np.uint8)).save(tmp_path / f"{i}.png")
    gan = WGAN(dataset=str(tmp_path), image_size=64, filters=8, latent_dim=16, seed=0)
    history = gan.train(epochs=2, batch_size=2, verbose=0)
    assert gan.generate(2).shape == (2, 64, 64, 3)
    assert all(np.isfinite(v).all() for v in history.values())


def test_lsgan_and_bgan_losses():
    assert LSGAN.loss is losses.least_squares and LSGAN.d_activation is None
    gan = BGAN(dataset=np.zeros((4, 28, 28, 1), "float32"))
    assert gan.combined_loss is losses.boundary_seeking and gan.loss is losses.binary_crossentropy
    # G's loss is lowest at D's boundary and symmetric around it.
    values = [float(losses.boundary_seeking(None, np.full((1, 1), p))) for p in (0.1, 0.5, 0.9)]
    assert values[1] == 0.0 and values[0] == pytest.approx(values[2]) and values[0] > 2


def test_ebgan_margin_and_pulling_away(digits):
    gan = _build(EBGAN, digits, margin=0.5)
    real, fake, ones, zeros = _step_args(gan, digits[:8])
    energies = keras.ops.convert_to_numpy(gan.discriminator(fake))
    loss, logs = gan.discriminator_objective(real, fake, ones, zeros)
    np.testing.assert_allclose(float(logs["d_loss_fake"]), np.maximum(0.5 - energies, 0).mean(), rtol=1e-5)
    energy, embedding = gan.with_embedding(fake)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(energy), energies, rtol=1e-5)
    assert embedding.shape == (8, 32)
    collapsed = float(losses.pulling_away(np.ones((4, 3), "float32")))
    diverse = float(losses.pulling_away(np.eye(4, dtype="float32")))
    assert collapsed == pytest.approx(1.0, abs=1e-5) and diverse == pytest.approx(0.0, abs=1e-6)


def test_began_updates_k_by_the_equilibrium_rule_and_saves_it(digits, tmp_path):
    gan = _build(BEGAN, digits, gamma=0.5, lambda_k=0.01)
    gan.k.assign(0.2)
    logs = gan.discriminator_step(*_step_args(gan, digits[:8]))
    expected = np.clip(0.2 + 0.01 * (0.5 * float(logs["d_loss_real"]) - float(logs["d_loss_fake"])), 0, 1)
    assert float(gan.k) == pytest.approx(expected, abs=1e-6) and float(logs["k"]) == pytest.approx(expected)
    m = float(logs["d_loss_real"]) + abs(0.5 * float(logs["d_loss_real"]) - float(logs["d_loss_fake"]))
    assert float(logs["convergence"]) == pytest.approx(m, rel=1e-5)

    history = gan.train(epochs=3, batch_size=4, verbose=0)
    assert {"k", "convergence"} <= set(history)
    gan.save(tmp_path)
    loaded = odog.load(tmp_path, dataset=digits)
    assert type(loaded) is BEGAN and float(loaded.k) == float(gan.k) and loaded.gamma == 0.5


@pytest.mark.parametrize("cls", [WGAN, WGANGP, EBGAN], ids=lambda c: c.name)
def test_save_and_resume(cls, digits, tmp_path):
    gan = cls(dataset=digits, seed=0, d_steps=1)
    gan.train(epochs=2, batch_size=4, verbose=0, out_dir=tmp_path, checkpoint_interval=2)
    loaded = odog.load(tmp_path, dataset=digits)
    assert type(loaded) is cls and loaded.iteration == 2 and loaded.get_config() == gan.get_config()
    for a, b in zip(gan.discriminator.variables, loaded.discriminator.variables, strict=True):
        np.testing.assert_array_equal(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))
    np.testing.assert_array_equal(gan.generate(2, seed=3), loaded.generate(2, seed=3))
    loaded.train(epochs=1, batch_size=4, verbose=0)
    assert loaded.iteration == 3


def test_invalid_hyperparameters_are_refused():
    images = np.zeros((4, 28, 28, 1), "float32")
    with pytest.raises(ValueError, match="clip_value"):
        WGAN(dataset=images, clip_value=-1)
    with pytest.raises(ValueError, match="gamma"):
        BEGAN(dataset=images, gamma=0)
    with pytest.raises(ValueError, match="margin"):
        EBGAN(dataset=images, margin=0)


def test_relativistic_and_softmax_losses_match_their_formulas():
    rng = np.random.default_rng(0)
    real, fake = rng.normal(size=(6, 1)), rng.normal(size=(6, 1))
    log_sigmoid = lambda x: -np.log1p(np.exp(-x))  # noqa: E731
    assert float(losses.relativistic_standard(real, fake)) == pytest.approx(-log_sigmoid(real - fake).mean(), rel=1e-5)
    log_one_minus_sigmoid = lambda x: log_sigmoid(x) - x  # noqa: E731
    average = -0.5 * (log_sigmoid(real - fake.mean()).mean() + log_one_minus_sigmoid(fake - real.mean()).mean())
    assert float(losses.relativistic_average(real, fake)) == pytest.approx(average, rel=1e-5)
    energies = np.concatenate([real, fake])[:, 0]
    log_z = np.log(np.exp(-energies).sum())
    # Softmax GAN: cross-entropy of softmax(-energy) over the batch to D's target (all on the reals) and G's (uniform).
    p = np.exp(-energies - log_z)
    d_target, g_target = np.r_[np.full(6, 1 / 6), np.zeros(6)], np.full(12, 1 / 12)
    for share, target in ((1.0, d_target), (0.5, g_target)):
        expected = -(target * np.log(p)).sum()
        assert float(losses.softmax_cross_entropy(real, fake, share)) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("cls", [RGAN, SoftmaxGAN], ids=lambda c: c.name)
def test_generator_loss_scores_fakes_against_the_real_batch(cls, digits):
    """G's loss of a relativistic or softmax GAN is its formula on D's scores of the fakes and of real images."""
    gan = without_dropout(_build(cls, digits))
    z, real = gan.sample_noise((8,)), digits[:8]
    fake_scores = gan.discriminator(gan.generator(z, training=True))
    real_scores = gan.discriminator(real)
    if cls is RGAN:
        expected = losses.relativistic_standard(fake_scores, real_scores)
    else:
        expected = losses.softmax_cross_entropy(real_scores, fake_scores, real_share=0.5)
    assert float(gan.generator_objective((z, real))[0]) == pytest.approx(float(expected), rel=1e-5)
    inputs = gan.step_inputs(digits[:8].reshape(1, 8, 28, 28, 1))
    noise, real = inputs["z_g"]
    assert noise.shape == (8, gan.latent_dim) and np.array_equal(real, digits[:8])


def test_rgan_standard_and_average_differ_and_save(digits, tmp_path):
    standard, average = without_dropout(_build(RGAN, digits)), _build(RGAN, digits, average=True)
    real, fake, ones, zeros = _step_args(standard, digits[:8])
    scores = [keras.ops.convert_to_numpy(standard.discriminator(x)) for x in (real, fake)]
    loss, logs = standard.discriminator_objective(real, fake, ones, zeros)
    assert float(loss) == pytest.approx(float(losses.relativistic_standard(*scores)), rel=1e-5)
    assert float(average.relativistic_loss(*scores)) == pytest.approx(float(losses.relativistic_average(*scores)))
    average.train(epochs=1, batch_size=4, verbose=0)
    average.save(tmp_path)
    assert odog.load(tmp_path, dataset=digits).average is True
    with pytest.raises(TypeError, match="average must be True"):
        RGAN(dataset=digits, average="yes")


def test_dragan_penalizes_near_the_real_images(digits):
    gan = _build(DRAGAN, digits, gp_weight=10.0)
    real = digits[:16]
    near = keras.ops.convert_to_numpy(regularizers.perturbed(real, seed=0))
    step = near - real
    assert (step >= 0).all() and step.max() <= 0.5 * real.std() + 1e-6 and step.mean() > 0.1 * real.std()
    logs = gan.train_on_batch(digits[:8])
    assert logs["gradient_penalty"] >= 0 and logs["gradient_norm"] > 0
    plain = logs["d_loss"] - 10.0 * logs["gradient_penalty"]
    assert plain == pytest.approx(0.5 * (logs["d_loss_real"] + logs["d_loss_fake"]), rel=1e-4)
    with pytest.raises(ValueError, match="gp_weight"):
        DRAGAN(dataset=digits, gp_weight=-1)


def test_wgan_div_gradient_term_is_the_power_of_the_norms(digits):
    gan = without_dropout(_build(WGANDiv, digits, d_steps=1))
    assert isinstance(gan.d_optimizer, keras.optimizers.Adam) and float(gan.d_optimizer.beta_2) == pytest.approx(0.999)
    real, fake, _, _ = _step_args(gan, digits[:8])
    critic = lambda x: gan.discriminator(x, training=True)  # noqa: E731
    norms = [keras.ops.convert_to_numpy(regularizers.gradient_norms(critic, x)) for x in (real, fake)]
    term, mean_norm = gan.gradient_term(real, fake)
    assert float(term) == pytest.approx(0.5 * ((norms[0] ** 6).mean() + (norms[1] ** 6).mean()), rel=1e-4)
    assert float(mean_norm) == pytest.approx(0.5 * (norms[0].mean() + norms[1].mean()), rel=1e-4)
    logs = gan.train_on_batch(digits[:4])
    assert logs["d_loss"] == pytest.approx(-logs["wasserstein"] + 2.0 * logs["gradient_penalty"], rel=1e-4)
    with pytest.raises(ValueError, match="power"):
        WGANDiv(dataset=digits, power=0)


def test_ssgan_rotates_by_quarter_turns_and_learns_the_rotation(digits):
    from odog.variants.ssgan import rotations

    rotated, angle = (keras.ops.convert_to_numpy(t) for t in rotations(digits[:3]))
    expected = np.concatenate([np.rot90(digits[:3], k, axes=(1, 2)) for k in range(4)])
    np.testing.assert_array_equal(rotated, expected)
    assert angle.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]

    gan = without_dropout(_build(SSGAN, digits))
    args = _step_args(gan, digits[:16])
    before = gan.rotation_accuracy(digits[:16])
    for _ in range(30):
        logs = gan.discriminator_step(*args)
    assert logs["rotation_loss"] < np.log(4) and gan.rotation_accuracy(digits[:16]) > max(before, 0.5)
    loss, logs = gan.discriminator_objective(*args)
    adversarial = 0.5 * (logs["d_loss_real"] + logs["d_loss_fake"])
    assert float(loss) == pytest.approx(float(adversarial + logs["rotation_loss"]), rel=1e-5)
    _, g_logs = gan.generator_objective(gan.sample_noise((4,)))
    assert float(g_logs["g_rotation_loss"]) > 0
    with pytest.raises(ValueError, match="square images"):  # quarter turns need them
        SSGAN(dataset=np.zeros((4, 32, 48, 3), "uint8"))


def test_the_real_batch_of_g_steps_is_drawn_on_the_device_too(digits):
    gan = _build(RGAN, digits)
    assert gan.can_sample_on_device
    inputs = gan.device_inputs(gan.device_data(digits), 0, 4)
    noise, real = inputs["z_g"]
    assert tuple(noise.shape) == (4, gan.latent_dim)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(real), keras.ops.convert_to_numpy(inputs["real"][-1]))
    history = gan.train(epochs=4, batch_size=4, steps_per_execution=2, verbose=0)  # batches drawn in the step
    assert gan.iteration == 4 and np.isfinite(history["g_loss"]).all()
