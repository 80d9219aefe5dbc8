"""Day 3: train CGAN on MNIST (or Fashion-MNIST) and draw the digit you ask for.

python examples/cgan.py                              # 4,000 iterations, batch 32 (the budget of docs/cgan.md)
python examples/cgan.py --dataset fashion_mnist --evaluate
"""

import numpy as np
from _common import run

from odog import metrics, viz

if __name__ == "__main__":
    gan, args = run("cgan", epochs=4000, description=__doc__.splitlines()[0])
    viz.save_grid(gan.generate(10, labels=np.arange(10), seed=0), f"{args.out}/0_to_9.png", rows=1)
    print(f"One sample per class in {args.out}/0_to_9.png.")
    if args.evaluate and args.dataset == "mnist":
        labels = np.arange(10000) % 10
        print(f"label accuracy {metrics.label_accuracy(gan.generate(10000, labels=labels, seed=1), labels):.2%}")
