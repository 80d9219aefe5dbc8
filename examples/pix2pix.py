"""Day 14: train Pix2Pix (U-Net G, PatchGAN D, GAN + L1) on paired images, then measure its translations.

python examples/pix2pix.py                              # edges2digits: outlines -> digits, 3,000 iterations, batch 16
python examples/pix2pix.py --adversarial-weight 0       # the same G trained with L1 alone
python examples/pix2pix.py --dataset facades/ --direction BtoA --image-size 256
odog translate runs/pix2pix input.png --out output.png  # afterwards, on your own images
"""

from _common import translation_parser, translation_report

import odog

if __name__ == "__main__":
    options = {
        "l1_weight": (float, 100.0, "lambda, the weight of the L1 loss"),
        "adversarial_weight": (float, 1.0, "the weight of the GAN loss (0: L1 only)"),
        "filters": (int, 32, "the networks' base width"),
    }
    args = translation_parser("pix2pix", 3000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.Pix2Pix(
        args.dataset,  # None: the offline task edges2digits
        direction=args.direction,
        l1_weight=args.l1_weight,
        adversarial_weight=args.adversarial_weight,
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
    print(f"Sample grids (input | output | target) in {args.out}/images, checkpoint in {args.out}.")
    translation_report(gan, args)
