"""Day 7: train EBGAN (autoencoder energy, margin, pulling-away term) on MNIST.

python examples/ebgan.py                              # 2,000 iterations, batch 32 (the budget of docs/ebgan.md)
python examples/ebgan.py --evaluate
"""

from _common import run

if __name__ == "__main__":
    run("ebgan", epochs=2000, description=__doc__.splitlines()[0])
