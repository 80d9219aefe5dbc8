"""Train SAGAN (self-attention, spectral normalization, hinge loss) on MNIST or an image folder.

python examples/sagan.py                              # 2,500 iterations, batch 32 (the budget of docs/sagan.md)
python examples/sagan.py --evaluate                   # then score 10,000 samples
python examples/sagan.py --dataset cifar10 --filters 64
"""

from _common import run

if __name__ == "__main__":
    options = {"filters": (int, 64, "base width of G and D")}
    run("sagan", epochs=2500, description=__doc__.splitlines()[0], options=options)
