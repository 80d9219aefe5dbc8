"""Train ESRGAN (RRDB generator, relativistic D; PSNR-oriented stage, then the GAN) and compare it with bicubic.

python examples/esrgan.py                                  # 600 + 900 iterations, batch 32 (docs/esrgan.md's budget)
python examples/esrgan.py --pretrain-iterations 2000 --epochs 5000
"""

from _common import run, super_resolution_report

if __name__ == "__main__":
    options = {
        "pretrain_iterations": (int, 600, "iterations of the PSNR-oriented stage (G alone, L1)"),
        "rrdb_blocks": (int, 8, "G's residual-in-residual dense blocks"),
        "content_loss": (str, "auto", "vgg, pixel, or auto (VGG19 when its weights load)"),
    }
    gan, args = run("esrgan", epochs=1500, description=__doc__.splitlines()[0], options=options)
    super_resolution_report(gan, args)
