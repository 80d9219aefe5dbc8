"""Networks the image-to-image models share: U-Net, PatchGAN, ResNet generator, encoder.

Written once here and wired by the variants (`odog.variants.pix2pix`,
`cyclegan`, `discogan`, `dualgan`, `bicyclegan`, `unit`, `munit`). Normalization is a choice:
"batch" (pix2pix), "instance" (CycleGAN; Keras' `GroupNormalization` with
one group per channel) or None.
"""

import keras
from keras import layers

from odog.validation import check_number

NORMALIZATIONS = ("batch", "instance", None)


def normalization(kind: str | None) -> layers.Layer:
    """A normalization layer: "batch", "instance" (per image and channel) or None (identity).

    Example:
    >>> type(normalization("instance")).__name__, normalization("instance").groups
    ('GroupNormalization', -1)
    """
    if kind not in NORMALIZATIONS:
        raise ValueError(
            f"Invalid value received for argument `norm`. Expected one of {NORMALIZATIONS}. Received: norm={kind!r}"
        )
    if kind == "batch":
        return layers.BatchNormalization(momentum=0.8)
    if kind == "instance":
        return layers.GroupNormalization(groups=-1)  # groups=-1: one group per channel = instance norm
    return layers.Identity()


def halvings(side: int, smallest: int = 2) -> int:
    """How many times `side` halves exactly while staying >= `smallest`.

    Example:
    >>> halvings(32), halvings(28, smallest=7), halvings(256, smallest=16)
    (4, 2, 4)
    """
    n = 0
    while side % 2 == 0 and side // 2 >= smallest:
        side, n = side // 2, n + 1
    return n


def unet(
    input_shape: tuple,
    out_channels: int,
    filters: int = 64,
    *,
    skips: bool = True,
    norm: str | None = "batch",
    dropout: float = 0.5,
    code_dim: int = 0,
    bottleneck: int = 2,
    name: str = "unet",
) -> keras.Model:
    """pix2pix's U-Net generator: an encoder of 4x4 stride-2 convolutions down to 2x2 and a mirrored decoder.

    Encoder: C(f) without normalization, then C(2f), C(4f), C(8f), C(8f)...
    (convolution, normalization, LeakyReLU 0.2); decoder: transposed
    convolutions, normalization, dropout on the three deepest, ReLU, each
    concatenated with the encoder's map of the same size (`skips=True`), and a
    tanh output. Images whose side is not a multiple of 2**depth (MNIST's 28)
    are zero-padded to one (32) and cropped back. `skips=False` is DiscoGAN's
    plain encoder-decoder. `code_dim` > 0 makes it G(image, z) with z tiled
    and joined to the input of every encoder layer (BicycleGAN's "add to
    all"), so that no layer can ignore the code. `bottleneck` is the side of
    the deepest map (a power of two): 4 stops one layer earlier and keeps where
    the strokes are.

    Example:
    >>> g = unet((28, 28, 1), 3, filters=8)
    >>> g.output_shape
    (None, 28, 28, 3)
    >>> min(layer.output.shape[1] for layer in unet((28, 28, 1), 3, filters=8, bottleneck=4).layers)
    4
    >>> unet((28, 28, 1), 3, filters=8, code_dim=4).input_shape
    [(None, 28, 28, 1), (None, 4)]
    """
    check_number("filters", filters, integer=True, low=1)
    check_number("bottleneck", bottleneck, integer=True, low=1)
    if bottleneck & (bottleneck - 1):
        raise ValueError(
            f"Invalid value received for argument `bottleneck`. Expected a power of two. Received: "
            f"bottleneck={bottleneck}"
        )
    side = min(input_shape[:2])
    # Padded to the next power of two (MNIST's 28: 32), at least one layer above the bottleneck.
    depth = max(1, (side - 1).bit_length() - bottleneck.bit_length() + 1)
    padded = bottleneck * 2**depth
    check_number("code_dim", code_dim, integer=True, low=0)
    inputs = keras.Input(input_shape)
    code = keras.Input((code_dim,)) if code_dim else None
    pad_h, pad_w = padded - input_shape[0], padded - input_shape[1]
    x = layers.ZeroPadding2D(((pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2)))(inputs)
    encoded = []
    for i in range(depth):
        if code is not None:
            side = padded // 2**i
            tiled = layers.UpSampling2D(side)(layers.Reshape((1, 1, code_dim))(code))
            x = layers.Concatenate()([x, tiled])
        x = layers.Conv2D(filters * min(2**i, 8), 4, strides=2, padding="same")(x)
        x = normalization(norm if i else None)(x)
        x = layers.LeakyReLU(0.2)(x)
        encoded.append(x)
    for i in reversed(range(depth - 1)):
        x = layers.Conv2DTranspose(filters * min(2**i, 8), 4, strides=2, padding="same")(x)
        x = normalization(norm)(x)
        if dropout and i >= depth - 4:  # the three deepest decoder layers, as in pix2pix
            x = layers.Dropout(dropout)(x)
        x = layers.ReLU()(x)
        if skips:
            x = layers.Concatenate()([x, encoded[i]])
    x = layers.Conv2DTranspose(out_channels, 4, strides=2, padding="same", activation="tanh")(x)
    outputs = layers.Cropping2D(((pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2)))(x)
    return keras.Model([inputs, code] if code is not None else inputs, outputs, name=name)


