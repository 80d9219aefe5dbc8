"""Day 3: train CGAN on MNIST (or Fashion-MNIST) and draw the digit you ask for.

python examples/cgan.py                              # 4,000 iterations, batch 32 (the budget of docs/cgan.md)
python examples/cgan.py --dataset fashion_mnist --evaluate
"""

import numpy as np
from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    args = generation_parser("cgan", 4000, __doc__.splitlines()[0]).parse_args()
    # DCGAN's G and D, both given the label; the classes are read from the dataset.
    gan = odog.CGAN(args.dataset, image_size=args.image_size, seed=args.seed)
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids (a row per class) in {args.out}/images, curves in {args.out}/history.png.")
    classes = np.arange(gan.num_classes)
    viz.save_grid(gan.generate(len(classes), labels=classes, seed=0), f"{args.out}/0_to_9.png", rows=1)
    print(f"One sample per class in {args.out}/0_to_9.png, checkpoint in {args.out}.")
    if args.evaluate:
        labels = np.arange(10000) % gan.num_classes  # 1,000 per class
        samples = gan.generate(10000, labels=labels, seed=1)
        scores = metrics.evaluate(samples, args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
        # Whether G draws the class asked for, as the dataset's classifier reads the samples.
        accuracy = metrics.label_accuracy(samples, labels, args.dataset)
        print(f"label accuracy {accuracy:.2%}")
