"""``python -m ipner train``: train a pipeline from a config with spaCy's loop and ipner registered.

Example: ``python -m ipner train configs/cnn.cfg --output training/cnn --ship``. spaCy config
overrides follow ``--``: ``python -m ipner train configs/cnn.cfg -o out -- --training.max_steps 200``.
Without a config the default one (configs/cnn.cfg, shipped with ipner) is used; without
``--corpus`` the config's ``paths.corpus`` if it exists, else the gold corpus shipped with ipner.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    parser = sub.add_parser("train", help="train a pipeline (default configs/cnn.cfg)", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", nargs="?", help="spaCy config (default: configs/cnn.cfg, shipped with ipner)")
    parser.add_argument("-o", "--output", required=True, help="output directory (model-best, model-last, training.json)")
    parser.add_argument("--corpus", help="gold JSONL to train on (sets paths.corpus)")
    parser.add_argument("--seed", type=int, help="random seed (overrides [system] seed)")
    parser.add_argument("--gpu-id", type=int, default=-1, help="GPU id, -1 for CPU (default)")
    parser.add_argument("--ship", action="store_true", help="copy model-best to the package's default model directory")
    parser.add_argument("-q", "--quiet", action="store_true", help="no training log")
    parser.set_defaults(run=run, accepts_overrides=True)


def parse_overrides(args: list[str]) -> dict:
    """spaCy-style ``--section.key value`` pairs (the arguments after ``--``)."""
    from spacy.cli._util import parse_config_overrides

    from ipner.errors import UsageError

    try:
        return parse_config_overrides(args)
    except SystemExit:
        raise UsageError("overrides must be --section.key value pairs") from None


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    from ipner.files import replace_directory
    from ipner.pipeline.load import DEFAULT_MODEL_DIR
    from ipner.training.train import resolve_training_inputs, train_pipeline

    overrides = parse_overrides(args.overrides)
    if args.seed is not None:
        overrides["system.seed"] = args.seed
    config, overrides = resolve_training_inputs(args.config, args.corpus, overrides)
    summary = train_pipeline(config, args.output, overrides, use_gpu=args.gpu_id, quiet=args.quiet)
    if "threshold" in summary:
        t = summary["threshold"]
        print(f"relation threshold tuned on dev: {t['chosen']} (relation micro F {t['dev_rel_micro_f']:.3f} on {t['dev_docs']} docs)")
    if args.ship:
        print(f"shipped to {replace_directory(Path(args.output) / 'model-best', DEFAULT_MODEL_DIR)}")
    if not args.quiet:
        print(json.dumps({"output": str(Path(args.output) / "model-best")}))
    return 0