def patch_discriminator(
    input_shape: tuple,
    filters: int = 64,
    *,
    norm: str | None = "instance",
    activation: str | None = None,
    name: str = "patch_discriminator",
) -> keras.Model:
    """pix2pix's PatchGAN: one realness score per overlapping patch, shape (N, h, w, 1).

    C(f) without normalization, then C(2f), C(4f)... with 4x4 stride-2
    convolutions while the map stays at least 7 wide (at most 4 of them:
    70x70 patches on 256x256 images; 28x28 digits give a 7x7 map), one
    stride-1 C(8f) and a 1-channel convolution. `activation="sigmoid"` for a
    cross-entropy loss; None for least squares or a Wasserstein critic.

    Instance normalization by default, not pix2pix's BatchNorm: pix2pix
    trained with batches of one image, where the two are the same, and a
    BatchNorm D scores real and generated batches by their batch statistics
    in its own step but by its moving averages in G's step (D frozen), so G
    would learn against another D than the one that trains (measured: a
    DiscoGAN with BatchNorm critics kept 11% of the digits after 700
    iterations, its D at 100% accuracy).

    Example:
    >>> patch_discriminator((28, 28, 2), filters=8).output_shape
    (None, 7, 7, 1)
    """
    check_number("filters", filters, integer=True, low=1)
    model = keras.Sequential([keras.Input(input_shape)], name=name)
    for i in range(min(4, halvings(min(input_shape[:2]), smallest=7))):
        model.add(layers.Conv2D(filters * min(2**i, 8), 4, strides=2, padding="same"))
        model.add(normalization(norm if i else None))
        model.add(layers.LeakyReLU(0.2))
    model.add(layers.Conv2D(filters * 8, 4, padding="same"))
    model.add(normalization(norm))
    model.add(layers.LeakyReLU(0.2))
    model.add(layers.Conv2D(1, 4, padding="same", activation=activation))
    return model


def resnet_generator(
    input_shape: tuple, out_channels: int, filters: int = 64, blocks: int = 6, *, name: str = "resnet_generator"
) -> keras.Model:
    """CycleGAN's generator: c7s1-f, d2f, d4f, `blocks` residual blocks of 4f, u2f, uf, c7s1 tanh.

    Instance normalization and ReLU after every convolution but the last;
    each residual block is two 3x3 convolutions and a skip. The two stride-2
    steps need a side divisible by 4. Its two halves are `resnet_encoder` and
    `resnet_decoder` (UNIT and MUNIT split it at the code).

    Example:
    >>> resnet_generator((28, 28, 3), 1, filters=8, blocks=1).output_shape
    (None, 28, 28, 1)
    """
    check_number("filters", filters, integer=True, low=1)
    check_number("blocks", blocks, integer=True, low=0)
    _check_quarters(input_shape)
    inputs = keras.Input(input_shape)
    x = _resnet_down(inputs, filters, blocks)
    outputs = _resnet_up(x, out_channels, filters, 0)
    return keras.Model(inputs, outputs, name=name)


