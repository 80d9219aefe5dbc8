"""The `odog` command line: list, train, generate, upscale and translate.

odog list
odog train dcgan --epochs 4000 --batch-size 32 --out runs/dcgan
odog train dcgan --devices 2 --precision mixed_bfloat16
odog train rgan --option average=true       # any constructor argument of the variant
odog generate runs/dcgan -n 64 --out grid.png --nice
odog generate runs/cgan -n 16 --labels 7
odog generate runs/dcgan --interpolate 10 --walks 4 --out walk.gif
odog upscale runs/srgan small.png --out large.png
odog train cyclegan --dataset horse2zebra/ --image-size 128
odog translate runs/cyclegan horse.png --direction a2b --out zebra.png
odog demo runs/cgan --port 7860
"""

import argparse
import inspect
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

import odog
from odog import catalog, checkpoint, viz


def _list(args) -> int:
    width = max(map(len, catalog.names()))
    for name in catalog.names():
        entry = catalog.entry(name)
        day = f"day {entry.day}" if entry.day else "-"
        print(f"{name:<{width}}  {day:<7} {entry.summary}")
    from odog import hub

    shipped = hub.names()
    if shipped:
        print(f"\nPretrained generators (odog.pretrained(name), odog demo NAME): {', '.join(shipped)}")
    return 0


def _train(args) -> int:
    import keras

    from odog import backend

    # Keras' policy and the backend's engine apply to models built after they are set: build inside.
    keras.mixed_precision.set_global_policy(args.precision)
    with backend.data_parallel(args.devices):
        return _train_here(args)


def _train_here(args) -> int:
    out = Path(args.out or Path("runs") / args.variant)
    if checkpoint.checkpoint_file(out).is_file():
        if not args.resume:
            print(
                f"error: {out} already holds a checkpoint. Pass --resume to continue "
                "training it, or choose another --out.",
                file=sys.stderr,
            )
            return 2
        gan = odog.load(out, dataset=args.dataset)
        if gan.name != args.variant:
            print(f"error: {out} holds a '{gan.name}' model, not '{args.variant}'.", file=sys.stderr)
            return 2
        print(f"Resuming {gan.name} from iteration {gan.iteration}.")
    else:
        options = {
            k: v
            for k, v in vars(args).items()
            if k
            in (
                "latent_dim",
                "image_size",
                "channels",
                "max_images",
                "label_smoothing",
                "label_flip",
                "instance_noise",
                "d_steps",
                "direction",
                "seed",
            )
            and v is not None
        }
        cls = odog.get(args.variant)
        if args.direction and not hasattr(cls, "translate"):
            raise ValueError(f"--direction is for the translation models; {args.variant} takes none.")
        options.update(variant_options(cls, args.option or []))
        # Without --dataset each variant trains on its own default: MNIST, or an MNIST translation task.
        gan = cls(**({"dataset": args.dataset} if args.dataset else {}), **options)
    callbacks = []
    if args.tensorboard:
        import keras

        from odog.callbacks import GridSummary

        callbacks = [keras.callbacks.TensorBoard(args.tensorboard, update_freq=10), GridSummary(args.tensorboard, 200)]
    gan.train(
        epochs=args.epochs,
        batch_size=args.batch_size,
        sample_interval=args.sample_interval,
        out_dir=out,
        checkpoint_interval=args.checkpoint_interval,
        callbacks=callbacks,
    )
    gan.save(out)
    print(f"Saved {gan.name} at iteration {gan.iteration} to {out}.")
    return 0


