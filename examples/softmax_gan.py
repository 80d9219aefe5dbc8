"""Train Softmax GAN (one softmax over each batch of real and generated images) on MNIST or an image folder.

python examples/softmax_gan.py                              # 2,000 iterations, batch 32 (docs/softmax_gan.md)
python examples/softmax_gan.py --evaluate
"""

from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    args = generation_parser("softmax_gan", 2000, __doc__.splitlines()[0]).parse_args()
    # DCGAN's networks; D's linear output is an energy, and only the two losses change.
    gan = odog.SoftmaxGAN(args.dataset, image_size=args.image_size, seed=args.seed)
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
