"""Train ClusterGAN on MNIST: a clustered latent space, and an encoder that clusters real digits without labels.

python examples/clustergan.py                          # the budget of docs/clustergan.md
python examples/clustergan.py --adversarial bce --d-steps 1 --evaluate
"""

from _common import generation_parser

import odog
from odog import data, metrics, viz

if __name__ == "__main__":
    options = {
        "clusters": (int, 10, "values of the one-hot part z_c of the latent"),
        "noise_dim": (int, 30, "size of the Gaussian part z_n"),
        "sigma": (float, 0.1, "standard deviation of z_n"),
        "beta_n": (float, 10.0, "weight of the encoder's squared error on z_n"),
        "beta_c": (float, 10.0, "weight of the encoder's cross-entropy on z_c"),
        "adversarial": (str, "wgan-gp", "wgan-gp (the paper's critic) or bce (the reference's default)"),
        "d_steps": (int, 5, "D steps per G step"),
    }
    args = generation_parser("clustergan", 900, __doc__.splitlines()[0], options).parse_args()
    gan = odog.ClusterGAN(
        args.dataset,  # no labels are used: the clusters have to find the classes themselves
        clusters=args.clusters,
        noise_dim=args.noise_dim,
        sigma=args.sigma,  # small, so that the one-hot corners stay apart and each grows its own mode
        beta_n=args.beta_n,
        beta_c=args.beta_c,
        adversarial=args.adversarial,
        d_steps=args.d_steps,
        image_size=args.image_size,
        seed=args.seed,
    )
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,  # None: ClusterGAN's default_batch_size, 64
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids (a row per cluster) in {args.out}/images, curves in {args.out}/history.png.")
    viz.save_grid(gan.code_grid(seed=1), f"{args.out}/clusters.png", rows=gan.clusters)
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
        if args.dataset in data.NAMED_DATASETS:  # the encoder's clusters of images it never saw
            test = data.load_named(args.dataset, "test")
            accuracy = metrics.cluster_accuracy(gan.cluster(test.images), test.labels)["accuracy"]
            print(f"encoder's clusters, {args.dataset} test: {accuracy:.2%} (best one-to-one mapping)")
