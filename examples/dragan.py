"""Train DRAGAN (DCGAN with a gradient penalty around the real data) on MNIST or an image folder.

python examples/dragan.py                              # 2,000 iterations, batch 32 (the budget of docs/dragan.md)
python examples/dragan.py --gp-weight 5 --evaluate
"""

import numpy as np
from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    options = {"gp_weight": (float, 10.0, "lambda, the weight of the penalty")}
    args = generation_parser("dragan", 2000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.DRAGAN(
        args.dataset,
        gp_weight=args.gp_weight,  # (|grad D| - 1)^2 between each real image and a noisy copy of it
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
    # Near 1 once the penalty holds: D is smooth around the data.
    norm = np.mean(gan.history["gradient_norm"][-100:])
    print(f"Mean |grad D| near the data over the last 100 iterations: {norm:.3f}")
    viz.save_grid(gan.generate(16, seed=1), f"{args.out}/samples.png")  # new noise: the grids use seed 0
    print(f"16 new samples in {args.out}/samples.png.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
