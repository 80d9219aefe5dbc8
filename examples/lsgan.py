"""Day 15: train LSGAN (least-squares losses) on MNIST or an image folder.

python examples/lsgan.py                              # 2,000 iterations, batch 32 (the budget of docs/lsgan.md)
python examples/lsgan.py --evaluate
"""

from _common import run

if __name__ == "__main__":
    run("lsgan", epochs=2000, description=__doc__.splitlines()[0])
