"""Train CCGAN (a U-Net G fills a hole, trained by the GAN loss alone) to inpaint MNIST digits.

python examples/ccgan.py                          # 2,500 iterations, batch 64 (the budget of docs/ccgan.md)
python examples/ccgan.py --hole-size 10 --evaluate
"""

import numpy as np
from _common import generation_parser

import odog
from odog import data, inpainting

if __name__ == "__main__":
    options = {
        "dropout": (float, 0.5, "dropout of the U-Net's three deepest decoder layers, G's only noise"),
        "hole_size": (int, None, "side of the square training holes (default: half the image's side)"),
        "filters": (int, 32, "the networks' base width"),
    }
    args = generation_parser("ccgan", 2500, __doc__.splitlines()[0], options).parse_args()
    gan = odog.CCGAN(
        args.dataset,
        dropout=args.dropout,
        hole_size=args.hole_size,  # holes at random places while training
        filters=args.filters,
        image_size=args.image_size,
        seed=args.seed,
    )
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids (masked | inpainted | original) in {args.out}/images, checkpoint in {args.out}.")
    if args.evaluate:
        if args.dataset in data.NAMED_DATASETS:  # held-out images with their labels, centre holes
            test = data.load_named(args.dataset, "test")
            print(f"{len(test):,} test images: {inpainting.summary(gan.evaluate(test.images, test.labels))}")
        else:
            held_out = gan.data.take(np.arange(max(0, len(gan.data) - 1000), len(gan.data)))
            print(f"The last {len(held_out):,} training images: {inpainting.summary(gan.evaluate(held_out))}")
