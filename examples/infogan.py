"""Day 10: train InfoGAN on MNIST and see what its codes learned without labels.

python examples/infogan.py                           # 3,000 iterations, batch 64 (the budget of docs/infogan.md)
python examples/infogan.py --evaluate                # + how well the categorical code clusters the digits
"""

from _common import run

from odog import data, metrics, viz

if __name__ == "__main__":
    gan, args = run("infogan", epochs=3000, description=__doc__.splitlines()[0])
    viz.save_grid(gan.code_grid(), f"{args.out}/codes.png", rows=gan.categories)
    for i in range(gan.continuous):
        viz.save_grid(gan.code_grid(varying=i), f"{args.out}/continuous_{i + 1}.png", rows=gan.categories)
    print(f"Code grids in {args.out}: codes.png (a row per categorical code), continuous_*.png (-2 to 2).")
    if args.evaluate and args.dataset == "mnist":
        test = data.load_named("mnist", "test")
        accuracy = metrics.cluster_accuracy(gan.predict_code(test.images), test.labels)["accuracy"]
        print(f"categorical code as a digit clusterer, MNIST test: {accuracy:.2%} (best one-to-one mapping)")
