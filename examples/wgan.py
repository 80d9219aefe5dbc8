"""Day 5: train WGAN (critic, weight clipping, RMSprop) on MNIST or a 64x64 image folder.

python examples/wgan.py                              # 2,000 iterations, batch 32 (the budget of docs/wgan.md)
python examples/wgan.py --dataset faces/ --epochs 20000   # 64x64 RGB, as in the notes "GAN笔记——理论与实现"
"""

import numpy as np
from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    options = {
        "clip_value": (float, 0.01, "the critic's weights are clipped to [-clip_value, clip_value]"),
        "d_steps": (int, 5, "critic steps per generator step"),
    }
    args = generation_parser("wgan", 2000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.WGAN(
        args.dataset,
        clip_value=args.clip_value,  # keeps the critic (roughly) Lipschitz, which the distance estimate needs
        d_steps=args.d_steps,  # a critic trained near its optimum gives G a useful gradient
        learning_rate=5e-5,  # RMSprop: the paper found momentum made the critic unstable
        image_size=args.image_size,
        seed=args.seed,
    )
    gan.train(
        epochs=args.epochs,  # generator steps; each takes d_steps critic batches of batch_size
        batch_size=args.batch_size,
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids in {args.out}/images, curves in {args.out}/history.png, checkpoint in {args.out}.")
    # E[D(x)] - E[D(G(z))]: the critic's estimate of the distance, which should fall as the samples improve.
    print(f"Wasserstein estimate over the last 100 iterations: {np.mean(gan.history['wasserstein'][-100:]):.4f}")
    viz.save_grid(gan.generate(16, seed=1), f"{args.out}/samples.png")  # new noise: the grids use seed 0
    print(f"16 new samples in {args.out}/samples.png.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
