"""Train SRGAN (4x super-resolution) on MNIST or an image folder, then compare it with bicubic upsampling.

python examples/srgan.py                                   # 1,500 iterations, batch 32 (docs/srgan.md's budget)
python examples/srgan.py --dataset photos/ --image-size 96 --content-loss vgg
odog upscale runs/srgan small.png --out large.png          # afterwards, on your own images
"""

from _common import run, super_resolution_report

if __name__ == "__main__":
    options = {
        "content_loss": (str, "auto", "vgg, pixel, or auto (VGG19 when its weights load)"),
        "residual_blocks": (int, 16, "G's residual blocks"),
    }
    gan, args = run("srgan", epochs=1500, description=__doc__.splitlines()[0], options=options)
    super_resolution_report(gan, args)