def variant_options(cls: type, pairs: list[str]) -> dict:
    """The `--option KEY=VALUE` pairs as constructor arguments of `cls`; VALUE is read as JSON
    (`true`, `3`, `0.5`, `null`, `[1, 2]`), else kept as text.

    Example:
    >>> variant_options(odog.get("rgan"), ["average=true", "learning_rate=1e-4"])
    {'average': True, 'learning_rate': 0.0001}
    """
    accepted = {
        name
        for klass in cls.__mro__
        if "__init__" in vars(klass)
        for name, p in inspect.signature(klass.__init__).parameters.items()
        if p.kind is inspect.Parameter.KEYWORD_ONLY
    }
    options = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        key = key.strip().replace("-", "_")
        if not sep or not key:
            raise ValueError(f"--option takes KEY=VALUE, e.g. --option average=true. Received: --option {pair!r}")
        if key not in accepted:
            raise ValueError(f"{cls.__name__} takes no argument `{key}`. Its arguments: {', '.join(sorted(accepted))}.")
        try:
            options[key] = json.loads(text)
        except json.JSONDecodeError:
            options[key] = text
    return options


def nice_samples(gan: "odog.BaseGAN", n: int, factor: int, seed: int | None = None) -> np.ndarray:
    """The `n` images D finds most real among `n * factor` samples.

    Seed 003's "nice" mode (factor 20 keeps the top 5%). Most real is the
    highest score, or the lowest energy for autoencoder discriminators.
    """
    candidates = gan.generate(n * factor, seed=seed)
    scores = gan.discriminate(candidates)
    order = np.argsort(scores if gan.lower_is_real else -scores, kind="stable")
    return candidates[order[:n]]


def _open(run: str):
    """A run folder, or the name of a pretrained generator ("dcgan-mnist") where no such folder exists."""
    from odog import hub

    if run in hub.MODELS and not Path(run).exists():
        return odog.pretrained(run)
    return odog.load(run)


def _generate(args) -> int:
    gan = _open(args.run)
    conditions = {}
    if args.labels is not None:
        labels = [int(v) if v.strip().isdigit() else v.strip() for v in args.labels.split(",")]
        conditions["labels"] = labels if "," in args.labels else labels[0]
    if args.tags is not None:
        conditions["tags"] = args.tags
    if conditions and args.nice:
        raise ValueError("--nice cannot be combined with --labels or --tags.")
    out = Path(args.out)
    if args.interpolate:
        if args.nice:
            raise ValueError("--nice cannot be combined with --interpolate.")
        return _interpolate(gan, args, conditions, out)
    if out.suffix == ".gif":
        raise ValueError(
            f"A .gif is written for a walk: add --interpolate STEPS, or write a .png. Received: --out {out}"
        )
    if args.nice:
        images = nice_samples(gan, args.n, args.nice_factor, args.seed)
    else:
        images = gan.generate(args.n, seed=args.seed, **conditions)
    if out.suffix == ".npy":
        np.save(out, images)
    else:
        viz.save_grid(images, out)
    print(f"Wrote {args.n} {'nice ' if args.nice else ''}samples to {out}.")
    return 0


def _interpolate(gan: "odog.BaseGAN", args, conditions: dict, out: Path) -> int:
    """`odog generate --interpolate STEPS`: walks as a grid (one per row), a GIF or an array."""
    steps, walks = args.interpolate, args.walks
    images = gan.interpolate(steps, walks=walks, seed=args.seed, method=args.method, **conditions)
    if out.suffix == ".npy":
        np.save(out, images)
    elif out.suffix == ".gif":  # frame t: the t-th image of every walk; then back, so that it loops smoothly
        walk = images.reshape((walks, steps) + images.shape[1:])
        frames = [walk[:, t] for t in (*range(steps), *range(steps - 2, 0, -1))]
        viz.save_gif(frames, out)
    else:
        viz.save_grid(images, out, rows=walks)
    print(f"Wrote {walks} {args.method} walk(s) of {steps} images to {out}.")
    return 0


def _read_images(path: str, channels: int) -> np.ndarray:
    """An image file as a batch of one in [-1, 1] with `channels`, or a .npy array as stored."""
    source = Path(path)
    if source.suffix == ".npy":
        return np.load(source)
    from PIL import Image

    with Image.open(source) as image:
        pixels = np.asarray(image.convert("L" if channels == 1 else "RGB"), "float32")
    return (pixels.reshape(pixels.shape[:2] + (-1,)) / 127.5 - 1.0)[None]


