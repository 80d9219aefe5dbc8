"""Train BGAN (boundary-seeking generator loss) on MNIST or an image folder.

python examples/bgan.py                              # 2,000 iterations, batch 32 (the budget of docs/bgan.md)
python examples/bgan.py --evaluate
"""

from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    args = generation_parser("bgan", 2000, __doc__.splitlines()[0]).parse_args()
    # DCGAN's networks and D loss; G's loss pushes D(G(z)) to the boundary, 0.5, rather than to 1.
    gan = odog.BGAN(args.dataset, image_size=args.image_size, seed=args.seed)
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
