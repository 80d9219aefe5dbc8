"""Train CCGAN (a U-Net G fills a hole, trained by the GAN loss alone) to inpaint MNIST digits.

python examples/ccgan.py                          # 10,000 iterations, batch 64 (docs/ccgan.md's longer run)
python examples/ccgan.py --hole-size 10 --evaluate
"""

from _common import generation_parser, inpainting_report

import odog

if __name__ == "__main__":
    options = {
        "dropout": (float, 0.5, "dropout of the U-Net's three deepest decoder layers, G's only noise"),
        "hole_size": (int, None, "side of the square training holes (default: half the image's side)"),
        "filters": (int, 32, "the networks' base width"),
    }
    args = generation_parser("ccgan", 10000, __doc__.splitlines()[0], options).parse_args()
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
        inpainting_report(gan, args)
