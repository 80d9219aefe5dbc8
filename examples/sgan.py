"""Train SGAN on MNIST with few labelled images and use its discriminator as a classifier.

python examples/sgan.py                              # 2,000 iterations, batch 32, 100 labels
python examples/sgan.py --labelled 1000
"""

from _common import run

from odog import data

if __name__ == "__main__":
    options = {"labelled": (int, 100, "training images whose labels D may use")}
    gan, args = run("sgan", epochs=2000, description=__doc__.splitlines()[0], options=options)
    if args.dataset == "mnist":
        test = data.load_named("mnist", "test")
        accuracy = (gan.classify(test.images) == test.labels).mean()
        print(f"D's test accuracy with {args.labelled} labels: {accuracy:.2%}")
