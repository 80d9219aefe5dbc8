"""Train DiscoGAN (encoder-decoders, sigmoid critics with feature matching, squared reconstruction), unpaired.

python examples/discogan.py                              # digits2textured: 2,000 iterations, batch 16
python examples/discogan.py --dataset edges2shoes/ --image-size 64
odog translate runs/discogan input.png --out output.png  # afterwards, on your own images
odog translate runs/discogan input.png --direction b2a --out output.png
"""

from _common import translation_parser, translation_report

import odog

if __name__ == "__main__":
    options = {
        "reconstruction_rate": (float, 0.5, "the share of the squared reconstruction loss in G's loss"),
        "feature_matching": (float, 0.9, "the share of feature matching in G's adversarial term"),
        "filters": (int, 32, "the networks' base width"),
    }
    args = translation_parser("discogan", 2000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.DiscoGAN(
        args.dataset,  # None: the offline task digits2textured
        direction=args.direction,
        reconstruction_rate=args.reconstruction_rate,
        feature_matching=args.feature_matching,
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
