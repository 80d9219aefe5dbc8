"""Train WGAN-GP (gradient penalty) on MNIST or an image folder.

python examples/wgan_gp.py                              # 2,000 iterations, batch 32 (the budget of docs/wgan_gp.md)
python examples/wgan_gp.py --batch-size 64
"""

from _common import run

if __name__ == "__main__":
    run("wgan_gp", epochs=2000, description=__doc__.splitlines()[0])
