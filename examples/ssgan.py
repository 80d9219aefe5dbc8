"""Day 18: train SS-GAN (D also predicts the rotation of its input) on MNIST or an image folder.

python examples/ssgan.py                              # 2,000 iterations, batch 32 (the budget of docs/ssgan.md)
python examples/ssgan.py --g-rotation-weight 0.5 --evaluate
"""

from _common import generation_parser

import odog
from odog import data, metrics, viz

if __name__ == "__main__":
    options = {
        "rotation_weight": (float, 1.0, "beta, the rotation loss's weight in D's loss"),
        "g_rotation_weight": (float, 0.2, "alpha, its weight in G's loss"),
    }
    args = generation_parser("ssgan", 2000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.SSGAN(
        args.dataset,
        rotation_weight=args.rotation_weight,  # D learns to tell 0/90/180/270 degrees on real images
        g_rotation_weight=args.g_rotation_weight,  # G makes images whose rotation D can tell
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
        if args.dataset in data.NAMED_DATASETS:  # D's self-supervised task on images it never saw
            held_out = data.load_named(args.dataset, "test").images[:2000]
            print(f"D's rotation accuracy on 2,000 test images x 4 rotations: {gan.rotation_accuracy(held_out):.3f}")
