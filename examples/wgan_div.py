"""Train WGAN-div (the Wasserstein divergence, no Lipschitz constraint) on MNIST or an image folder.

python examples/wgan_div.py                              # 2,000 iterations, batch 32 (the budget of docs/wgan_div.md)
python examples/wgan_div.py --power 2
"""

import numpy as np
from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    options = {
        "gp_weight": (float, 2.0, "k, the weight of the gradient term"),
        "power": (float, 6.0, "p, the power of the gradient norm"),
        "d_steps": (int, 5, "critic steps per generator step"),
    }
    args = generation_parser("wgan_div", 2000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.WGANDiv(
        args.dataset,
        gp_weight=args.gp_weight,  # k * E|grad D|^p at real and generated images, no target norm
        power=args.power,
        d_steps=args.d_steps,
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
    print(f"Critic's estimate over the last 100 iterations: {np.mean(gan.history['wasserstein'][-100:]):.4f}")
    viz.save_grid(gan.generate(16, seed=1), f"{args.out}/samples.png")  # new noise: the grids use seed 0
    print(f"16 new samples in {args.out}/samples.png.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
