"""Train a Context Encoder (encoder-decoder G, 0.999 x L2 in the hole + 0.001 x GAN loss) to inpaint MNIST digits.

python examples/context_encoder.py                          # 3,000 iterations, batch 64 (docs/context_encoder.md)
python examples/context_encoder.py --adversarial-weight 0   # the same G trained with L2 alone
python examples/context_encoder.py --hole-size 10 --evaluate
"""

from _common import generation_parser, inpainting_report

import odog

if __name__ == "__main__":
    options = {
        "reconstruction_weight": (float, 0.999, "the weight of the mean squared error in the hole"),
        "adversarial_weight": (float, 0.001, "the weight of the GAN loss (0: L2 only)"),
        "hole_size": (int, None, "side of the square training holes (default: half the image's side)"),
        "filters": (int, 32, "the networks' base width"),
    }
    args = generation_parser("context_encoder", 3000, __doc__.splitlines()[0], options).parse_args()
    gan = odog.ContextEncoder(
        args.dataset,
        reconstruction_weight=args.reconstruction_weight,
        adversarial_weight=args.adversarial_weight,
        hole_size=args.hole_size,  # holes at random places while training
        filters=args.filters,
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
    print(f"Sample grids (masked | inpainted | original) in {args.out}/images, checkpoint in {args.out}.")
    if args.evaluate:
        inpainting_report(gan, args)
