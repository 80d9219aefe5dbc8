"""Day 12: train BEGAN (autoencoder D, equilibrium k_t, convergence M) on MNIST.

python examples/began.py                              # 2,000 iterations, batch 32 (the budget of docs/began.md)
python examples/began.py --evaluate        # history.png shows M and k_t
"""

from _common import run

if __name__ == "__main__":
    run("began", epochs=2000, description=__doc__.splitlines()[0])