def _write_images(images: np.ndarray, path: str) -> None:
    """A .npy array of all `images`, a grid of several, or one image file."""
    out = Path(path)
    if out.suffix == ".npy":
        np.save(out, images)
    elif len(images) > 1:
        viz.save_grid(images, out)
    else:
        from PIL import Image

        pixels = np.round((images[0] + 1.0) * 127.5).astype("uint8")
        Image.fromarray(pixels[..., 0] if pixels.shape[-1] == 1 else pixels).save(out)


def _upscale(args) -> int:
    gan = _open(args.run)
    if not hasattr(gan, "upscale"):
        raise ValueError(
            f"{args.run} holds a '{gan.name}' model; odog upscale needs a super-resolution model (srgan, esrgan)."
        )
    larger = gan.upscale(_read_images(args.input, gan.img_shape[-1]))
    _write_images(larger, args.out)
    print(f"Wrote {len(larger)} image(s) of {larger.shape[1]}x{larger.shape[2]} to {args.out}.")
    return 0


def _translate(args) -> int:
    gan = _open(args.run)
    if not hasattr(gan, "translate"):
        raise ValueError(
            f"{args.run} holds a '{gan.name}' model; odog translate needs a translation model "
            "(pix2pix, cyclegan, discogan, dualgan, bicyclegan, unit, munit, stargan)."
        )
    if gan.name == "stargan":  # one generator for many domains: a target domain, no direction
        if args.to is None:
            raise ValueError(f"StarGAN translates into a domain: pass --to, one of {gan.domains}.")
        translated = gan.translate(_read_images(args.input, gan.img_shape[-1]), to=args.to)
        _write_images(translated, args.out)
        print(f"Wrote {len(translated)} image(s) translated to {args.to} to {args.out}.")
        return 0
    source = gan.a_shape if args.direction == "a2b" else gan.b_shape
    options = {"seed": args.seed} if gan.name in ("bicyclegan", "munit") else {}
    translated = gan.translate(_read_images(args.input, source[-1]), args.direction, **options)
    _write_images(translated, args.out)
    print(f"Wrote {len(translated)} translated image(s) ({args.direction}) to {args.out}.")
    return 0


