"""Command-line arguments and the run shared by the example scripts."""

import argparse

import odog
from odog import data, metrics


def run(variant: str, epochs: int, description: str, options: dict | None = None):
    """Parses the common arguments, trains `variant` and returns `(gan, args)`.

    `options` maps constructor arguments of the variant to (type, default,
    help); each becomes a flag, e.g. {"labelled": (int, 100, "...")} adds
    `--labelled`.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dataset", default="mnist", help="mnist, fashion_mnist, cifar10 or an image folder")
    parser.add_argument("--epochs", type=int, default=epochs, help=f"training iterations (default {epochs})")
    parser.add_argument("--batch-size", type=int, help="default: the variant's default_batch_size (32 for most)")
    parser.add_argument("--sample-interval", type=int, default=200)
    parser.add_argument("--out", default=f"runs/{variant}", help="folder for grids, plot and checkpoint")
    parser.add_argument("--image-size", type=int, help="side of images read from a folder (default 64)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evaluate", action="store_true", help="score 10,000 samples (classifier FD, coverage)")
    for name, (kind, default, text) in (options or {}).items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=kind, default=default, help=f"{text} (default {default})")
    args = parser.parse_args()

    kwargs = {k: getattr(args, k) for k in options or {}}
    if args.image_size:
        kwargs["image_size"] = args.image_size
    gan = odog.get(variant)(args.dataset, seed=args.seed, **kwargs)
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids in {args.out}/images, curves in {args.out}/history.png, checkpoint in {args.out}.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
    return gan, args


def super_resolution_report(gan, args) -> None:
    """Prints PSNR and SSIM of the model and of bicubic upsampling on held-out images."""
    named = args.dataset in data.NAMED_DATASETS
    images = data.load_named(args.dataset, "test").images[:2000] if named else gan.data.images[-1000:]
    scores = gan.evaluate(images)
    where = "2,000 test images" if named else "the last 1,000 training images"
    print(
        f"{gan.scale}x on {where}: PSNR {scores['psnr']:.2f} dB (bicubic {scores['bicubic_psnr']:.2f}), "
        f"SSIM {scores['ssim']:.4f} (bicubic {scores['bicubic_ssim']:.4f})"
    )
