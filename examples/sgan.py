"""Train SGAN on MNIST with few labelled images and use its discriminator as a classifier.

python examples/sgan.py                              # 2,000 iterations, batch 32, 100 labels
python examples/sgan.py --labelled 1000
python examples/sgan.py --feature-matching --epochs 8000   # G matches D's features (Salimans et al.)
"""

from _common import generation_parser

import odog
from odog import data, metrics, viz

if __name__ == "__main__":
    options = {"labelled": (int, 100, "training images whose labels D may use")}
    parser = generation_parser("sgan", 2000, __doc__.splitlines()[0], options)
    parser.add_argument("--feature-matching", action="store_true", help="G matches the mean of D's features")
    args = parser.parse_args()
    # D classifies into the dataset's classes; the many unlabelled images shape its features
    # through the GAN game, the few labelled ones (drawn evenly from the classes) name them.
    gan = odog.SGAN(
        args.dataset,
        labelled=args.labelled,
        feature_matching=args.feature_matching,
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
    print(f"Sample grids in {args.out}/images, curves in {args.out}/history.png, checkpoint in {args.out}.")
    if args.dataset in data.NAMED_DATASETS:  # a test split with labels to check D against
        test = data.load_named(args.dataset, "test")
        accuracy = (gan.classify(test.images) == test.labels).mean()
        print(f"D's test accuracy with {args.labelled} labels: {accuracy:.2%}")
    viz.save_grid(gan.generate(16, seed=1), f"{args.out}/samples.png")  # new noise: the grids use seed 0
    print(f"16 new samples in {args.out}/samples.png.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
