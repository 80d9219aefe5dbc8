"""Train a BiGAN on MNIST or an image folder, then read its encoder's features with a linear probe.

python examples/bigan.py                  # 5,000 iterations, batch 32 (the budget of docs/bigan.md)
python examples/bigan.py --epochs 20000 --evaluate
"""

import numpy as np
from _common import generation_parser

import odog
from odog import data, metrics, viz

if __name__ == "__main__":
    args = generation_parser("bigan", 5000, __doc__.splitlines()[0]).parse_args()
    gan = odog.BiGAN(args.dataset, image_size=args.image_size, seed=args.seed)  # G(z), E(x), D(x, z)
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids in {args.out}/images, curves in {args.out}/history.png, checkpoint in {args.out}.")
    viz.save_grid(gan.generate(16, seed=1), f"{args.out}/samples.png")  # new noise: the grids use seed 0
    digits = gan.data.take(np.arange(16))
    viz.save_grid(np.concatenate([digits, gan.reconstruct(digits)]), f"{args.out}/reconstructions.png")
    print(f"16 samples in {args.out}/samples.png; 16 images and G(E(x)) in {args.out}/reconstructions.png.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
        if args.dataset in data.NAMED_DATASETS:  # E's codes as features, learned without labels
            test = data.load_named(args.dataset, "test")
            probe = metrics.linear_probe(gan.encode(test.images), test.labels)
            print(f"linear probe on E's codes of the test images (held-out half): {probe['accuracy']:.1%}")
