"""Train ESRGAN (RRDB generator, relativistic D; PSNR-oriented stage, then the GAN) and compare it with bicubic.

python examples/esrgan.py                                  # 600 + 900 iterations, batch 32 (docs/esrgan.md's budget)
python examples/esrgan.py --pretrain-iterations 2000 --epochs 5000
"""

from _common import generation_parser, super_resolution_report

import odog
from odog import metrics

if __name__ == "__main__":
    options = {
        "pretrain_iterations": (int, 600, "iterations of the PSNR-oriented stage (G alone, L1)"),
        "rrdb_blocks": (int, 8, "G's residual-in-residual dense blocks"),
        "content_loss": (str, "auto", "vgg, pixel, or auto (VGG19 when its weights load)"),
    }
    args = generation_parser("esrgan", 1500, __doc__.splitlines()[0], options).parse_args()
    gan = odog.ESRGAN(
        args.dataset,  # the high-resolution targets; G's inputs are them shrunk 4 times (bicubic)
        # The GAN stage starts from a G trained on pixels alone, as the paper does; iterations count across
        # both stages, so --epochs 1500 is 600 + 900 and a resumed run continues in the right one.
        pretrain_iterations=args.pretrain_iterations,
        rrdb_blocks=args.rrdb_blocks,  # the paper has 23
        content_loss=args.content_loss,
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
    print(f"Sample grids (bicubic | ESRGAN | original) in {args.out}/images, checkpoint in {args.out}.")
    super_resolution_report(gan, args)  # gan.evaluate(): PSNR and SSIM next to bicubic's
    if args.evaluate:
        # The dataset's classifier on super-resolved training images (gan.generate shrinks then upscales them).
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
