"""Train DualGAN (U-Nets, weight-clipped Wasserstein critics, L1 reconstruction) on unpaired images.

python examples/dualgan.py                              # digits2textured: 2,000 iterations, batch 16
python examples/dualgan.py --dataset sketches2photos/ --image-size 64 --reconstruction-weight 100
odog translate runs/dualgan input.png --out output.png  # afterwards, on your own images
odog translate runs/dualgan input.png --direction b2a --out output.png
"""

from _common import translation_parser, translation_report

import odog

if __name__ == "__main__":
    options = {
        "reconstruction_weight": (float, 20.0, "lambda, the weight of the L1 reconstruction"),
        "clip_value": (float, 0.01, "the critics' weights are clipped to [-clip_value, clip_value]"),
        "d_steps": (int, 2, "critic steps per generator step"),
        "filters": (int, 32, "the networks' base width"),
    }
    args = translation_parser("dualgan", 2000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.DualGAN(
        args.dataset,  # None: the offline task digits2textured
        direction=args.direction,
        reconstruction_weight=args.reconstruction_weight,
        clip_value=args.clip_value,
        d_steps=args.d_steps,
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