def resnet_encoder(input_shape: tuple, filters: int = 64, blocks: int = 3, *, name: str = "encoder") -> keras.Model:
    """The first half of `resnet_generator`: c7s1-f, d2f, d4f and `blocks` residual blocks, to an (H/4, W/4, 4f) map.

    Example:
    >>> resnet_encoder((28, 28, 1), filters=8, blocks=1).output_shape
    (None, 7, 7, 32)
    """
    check_number("filters", filters, integer=True, low=1)
    check_number("blocks", blocks, integer=True, low=0)
    _check_quarters(input_shape)
    inputs = keras.Input(input_shape)
    return keras.Model(inputs, _resnet_down(inputs, filters, blocks), name=name)


def resnet_decoder(
    code_shape: tuple, out_channels: int, filters: int = 64, blocks: int = 3, *, name: str = "decoder"
) -> keras.Model:
    """The second half of `resnet_generator`: `blocks` residual blocks of 4f, u2f, uf, c7s1 tanh.

    Example:
    >>> resnet_decoder((7, 7, 32), 3, filters=8, blocks=1).output_shape
    (None, 28, 28, 3)
    """
    check_number("filters", filters, integer=True, low=1)
    check_number("blocks", blocks, integer=True, low=0)
    inputs = keras.Input(code_shape)
    return keras.Model(inputs, _resnet_up(inputs, out_channels, filters, blocks), name=name)


def residual_blocks(input_shape: tuple, blocks: int = 1, *, name: str = "residual_blocks") -> keras.Model:
    """`blocks` of `resnet_generator`'s residual blocks as a model of their own (UNIT's shared latent layers).

    Example:
    >>> residual_blocks((7, 7, 16), 2).output_shape
    (None, 7, 7, 16)
    """
    check_number("blocks", blocks, integer=True, low=1)
    inputs = keras.Input(input_shape)
    x = inputs
    for _ in range(blocks):
        x = _residual(x, input_shape[-1])
    return keras.Model(inputs, x, name=name)


def _check_quarters(input_shape: tuple) -> None:
    if input_shape[0] % 4 or input_shape[1] % 4:
        raise ValueError(
            f"CycleGAN's ResNet generator halves the image twice: its sides must be multiples of 4. "
            f"Received: {input_shape[0]}x{input_shape[1]} images"
        )


def _conv(x, width, size, strides=1, transpose=False):
    layer = layers.Conv2DTranspose if transpose else layers.Conv2D
    x = layer(width, size, strides=strides, padding="same")(x)
    return layers.ReLU()(normalization("instance")(x))


def _residual(x, width):
    y = _conv(x, width, 3)
    y = normalization("instance")(layers.Conv2D(width, 3, padding="same")(y))
    return layers.Add()([x, y])


def _resnet_down(x, filters, blocks):
    x = _conv(x, filters, 7)
    x = _conv(x, 2 * filters, 3, 2)
    x = _conv(x, 4 * filters, 3, 2)
    for _ in range(blocks):
        x = _residual(x, 4 * filters)
    return x


def _resnet_up(x, out_channels, filters, blocks):
    for _ in range(blocks):
        x = _residual(x, 4 * filters)
    x = _conv(x, 2 * filters, 3, 2, transpose=True)
    x = _conv(x, filters, 3, 2, transpose=True)
    return layers.Conv2D(out_channels, 7, padding="same", activation="tanh")(x)


def conv_encoder(input_shape: tuple, latent_dim: int, filters: int = 64, *, name: str = "encoder") -> keras.Model:
    """BicycleGAN's encoder E(b): strided convolutions to the mean and log-variance of a Gaussian code.

    Example:
    >>> [tuple(t.shape) for t in conv_encoder((28, 28, 3), 8, filters=8).outputs]
    [(None, 8), (None, 8)]
    """
    inputs = keras.Input(input_shape)
    x = inputs
    for i in range(max(1, halvings(min(input_shape[:2]), smallest=4))):
        x = layers.Conv2D(filters * min(2**i, 8), 4, strides=2, padding="same")(x)
        x = normalization("instance" if i else None)(x)
        x = layers.LeakyReLU(0.2)(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inputs, [layers.Dense(latent_dim)(x), layers.Dense(latent_dim)(x)], name=name)
