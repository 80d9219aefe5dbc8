"""Command-line arguments and the run shared by the example scripts."""

import argparse

import odog
from odog import metrics


def run(variant: str, epochs: int, description: str, options: dict | None = None):
    """Parses the common arguments, trains `variant` and returns `(gan, args)`.

    `options` maps constructor arguments of the variant to (type, default,
    help); each becomes a flag, e.g. {"labelled": (int, 100, "...")} adds
    `--labelled`.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--dataset", default="mnist", help="mnist, fashion_mnist, cifar10 or an image folder")
    parser.add_argument("--epochs", type=int, default=epochs, help=f"training iterations (default {epochs})")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--sample-interval", type=int, default=200)
    parser.add_argument("--out", default=f"runs/{variant}", help="folder for grids, plot and checkpoint")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evaluate", action="store_true", help="score 10,000 samples (classifier FD, coverage)")
    for name, (kind, default, text) in (options or {}).items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=kind, default=default, help=f"{text} (default {default})")
    args = parser.parse_args()

    gan = odog.get(variant)(args.dataset, seed=args.seed, **{k: getattr(args, k) for k in options or {}})
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
