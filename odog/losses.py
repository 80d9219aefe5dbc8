"""GAN losses, each written once.

Every loss takes `(y_true, y_pred)` like a Keras loss, so a variant can both
`compile()` its models with it and call it inside its own training step.
"""

import keras
from keras import ops


def binary_crossentropy(y_true, y_pred):
    """Mean binary cross-entropy of probabilities (D ends with a sigmoid).

    Example:
    >>> import numpy as np
    >>> float(binary_crossentropy(np.ones((2, 1)), np.full((2, 1), 0.5)))
    0.6931...
    """
    return ops.mean(keras.losses.binary_crossentropy(y_true, y_pred))


def binary_accuracy(y_true, y_pred, threshold: float = 0.5):
    """Fraction of predictions on the right side of `threshold` (0.5; 0 for linear scores).

    Targets are thresholded at 0.5, so smoothed labels (0.9) still count as real.
    """
    y_true = ops.cast(ops.greater(y_true, 0.5), "float32")
    y_pred = ops.cast(ops.greater(y_pred, threshold), "float32")
    return ops.mean(ops.cast(ops.equal(y_true, y_pred), "float32"))


def relativistic_accuracy(real_scores, fake_scores):
    """Share of right calls by a critic that compares: a real image scored above
    the average fake, and a fake below the average real (relativistic and
    softmax discriminators, whose scores mean nothing alone).

    Example:
    >>> import numpy as np
    >>> float(relativistic_accuracy(np.array([[2.0], [0.5]]), np.array([[1.5], [-1.0]])))  # 3 of 4 right
    0.75
    """
    real_scores, fake_scores = ops.convert_to_tensor(real_scores), ops.convert_to_tensor(fake_scores)
    right_real = ops.cast(real_scores > ops.mean(fake_scores), "float32")
    right_fake = ops.cast(fake_scores < ops.mean(real_scores), "float32")
    return 0.5 * (ops.mean(right_real) + ops.mean(right_fake))


def wasserstein(y_true, y_pred):
    """The critic's Wasserstein loss: -D(x) for real targets, +D(G(z)) for fake.

    odog keeps 1 for real and 0 for fake (Keras-GAN used -1 and 1 and
    `mean(y_true * y_pred)`); the sign is `1 - 2 * y_true`. Minimizing it over
    a real and a fake batch maximizes mean D(x) - mean D(G(z)), the critic's
    estimate of the Wasserstein distance; G (targets 1) minimizes -D(G(z)).

    Example:
    >>> import numpy as np
    >>> float(wasserstein(np.ones((2, 1)), np.array([[3.0], [1.0]])))
    -2.0
    """
    y_true = ops.cast(y_true, y_pred.dtype)
    return ops.mean((1.0 - 2.0 * y_true) * y_pred)


def least_squares(y_true, y_pred):
    """LSGAN's loss: mean squared distance of D's linear output to the target.

    Example:
    >>> import numpy as np
    >>> float(least_squares(np.ones((2, 1)), np.array([[0.0], [1.0]])))
    0.5
    """
    y_true = ops.cast(y_true, y_pred.dtype)
    return ops.mean(ops.square(y_pred - y_true))


def mean_absolute_error(x, y):
    """The mean L1 distance of two tensors, in float32 (under mixed precision outputs are bfloat16 and the
    real images float32): the reconstruction and cycle distance of the translation models.

    Example:
    >>> import numpy as np
    >>> float(mean_absolute_error(np.zeros((2, 2)), np.array([[1.0, -1.0], [0.0, 2.0]])))
    1.0
    """
    return ops.mean(ops.abs(ops.cast(x, "float32") - ops.cast(y, "float32")))


def boundary_seeking(y_true, y_pred):
    """BGAN's generator loss: 0.5 * mean((log D - log(1 - D))^2).

    Zero when D(G(z)) = 0.5, the decision boundary, where the generated
    density matches the real one for the optimal D. `y_true` is ignored, as
    in Keras-GAN's `boundary_loss`.

    Example:
    >>> import numpy as np
    >>> float(boundary_seeking(np.ones((1, 1)), np.full((1, 1), 0.5)))
    0.0
    """
    p = ops.clip(y_pred, keras.backend.epsilon(), 1.0 - keras.backend.epsilon())
    return 0.5 * ops.mean(ops.square(ops.log(p) - ops.log(1.0 - p)))


def energy_margin(margin: float):
    """EBGAN's discriminator loss on energies: E for real, max(0, margin - E) for fake.

    Returns a Keras loss `(y_true, energy)`, with targets 1 for real and 0
    for generated images; with targets 1 it is G's loss, the mean energy.

    Example:
    >>> import numpy as np
    >>> loss = energy_margin(1.0)
    >>> float(loss(np.zeros((2, 1)), np.array([[0.25], [3.0]])))  # fakes: (0.75 + 0) / 2
    0.375
    """

    def energy_margin(y_true, energy):
        y_true = ops.cast(y_true, energy.dtype)
        return ops.mean(y_true * energy + (1.0 - y_true) * ops.relu(margin - energy))

    return energy_margin


