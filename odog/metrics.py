"""Measuring samples: classifier Frechet distance, class coverage, FID/KID, PSNR and SSIM.

FID needs InceptionV3's ImageNet weights, which cannot be downloaded offline,
and is built for large colour images. For MNIST-like data odog instead trains a
small CNN on the dataset's labels, caches it, and measures the Frechet
distance between real and generated images in its 128-d feature space (the
"classifier FD"). Its predictions also give the class coverage of samples.
"""

import json
import os
import weakref

import keras
import numpy as np
from keras import layers

from odog import data as data_lib
from odog.data import CACHE_ENV, cache_dir  # noqa: F401  (odog.metrics.cache_dir is where it always was)

FEATURE_LAYER = "features"


class MetricUnavailableError(RuntimeError):
    """A metric's model (e.g. InceptionV3's weights) cannot be loaded."""


def build_classifier(input_shape: tuple, num_classes: int) -> keras.Model:
    """A small CNN whose 128-d `features` layer is the FD feature space."""
    return keras.Sequential(
        [
            keras.Input(input_shape),
            layers.Conv2D(32, 3, activation="relu"),
            layers.Conv2D(64, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Dropout(0.25),
            layers.Flatten(),
            layers.Dense(128, activation="relu", name=FEATURE_LAYER),
            layers.Dropout(0.5),
            layers.Dense(num_classes, activation="softmax"),
        ],
        name="odog_classifier",
    )


def train_classifier(
    train: data_lib.Dataset, test: data_lib.Dataset, epochs: int = 3, seed: int = 0
) -> tuple[keras.Model, float]:
    """Trains `build_classifier` on labelled images.

    Returns:
        The model and its accuracy on `test`.
    """
    if train.labels is None or test.labels is None:
        raise ValueError("The classifier needs labelled train and test images.")
    keras.utils.set_random_seed(seed)
    model = build_classifier(train.shape, train.num_classes)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(train.images, train.labels, batch_size=128, epochs=epochs, verbose=0)
    _, accuracy = model.evaluate(test.images, test.labels, batch_size=512, verbose=0)
    return model, float(accuracy)


_LOADED: dict[tuple, tuple[keras.Model, float]] = {}  # (file, its mtime) -> the classifier and its accuracy
_REFERENCE = weakref.WeakKeyDictionary()  # classifier -> its features of its dataset's test split


def classifier(dataset: str = "mnist") -> tuple[keras.Model, float]:
    """The cached classifier of a named dataset, trained on first use.

    Args:
        dataset: a name from `odog.data.NAMED_DATASETS`.

    Returns:
        The classifier and its test accuracy.

    Example:
    ```python
    model, accuracy = classifier("mnist")  # trains for about 1.5 minutes on 2 CPU cores, once
    ```
    """
    folder = cache_dir() / "classifiers"
    model_path, info_path = folder / f"{dataset}.keras", folder / f"{dataset}.json"
    if model_path.is_file() and info_path.is_file():
        # Loaded once per file version in a process: scoring in a loop would otherwise reload it each time.
        key = (str(model_path), model_path.stat().st_mtime_ns)
        if key not in _LOADED:
            _LOADED[key] = keras.saving.load_model(model_path), json.loads(info_path.read_text())["test_accuracy"]
        return _LOADED[key]
    model, accuracy = train_classifier(data_lib.load_named(dataset, "train"), data_lib.load_named(dataset, "test"))
    folder.mkdir(parents=True, exist_ok=True)
    # Unique temporary names, info before model: processes that train at the
    # same time (parallel tests) never read or clobber a half-written file.
    tmp_model = folder / f".{dataset}-{os.getpid()}.keras"
    tmp_info = tmp_model.with_suffix(".json")
    model.save(tmp_model)
    tmp_info.write_text(json.dumps({"test_accuracy": accuracy}))
    os.replace(tmp_info, info_path)
    os.replace(tmp_model, model_path)
    return model, accuracy


def features(model: keras.Model, images: np.ndarray) -> np.ndarray:
    """Activations of the classifier's `features` layer, shape (N, 128)."""
    extractor = keras.Model(model.inputs, model.get_layer(FEATURE_LAYER).output)
    return extractor.predict(np.asarray(images, "float32"), batch_size=500, verbose=0).astype("float64")


def frechet_distance(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """Frechet distance between Gaussians fitted to two feature sets.

    ||mu_a - mu_b||^2 + Tr(S_a + S_b - 2 (S_a S_b)^(1/2)), where the trace of
    the matrix square root is computed from the eigenvalues of the symmetric
    S_a^(1/2) S_b S_a^(1/2), which is stable without scipy.

    Example:
    >>> rng = np.random.default_rng(0)
    >>> a = rng.normal(size=(5000, 4)); b = rng.normal(2.0, 1.0, size=(5000, 4))
    >>> round(frechet_distance(a, b))  # 4 dimensions shifted by 2: 4 * 2**2
    16
    """
    mu_a, mu_b = features_a.mean(0), features_b.mean(0)
    cov_a, cov_b = np.cov(features_a, rowvar=False), np.cov(features_b, rowvar=False)
    root_a = _sqrtm_psd(cov_a)
    cross = np.linalg.eigvalsh(root_a @ cov_b @ root_a)
    trace_sqrt = np.sqrt(np.clip(cross, 0, None)).sum()
    return float(((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * trace_sqrt)


def _sqrtm_psd(matrix: np.ndarray) -> np.ndarray:
    values, vectors = np.linalg.eigh(matrix)
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def class_coverage(predicted: np.ndarray, num_classes: int, reference: np.ndarray | None = None) -> dict:
    """How evenly generated samples spread over the classes.

    Args:
        predicted: the classifier's class for each generated image.
        num_classes: number of classes.
        reference: class frequencies of real data (default: uniform).

    Returns:
        A dict with `coverage`, the histogram intersection with the reference
        (1.0: same class balance as real data; 0.1: one class only, for ten
        balanced classes), `classes_covered`, the number of classes holding
        at least a fifth of their expected share, and `histogram`.

    Example:
    >>> class_coverage(np.array([0, 1, 2, 3]), 4)["coverage"]
    1.0
    """
    histogram = np.bincount(predicted, minlength=num_classes) / len(predicted)
    reference = np.full(num_classes, 1 / num_classes) if reference is None else np.asarray(reference)
    return {
        "coverage": float(np.minimum(histogram, reference).sum()),
        "classes_covered": int((histogram >= 0.2 * reference).sum()),
        "histogram": histogram.round(4).tolist(),
    }


def evaluate(images: np.ndarray, dataset: str = "mnist", real: np.ndarray | None = None) -> dict:
    """Scores generated images against a named dataset's test images.

    Args:
        images: generated images in [-1, 1], e.g. `gan.generate(10000)`.
        dataset: the named dataset they imitate (its classifier is used).
        real: reference images; default the dataset's test split.

    Returns:
        A dict with `fd` (classifier Frechet distance, lower is better),
        `coverage`, `classes_covered`, `histogram` and `classifier_accuracy`.

    Example:
    ```python
    scores = evaluate(gan.generate(10000))
    print(scores["fd"], scores["coverage"])
    ```
    """
    model, accuracy = classifier(dataset)
    test = data_lib.load_named(dataset, "test")
    reference = np.bincount(test.labels, minlength=test.num_classes) / len(test)
    predicted = model.predict(np.asarray(images, "float32"), batch_size=500, verbose=0).argmax(1)
    if real is None:  # the test split: its features are computed once per classifier
        if model not in _REFERENCE:
            _REFERENCE[model] = features(model, test.images)
        real_features = _REFERENCE[model]
    else:
        real_features = features(model, real)
    scores = {"fd": frechet_distance(real_features, features(model, images))}
    scores.update(class_coverage(predicted, test.num_classes, reference))
    scores["classifier_accuracy"] = accuracy
    return scores


def label_accuracy(images: np.ndarray, labels: np.ndarray, dataset: str = "mnist") -> float:
    """Fraction of generated images the dataset's classifier puts in the class they were asked for.

    The measure of a class-conditional generator (CGAN, ACGAN): 1.0 means every
    sample shows its requested class.

    Example:
    ```python
    labels = np.arange(10000) % 10
    label_accuracy(gan.generate(10000, labels=labels), labels)
    ```
    """
    return float((predicted_labels(images, dataset) == np.asarray(labels)).mean())


def predicted_labels(images: np.ndarray, dataset: str = "mnist") -> np.ndarray:
    """The class the dataset's classifier reads in each image, shape (N,)."""
    model, _ = classifier(dataset)
    return model.predict(np.asarray(images, "float32"), batch_size=500, verbose=0).argmax(axis=1)


def cluster_accuracy(clusters: np.ndarray, labels: np.ndarray) -> dict:
    """Accuracy of clusters as classes under the best one-to-one mapping.

    The mapping of cluster ids to labels that maximizes agreement is found with
    the Hungarian algorithm (as for InfoGAN's categorical code, or any
    unsupervised clustering).

    Returns:
        A dict with `accuracy` and `mapping` (cluster id -> label).

    Example:
    >>> cluster_accuracy(np.array([2, 2, 0, 0, 1]), np.array([0, 0, 1, 1, 1]))["accuracy"]
    0.8
    """
    from scipy.optimize import linear_sum_assignment

    clusters, labels = np.asarray(clusters), np.asarray(labels)
    size = max(clusters.max(), labels.max()) + 1
    counts = np.zeros((size, size), "int64")
    np.add.at(counts, (clusters, labels), 1)
    rows, cols = linear_sum_assignment(-counts)
    return {
        "accuracy": float(counts[rows, cols].sum() / len(labels)),
        "mapping": {int(r): int(c) for r, c in zip(rows, cols, strict=True)},
    }


def diversity(outputs: np.ndarray) -> float:
    """The mean L1 distance between the outputs one input gets, over all pairs (multimodal translation).

    BicycleGAN's and MUNIT's measure of how much their code or style changes
    an output: 0 when every code gives the same image.

    Args:
        outputs: (samples, N, ...): `samples` outputs for each of N inputs.

    Example:
    >>> round(diversity(np.stack([np.zeros((4, 2)), np.ones((4, 2)), np.ones((4, 2))])), 4)  # pairs: 1, 1, 0
    0.6667
    """
    outputs = np.asarray(outputs, "float32")
    if outputs.ndim < 2 or len(outputs) < 2:
        raise ValueError(f"Expected outputs of shape (samples >= 2, N, ...). Received: outputs.shape={outputs.shape}")
    samples = len(outputs)
    distances = [np.abs(outputs[i] - outputs[j]).mean() for i in range(samples) for j in range(i + 1, samples)]
    return float(np.mean(distances))


def psnr(images: np.ndarray, references: np.ndarray, data_range: float = 2.0) -> float:
    """Mean peak signal-to-noise ratio in dB of images against references.

    Computed per image and averaged, for images in [-1, 1] (`data_range` 2),
    the measure of super-resolution. Identical images score infinity.

    Example:
    >>> a = np.zeros((1, 4, 4, 1), "float32")
    >>> round(psnr(a + 0.02, a), 2)  # an error of 1% of the range
    40.0
    """
    images, references = _same_shape(images, references)
    mse = ((images - references) ** 2).reshape(len(images), -1).mean(axis=1)
    with np.errstate(divide="ignore"):
        return float(np.mean(10.0 * np.log10(data_range**2 / mse)))


def ssim(images: np.ndarray, references: np.ndarray, data_range: float = 2.0) -> float:
    """Mean structural similarity (Wang et al., 2004) of images against references.

    The standard settings: an 11x11 Gaussian window of sigma 1.5 (truncated
    at 3.5 sigma), K1 = 0.01, K2 = 0.03, averaged over pixels, channels and
    images. 1.0 means identical.

    Example:
    >>> x = np.random.default_rng(0).uniform(-1, 1, (2, 16, 16, 1))
    >>> ssim(x, x), ssim(x, np.zeros_like(x)) < 0.01  # identical; structure lost
    (1.0, True)
    """
    from scipy.ndimage import gaussian_filter

    images, references = _same_shape(images, references)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2

    def blur(x):
        return gaussian_filter(x, sigma=(0, 1.5, 1.5, 0), truncate=3.5, mode="reflect")

    mu_x, mu_y = blur(images), blur(references)
    var_x = blur(images * images) - mu_x**2
    var_y = blur(references * references) - mu_y**2
    cov = blur(images * references) - mu_x * mu_y
    index = ((2 * mu_x * mu_y + c1) * (2 * cov + c2)) / ((mu_x**2 + mu_y**2 + c1) * (var_x + var_y + c2))
    return float(index.mean())


def _same_shape(images, references) -> tuple[np.ndarray, np.ndarray]:
    images, references = np.asarray(images, "float64"), np.asarray(references, "float64")
    if images.shape != references.shape or images.ndim != 4:
        raise ValueError(
            "Expected two batches of images of the same shape (N, H, W, C). "
            f"Received: {images.shape} and {references.shape}"
        )
    return images, references


def inception(weights: str = "imagenet") -> keras.Model:
    """InceptionV3 pooled features (2048-d) for FID/KID.

    Raises:
        MetricUnavailableError: the weights cannot be loaded (e.g. offline).
    """
    try:
        return keras.applications.InceptionV3(
            include_top=False, pooling="avg", weights=weights, input_shape=(299, 299, 3)
        )
    except Exception as error:  # Keras raises bare Exception on URL errors.
        raise MetricUnavailableError(
            "FID/KID need InceptionV3's ImageNet weights, which could not be "
            f"loaded ({type(error).__name__}: {error}). Connect to the internet "
            "once (Keras caches them in ~/.keras/models), or pass the path of "
            "a local weights file as `weights=`. Offline, use "
            "odog.metrics.evaluate(), whose classifier FD needs no download."
        ) from error


def inception_features(images: np.ndarray, model: keras.Model, batch_size: int = 64) -> np.ndarray:
    """InceptionV3 features of images in [-1, 1] (resized to 299, made RGB)."""
    out = []
    for start in range(0, len(images), batch_size):
        batch = keras.ops.convert_to_tensor(np.asarray(images[start : start + batch_size], "float32"))
        if batch.shape[-1] == 1:
            batch = keras.ops.repeat(batch, 3, axis=-1)
        batch = keras.ops.image.resize(batch, (299, 299), interpolation="bilinear")
        out.append(keras.ops.convert_to_numpy(model(batch, training=False)))
    return np.concatenate(out).astype("float64")


def fid(real: np.ndarray, fake: np.ndarray, weights: str = "imagenet") -> float:
    """Frechet Inception Distance between two image sets in [-1, 1]."""
    model = inception(weights)
    return frechet_distance(inception_features(real, model), inception_features(fake, model))


def kid(real: np.ndarray, fake: np.ndarray, weights: str = "imagenet") -> float:
    """Kernel Inception Distance (unbiased MMD^2, cubic polynomial kernel)."""
    model = inception(weights)
    return kernel_distance(inception_features(real, model), inception_features(fake, model))


def kernel_distance(features_a: np.ndarray, features_b: np.ndarray) -> float:
    """Unbiased MMD^2 with the kernel (x.y / d + 1)^3 used by KID.

    Example:
    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(500, 8)), rng.normal(size=(500, 8))
    >>> abs(kernel_distance(a, b)) < 0.05
    True
    """
    d = features_a.shape[1]

    def kernel(x, y):
        return (x @ y.T / d + 1) ** 3

    m, n = len(features_a), len(features_b)
    k_aa, k_bb, k_ab = kernel(features_a, features_a), kernel(features_b, features_b), kernel(features_a, features_b)
    return float(
        (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1)) + (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1)) - 2 * k_ab.mean()
    )


def linear_probe(features: np.ndarray, labels: np.ndarray, seed: int = 0, l2: float = 1e-3) -> dict:
    """How linearly readable the classes are from `features`: a softmax regression fitted on one half
    of the examples and scored on the other half.

    The measure of a learned encoder (BiGAN, AAE): its codes of test images,
    probed next to the codes of an untrained encoder and the pixels themselves.
    Features are standardized with the fitting half's statistics; the
    regression (cross-entropy plus `l2` times the squared weights) is fitted
    to convergence with L-BFGS, so the number depends on the features only.

    Args:
        features: (N, D) features.
        labels: (N,) integer classes.
        seed: the random split into halves.
        l2: the weight decay of the regression.

    Returns:
        A dict with `accuracy` (held-out half) and `train_accuracy` (fitting half).

    Example:
    >>> x = np.random.default_rng(0).normal(size=(200, 2)); y = (x[:, 0] > 0).astype(int)
    >>> linear_probe(x, y)["accuracy"] > 0.95
    True
    """
    from scipy.optimize import minimize

    features = np.asarray(features, "float64").reshape(len(features), -1)
    labels = np.asarray(labels).astype("int64")
    if len(features) != len(labels) or len(labels) < 4:
        raise ValueError(
            f"Expected one label per feature row, at least 4 rows. Received: {len(features)} rows and "
            f"{len(labels)} labels"
        )
    order = np.random.default_rng(seed).permutation(len(labels))
    fit, held_out = order[: len(order) // 2], order[len(order) // 2 :]
    mean, std = features[fit].mean(0), features[fit].std(0) + 1e-8
    x = np.concatenate([(features - mean) / std, np.ones((len(features), 1))], axis=1)  # a bias column
    classes = int(labels.max()) + 1
    one_hot = np.eye(classes)[labels[fit]]

    def loss_and_gradient(flat):
        weights = flat.reshape(x.shape[1], classes)
        logits = x[fit] @ weights
        logits -= logits.max(1, keepdims=True)
        p = np.exp(logits)
        p /= p.sum(1, keepdims=True)
        loss = -np.mean(np.sum(one_hot * np.log(p + 1e-12), 1)) + l2 * np.sum(weights[:-1] ** 2)
        gradient = x[fit].T @ (p - one_hot) / len(fit)
        gradient[:-1] += 2 * l2 * weights[:-1]
        return loss, gradient.ravel()

    start = np.zeros(x.shape[1] * classes)
    result = minimize(loss_and_gradient, start, jac=True, method="L-BFGS-B", options={"maxiter": 1000})
    predicted = (x @ result.x.reshape(x.shape[1], classes)).argmax(1)
    return {
        "accuracy": float((predicted[held_out] == labels[held_out]).mean()),
        "train_accuracy": float((predicted[fit] == labels[fit]).mean()),
    }
