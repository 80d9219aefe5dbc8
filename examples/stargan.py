"""Train StarGAN: one generator that redraws MNIST digits in any of five domains (plain, thin, thick, inverted,
coloured), then measure how often its translations land in the requested domain and keep their digit.

python examples/stargan.py                               # mnist_domains: 2,400 iterations, batch 16, 5 D steps
python examples/stargan.py --d-steps 1 --epochs 5000     # one D step per G step: faster, measured worse
python examples/stargan.py --dataset faces/ --image-size 64 --filters 32   # one subfolder per domain
"""

from _common import generation_parser

import odog
from odog import viz

if __name__ == "__main__":
    options = {
        "residual_blocks": (int, 3, "residual blocks of G"),
        "filters": (int, 16, "base width of G and D"),
        "gp_weight": (float, 10.0, "lambda_gp, the weight of the gradient penalty"),
        "cls_weight": (float, 1.0, "lambda_cls, the weight of the domain classification losses"),
        "rec_weight": (float, 10.0, "lambda_rec, the weight of the reconstruction loss"),
        "d_steps": (int, 5, "D steps per G step (the paper's)"),
    }
    parser = generation_parser("stargan", 2400, __doc__.splitlines()[0], options)
    parser.set_defaults(dataset="mnist_domains")  # the offline task; a folder holds one subfolder per domain
    args = parser.parse_args()
    gan = odog.StarGAN(
        args.dataset,
        residual_blocks=args.residual_blocks,
        filters=args.filters,
        gp_weight=args.gp_weight,
        cls_weight=args.cls_weight,
        rec_weight=args.rec_weight,
        d_steps=args.d_steps,
        image_size=args.image_size,
        seed=args.seed,
    )
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,  # None: StarGAN's default_batch_size, 16
        sample_interval=args.sample_interval,
        out_dir=args.out,
        checkpoint_interval=1000,
    )
    print(f"Sample grids (an input per row, then one column per domain {gan.domains}) in {args.out}/images.")
    viz.plot_history(gan.history, f"{args.out}/history.png")
    if args.dataset == "mnist_domains":
        count = 2000 if args.epochs >= 1000 else 100  # a smoke run is scored on fewer test images
        scores = gan.measure(n=count)
        print(f"Translations of {count:,} test images into each other domain:")
        for name, s in scores["per_domain"].items():
            print(
                f"  to {name:<9} in the domain {s['domain']:.1%} (untranslated inputs {s['input_domain']:.1%}, "
                f"real {s['real_domain']:.1%}); digit kept {s['digit']:.1%} (inputs {s['input_digit']:.1%})"
            )
