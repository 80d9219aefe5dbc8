"""Day 1: train the MLP GAN on MNIST and write sample grids.

python examples/gan.py                    # 10,000 iterations, batch 32 (Keras-GAN's budget)
python examples/gan.py --epochs 30000 --evaluate
"""

from _common import generation_parser

import odog
from odog import metrics, viz

if __name__ == "__main__":
    args = generation_parser("gan", 10000, __doc__.splitlines()[0]).parse_args()
    # No options of its own: G and D are multilayer perceptrons, with BaseGAN's
    # latent_dim=100, Adam(2e-4, beta_1=0.5) and an EMA of G's weights.
    gan = odog.GAN(args.dataset, image_size=args.image_size, seed=args.seed)
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
