"""Train LAPGAN, a Laplacian pyramid of conditional GANs, on MNIST (padded to 32x32) or an image folder.

python examples/lapgan.py                              # 4,000 iterations, batch 32 (the budget of docs/lapgan.md)
python examples/lapgan.py --evaluate                   # then score 10,000 samples
python examples/lapgan.py --dataset cifar10
"""

from _common import run

if __name__ == "__main__":
    options = {"filters": (int, 64, "width of each level's convolutions")}
    run("lapgan", epochs=4000, description=__doc__.splitlines()[0], options=options)
