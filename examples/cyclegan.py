"""Day 13: train CycleGAN (two ResNet generators, two PatchGANs, cycle loss) on unpaired images, then measure it.

python examples/cyclegan.py                              # digits2textured: 2,500 iterations, batch 16
python examples/cyclegan.py --dataset horse2zebra/ --image-size 128 --filters 64
odog translate runs/cyclegan input.png --out output.png  # afterwards, on your own images
odog translate runs/cyclegan input.png --direction b2a --out output.png
"""

from _common import translation_parser, translation_report

import odog

if __name__ == "__main__":
    options = {
        "residual_blocks": (int, 6, "residual blocks of each generator"),
        "cycle_weight": (float, 10.0, "lambda, the weight of the cycle loss"),
        "identity_weight": (float, None, "weight of the identity loss (default: 0.5 lambda if channels match, else 0)"),
        "pool_size": (int, 50, "past fakes kept for the discriminators (0: no pool)"),
        "filters": (int, 16, "the networks' base width"),
    }
    args = translation_parser("cyclegan", 2500, __doc__.splitlines()[0], options).parse_args()
    gan = odog.CycleGAN(
        args.dataset,  # None: the offline task digits2textured
        direction=args.direction,
        residual_blocks=args.residual_blocks,
        cycle_weight=args.cycle_weight,
        identity_weight=args.identity_weight,
        pool_size=args.pool_size,
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
    print(f"Sample grids (a | a2b | a2b2a | b | b2a | b2a2b) in {args.out}/images, checkpoint in {args.out}.")
    translation_report(gan, args)
