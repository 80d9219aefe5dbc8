"""Day 22: train UNIT (two VAEs sharing their innermost layers, two GANs, cycles through the code) on unpaired images.

python examples/unit.py                              # digits2textured: 1,500 iterations, batch 16
python examples/unit.py --dataset horse2zebra/ --image-size 128 --filters 64 --residual-blocks 3
odog translate runs/unit input.png --out output.png  # afterwards, on your own images
odog translate runs/unit input.png --direction b2a --out output.png
"""

from _common import translation_parser, translation_report

import odog

if __name__ == "__main__":
    options = {
        "residual_blocks": (int, 1, "residual blocks of each domain's own encoder and generator"),
        "shared_blocks": (int, 1, "residual blocks both encoders (and both generators) share"),
        "gan_weight": (float, 10.0, "lambda_0, the weight of the adversarial loss"),
        "kl_weight": (float, 0.1, "lambda_1, the weight of the codes' KL term"),
        "reconstruction_weight": (float, 100.0, "lambda_2, the weight of the VAEs' L1 reconstruction"),
        "cycle_kl_weight": (float, 0.1, "lambda_3, the weight of the translations' codes' KL term"),
        "cycle_weight": (float, 100.0, "lambda_4, the weight of the cycle L1"),
        "filters": (int, 16, "the networks' base width"),
    }
    args = translation_parser("unit", 1500, __doc__.splitlines()[0], options).parse_args()
    gan = odog.UNIT(
        args.dataset,  # None: the offline task digits2textured
        direction=args.direction,
        residual_blocks=args.residual_blocks,
        shared_blocks=args.shared_blocks,
        gan_weight=args.gan_weight,
        kl_weight=args.kl_weight,
        reconstruction_weight=args.reconstruction_weight,
        cycle_kl_weight=args.cycle_kl_weight,
        cycle_weight=args.cycle_weight,
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
