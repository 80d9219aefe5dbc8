"""Day 23: train MUNIT (content and style codes, AdaIN decoders) on unpaired images: many outputs per input.

python examples/munit.py                              # digits2textured: 3,000 iterations, batch 16
python examples/munit.py --dataset horse2zebra/ --image-size 128 --filters 64 --residual-blocks 4
odog translate runs/munit input.png --out output.png  # afterwards, on your own images (--seed: the style)
"""

from _common import translation_parser, translation_report

import odog
from odog import viz

if __name__ == "__main__":
    options = {
        "style_dim": (int, 8, "size of each domain's style code"),
        "residual_blocks": (int, 2, "residual blocks of the content encoders and the AdaIN decoders"),
        "gan_weight": (float, 1.0, "weight of the adversarial losses"),
        "image_weight": (float, 10.0, "weight of the within-domain image reconstruction"),
        "style_weight": (float, 1.0, "weight of the style reconstruction"),
        "content_weight": (float, 1.0, "weight of the content reconstruction"),
        "filters": (int, 16, "the networks' base width"),
    }
    args = translation_parser("munit", 3000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.MUNIT(
        args.dataset,  # None: the offline task digits2textured
        direction=args.direction,
        style_dim=args.style_dim,
        residual_blocks=args.residual_blocks,
        gan_weight=args.gan_weight,
        image_weight=args.image_weight,
        style_weight=args.style_weight,
        content_weight=args.content_weight,
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
    print(f"Sample grids (a | a2b, 3 styles | b | b2a, 3 styles) in {args.out}/images, checkpoint in {args.out}.")
    translation_report(gan, args)
    # One input, eight random styles; and one input in the look of eight real images of B.
    a = gan.data.a[:1].repeat(8, axis=0)
    viz.save_grid(gan.translate(a, seed=1), f"{args.out}/styles.png", rows=1)
    viz.save_grid(gan.translate(a, style=gan.encode_style(gan.data.b[:8], "b")), f"{args.out}/guided.png", rows=1)
    print(f"Eight random styles of one input in {args.out}/styles.png, eight styles of real images in guided.png.")
