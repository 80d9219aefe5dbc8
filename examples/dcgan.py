"""Day 2: train DCGAN on MNIST (or an image folder) and write sample grids.

python examples/dcgan.py                              # 4,000 iterations, batch 32 (Keras-GAN's budget)
python examples/dcgan.py --dataset faces/ --epochs 20000   # 64x64 RGB, the paper's architecture
"""

from _common import run

if __name__ == "__main__":
    run("dcgan", epochs=4000, description=__doc__.splitlines()[0])