def pulling_away(embeddings):
    """EBGAN's pulling-away term: mean squared cosine similarity between
    different samples' embeddings; low when a batch's samples differ.

    Example:
    >>> import numpy as np
    >>> float(pulling_away(np.array([[1.0, 0.0], [0.0, 1.0]])))  # orthogonal
    0.0
    >>> round(float(pulling_away(np.array([[1.0, 1.0], [2.0, 2.0]]))), 4)  # collapsed
    1.0
    """
    unit = embeddings / (ops.norm(embeddings, axis=1, keepdims=True) + keras.backend.epsilon())
    similarity = ops.square(ops.matmul(unit, ops.transpose(unit)))
    n = ops.cast(ops.shape(embeddings)[0], similarity.dtype)
    return (ops.sum(similarity) - ops.trace(similarity)) / (n * (n - 1.0))


def hinge(y_true, y_pred):
    """The hinge loss of SAGAN's D: mean(relu(1 - D(x))) for real targets,
    mean(relu(1 + D(G(z)))) for fake ones, on a linear D.

    G's hinge-GAN loss is -mean(D(G(z))), which is `wasserstein` with targets 1.

    Example:
    >>> import numpy as np
    >>> float(hinge(np.array([[1.0], [0.0]]), np.array([[2.0], [0.5]])))  # (0 + 1.5) / 2
    0.75
    """
    sign = 2.0 * ops.cast(y_true, y_pred.dtype) - 1.0
    return ops.mean(ops.relu(1.0 - sign * y_pred))


def relativistic_average(real_scores, fake_scores):
    """ESRGAN's relativistic average loss of D (Jolicoeur-Martineau, 2018).

    D_Ra(a, b) = sigmoid(C(a) - mean C(b)) is the probability that a real
    image is more realistic than the average fake. D minimizes
    -E[log D_Ra(x_r, x_f)] - E[log(1 - D_Ra(x_f, x_r))], and G the same with
    the roles swapped: `relativistic_average(fake_scores, real_scores)`.
    Unlike the Keras-style losses above it takes the two critics' raw
    scores (logits), not targets and predictions.

    Example:
    >>> import numpy as np
    >>> float(relativistic_average(np.array([[20.0]]), np.array([[-20.0]]))) < 1e-6  # D sure and right
    True
    """
    real_scores, fake_scores = ops.convert_to_tensor(real_scores), ops.convert_to_tensor(fake_scores)
    real_vs_fake = real_scores - ops.mean(fake_scores)
    fake_vs_real = fake_scores - ops.mean(real_scores)
    bce = keras.losses.binary_crossentropy
    return 0.5 * (
        ops.mean(bce(ops.ones_like(real_vs_fake), real_vs_fake, from_logits=True))
        + ops.mean(bce(ops.zeros_like(fake_vs_real), fake_vs_real, from_logits=True))
    )


def relativistic_standard(real_scores, fake_scores):
    """The relativistic standard loss of D (RSGAN, Jolicoeur-Martineau, 2018).

    D_Rs(x_r, x_f) = sigmoid(C(x_r) - C(x_f)) is the probability that a real
    image is more realistic than a generated one, each real image paired with
    one fake. D minimizes -E[log D_Rs(x_r, x_f)]; G minimizes the same with the
    roles swapped, `relativistic_standard(fake_scores, real_scores)`. Takes
    raw scores (logits), like `relativistic_average`.

    Example:
    >>> import numpy as np
    >>> float(relativistic_standard(np.array([[1.0]]), np.array([[1.0]])))  # a tie: log 2
    0.6931...
    """
    real_scores, fake_scores = ops.convert_to_tensor(real_scores), ops.convert_to_tensor(fake_scores)
    margin = real_scores - fake_scores
    return ops.mean(keras.losses.binary_crossentropy(ops.ones_like(margin), margin, from_logits=True))


def softmax_cross_entropy(real_scores, fake_scores, real_share: float):
    """Softmax GAN's loss (Lin, 2017): one softmax over the whole batch's energies.

    The batch of real and generated images gets the distribution
    p_i = exp(-D(x_i)) / Z; the loss is its cross-entropy to a target that puts
    `real_share` of the mass evenly on the real images and the rest evenly on
    the fakes: sum_i t_i D(x_i) + log Z. D's target is all on the real images
    (`real_share=1`), G's is uniform over the batch (`real_share=0.5`, with
    equally many real and generated images), so G wins when D cannot tell.

    Example:
    >>> import numpy as np
    >>> scores = np.zeros((2, 1))  # D tells nothing apart: log of the batch size
    >>> round(float(softmax_cross_entropy(scores, scores, real_share=0.5)), 4)
    1.3863
    """
    real_scores, fake_scores = ops.convert_to_tensor(real_scores), ops.convert_to_tensor(fake_scores)
    log_z = ops.logsumexp(-ops.concatenate([ops.reshape(real_scores, (-1,)), ops.reshape(fake_scores, (-1,))]))
    return real_share * ops.mean(real_scores) + (1.0 - real_share) * ops.mean(fake_scores) + log_z


def sigmoid_crossentropy(y_true, logits):
    """`binary_crossentropy` of a D with a linear output: the sigmoid is applied inside, stably.

    For a D whose raw score (logit) is needed besides its probability, e.g.
    to penalize the score's input gradient (DRAGAN).

    Example:
    >>> import numpy as np
    >>> float(sigmoid_crossentropy(np.ones((2, 1)), np.zeros((2, 1))))  # logit 0: probability 0.5
    0.6931...
    """
    y_true = ops.cast(y_true, "float32")
    return ops.mean(keras.losses.binary_crossentropy(y_true, logits, from_logits=True))
