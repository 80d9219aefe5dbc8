"""Command-line arguments and score reports shared by the example scripts."""

import argparse

import numpy as np

from odog import data, inpainting
from odog.data import translation


def generation_parser(variant: str, epochs: int, description: str, options: dict | None = None):
    """The arguments of the examples that learn from one image dataset, as an `argparse.ArgumentParser`.

    Every variant but the image-to-image ones (`translation_parser`).
    `options` maps constructor arguments of the variant to (type, default,
    help); each becomes a flag, e.g. {"labelled": (int, 100, "...")} adds
    `--labelled`. A default of None is left to the variant.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dataset", default="mnist", help="mnist, fashion_mnist, cifar10 or an image folder")
    parser.add_argument("--epochs", type=int, default=epochs, help=f"training iterations (default {epochs})")
    parser.add_argument("--batch-size", type=int, help="default: the variant's default_batch_size (32 for most)")
    parser.add_argument("--sample-interval", type=int, default=200)
    parser.add_argument("--out", default=f"runs/{variant}", help="folder for grids, plot and checkpoint")
    parser.add_argument("--image-size", type=int, help="side of images read from a folder (default 64)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--evaluate", action="store_true", help="score 10,000 samples (classifier FD, coverage; a named dataset)"
    )
    add_options(parser, options)
    return parser


def add_options(parser: argparse.ArgumentParser, options: dict | None) -> None:
    """Adds a flag per (type, default, help) of `options`: `--reconstruction-rate` for "reconstruction_rate"."""
    for name, (kind, default, text) in (options or {}).items():
        flag = "--" + name.replace("_", "-")
        text = text if default is None else f"{text} (default {default})"
        parser.add_argument(flag, type=kind, default=default, help=text)


def super_resolution_report(gan, args) -> None:
    """Prints PSNR and SSIM of the model and of bicubic upsampling on held-out images."""
    named = args.dataset in data.NAMED_DATASETS
    count = 2000 if args.epochs >= 1000 else 200  # a smoke run is scored on fewer
    images = data.load_named(args.dataset, "test").images[:count] if named else gan.data.images[-count // 2 :]
    scores = gan.evaluate(images)
    where = f"{count:,} test images" if named else f"the last {count // 2:,} training images"
    print(
        f"{gan.scale}x on {where}: PSNR {scores['psnr']:.2f} dB (bicubic {scores['bicubic_psnr']:.2f}), "
        f"SSIM {scores['ssim']:.4f} (bicubic {scores['bicubic_ssim']:.4f})"
    )


def inpainting_report(gan, args) -> None:
    """Prints PSNR in the hole and right digits of the inpainting model and of the mean and blur fills, on the
    test split of a named dataset (centre holes), else on the last 1,000 training images."""
    if args.dataset in data.NAMED_DATASETS:  # held-out images with their labels
        test = data.load_named(args.dataset, "test")
        print(f"{len(test):,} test images: {inpainting.summary(gan.evaluate(test.images, test.labels))}")
    else:
        held_out = gan.data.take(np.arange(max(0, len(gan.data) - 1000), len(gan.data)))
        print(f"The last {len(held_out):,} training images: {inpainting.summary(gan.evaluate(held_out))}")


def translation_parser(variant: str, epochs: int, description: str, options: dict | None = None):
    """The arguments of the image-to-image examples (pix2pix, cyclegan, ...), as an `argparse.ArgumentParser`.

    `options` maps constructor arguments of the variant to (type, default,
    help), as in `generation_parser()`; a default of None is left to the variant.
    """
    tasks = ", ".join(sorted(translation.TASKS))
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--dataset",
        help=f"a task ({tasks}), a folder of side-by-side pairs (train/, test/) or of two domains "
        "(trainA/, trainB/, testA/, testB/); default: the variant's MNIST task",
    )
    parser.add_argument("--direction", choices=translation.DIRECTIONS, default="AtoB", help="BtoA: learn B -> A")
    parser.add_argument("--epochs", type=int, default=epochs, help=f"training iterations (default {epochs})")
    parser.add_argument("--batch-size", type=int, help="default: the variant's default_batch_size (16)")
    parser.add_argument("--sample-interval", type=int, default=200)
    parser.add_argument("--out", default=f"runs/{variant}", help="folder for grids, plot and checkpoint")
    parser.add_argument("--image-size", type=int, help="side of images read from a folder (default 64)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--test-images",
        type=int,
        help="test inputs to score (default: the whole test split; 500 after a smoke run of under 1,000 iterations)",
    )
    add_options(parser, options)
    return parser


# How translation_report prints each of measure()'s and evaluate()'s scores.
SCORES = {
    "l1": ("L1 to the targets", "{:.4f}"),
    "psnr": ("PSNR", "{:.2f} dB"),
    "ssim": ("SSIM", "{:.4f}"),
    "digit_a2b": ("right digit a2b", "{:.1%}"),
    "relation_a2b": ("relation kept a2b", "{:.1%}"),
    "fd_a2b": ("classifier FD a2b", "{:.2f}"),
    "digit_b2a": ("right digit b2a", "{:.1%}"),
    "relation_b2a": ("relation kept b2a", "{:.1%}"),
    "fd_b2a": ("classifier FD b2a", "{:.2f}"),
    "cycle_l1_a": ("cycle L1 a", "{:.4f}"),
    "cycle_l1_b": ("cycle L1 b", "{:.4f}"),
    "diversity": ("diversity", "{:.4f}"),
}


def format_scores(scores: dict) -> str:
    """`{"l1": 0.1, "psnr": 20.0, ...}` as "L1 to the targets 0.1000, PSNR 20.00 dB, ..."."""
    known = [f"{label} {style.format(scores[key])}" for key, (label, style) in SCORES.items() if key in scores]
    return ", ".join(known + [f"{key} {value:.4f}" for key, value in scores.items() if key not in SCORES])


def translation_report(gan, args) -> dict:
    """Prints the scores of a trained translation model on the test split, and returns them.

    An MNIST task (the default): `gan.measure()`, which reads the outputs'
    digits back with odog's classifiers. A folder with a test split (test/,
    or testA/ and testB/): `gan.evaluate()`. Otherwise it says why there are none.
    Scores the first `args.test_images` of each domain.
    """
    try:
        test = gan.test_data()
    except (ValueError, OSError) as error:
        print(f"No scores: {error}")
        return {}
    n = args.test_images or (None if args.epochs >= 1000 else 500)
    if n is not None:

        def head(labels):
            return None if labels is None else labels[:n]

        test = translation.Domains(
            test.a[:n], test.b[:n], test.paired, test.name, head(test.labels_a), head(test.labels_b), test.classifiers
        )
    on_task = args.dataset is None or args.dataset in translation.TASKS
    scores = gan.measure(test) if on_task else gan.evaluate(test)
    count = f"{len(test.a):,} pairs" if test.paired else f"{len(test.a):,} + {len(test.b):,} images"
    print(f"On {test.name} ({count}): {format_scores(scores)}")
    return scores
