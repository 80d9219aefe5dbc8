"""Day 1: train the MLP GAN on MNIST and write sample grids.

python examples/gan.py                    # 10,000 iterations, batch 32 (Keras-GAN's budget)
python examples/gan.py --epochs 30000 --evaluate
"""

from _common import run

if __name__ == "__main__":
    run("gan", epochs=10000, description=__doc__.splitlines()[0])
