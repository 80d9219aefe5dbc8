"""Day 10: train InfoGAN on MNIST and see what its codes learned without labels.

python examples/infogan.py                           # 3,000 iterations, batch 64 (the budget of docs/infogan.md)
python examples/infogan.py --evaluate                # + how well the categorical code clusters the digits
"""

from _common import generation_parser

import odog
from odog import data, metrics, viz

if __name__ == "__main__":
    options = {
        "noise_dim": (int, 62, "size of the incompressible noise z"),
        "categories": (int, 10, "values of the categorical code"),
        "continuous": (int, 2, "continuous codes in U(-1, 1)"),
        "continuous_weight": (float, 0.1, "weight of the continuous codes' information loss (the categorical's: 1)"),
    }
    args = generation_parser("infogan", 3000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.InfoGAN(
        args.dataset,  # no labels are used: the code has to find the classes itself
        noise_dim=args.noise_dim,
        categories=args.categories,
        continuous=args.continuous,
        continuous_weight=args.continuous_weight,
        # Q reads the categorical code from a sheared, scaled, shifted, thickened copy, so that the code cannot
        # hold style and is left with the digit; None: the paper's objective.
        code_augment=(0.5, 0.2, 2.0, 1.0),
        image_size=args.image_size,
        seed=args.seed,
    )
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,  # None: InfoGAN's default_batch_size, 64
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids in {args.out}/images, curves in {args.out}/history.png, checkpoint in {args.out}.")
    viz.save_grid(gan.code_grid(), f"{args.out}/codes.png", rows=gan.categories)
    for i in range(gan.continuous):
        viz.save_grid(gan.code_grid(varying=i), f"{args.out}/continuous_{i + 1}.png", rows=gan.categories)
    print(f"Code grids in {args.out}: codes.png (a row per categorical code), continuous_*.png (-2 to 2).")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
        # Q's categorical code read as a cluster of the test images, matched to their labels.
        test = data.load_named(args.dataset, "test")
        accuracy = metrics.cluster_accuracy(gan.predict_code(test.images), test.labels)["accuracy"]
        print(f"categorical code as a clusterer, {args.dataset} test: {accuracy:.2%} (best one-to-one mapping)")
