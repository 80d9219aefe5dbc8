"""Train BicycleGAN (G(a, z), an encoder E(b), cVAE-GAN + cLR-GAN) on paired images: many outputs per input.

python examples/bicyclegan.py                              # digits2textured_pairs: 2,500 iterations, batch 16
python examples/bicyclegan.py --dataset edges2shoes/ --image-size 64
odog translate runs/bicyclegan input.png --out output.png  # afterwards, on your own images (--seed: the code)
"""

from _common import translation_parser, translation_report

import odog
from odog import viz

if __name__ == "__main__":
    options = {
        "latent_dim": (int, 8, "size of the code z"),
        "l1_weight": (float, 10.0, "weight of the cVAE path's L1 reconstruction"),
        "kl_weight": (float, 0.01, "weight of the KL term on E's codes"),
        "latent_weight": (float, 0.5, "weight of the cLR path's code reconstruction"),
        "filters": (int, 32, "the networks' base width"),
    }
    args = translation_parser("bicyclegan", 2500, __doc__.splitlines()[0], options).parse_args()
    gan = odog.BicycleGAN(
        args.dataset,  # None: the offline task digits2textured_pairs
        direction=args.direction,
        latent_dim=args.latent_dim,
        l1_weight=args.l1_weight,
        kl_weight=args.kl_weight,
        latent_weight=args.latent_weight,
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
    print(f"Sample grids (input | outputs of 4 random codes | target) in {args.out}/images, checkpoint in {args.out}.")
    translation_report(gan, args)
    # One input, eight codes: what the code changes.
    a = gan.data.a[:1].repeat(8, axis=0)
    viz.save_grid(gan.translate(a, seed=1), f"{args.out}/codes.png", rows=1)
    print(f"Eight outputs of one input under random codes in {args.out}/codes.png.")
