"""Train CoGAN (two generators sharing their first layers draw a pair from one z) on two unpaired domains.

python examples/cogan.py                              # digits2textured: 5,000 iterations, batch 32
python examples/cogan.py --dataset horse2zebra/ --image-size 64
odog generate runs/cogan --out pairs.png              # afterwards: images of domain B (gan.generate_pairs for both)
"""

from _common import translation_parser

import odog
from odog.data import translation

if __name__ == "__main__":
    options = {
        "latent_dim": (int, 100, "size of z"),
        "filters": (int, 32, "base width of G and D"),
    }
    args = translation_parser("cogan", 5000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.CoGAN(
        args.dataset,  # None: the offline task digits2textured
        direction=args.direction,
        latent_dim=args.latent_dim,
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
    print(f"Sample grids (rows of pairs a | b from one z) in {args.out}/images, checkpoint in {args.out}.")
    if args.dataset is None or args.dataset in translation.TASKS:
        n = args.test_images or (10000 if args.epochs >= 1000 else 500)  # a smoke run is scored on fewer pairs
        scores = gan.measure(n=n)
        print(
            f"{n:,} pairs: same digit in a and b {scores['same_digit']:.1%} (two independent z: "
            f"{scores['same_digit_independent']:.1%}); classifier FD a {scores['fd_a']:.2f}, b {scores['fd_b']:.2f}"
        )
