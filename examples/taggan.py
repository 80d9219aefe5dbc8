"""Train TagGAN on a tagged image folder and draw images from free-text tags.

python examples/taggan.py                              # makes 6,000 tagged shapes (once), 8,000 iterations
python examples/taggan.py --dataset faces/ --image-size 64 --epochs 20000   # images/ + tags.csv, as anime faces
"""

from _common import generation_parser

import odog
from odog import metrics, tags, viz

if __name__ == "__main__":
    parser = generation_parser("taggan", 8000, __doc__.splitlines()[0])
    parser.set_defaults(dataset=None)  # no tagged folder given: the coloured shapes below
    args = parser.parse_args()
    if args.dataset is None:
        folder = metrics.cache_dir() / "data" / "shapes-32"
        if not (folder / tags.TAGS_FILE).is_file():
            print(f"Writing a tagged dataset of coloured shapes to {folder}.")
            tags.make_shapes(folder, n=6000, size=32)
        args.dataset, args.image_size = str(folder), 32
    gan = odog.TagGAN(
        args.dataset,  # images/ + tags.csv; a named dataset's class names become its tags
        # vocabulary: read from tags.csv when not given; it decides G's and D's condition width.
        image_size=args.image_size,
        seed=args.seed,
    )
    print(f"Vocabulary: {', '.join(gan.vocabulary)}.")
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids (a row per frequent tag combination) in {args.out}/images, checkpoint in {args.out}.")
    text = gan.sample_tags()[0]  # the most frequent combination in the data
    viz.save_grid(gan.generate(8, tags=text, seed=0), f"{args.out}/tags.png", rows=1)
    print(f"Eight samples for {text!r} in {args.out}/tags.png.")
    if "shapes" in args.dataset:  # the shapes can be checked: odog reads colour and shape back from the pixels
        texts = [t for t in gan.sample_tags() for _ in range(50)]
        match = tags.shape_match(gan.generate(len(texts), tags=texts), texts)
        print(f"samples showing all their tags: {match['all']:.1%}")
    if args.evaluate:
        scores = metrics.evaluate(gan.generate(10000, seed=1), args.dataset)
        print(f"classifier FD {scores['fd']:.2f}, class coverage {scores['coverage']:.3f}")
