"""Day 12: train BEGAN (autoencoder D, equilibrium k_t, convergence M) on MNIST.

python examples/began.py                              # 2,000 iterations, batch 32 (the budget of docs/began.md)
python examples/began.py --evaluate        # history.png shows M and k_t
"""

import numpy as np
from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    options = {
        "gamma": (float, 1.0, "diversity ratio E[L(G(z))] / E[L(x)] aimed for (the paper's 0.5 collapses on MNIST)"),
        "lambda_k": (float, 0.01, "learning rate of k_t (the paper's: 0.001)"),
        "embedding_dim": (int, 16, "size of the autoencoder's bottleneck, h"),
        "filters": (int, 64, "width n of the convolutions"),
    }
    args = generation_parser("began", 2000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.BEGAN(
        args.dataset,  # D is an autoencoder; L(v) is its reconstruction loss
        gamma=args.gamma,  # k_t keeps E[L(G(z))] = gamma E[L(x)]
        lambda_k=args.lambda_k,
        embedding_dim=args.embedding_dim,  # narrow, so that D cannot reconstruct anything digit-like
        filters=args.filters,
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
    print(f"Sample grids in {args.out}/images, curves (with M and k_t) in {args.out}/history.png.")
    # M = L(x) + |gamma L(x) - L(G(z))| falls as the samples improve; a k_t stuck near 0 signals collapse.
    last = {key: np.mean(gan.history[key][-100:]) for key in ("convergence", "k")}
    print(f"Over the last 100 iterations: M {last['convergence']:.4f}, k_t {last['k']:.4f}.")
    viz.save_grid(gan.generate(16, seed=1), f"{args.out}/samples.png")  # new noise: the grids use seed 0
    print(f"16 new samples in {args.out}/samples.png, checkpoint in {args.out}.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
