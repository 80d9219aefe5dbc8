"""Train an adversarial autoencoder on MNIST or an image folder: reconstruct digits, decode the prior.

python examples/aae.py                    # 10,000 iterations, batch 32 (the budget of docs/aae.md)
python examples/aae.py --latent-dim 8 --evaluate
"""

import numpy as np
from _common import generation_parser

import odog
from odog import data, metrics, viz

if __name__ == "__main__":
    options = {
        "latent_dim": (int, 10, "size of the code"),
        "reconstruction_weight": (float, 0.999, "weight of the pixels' MSE; the adversarial loss gets 1 minus it"),
    }
    args = generation_parser("aae", 10000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.AAE(
        args.dataset,
        latent_dim=args.latent_dim,  # E(x) is a Gaussian code this long; D pushes the codes towards N(0, I)
        reconstruction_weight=args.reconstruction_weight,
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
    digits = gan.data.take(np.arange(16))
    codes = gan.encode(digits)  # (16, latent_dim): E's mean code of each image
    viz.save_grid(np.concatenate([digits, gan.reconstruct(digits, ema=False)]), f"{args.out}/reconstructions.png")
    print(f"16 training images and G(E(x)) in {args.out}/reconstructions.png (codes of shape {codes.shape}).")
    viz.save_grid(gan.generate(16, seed=1), f"{args.out}/samples.png")  # decoded draws from the prior
    print(f"16 images decoded from z ~ N(0, I) in {args.out}/samples.png.")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"prior samples: classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
        if args.dataset in data.NAMED_DATASETS:
            test = data.load_named(args.dataset, "test").images[:2000]
            mse = float(np.mean(np.square(gan.reconstruct(test, ema=False) - test)))
            print(f"reconstruction MSE on 2,000 test images: {mse:.4f}")