def _demo(args) -> int:
    from odog import demo

    gan = _open(args.run)
    print(f"Serving {gan.name} on http://{args.host}:{args.port} (Ctrl+C stops it).")
    demo.launch(gan, host=args.host, port=args.port)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="odog", description="One Day One GAN on Keras 3.")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("list", help="list the GAN variants").set_defaults(func=_list)

    t = sub.add_parser("train", help="train a variant (one epoch = one iteration)")
    t.add_argument("variant", type=lambda name: name.lower().replace("-", "_"), choices=odog.available())
    t.add_argument(
        "--dataset",
        help="mnist, fashion_mnist, cifar10 or an image folder (default mnist); translation models: a folder or a "
        "task (default: the variant's MNIST task)",
    )
    t.add_argument("--epochs", type=int, default=4000, help="training iterations (default 4000)")
    t.add_argument("--batch-size", type=int, help="real images per D step (default: the variant's, 32 for most)")
    t.add_argument("--sample-interval", type=int, default=200, help="iterations between sample grids")
    t.add_argument("--checkpoint-interval", type=int, default=1000, help="iterations between checkpoints")
    t.add_argument("--out", help="run folder (default runs/<variant>)")
    t.add_argument("--resume", action="store_true", help="continue the checkpoint in --out")
    t.add_argument("--seed", type=int)
    t.add_argument("--latent-dim", type=int)
    t.add_argument("--image-size", type=int, help="side of images read from a folder (default 64)")
    t.add_argument("--max-images", type=int, help="read at most this many images of a folder")
    t.add_argument("--channels", type=int, choices=(1, 3), help="channels of images read from a folder")
    t.add_argument("--label-smoothing", type=float)
    t.add_argument("--label-flip", type=float)
    t.add_argument("--instance-noise", type=float)
    t.add_argument("--d-steps", type=int)
    t.add_argument(
        "--direction", choices=("AtoB", "BtoA"), help="translation models: which domain is the input (default AtoB)"
    )
    t.add_argument(
        "--option",
        action="append",
        metavar="KEY=VALUE",
        help="another argument of the variant's constructor, e.g. --option average=true (rgan), "
        "--option feature_matching=true (sgan); repeatable",
    )
    t.add_argument("--tensorboard", metavar="DIR", help="write loss scalars and sample grids for TensorBoard to DIR")
    t.add_argument(
        "--devices", type=int, default=1, help="train data-parallel over N devices (JAX or TensorFlow; default 1)"
    )
    t.add_argument(
        "--precision",
        choices=("float32", "mixed_bfloat16", "mixed_float16"),
        default="float32",
        help="Keras dtype policy of the models (default float32)",
    )
    t.set_defaults(func=_train)

    g = sub.add_parser("generate", help="sample a trained model")
    g.add_argument(
        "run", help="a run folder holding checkpoint.npz, or a pretrained name (dcgan-mnist, cgan-mnist, ...)"
    )
    g.add_argument("-n", type=int, default=64, help="number of images (default 64)")
    g.add_argument("--out", default="samples.png", help="a .png grid or a .npy array")
    g.add_argument("--seed", type=int)
    g.add_argument("--labels", help="class label(s), by number or name: 7, cat, or one per image: 0,1,2")
    g.add_argument("--tags", help='tag text for TagGAN, e.g. "red circle white background"')
    g.add_argument("--nice", action="store_true", help="keep the samples D scores highest")
    g.add_argument("--nice-factor", type=int, default=20, help="candidates per kept sample (20: top 5%%)")
    g.add_argument(
        "--interpolate",
        type=int,
        metavar="STEPS",
        help="walk the latent space in STEPS images instead (a .gif or .png)",
    )
    g.add_argument("--walks", type=int, default=1, help="with --interpolate: walks, one per grid row (default 1)")
    g.add_argument("--method", choices=("slerp", "linear"), default="slerp", help="with --interpolate (default slerp)")
    g.set_defaults(func=_generate)

    u = sub.add_parser("upscale", help="enlarge images with a trained super-resolution model (srgan, esrgan)")
    u.add_argument("run", help="a run folder holding an SRGAN or ESRGAN checkpoint, or srgan-mnist")
    u.add_argument("input", help="an image file (png, jpg) or a .npy array (N, h, w, C) in [-1, 1]")
    u.add_argument("--out", default="upscaled.png", help="an image file, or .npy for an array")
    u.set_defaults(func=_upscale)

    r = sub.add_parser("translate", help="translate images with a trained image-to-image model")
    r.add_argument("run", help="a run folder holding a translation model's checkpoint (odog list)")
    r.add_argument("input", help="an image file (png, jpg) of the training images' size, or a .npy array (N, H, W, C)")
    r.add_argument("--direction", choices=("a2b", "b2a"), default="a2b", help="b2a: two-way models only")
    r.add_argument("--seed", type=int, help="BicycleGAN, MUNIT: seed of the random code, style")
    r.add_argument("--to", help="StarGAN: the target domain (a name, e.g. thick, or its number)")
    r.add_argument("--out", default="translated.png", help="an image file (a grid for several), or .npy")
    r.set_defaults(func=_translate)

    d = sub.add_parser("demo", help="a local web page to generate with a trained model (needs odog[demo])")
    d.add_argument(
        "run", help="a run folder holding checkpoint.npz, or a pretrained name (dcgan-mnist, cgan-mnist, ...)"
    )
    d.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1: this machine only)")
    d.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    d.set_defaults(func=_demo)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    # The command line is a program of its own: it may quiet TensorFlow's C++
    # logging in its own process (a library import must not).
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (ValueError, OSError, FloatingPointError) as error:  # odog's errors say what to do
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
