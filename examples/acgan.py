"""Day 4: train ACGAN (D also classifies) on MNIST and draw the digit you ask for.

python examples/acgan.py                              # 4,000 iterations, batch 32 (the budget of docs/acgan.md)
python examples/acgan.py --dataset fashion_mnist --evaluate
"""

import numpy as np
from _common import run

from odog import metrics, viz

if __name__ == "__main__":
    gan, args = run("acgan", epochs=4000, description=__doc__.splitlines()[0])
    viz.save_grid(gan.generate(10, labels=np.arange(10), seed=0), f"{args.out}/0_to_9.png", rows=1)
    print(f"One sample per class in {args.out}/0_to_9.png.")
    if args.evaluate and args.dataset == "mnist":
        labels = np.arange(10000) % 10
        print(f"label accuracy {metrics.label_accuracy(gan.generate(10000, labels=labels, seed=1), labels):.2%}")
