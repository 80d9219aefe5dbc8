"""Train TagGAN on a tagged image folder and draw images from free-text tags.

python examples/taggan.py                              # makes 6,000 tagged shapes (once), 8,000 iterations
python examples/taggan.py --dataset faces/ --image-size 64 --epochs 20000   # images/ + tags.csv, as anime faces
"""

import sys

from _common import run

from odog import metrics, tags, viz

if __name__ == "__main__":
    if "--dataset" not in sys.argv:  # no tagged data given: make the synthetic one
        folder = metrics.cache_dir() / "data" / "shapes-32"
        if not (folder / tags.TAGS_FILE).is_file():
            print(f"Writing a tagged dataset of coloured shapes to {folder}.")
            tags.make_shapes(folder, n=6000, size=32)
        sys.argv += ["--dataset", str(folder), "--image-size", "32"]
    gan, args = run("taggan", epochs=8000, description=__doc__.splitlines()[0])
    text = gan.sample_tags()[0]
    viz.save_grid(gan.generate(8, tags=text, seed=0), f"{args.out}/tags.png", rows=1)
    print(f"Eight samples for {text!r} in {args.out}/tags.png.")
    if "shapes" in args.dataset:
        texts = [t for t in gan.sample_tags() for _ in range(50)]
        match = tags.shape_match(gan.generate(len(texts), tags=texts), texts)
        print(f"samples showing all their tags: {match['all']:.1%}")
