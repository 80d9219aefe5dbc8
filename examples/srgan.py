"""Train SRGAN (4x super-resolution) on MNIST or an image folder, then compare it with bicubic upsampling.

python examples/srgan.py                                   # 1,500 iterations, batch 32 (docs/srgan.md's budget)
python examples/srgan.py --dataset photos/ --image-size 96 --content-loss vgg
odog upscale runs/srgan small.png --out large.png          # afterwards, on your own images
"""

from _common import generation_parser, super_resolution_report

import odog
from odog import metrics

if __name__ == "__main__":
    options = {
        "content_loss": (str, "auto", "vgg, pixel, or auto (VGG19 when its weights load)"),
        "residual_blocks": (int, 16, "G's residual blocks"),
        "scale": (int, 4, "the upscaling factor, a power of two that divides the image side"),
    }
    args = generation_parser("srgan", 1500, __doc__.splitlines()[0], options).parse_args()
    gan = odog.SRGAN(
        args.dataset,  # the high-resolution targets; G's inputs are them shrunk `scale` times (bicubic)
        scale=args.scale,
        residual_blocks=args.residual_blocks,
        # VGG19 features need weights and images of 32x32 or more: MNIST falls back to pixels, with a warning.
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
    print(f"Sample grids (bicubic | SRGAN | original) in {args.out}/images, checkpoint in {args.out}.")
    super_resolution_report(gan, args)  # gan.evaluate(): PSNR and SSIM next to bicubic's
    if args.evaluate:
        # The dataset's classifier on super-resolved training images (gan.generate shrinks then upscales them).
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
