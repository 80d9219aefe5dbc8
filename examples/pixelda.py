"""Train PixelDA (pixel-level domain adaptation: G restyles labelled MNIST digits as textured digits, a task
classifier learns from them) and score its classifier on the target domain, whose labels it never saw.

python examples/pixelda.py                            # digits2textured: 1,500 iterations, batch 32
odog translate runs/pixelda digit.png --out adapted.png   # afterwards: a source image in the target's style
"""

import numpy as np
from _common import translation_parser

import odog
from odog import data

if __name__ == "__main__":
    options = {
        "residual_blocks": (int, 3, "residual blocks of G"),
        "filters": (int, 32, "width of G, base width of D"),
        "adversarial_weight": (float, 10.0, "weight of G's adversarial loss"),
        "task_weight": (float, 1.0, "weight of the classifier's loss"),
    }
    args = translation_parser("pixelda", 1500, __doc__.splitlines()[0], options).parse_args()
    gan = odog.PixelDA(
        args.dataset,  # None: the offline task digits2textured (the only labelled source the CLI reads)
        direction=args.direction,
        residual_blocks=args.residual_blocks,
        filters=args.filters,
        adversarial_weight=args.adversarial_weight,
        task_weight=args.task_weight,
        seed=args.seed,
    )
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids (source | four adaptations | a target image) in {args.out}/images, checkpoint in {args.out}.")
    n = args.test_images or (None if args.epochs >= 1000 else 500)  # a smoke run is scored on fewer
    target = "textured_mnist" if args.direction == "AtoB" else "mnist"  # BtoA: textured digits -> MNIST
    test = data.load_named(target, "test")
    images, labels = test.images[:n], test.labels[:n]
    accuracy = float(np.mean(gan.classify(images) == labels))
    print(f"The classifier on {len(images):,} {target} test images (labels never used in training): {accuracy:.1%}")
