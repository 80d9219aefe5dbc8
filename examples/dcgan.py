"""Day 2: train DCGAN on MNIST (or an image folder) and write sample grids.

python examples/dcgan.py                              # 4,000 iterations, batch 32 (Keras-GAN's budget)
python examples/dcgan.py --dataset faces/ --epochs 20000   # 64x64 RGB, the paper's architecture
"""

from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    options = {"filters": (int, 64, "base width of the paper's architecture (images of 32x32 and larger)")}
    args = generation_parser("dcgan", 4000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.DCGAN(
        args.dataset,
        filters=args.filters,  # 28x28 MNIST keeps Keras-GAN's fixed layout; folders get the paper's
        image_size=args.image_size,
        seed=args.seed,
    )
    gan.train(
        epochs=args.epochs,  # iterations, one random batch each, as in Keras-GAN
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
