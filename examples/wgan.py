"""Day 5: train WGAN (critic, weight clipping, RMSprop) on MNIST or a 64x64 image folder.

python examples/wgan.py                              # 2,000 iterations, batch 32 (the budget of docs/wgan.md)
python examples/wgan.py --dataset faces/ --epochs 20000   # 64x64 RGB, as in the notes "GAN笔记——理论与实现"
"""

from _common import run

if __name__ == "__main__":
    run("wgan", epochs=2000, description=__doc__.splitlines()[0])
