"""Day 7: train EBGAN (autoencoder energy, margin, pulling-away term) on MNIST.

python examples/ebgan.py                              # 2,000 iterations, batch 32 (the budget of docs/ebgan.md)
python examples/ebgan.py --evaluate
"""

from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    options = {
        "margin": (float, 0.3, "m: D pushes generated images' energy (per-pixel MSE) up to it, no further"),
        "pt_weight": (float, 0.1, "weight of the pulling-away term in G's loss"),
        "embedding_dim": (int, 32, "size of the autoencoder's bottleneck"),
    }
    args = generation_parser("ebgan", 2000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.EBGAN(
        args.dataset,  # D is an autoencoder: its reconstruction error is the energy, low on real images
        margin=args.margin,
        pt_weight=args.pt_weight,  # keeps a batch's samples apart in D's embedding, against mode collapse
        embedding_dim=args.embedding_dim,
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
