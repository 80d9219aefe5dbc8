"""Train SAGAN (self-attention, spectral normalization, hinge loss) on MNIST or an image folder.

python examples/sagan.py                              # 2,500 iterations, batch 32 (the budget of docs/sagan.md)
python examples/sagan.py --evaluate                   # then score 10,000 samples
python examples/sagan.py --dataset cifar10 --filters 64
"""

from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    options = {
        "filters": (int, 64, "base width of G and D"),
        "d_learning_rate": (float, 4e-4, "D's Adam learning rate"),
        "g_learning_rate": (float, 1e-4, "G's Adam learning rate"),
    }
    args = generation_parser("sagan", 2500, __doc__.splitlines()[0], options).parse_args()
    gan = odog.SAGAN(
        args.dataset,  # the side must be divisible by 4: 28 (MNIST), 32, 64
        filters=args.filters,
        # The two time-scale update rule: D learns faster, so one D step per G step suffices.
        d_learning_rate=args.d_learning_rate,
        g_learning_rate=args.g_learning_rate,
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
    viz.save_grid(gan.generate(16, seed=1), f"{args.out}/samples.png")  # new noise: the grids use seed 0
    print(f"16 new samples in {args.out}/samples.png.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
