"""Train BGAN (boundary-seeking generator loss) on MNIST or an image folder.

python examples/bgan.py                              # 2,000 iterations, batch 32 (the budget of docs/bgan.md)
python examples/bgan.py --evaluate
"""

from _common import run

if __name__ == "__main__":
    run("bgan", epochs=2000, description=__doc__.splitlines()[0])
