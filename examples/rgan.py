"""Train a relativistic GAN (RSGAN, or RaSGAN with --average) on MNIST or an image folder.

python examples/rgan.py                              # 2,000 iterations, batch 32 (the budget of docs/rgan.md)
python examples/rgan.py --average                    # against the average of the other kind
"""

from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    parser = generation_parser("rgan", 2000, __doc__.splitlines()[0])
    parser.add_argument("--average", action="store_true", help="relativistic average D (RaSGAN)")
    args = parser.parse_args()
    # DCGAN's networks with a linear critic C; D(real, fake) = sigmoid(C(real) - C(fake)).
    gan = odog.RGAN(args.dataset, average=args.average, image_size=args.image_size, seed=args.seed)
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
