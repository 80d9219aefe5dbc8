"""Small generators trained on MNIST that ship inside the package (`odog.pretrained`).

`odog.pretrained("dcgan-mnist")` returns a model that generates at once, with
no training and no data: its generator as `benchmarks/pretrained.py` trained
and measured it (the numbers are on the docs page "Pretrained generators"),
with a new discriminator. `odog demo dcgan-mnist` and `odog generate
dcgan-mnist` take the names too.

Example:
```python
import odog
gan = odog.pretrained("cgan-mnist")
sevens = gan.generate(8, labels=7, seed=0)
```
"""

from pathlib import Path

from odog import checkpoint

FOLDER = Path(__file__).resolve().parent / "weights"

# name -> (variant, what it is); the budgets are benchmarks/pretrained.py's.
MODELS = {
    "dcgan-mnist": ("dcgan", "DCGAN on MNIST (Keras-GAN's 28x28 layout)"),
    "cgan-mnist": ("cgan", "CGAN on MNIST: generate(n, labels=0..9)"),
    "infogan-mnist": ("infogan", "InfoGAN on MNIST: generate(n, code=0..9, continuous=[c1, c2])"),
    "srgan-mnist": ("srgan", "SRGAN on MNIST: upscale(7x7 images) to 28x28"),
}


def names() -> list[str]:
    """The pretrained generators this installation holds."""
    return [name for name in MODELS if checkpoint.checkpoint_file(FOLDER / name).is_file()]


def path(name: str) -> Path:
    """The folder of pretrained generator `name`, refused with the names there are."""
    if name not in MODELS:
        raise ValueError(f"No pretrained generator named {name!r}. Available: {', '.join(MODELS)}.")
    folder = FOLDER / name
    if not checkpoint.checkpoint_file(folder).is_file():
        raise FileNotFoundError(
            f"The pretrained generator {name!r} is not in this installation ({folder} is missing). Reinstall odog "
            "from a wheel or a full checkout, or run `python benchmarks/pretrained.py` to train it."
        )
    return folder


def pretrained(name: str):
    """The pretrained model `name` (one of `MODELS`), ready to generate.

    Its generator is the shipped one (stored in float16); the discriminator
    and optimizers are new, so `train()` fine-tunes from it.
    """
    from odog.base import BaseGAN

    return BaseGAN.load(path(name))
