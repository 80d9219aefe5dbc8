"""Train LAPGAN, a Laplacian pyramid of conditional GANs, on MNIST (padded to 32x32) or an image folder.

python examples/lapgan.py                              # 4,000 iterations, batch 32 (the budget of docs/lapgan.md)
python examples/lapgan.py --evaluate                   # then score 10,000 samples
python examples/lapgan.py --dataset cifar10
"""

from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    options = {"filters": (int, 64, "width of each level's convolutions")}
    args = generation_parser("lapgan", 4000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.LAPGAN(args.dataset, filters=args.filters, image_size=args.image_size, seed=args.seed)
    print(f"Pyramid levels: {', '.join(f'{side}x{side}' for side in gan.sides)} (a GAN each).")
    gan.train(
        epochs=args.epochs,  # one iteration trains every level once, each on the real pyramid of the batch
        batch_size=args.batch_size,
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids in {args.out}/images, curves in {args.out}/history.png, checkpoint in {args.out}.")
    # Sampling runs the whole pyramid: an 8x8 image, then a generated residual per finer level.
    viz.save_grid(gan.generate(16, seed=1), f"{args.out}/samples.png")  # new noise: the grids use seed 0
    print(f"16 new samples in {args.out}/samples.png.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
