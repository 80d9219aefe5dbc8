"""Train WGAN-GP (gradient penalty) on MNIST or an image folder.

python examples/wgan_gp.py                              # 2,000 iterations, batch 32 (the budget of docs/wgan_gp.md)
python examples/wgan_gp.py --batch-size 64
"""

import numpy as np
from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    options = {
        "gp_weight": (float, 10.0, "lambda, the weight of the gradient penalty"),
        "d_steps": (int, 5, "critic steps per generator step"),
    }
    args = generation_parser("wgan_gp", 2000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.WGANGP(
        args.dataset,
        gp_weight=args.gp_weight,  # (|grad D| - 1)^2 between real and fake images: Lipschitz without clipping
        d_steps=args.d_steps,
        learning_rate=1e-4,  # Adam (beta_1=0.5, beta_2=0.9), the paper's; WGAN's RMSprop was for the clipped critic
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
