"""The variants' architectures: as the seeds and papers give them."""

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

import odog
from odog import DCGAN, GAN

ROOT = Path(__file__).resolve().parents[1]


def _docs_nav() -> list[dict]:
    """The mkdocs navigation, as docs/hooks.py builds it from odog.catalog."""
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "docs" / "hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    return hooks.on_config({})["nav"]


def test_gan_matches_seed_001_summaries():
    gan = GAN(dataset=np.zeros((2, 28, 28, 1), "float32"))
    # The model summaries printed in ODOG day 1 ("One Day One GAN (Keras)").
    assert gan.generator.count_params() == 1_493_520
    assert sum(int(np.prod(w.shape)) for w in gan.generator.trainable_weights) == 1_489_936
    assert gan.discriminator.count_params() == 533_505
    assert gan.generator.output_shape == (None, 28, 28, 1)


def test_dcgan_mnist_layout():
    gan = DCGAN(dataset=np.zeros((2, 28, 28, 1), "float32"))
    assert gan.architecture == "keras-gan"
    assert gan.generator.output_shape == (None, 28, 28, 1)
    assert gan.discriminator.output_shape == (None, 1)
    assert not any("batch_normalization" in layer.name for layer in gan.discriminator.layers)


@pytest.mark.parametrize("side", [32, 64])
def test_dcgan_paper_layout_trains_on_color_images(side):
    images = np.random.default_rng(0).integers(0, 256, (16, side, side, 3), dtype=np.uint8)
    gan = DCGAN(dataset=images, filters=8, latent_dim=16, seed=0)
    assert gan.architecture == "paper"
    assert gan.generator.output_shape == (None, side, side, 3)
    kinds = [type(layer).__name__ for layer in gan.discriminator.layers]
    assert kinds[:2] == ["Conv2D", "LeakyReLU"]  # no BatchNorm on D's input layer
    assert "BatchNormalization" in kinds
    kernel = np.asarray(gan.generator.layers[0].kernel)
    assert abs(kernel.std() - 0.02) < 0.002  # N(0, 0.02) initialisation
    history = gan.train(epochs=2, batch_size=4, verbose=0)
    assert all(np.isfinite(v).all() for v in history.values())
    x = gan.generate(3)
    assert x.shape == (3, side, side, 3) and x.min() >= -1 and x.max() <= 1


def test_dcgan_refuses_unsupported_sizes():
    with pytest.raises(ValueError, match=r"power of two >= 32.*\(48, 48, 3\)"):
        DCGAN(dataset=np.zeros((2, 48, 48, 3), "uint8"))


def test_registry():
    names = (
        "aae acgan began bgan bicyclegan bigan ccgan cgan clustergan cogan context_encoder cyclegan dcgan discogan "
        "dragan dualgan ebgan esrgan gan infogan lapgan lsgan munit pix2pix pixelda rgan sagan sgan softmax_gan "
        "srgan ssgan stargan taggan unit wgan wgan_div wgan_gp"
    )
    assert odog.available() == names.split()
    assert odog.get("DCGAN") is DCGAN and odog.get("wgan-gp") is odog.WGANGP
    assert odog.get("CycleGAN") is odog.CycleGAN and odog.get("pix2pix") is odog.Pix2Pix
    with pytest.raises(ValueError, match="Unknown variant 'stylegan'. Available: aae, acgan, began"):
        odog.get("stylegan")


@pytest.mark.parametrize("name", odog.available())
def test_every_variant_is_complete(name):
    """Module, example, notebook, docs page with measured numbers, README row."""
    cls = odog.get(name)
    assert issubclass(cls, odog.BaseGAN) and getattr(odog, cls.__name__) is cls
    assert (ROOT / "examples" / f"{name}.py").is_file()
    assert list((ROOT / "notebooks").glob(f"*{name}.ipynb")), f"no notebook for {name}"
    page = (ROOT / "docs" / f"{name}.md").read_text()
    measured = re.search(r"<!-- odog:quality:start -->(.*?)<!-- odog:quality:end -->", page, re.S)
    assert measured and re.search(r"\| \d+\.\d+%? ", measured.group(1)), f"docs/{name}.md has no measured numbers"
    assert {f"{name}.md"} & {page for item in _docs_nav() for page in item.values()}
    assert f"`odog.{cls.__name__}`" in (ROOT / "README.md").read_text()
